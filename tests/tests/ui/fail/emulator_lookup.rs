// The emulator's `lookup` names an undeclared parameter, a missing field and an unknown `absent`.
b24_client::generate!(
    specs = "emulator_lookup/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
