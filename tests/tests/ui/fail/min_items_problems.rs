// `min_items` is for `array` parameters, and is at least 1.
b24_client::generate!(
    specs = "min_items_problems/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
