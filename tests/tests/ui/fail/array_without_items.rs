// `type: array` without `items`.
b24_client::generate!(
    specs = "array_without_items/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
