// `kind: get` finds the record by `id`: here a parameter that is not declared, a field the
// record lacks and an unknown `absent`.
b24_client::generate!(
    specs = "emulator_get/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
