//! Golden snapshot of the code generated for the shipped specs.

use std::path::{Path, PathBuf};

use b24_spec::TypeKind;
use b24_spec::codegen::{ClientMethods, Options, expand};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

#[test]
fn im_user_get_expansion_is_stable() {
    // The whole set, so type libraries are in view; then only im.user.get and its files.
    let mut set = b24_spec::load_path(&workspace(), "specs").unwrap();
    set.specs.retain(|s| s.method == "im.user.get");
    set.shared.retain(|t| t.file == "specs/types/im.yaml");
    // `User.gender` is the named enum `Gender` of `specs/types/user.yaml`.
    set.shared_enums.retain(|e| e.name == "Gender");
    let code = expand_files(set, &["specs/im/im.user.get.yaml", "specs/types/im.yaml"]);
    insta::assert_snapshot!("im_user_get", code);
}

#[test]
fn user_get_expansion_is_stable() {
    // A typed filter, a select over a library record, and named enums of a type library.
    let mut set = b24_spec::load_path(&workspace(), "specs").unwrap();
    set.specs.retain(|s| s.method == "user.get");
    set.shared.retain(|t| t.file == "specs/types/user.yaml");
    set.shared_enums
        .retain(|e| e.file == "specs/types/user.yaml");
    let code = expand_files(set, &["specs/user/user.get.yaml", "specs/types/user.yaml"]);
    insta::assert_snapshot!("user_get", code);
}

/// Expands `set` (already narrowed to the specs and types of a snapshot) with only `files` as
/// its tracked sources, named by their relative paths: absolute paths differ per machine.
fn expand_files(mut set: b24_spec::SpecSet, files: &[&str]) -> String {
    let keep: Vec<usize> = (0..set.relative.len())
        .filter(|&i| files.contains(&set.relative[i].as_str()))
        .collect();
    assert_eq!(
        keep.len(),
        files.len(),
        "every file is in the set: {files:?}"
    );
    set.relative = keep.iter().map(|&i| set.relative[i].clone()).collect();
    set.sources = keep.iter().map(|&i| set.sources[i].clone()).collect();
    set.files = set.relative.iter().map(PathBuf::from).collect();
    expand(
        &set,
        &Options {
            client_methods: ClientMethods::Inherent,
            ..Options::default()
        },
    )
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

#[test]
fn code_in_spec_text_is_emitted_as_text_blocks_not_doctests() {
    let src = "method: im.thing.get\nscope: im\nsummary: Read\ndescription: |\n  Example:\n\n      {\"ID\": 5}\n\n  ```\n  x = 1\n  ```\ndocs: https://example.com\naccess: any user\nresult: json\n";
    let spec = b24_spec::load_str("specs/im.thing.get.yaml", src).unwrap();
    let set = b24_spec::SpecSet {
        specs: vec![spec],
        shared: Vec::new(),
        shared_enums: Vec::new(),
        sets: Vec::new(),
        files: vec![PathBuf::from("specs/im.thing.get.yaml")],
        relative: vec!["specs/im.thing.get.yaml".into()],
        sources: vec![src.into()],
    };
    let code = expand(&set, &Options::default());
    // Every fence that opens in the docs says `text`, so rustdoc compiles none of them.
    let fences: Vec<&str> = code
        .lines()
        .filter_map(|l| l.trim().strip_prefix("///"))
        .map(str::trim)
        .filter(|l| l.starts_with("```"))
        .collect();
    assert_eq!(fences, ["```text", "```", "```text", "```"], "{code}");
    assert!(code.contains("/// {\"ID\": 5}"), "{code}");
}

#[test]
fn every_shipped_result_shape_gets_a_full_set_of_samples() {
    // The contract tests are only as good as their samples: with the seeds the generator
    // uses, each structured shape of each shipped method must yield the full number it asks
    // for (a scalar such as `true` has fewer spellings than that, but at least two).
    let set = b24_spec::load_path(&workspace(), "specs").unwrap();
    let wanted = b24_spec::codegen::SAMPLES_PER_SHAPE;
    for spec in &set.specs {
        let mut shapes = vec![("", &spec.result.ty)];
        if let Some(choice) = &spec.result.by_param {
            shapes = std::iter::once(&choice.otherwise)
                .chain(&choice.cases)
                .map(|c| (c.variant.as_str(), &c.ty))
                .collect();
        }
        for (variant, ty) in shapes {
            let seed = b24_spec::sample::seed_for(&spec.method, variant);
            let samples = b24_spec::sample::results(spec, ty, wanted, seed);
            // An object of one scalar field (`{"task": true}`) has as few spellings as the scalar.
            let scalar = |t: &b24_spec::TypeRef| {
                !matches!(
                    t.kind,
                    TypeKind::Named(_) | TypeKind::Array(_) | TypeKind::Map { .. }
                )
            };
            let structured = match &ty.kind {
                TypeKind::Named(name) => spec
                    .find_type(name)
                    .is_none_or(|t| !matches!(&t.fields[..], [only] if scalar(&only.ty))),
                _ => !scalar(ty),
            };
            let least = if structured { wanted } else { 2 };
            assert!(
                samples.len() >= least,
                "{} {variant}: {samples:?}",
                spec.method
            );
        }
    }
}

#[test]
fn custom_field_set_expansion_is_stable() {
    // A user's set: one value of each kind of field, a list, an inline enum of item ids.
    let src = "custom_fields: MyDealFields
doc: Our portal's deal fields
fields:
  UF_CRM_1721244482250: { type: string, rust_name: greeting, doc: The greeting }
  UF_CRM_17: { type: number, rust_name: budget }
  UF_CRM_21: { type: enum, values: { \"45\": red, \"46\": green }, rust_name: colour }
  UF_CRM_22: { type: money, rust_name: price }
  UF_CRM_23: { type: crm_link, multiple: true, rust_name: links }
  ufCrm5_24: { type: file, rust_name: contract }
";
    let set = b24_spec::load_sources(&[("specs/my-portal/deal.yaml", src)]).unwrap();
    let code = expand(
        &set,
        &Options {
            embed_sources: false,
            ..Options::default()
        },
    );
    syn::parse_file(&code).expect("generated code parses");
    insta::assert_snapshot!("custom_field_set", code);
}
