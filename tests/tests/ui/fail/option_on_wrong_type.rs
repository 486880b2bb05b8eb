// `items` belongs to `array`, `keys` to `map`, `values` to `enum` and `map`, `name` to `enum`.
b24_client::generate!(
    specs = "option_on_wrong_type/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
