// `set` writes to the one record `caller` or `lookup` picks and answers `true`; each field
// has exactly one source; `minus_minutes` needs `now` and an integer parameter. Shapes are
// `one`, `list` or `keyed_by`, and a `paged` method answers a list.
b24_client::generate!(
    specs = "emulator_writes",
    relative_to = file
);

fn main() {}
