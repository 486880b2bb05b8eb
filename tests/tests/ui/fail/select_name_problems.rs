// How requests name a type's fields: `select_names` is a known rule, `select_as` a plain field
// name, and no two fields are named alike.
b24_client::generate!(
    specs = "select_name_problems/im.thing.list.yaml",
    relative_to = file
);

fn main() {}
