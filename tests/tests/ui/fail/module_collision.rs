// Two different methods whose Rust module names are the same (`im_thing_get`).
b24_client::generate!(specs = "module_collision", relative_to = file);

fn main() {}
