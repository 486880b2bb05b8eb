// `other_scopes` takes a list even for one scope.
b24_client::generate!(
    specs = "other_scopes_kind/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
