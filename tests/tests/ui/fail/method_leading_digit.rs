// A method name that starts with a digit has no Rust name (and no real method has one).
b24_client::generate!(specs = "method_leading_digit/2fa.check.yaml", relative_to = file);

fn main() {}
