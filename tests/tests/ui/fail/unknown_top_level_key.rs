// A misspelled top-level key: `sumary` and the then missing `summary` are both reported.
b24_client::generate!(
    specs = "unknown_top_level_key/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
