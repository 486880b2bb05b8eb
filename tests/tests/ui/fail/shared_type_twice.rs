// Two type libraries define the same type; a library type refers to an unknown one.
b24_client::generate!(specs = "shared_type_twice", relative_to = file);

fn main() {}
