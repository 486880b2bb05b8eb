// Parameters named in `emulator:` must be declared: in `match`, `group` and `when`; a `when`
// case of an enum parameter must be one of its values; `group` needs a list parameter and
// cannot be combined with `shape`; `refuse` needs callers and a declared error code.
b24_client::generate!(
    specs = "emulator_params/im.thing.list.yaml",
    relative_to = file
);

fn main() {}
