// `filter` and `select` describe request parameters; fields, results and array items cannot
// use them.
b24_client::generate!(
    specs = "filter_outside_params/im.thing.list.yaml",
    relative_to = file
);

fn main() {}
