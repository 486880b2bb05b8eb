// Mistakes with `type: order`: no `of:`, an unknown record, its keys on other types, and an
// order where only a whole parameter may be one.
b24_client::generate!(
    specs = "order_problems/im.thing.list.yaml",
    relative_to = file
);

fn main() {}
