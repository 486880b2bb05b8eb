// A parameter without its `doc`: the message points at the parameter and says what to add.
b24_client::generate!(
    specs = "missing_required_key/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
