// New or deleted spec files must re-run the `generate!` macro; edits are tracked by the
// `include_str!` the macro emits for each spec.
fn main() {
    println!("cargo:rerun-if-changed=specs");
}
