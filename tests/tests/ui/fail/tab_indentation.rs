// A tab in the indentation says so, also where one YAML parser takes the tab into a key.
b24_client::generate!(specs = "tab_indentation", relative_to = file);

fn main() {}
