// `by_param` must name a declared parameter.
b24_client::generate!(
    specs = "result_by_param_unknown/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
