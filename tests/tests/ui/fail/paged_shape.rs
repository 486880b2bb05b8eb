// `paged` is `true`, `false` or a mapping of `items`, `id` and `by_id`; `by_id` needs both
// `filter` and `order`.
b24_client::generate!(
    specs = "paged_shape",
    relative_to = file
);

fn main() {}
