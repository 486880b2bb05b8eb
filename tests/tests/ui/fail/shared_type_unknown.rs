// A reference to a shared type that does not exist (a typo of a library type).
b24_client::generate!(specs = "shared_type_unknown", relative_to = file);

fn main() {}
