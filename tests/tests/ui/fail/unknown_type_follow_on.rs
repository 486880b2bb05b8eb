// One mistake, one message: the example's `result` is not checked against the unknown `Deal`,
// while the unrelated bad example value of `MODE` is still reported.
b24_client::generate!(specs = "unknown_type_follow_on/im.thing.add.yaml", relative_to = file);

fn main() {}
