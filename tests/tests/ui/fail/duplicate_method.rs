// A spec directory with two specs of one method. Each file name must match its method, so the
// two files have the same name in different folders.
b24_client::generate!(specs = "duplicate_method", relative_to = file);

fn main() {}
