// A parameter name that YAML reads as a number.
b24_client::generate!(
    specs = "non_string_key/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
