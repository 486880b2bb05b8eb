// The documented response does not decode as the declared result: `idle` is `false`.
b24_client::generate!(
    specs = "example_response_mismatch/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
