// The example must decode as the case its parameters select.
b24_client::generate!(
    specs = "example_result_case/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
