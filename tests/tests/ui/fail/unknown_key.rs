// A misspelled key (`optinal` for `optional`) is refused with a suggestion, not ignored.
b24_client::generate!(specs = "unknown_key/im.thing.get.yaml", relative_to = file);

fn main() {}
