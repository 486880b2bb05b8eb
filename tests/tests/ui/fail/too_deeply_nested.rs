// Brackets nested more than 100 levels deep are refused before parsing (both YAML parsers slow down badly).
b24_client::generate!(specs = "too_deeply_nested/im.thing.get.yaml", relative_to = file);

fn main() {}
