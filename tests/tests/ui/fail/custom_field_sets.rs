// Custom field sets with mistakes: a name that is no Rust type name or that a library type
// has, a field that is no custom field, types a custom field cannot have, two fields with
// one Rust name, and keys a set does not have.
b24_client::generate!(specs = "custom_field_sets", relative_to = file);

fn main() {}
