// A quote never closed is reported where it opens, not where the file or the next quote ends it.
b24_client::generate!(specs = "unclosed_quote", relative_to = file);

fn main() {}
