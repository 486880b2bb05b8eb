//! Checks a spec directory (or file) without building anything that generates from it:
//! `cargo run -p b24-spec --example check -- specs`. Prints every diagnostic; exits 1 on any.
//! (`b24 spec check` does the same, but the CLI embeds the shipped specs, so it cannot be built
//! while one of them is broken.)

fn main() -> std::process::ExitCode {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let paths = if paths.is_empty() {
        vec!["specs".to_owned()]
    } else {
        paths
    };
    let cwd = std::env::current_dir().expect("a current directory");
    let mut failed = false;
    for path in &paths {
        match b24_spec::load_path(&cwd, path) {
            Ok(set) => println!(
                "{path}: {} specs, {} shared types and {} named enums are valid",
                set.specs.len(),
                set.shared.len(),
                set.shared_enums.len()
            ),
            Err(diagnostics) => {
                failed = true;
                for d in diagnostics {
                    eprintln!("{d}");
                }
            }
        }
    }
    if failed {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}
