// Mistakes in the macro's own arguments, each pointed at in the Rust source.
mod unknown_argument {
    b24_client::generate!(spec = "macro_arguments", relative_to = file);
}
mod missing_specs {
    b24_client::generate!(relative_to = file);
}
mod bad_relative_to {
    b24_client::generate!(specs = "macro_arguments", relative_to = source);
}
mod specs_not_a_string {
    b24_client::generate!(specs = macro_arguments, relative_to = file);
}

fn main() {}
