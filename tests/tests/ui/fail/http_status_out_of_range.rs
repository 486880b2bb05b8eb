// An HTTP status outside 100..=599.
b24_client::generate!(
    specs = "http_status_out_of_range/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
