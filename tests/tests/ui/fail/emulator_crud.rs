// The writing kinds: `add` and `update` write the `fields` parameter (an object) into records
// of a known type; `add` allocates the id itself; each kind answers what its result type can
// hold (or, for `update` and `delete`, the example); `kind: fields` adds custom fields to the
// example's description; `defaults` and `id` need a kind; `caller: true` is a source.
b24_client::generate!(
    specs = "emulator_crud",
    relative_to = file
);

fn main() {}
