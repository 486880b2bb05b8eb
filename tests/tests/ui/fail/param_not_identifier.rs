// A parameter named `%%` has nothing left after conversion to a Rust identifier.
b24_client::generate!(
    specs = "param_not_identifier/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
