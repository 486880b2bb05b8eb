// `unknown` is the fallback variant every enum gets; a value cannot take the name.
b24_client::generate!(
    specs = "enum_reserved_unknown/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
