// The example response lacks a field that is not `optional`.
b24_client::generate!(
    specs = "example_missing_field/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
