// A select over a library record names its enum `<Record>Field`, in the shared module.
b24_client::generate!(specs = "select_enum_clash", relative_to = file);

fn main() {}
