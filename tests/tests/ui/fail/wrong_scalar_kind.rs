// `read_only: yes` is a string in YAML 1.2, not a boolean; `status` must be a number.
b24_client::generate!(
    specs = "wrong_scalar_kind/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
