// Fields named in `emulator:` must be fields of the records' type: the result type, or the
// type `record:` names, which must exist.
b24_client::generate!(
    specs = "emulator_fields",
    relative_to = file
);

fn main() {}
