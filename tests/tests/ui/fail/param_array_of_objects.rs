// Params are scalars, arrays of scalars or `json`; an array of objects is refused too.
b24_client::generate!(specs = "param_array_of_objects/im.thing.get.yaml", relative_to = file);

fn main() {}
