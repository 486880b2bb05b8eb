// The documented example must meet every `one_of_required` group, and its input objects must
// have their types: no unknown keys, every required field.
b24_client::generate!(specs = "example_one_of_required/im.thing.add.yaml", relative_to = file);

fn main() {}
