// `kind` is one of `list`, `get`, `add`, `update`, `delete`, `fields`; the keys it folded
// (`lookup`, `filter`, `sort`) say what replaces them; each kind takes only the keys that
// mean something for it; `kind: get` needs the id parameter and is not `paged`; `kind: list`
// answers every record, not `shape: one`.
b24_client::generate!(
    specs = "emulator_kinds",
    relative_to = file
);

fn main() {}
