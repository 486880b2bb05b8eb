// `or_false`/`or_empty`/`nullable` describe responses; a parameter cannot use them.
b24_client::generate!(
    specs = "param_with_none_marker/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
