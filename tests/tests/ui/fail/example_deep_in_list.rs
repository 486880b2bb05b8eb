// A wrong example value deep in a list is located at the value, with its full path.
b24_client::generate!(specs = "example_deep_in_list/im.thing.list.yaml", relative_to = file);

fn main() {}
