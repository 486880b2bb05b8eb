// Text that YAML reads as syntax: `: ` or ` #` inside a value, a value starting with a
// backquote, a quote or `[`. Each is reported with the quoted value to write.
b24_client::generate!(specs = "unquoted_text", relative_to = file);

fn main() {}
