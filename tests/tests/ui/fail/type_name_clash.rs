// A type named like a generated item of the method (`ImThingGetRequest`).
b24_client::generate!(
    specs = "type_name_clash/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
