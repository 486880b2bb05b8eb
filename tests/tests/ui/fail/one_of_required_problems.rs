// `one_of_required` groups: a name that is not a parameter, a name twice in a group, a
// parameter in two groups, a group of one and an empty one, a required parameter in a group,
// an undeclared `invalid` code, and a group written as a single name.
b24_client::generate!(specs = "one_of_required_problems", relative_to = file);

fn main() {}
