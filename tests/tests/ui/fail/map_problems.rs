// `type: map` needs `keys` (id, integer or string) and `values`.
b24_client::generate!(
    specs = "map_problems/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
