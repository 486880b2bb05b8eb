// A field whose type is never defined under `types:`; a close name is suggested.
b24_client::generate!(
    specs = "undefined_type/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
