// The parameter must hold one plain value, and `{Method}Result` is the result enum's name.
b24_client::generate!(
    specs = "result_by_param_problems/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
