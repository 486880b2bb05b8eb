// The same parameter twice: YAML would silently keep only the second.
b24_client::generate!(specs = "duplicate_param/im.thing.get.yaml", relative_to = file);

fn main() {}
