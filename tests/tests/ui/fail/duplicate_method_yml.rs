// The same method in `im.thing.get.yaml` and `im.thing.get.yml` side by side: both extensions
// are read, so both define the method.
b24_client::generate!(specs = "duplicate_method_yml", relative_to = file);

fn main() {}
