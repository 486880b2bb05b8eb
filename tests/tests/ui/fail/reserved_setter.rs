// Params whose setters would collide with the builder's own methods (`new`, `send`).
b24_client::generate!(specs = "reserved_setter/im.thing.get.yaml", relative_to = file);

fn main() {}
