// `paged: { by_id: { filter, order } }` pages by id: it needs `id`; `filter` is a `filter`
// parameter with a field of the id's name that accepts `>`; `order` sets declared parameters
// to values they accept.
b24_client::generate!(
    specs = "paged_by_id",
    relative_to = file
);

fn main() {}
