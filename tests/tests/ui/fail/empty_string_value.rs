// Required text left empty.
b24_client::generate!(
    specs = "empty_string_value/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
