//! The spec macro refuses broken specs with a located message (`ui/fail`), and the code it
//! generates from valid specs compiles and behaves as documented (`ui/pass`).
//!
//! Regenerate the expected messages with `TRYBUILD=overwrite cargo test -p b24-tests`, then
//! read every changed `.stderr`: each must name the file, line, column and key of the mistake
//! and say how to fix it.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
