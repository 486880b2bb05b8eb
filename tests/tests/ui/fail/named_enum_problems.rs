// Named enums of type libraries: only `type: enum`, one definition per name, values distinct
// when `case_insensitive`.
b24_client::generate!(specs = "named_enum_problems", relative_to = file);

fn main() {}
