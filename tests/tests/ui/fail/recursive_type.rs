// `Thing` holds an `Owner` that holds a `Thing`: infinitely large without an array.
b24_client::generate!(
    specs = "recursive_type/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
