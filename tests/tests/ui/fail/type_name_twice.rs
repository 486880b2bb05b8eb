// An enum whose `name:` is already taken by a type.
b24_client::generate!(
    specs = "type_name_twice/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
