// Fields with no usable Rust name, and two fields that become the same Rust name.
b24_client::generate!(
    specs = "field_name_problems/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
