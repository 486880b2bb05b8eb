// `specs` names a file that does not exist (a typo in the file name).
b24_client::generate!(
    specs = "missing_spec_file/im.thing.gte.yaml",
    relative_to = file
);

fn main() {}
