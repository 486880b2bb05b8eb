// An example parameter whose value does not match its declared type.
b24_client::generate!(
    specs = "example_param_wrong_type/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
