// `sort` names parameters: an order object (`order:` alone), or the field (`by:`) and its
// direction (`order:`), where the order parameter takes a bare direction.
b24_client::generate!(
    specs = "emulator_sort",
    relative_to = file
);

fn main() {}
