// `exclude` and `only` name fields of the records' type, reaching into objects with dotted
// paths, and compare them with plain values.
b24_client::generate!(
    specs = "emulator_exclude",
    relative_to = file
);

fn main() {}
