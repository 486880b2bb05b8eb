// A spec saved in Latin-1: the first invalid byte is located.
b24_client::generate!(
    specs = "non_utf8_file/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
