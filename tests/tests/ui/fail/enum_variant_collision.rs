// Two wire values (`""` and `_`) given the same variant name.
b24_client::generate!(
    specs = "enum_variant_collision/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
