//! Tests of the b24 spec language and of the code it generates; the crate has no API.
//!
//! - `tests/compile_fail.rs` runs the trybuild cases in `tests/ui/`: specs the macro must
//!   refuse with a located diagnostic (`fail/`), and specs whose generated API is exercised
//!   at run time (`pass/`).
//! - `tests/generated_types.rs` uses the `im.user.get` types that `b24-client` ships.
