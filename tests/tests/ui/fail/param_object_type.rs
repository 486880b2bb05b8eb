// A parameter of an object type from `types:`.
b24_client::generate!(
    specs = "param_object_type/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
