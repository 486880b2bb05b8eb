// A `naive_datetime` in the example written in ATOM form, nested in a list.
b24_client::generate!(
    specs = "example_bad_date/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
