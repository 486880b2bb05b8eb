// Case values must suit the parameter; variants need usable, distinct names.
b24_client::generate!(
    specs = "result_case_problems/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
