// A list of an output type as a parameter is refused too; the type is also the result, so the
// help says to define a second type for the request.
b24_client::generate!(specs = "param_array_of_objects/im.thing.get.yaml", relative_to = file);

fn main() {}
