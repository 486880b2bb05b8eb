// A filter that accepts only some operators offers only those: `<` is not among them.
b24_client::generate!(
    specs = "filter_operator_not_accepted/im.thing.list.yaml",
    relative_to = file
);

use im_thing_list::{ImThingListFilter, ImThingListFilterCmp};

fn main() {
    let _ = ImThingListFilter::new()
        .id(ImThingListFilterCmp::ge(1))
        .id(ImThingListFilterCmp::lt(5));
}
