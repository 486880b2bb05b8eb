// Indentation mistakes are reported at the line that is off, which is not always the line
// where the YAML parser stops: a key deeper than the `key: value` above it, a line too shallow
// for the key above it, a key between two indentations, a mapping whose first key is too
// deep, and a `- ` item among the keys of a mapping.
b24_client::generate!(specs = "yaml_indentation", relative_to = file);

fn main() {}
