// `method:` that is not a dot-separated REST method name.
b24_client::generate!(
    specs = "bad_method_name/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
