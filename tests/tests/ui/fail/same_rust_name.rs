// Two real keys of an answer that become one Rust name: `rust_name` on one of them is the fix.
b24_client::generate!(specs = "same_rust_name/im.thing.get.yaml", relative_to = file);

fn main() {}
