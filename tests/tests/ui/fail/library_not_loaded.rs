// A spec loaded on its own, without the type library that defines the types it uses: said once.
b24_client::generate!(specs = "library_not_loaded/im/im.thing.get.yaml", relative_to = file);

fn main() {}
