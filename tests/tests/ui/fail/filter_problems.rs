// Mistakes inside a `type: filter`: operators, field names and field types.
b24_client::generate!(
    specs = "filter_problems/im.thing.list.yaml",
    relative_to = file
);

fn main() {}
