// Input types are what requests send, output types what results hold: an input type as the
// result and inside an output type, an output type inside an input type, a select naming an
// input type, and the same mixes in a type library.
b24_client::generate!(specs = "input_output_mixups", relative_to = file);

fn main() {}
