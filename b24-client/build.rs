// Re-run the build (and so the spec macro) when any file under `specs/` is added, removed or
// edited. Stable proc macros cannot watch a directory themselves; `include_str!` in the
// generated code covers edits, this covers new and deleted files.
fn main() {
    println!("cargo:rerun-if-changed=specs");
    println!("cargo:rerun-if-changed=build.rs");
}
