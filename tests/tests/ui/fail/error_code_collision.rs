// `ID_EMPTY` and `id_empty` are different codes but the same variant `IdEmpty`.
b24_client::generate!(
    specs = "error_code_collision/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
