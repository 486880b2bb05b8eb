// `logic: true` gives a filter nested groups: the key `logic` and integer keys belong to them,
// and the builder's `any_of`, `all_of` and `groups` are taken; `logic` is a filter's key only.
b24_client::generate!(
    specs = "filter_logic_problems/im.thing.list.yaml",
    relative_to = file
);

fn main() {}
