// A type defined under a name that is not PascalCase.
b24_client::generate!(
    specs = "bad_type_name/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
