// The example leaves out a required parameter.
b24_client::generate!(
    specs = "example_missing_required_param/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
