// A field whose type is a misspelled primitive: the message points at the type and suggests
// the closest primitive.
b24_client::generate!(specs = "unknown_type/im.thing.get.yaml", relative_to = file);

fn main() {}
