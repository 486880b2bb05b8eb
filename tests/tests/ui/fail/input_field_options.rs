// Field options that belong to the other kind of type: `optional` in an input type (whose
// fields are optional already), `required` in an output type, a "no value" marker in an input
// type, and a field of an input type that would be the builder's `new`.
b24_client::generate!(specs = "input_field_options", relative_to = file);

fn main() {}
