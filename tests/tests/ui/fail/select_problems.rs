// `select` needs `of:`, naming an object type.
b24_client::generate!(
    specs = "select_problems/im.thing.list.yaml",
    relative_to = file
);

fn main() {}
