// `specs` names a directory without any `.yaml` file.
b24_client::generate!(specs = "empty_spec_dir", relative_to = file);

fn main() {}
