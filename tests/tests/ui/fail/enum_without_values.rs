// `type: enum` needs `values`, with at least one value.
b24_client::generate!(
    specs = "enum_without_values/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
