// A list method's pages must all be lists: `paged` and `by_param` do not mix.
b24_client::generate!(
    specs = "paged_by_param/im.thing.get.yaml",
    relative_to = file
);

fn main() {}
