// A type without fields.
b24_client::generate!(specs = "empty_fields/im.thing.get.yaml", relative_to = file);

fn main() {}
