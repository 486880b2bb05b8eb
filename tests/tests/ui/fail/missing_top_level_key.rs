// A spec without `scope` and `access`: one message each, naming the key to add.
b24_client::generate!(
    specs = "missing_top_level_key/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
