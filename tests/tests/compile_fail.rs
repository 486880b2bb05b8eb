//! The spec macro refuses broken specs with a located message (`ui/fail`), and the code it
//! generates from valid specs compiles and behaves as documented (`ui/pass`).
//!
//! Regenerate the expected messages with `TRYBUILD=overwrite cargo test -p b24-tests`, then
//! read every changed `.stderr`: each must name the file, line, column and key of the mistake
//! and say how to fix it.

#[test]
fn ui() {
    // The cases' crate (and the rebuild test's, which shares its target directory) builds
    // without debug info: with it, each pass case linked into a binary of 60 to 100 MB, which
    // cost link time and disk on every CI run. Panics still name their file and line.
    // SAFETY: the only test of this binary sets it before anything else runs or reads the
    // environment.
    unsafe { std::env::set_var("CARGO_PROFILE_DEV_DEBUG", "0") };
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
