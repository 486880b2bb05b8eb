// `invalid:` and `emulator.not_found` name codes that `errors:` does not declare.
b24_client::generate!(
    specs = "undeclared_error_code/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
