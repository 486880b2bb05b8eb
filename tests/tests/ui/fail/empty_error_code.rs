// An error documented with an empty code cannot be declared yet; the message says what to do.
b24_client::generate!(specs = "empty_error_code/im.thing.get.yaml", relative_to = file);

fn main() {}
