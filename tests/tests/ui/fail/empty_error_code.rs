// An error with an empty code written like a coded one: the message shows the form that keys
// it by its description.
b24_client::generate!(specs = "empty_error_code/im.thing.get.yaml", relative_to = file);

fn main() {}
