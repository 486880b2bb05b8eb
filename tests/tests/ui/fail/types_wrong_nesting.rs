// Wrong nesting under `types:`: `fields:` at the indentation of type names, fields without
// `fields:`, and fields beside an empty `fields:`. One message each; uses of `Thing` stay quiet.
b24_client::generate!(specs = "types_wrong_nesting", relative_to = file);

fn main() {}
