// `AVATAR_HR` and `avatar_hr` both become the setter `avatar_hr`.
b24_client::generate!(
    specs = "param_name_collision/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
