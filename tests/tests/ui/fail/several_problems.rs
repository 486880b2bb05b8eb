// One spec with several unrelated mistakes: every one is reported in the same build.
b24_client::generate!(
    specs = "several_problems/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
