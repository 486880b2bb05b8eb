// Named enums are defined in type libraries, not under a spec's own `types:`.
b24_client::generate!(
    specs = "named_enum_in_spec/im.thing.list.yaml",
    relative_to = file
);

fn main() {}
