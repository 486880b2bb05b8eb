// `paged: { items: F }` names the result's field that holds the records: the result must be
// an object type, and `F` one of its fields, an `array`.
b24_client::generate!(
    specs = "paged_items",
    relative_to = file
);

fn main() {}
