// A spec defines a type that a type library already defines.
b24_client::generate!(specs = "shared_type_shadowed", relative_to = file);

fn main() {}
