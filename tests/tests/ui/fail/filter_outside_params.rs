// `filter` and `select` describe whole request parameters; fields, results, array items and
// map values (of a parameter too, at any depth) cannot use them.
b24_client::generate!(
    specs = "filter_outside_params/im.thing.list.yaml",
    relative_to = file
);

fn main() {}
