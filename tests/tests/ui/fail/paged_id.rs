// `paged: { id: F }` names the records' id field: the records must be objects of a named
// type (never "no value"), with a field `F` of type `id` or `integer`.
b24_client::generate!(
    specs = "paged_id",
    relative_to = file
);

fn main() {}
