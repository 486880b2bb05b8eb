// The same enum wire value twice, each with its own variant name.
b24_client::generate!(specs = "duplicate_enum_value/im.thing.get.yaml", relative_to = file);

fn main() {}
