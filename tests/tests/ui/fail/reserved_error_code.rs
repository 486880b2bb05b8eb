// An error code that would become the reserved variant `Other` (or `System`).
b24_client::generate!(
    specs = "reserved_error_code/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
