// `select` names a list parameter, needs the records' type and must keep every field that type
// requires; `search` reads a key of the filter object `kind: list` applies and lists record
// fields to look in.
b24_client::generate!(
    specs = "emulator_select",
    relative_to = file
);

fn main() {}
