//! Cross-crate tests of b24; the crate has no API.
//!
//! - `tests/compile_fail.rs` runs the trybuild cases in `tests/ui/`: specs the macro must
//!   refuse with a located diagnostic (`fail/`), and specs whose generated API is exercised
//!   at run time (`pass/`).
//! - `tests/generated_types.rs` uses the `im.user.get` types that `b24-client` ships.
//! - `tests/end_to_end.rs` calls the emulator over loopback HTTP with the generated client.
//! - `tests/rebuild.rs` builds a scratch crate with real `cargo` to show that editing, adding
//!   and deleting a spec each regenerate.
//! - The README's Rust examples are compiled as doctests of this crate (below), so they stay
//!   true.

#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
