// Library enums share one module; a spec's enum may not repeat a library name either.
b24_client::generate!(specs = "library_enum_clash", relative_to = file);

fn main() {}
