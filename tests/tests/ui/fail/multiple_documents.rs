// A second YAML document after `---` in one spec file.
b24_client::generate!(
    specs = "multiple_documents/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
