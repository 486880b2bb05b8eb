//! Code in a spec's text never becomes a doctest: indented lines and unlabelled fences are
//! emitted as `text` blocks (the fences themselves are checked in b24-spec's codegen tests);
//! here the spec with such text compiles and works.

b24_client::generate!(specs = "doc_code_blocks", relative_to = file);

fn main() {
    assert_eq!(
        <im_thing_get::ImThingGetRequest as b24_client::Method>::NAME,
        "im.thing.get"
    );
}
