// Errors with an empty code, told apart by their description: each needs a `rust_name`, a
// description the client can match, one entry per description and a variant and name of its
// own; a spec names one by its `rust_name`.
b24_client::generate!(
    specs = "described_error_problems/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
