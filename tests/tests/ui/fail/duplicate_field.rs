// Two `id:` keys in one type's fields, both positions named.
b24_client::generate!(
    specs = "duplicate_field/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
