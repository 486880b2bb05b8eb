// Every problem of `other_scopes` at once: the method's own scope again, a name that is no
// scope name, a scope listed twice, and an item that is not text.
b24_client::generate!(
    specs = "other_scopes/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
