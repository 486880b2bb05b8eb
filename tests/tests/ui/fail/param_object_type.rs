// A parameter of an output object type from `types:` (one without `input: true`).
b24_client::generate!(
    specs = "param_object_type/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
