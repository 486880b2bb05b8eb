// The same error code twice under `errors:`: YAML would silently keep the last one.
b24_client::generate!(
    specs = "duplicate_error_code/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
