// A required parameter is an argument of `new()`: leaving it out does not compile.
b24_client::generate!(
    specs = "missing_required_param/im.thing.get.yaml",
    relative_to = file
);

fn main() {
    let _request = im_thing_get::ImThingGetRequest::new().lang("de");
}
