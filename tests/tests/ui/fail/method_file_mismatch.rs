// `method:` must match the file name.
b24_client::generate!(
    specs = "method_file_mismatch/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
