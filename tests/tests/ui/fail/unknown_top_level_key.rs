// A misspelled top-level key: `sumary` is reported once, with `summary` as the suggestion (not
// also as a missing `summary`).
b24_client::generate!(
    specs = "unknown_top_level_key/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
