// `params` written as a list where a mapping of names is expected.
b24_client::generate!(
    specs = "wrong_value_kind/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
