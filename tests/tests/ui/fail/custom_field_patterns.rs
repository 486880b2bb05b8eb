// `custom_fields` patterns that cannot work: on a type they do not apply to, not a list, empty,
// keeping every key, not a pattern, naming a declared field, listed twice or covered by
// another; and a field whose Rust name would be the generated `custom`.
b24_client::generate!(
    specs = "custom_field_patterns/crm.thing.list.yaml",
    relative_to = file
);

fn main() {}
