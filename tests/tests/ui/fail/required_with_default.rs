// A required parameter cannot also have a default.
b24_client::generate!(
    specs = "required_with_default/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
