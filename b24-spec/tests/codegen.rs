//! Golden snapshot of the code generated for the shipped specs.

use std::path::{Path, PathBuf};

use b24_spec::codegen::{ClientMethods, Options, expand};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

#[test]
fn im_user_get_expansion_is_stable() {
    let mut set = b24_spec::load_path(&workspace(), "specs/im/im.user.get.yaml").unwrap();
    // Absolute paths differ per machine; the snapshot shows them relative.
    set.files = set.relative.iter().map(PathBuf::from).collect();
    let code = expand(
        &set,
        &Options {
            client_methods: ClientMethods::Inherent,
            ..Options::default()
        },
    );
    insta::assert_snapshot!("im_user_get", code);
}

#[test]
fn expansion_is_valid_rust_for_both_client_styles() {
    let set = b24_spec::load_path(&workspace(), "specs").unwrap();
    for methods in [
        ClientMethods::Inherent,
        ClientMethods::Trait("PortalMethods".into()),
    ] {
        let code = expand(
            &set,
            &Options {
                client_methods: methods,
                ..Options::default()
            },
        );
        syn::parse_file(&code).expect("generated code parses");
    }
}
