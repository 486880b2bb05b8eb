// A spec file with nothing but a comment in it.
b24_client::generate!(specs = "empty_file/im.thing.get.yaml", relative_to = file);

fn main() {}
