// Two cases for one value of the parameter: the second could never be chosen.
b24_client::generate!(
    specs = "result_case_duplicate/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
