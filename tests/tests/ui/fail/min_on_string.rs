// `min` only applies to `integer` and `id` parameters.
b24_client::generate!(
    specs = "min_on_string/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
