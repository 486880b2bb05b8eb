// Error codes are letters, digits and `_` only.
b24_client::generate!(
    specs = "bad_error_code/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
