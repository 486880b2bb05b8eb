//! Loader, checks and codegen on hostile input: always `Ok` or `Err`, never a panic or a hang.
//!
//! Inputs are mutations of the shipped specs (lines deleted, duplicated and swapped, scalars
//! replaced, types swapped, deep nesting, huge numbers, anchors and aliases, alias bombs) and
//! arbitrary text. Every spec that loads must also generate code that parses as Rust.
//!
//! The case count is modest so the normal test run stays quick. For a long campaign:
//! `PROPTEST_CASES=200000 cargo test -p b24-spec --release --test never_panics`.

use std::path::PathBuf;

use b24_spec::codegen::{Options, generate};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

fn shipped_specs() -> Vec<(String, String)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned();
    let set = b24_spec::load_path(&root, "specs").expect("shipped specs load");
    set.relative.into_iter().zip(set.sources).collect()
}

/// Loads `src` as if it were `file`, and when it loads, generates and parses the code.
fn exercise(file: &str, src: &str) {
    match b24_spec::load_str(file, src) {
        Ok(spec) => {
            let set = b24_spec::SpecSet {
                specs: vec![spec],
                shared: Vec::new(),
                shared_enums: Vec::new(),
                sets: Vec::new(),
                files: vec![PathBuf::from(file)],
                relative: vec![file.to_owned()],
                sources: vec![src.to_owned()],
            };
            let code = generate(&set, &Options::default());
            if let Err(e) = syn::parse2::<syn::File>(code) {
                panic!("a spec that loads generated code that does not parse: {e}\n{src}");
            }
        }
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty(), "an error must say what is wrong");
            for d in diagnostics {
                assert!(!d.message.is_empty());
                assert_eq!(d.file, file);
            }
        }
    }
}

const SCALARS: &[&str] = &[
    "",
    "0",
    "-1",
    "1.5e308",
    "99999999999999999999999999",
    "~",
    "null",
    "true",
    "false",
    "[]",
    "{}",
    "'",
    "\"",
    ":",
    "- x",
    "&a x",
    "*a",
    "*nope",
    "!tag x",
    "type",
    "User",
    "Phones",
    "integer",
    "array",
    "enum",
    "json",
    "\"\"",
    "ü",
    "\t",
    "{ type: User }",
    "[[[[[[]]]]]]",
    "{ type: array, items: User }",
    "{ type: enum, values: {} }",
    "self",
    "Self",
    "_",
    "r#type",
];

/// Every type name a spec may use, plus names of the shipped types and near misses.
fn type_names() -> Vec<&'static str> {
    let mut names = b24_spec::PRIMITIVES.to_vec();
    names.extend(["User", "Phones", "Nope", "user", ""]);
    names
}

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    ReplaceValue(usize, usize),
    SwapType(usize, usize),
    Truncate(usize),
    InsertText(usize, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (any::<usize>(), 0..SCALARS.len()).prop_map(|(l, v)| Mutation::ReplaceValue(l, v)),
        (any::<usize>(), any::<usize>()).prop_map(|(l, t)| Mutation::SwapType(l, t)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), "\\PC{0,40}").prop_map(|(at, s)| Mutation::InsertText(at, s)),
    ]
}

fn apply(src: &str, m: &Mutation) -> String {
    let mut lines: Vec<String> = src.lines().map(str::to_owned).collect();
    let n = lines.len().max(1);
    match m {
        Mutation::DeleteLine(i) => {
            if !lines.is_empty() {
                lines.remove(i % n);
            }
        }
        Mutation::DuplicateLine(i) => {
            if let Some(line) = lines.get(i % n).cloned() {
                lines.insert(i % n, line);
            }
        }
        Mutation::SwapLines(a, b) => {
            if !lines.is_empty() {
                lines.swap(a % n, b % n);
            }
        }
        Mutation::ReplaceValue(i, v) => {
            if let Some(line) = lines.get_mut(i % n)
                && let Some(colon) = line.find(": ")
            {
                line.truncate(colon + 2);
                line.push_str(SCALARS[*v]);
            }
        }
        Mutation::SwapType(i, t) => {
            // Retarget the i-th `type:` in the file.
            let positions: Vec<usize> = lines
                .iter()
                .enumerate()
                .filter(|(_, l)| l.contains("type: "))
                .map(|(k, _)| k)
                .collect();
            if !positions.is_empty() {
                let line = &mut lines[positions[i % positions.len()]];
                let at = line.find("type: ").unwrap() + 6;
                let end = line[at..]
                    .find([',', ' ', '}'])
                    .map_or(line.len(), |e| at + e);
                let names = type_names();
                line.replace_range(at..end, names[*t % names.len()]);
            }
        }
        Mutation::Truncate(at) => {
            let text = lines.join("\n");
            let mut cut = at % (text.len() + 1);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            return text[..cut].to_owned();
        }
        Mutation::InsertText(at, s) => {
            let text = lines.join("\n");
            let mut cut = at % (text.len() + 1);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            return format!("{}{s}{}", &text[..cut], &text[cut..]);
        }
    }
    lines.join("\n")
}

proptest! {
    // The same cases on every run unless PROPTEST_RNG_SEED says otherwise (README: longer
    // campaigns with PROPTEST_CASES).
    #![proptest_config(ProptestConfig {
        cases: 512,
        rng_seed: RngSeed::Fixed(0xb24),
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_specs_never_panic(mutations in prop::collection::vec(mutation(), 1..6), pick in any::<usize>()) {
        let specs = shipped_specs();
        let (file, src) = &specs[pick % specs.len()];
        let mut text = src.clone();
        for m in &mutations {
            text = apply(&text, m);
        }
        exercise(file, &text);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        exercise("specs/x.yaml", &text);
    }

    #[test]
    fn huge_and_odd_numbers_never_panic(n in any::<i128>(), f in any::<f64>()) {
        let src = format!(
            "method: x\nscope: s\nsummary: s\ndocs: d\naccess: a\nresult: {{ type: integer }}\nerrors:\n  E: {{ status: {n}, doc: d }}\nexample:\n  response: {{ result: {f} }}\n"
        );
        exercise("specs/x.yaml", &src);
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for depth in [200, 5_000, 100_000] {
        let flow = format!(
            "method: x\nresult: {}{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        exercise("specs/x.yaml", &flow);
        let mut block = String::from("method: x\nresult:\n");
        for level in 0..depth.min(2_000) {
            block.push_str(&" ".repeat(level + 1));
            block.push_str("a:\n");
        }
        exercise("specs/x.yaml", &block);
    }
}

#[test]
fn alias_bombs_finish_and_fail() {
    // 10 levels of 10 aliases each would expand to 10^10 nodes.
    let mut src = String::from(
        "method: x\nscope: s\nsummary: s\ndocs: d\naccess: a\nl0: &l0 [a, a, a, a, a, a, a, a, a, a]\n",
    );
    for i in 1..10 {
        let prev = format!("*l{}", i - 1);
        src.push_str(&format!(
            "l{i}: &l{i} [{}]\n",
            [prev.as_str(); 10].join(", ")
        ));
    }
    src.push_str("result: { type: json }\n");
    let e = b24_spec::load_str("specs/x.yaml", &src).unwrap_err();
    assert!(!e.is_empty());
}

#[test]
fn aliases_inside_specs_still_work_when_small() {
    let src = "method: x\nscope: s\nsummary: s\ndocs: d\naccess: a\nresult: &r { type: integer }\nexample:\n  response: { result: 1 }\n";
    exercise("specs/x.yaml", src);
    assert!(b24_spec::load_str("specs/x.yaml", src).is_ok());
}
