// The example response is not a whole envelope with `result`.
b24_client::generate!(
    specs = "example_without_result/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
