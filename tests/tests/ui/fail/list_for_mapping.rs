// A list where a mapping is expected: the help fits the place (a type, an enum's values, `errors`).
b24_client::generate!(specs = "list_for_mapping/im.thing.get.yaml", relative_to = file);

fn main() {}
