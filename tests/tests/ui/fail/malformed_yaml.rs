// A YAML syntax error (a flow mapping that is never closed) is reported at its position.
b24_client::generate!(
    specs = "malformed_yaml/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
