// The example sends `IDS`, a parameter `params:` does not declare.
b24_client::generate!(
    specs = "example_undeclared_param/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
