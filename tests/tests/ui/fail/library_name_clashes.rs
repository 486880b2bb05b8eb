// Names the method's module would hold twice through the library's items it re-exports: a
// type named like a library's named enum, an enum named like the select's enum of a library
// record; and an enum name in a library that is not a Rust type name.
b24_client::generate!(specs = "library_name_clashes", relative_to = file);

fn main() {}
