//! Spec model, loader, validation and code generation for the b24 Bitrix24 SDK.
//!
//! A spec is one YAML file per REST method (see `docs/spec-format.md`). This crate turns spec
//! files into a checked [`Spec`] model and the model into Rust code. It is a plain library, so
//! the proc-macro (`b24-macros`), the CLI (`b24 spec check`, `b24 spec expand`) and the emulator
//! all share one implementation.
//!
//! Pipeline: `yaml` (text → YAML value + positions) → `parse` (value → model, shape errors)
//! → `resolve` (library enums and selects filled in) → `check` (semantic passes) →
//! [`codegen`] (model → tokens). Every stage records problems in an accumulating context, so a
//! build reports all mistakes of all specs at once. Two modules serve all stages: `walk`, the
//! one traversal of the type model, and `items`, the one list of the Rust items generated
//! from a spec (and from the type libraries), which the name checks and codegen both read.

mod check;
pub mod codegen;
pub mod conform;
mod diag;
mod emulation;
mod items;
mod model;
pub mod names;
mod parse;
mod path;
mod resolve;
pub mod sample;
mod set;
mod syntax;
mod walk;
mod yaml;

use std::path::{Path, PathBuf};

pub use check::is_custom_field_name;
pub use diag::{Diagnostic, Position};
pub use model::*;
pub use path::{KeyPath, Segment};
pub use set::custom_field_type;
pub use walk::Place;

use diag::{Ctxt, Problem};

/// Loads and checks one spec from its text. `file` is the path shown in diagnostics.
pub fn load_str(file: &str, src: &str) -> Result<Spec, Vec<Diagnostic>> {
    let doc = yaml::parse(src).map_err(|problems| locate(file, None, problems))?;
    if set::is_set(&doc.value) {
        return Err(vec![Diagnostic {
            file: file.to_owned(),
            position: Some(Position { line: 1, column: 1 }),
            key_path: KeyPath::root(),
            message:
                "this file is a custom field set (`custom_fields:` without `method:`), not a method spec"
                    .into(),
            help: Some("load it with the other specs of its crate (`load_path`, `load_sources`)".into()),
        }]);
    }
    if parse::is_library(&doc.value) {
        return Err(vec![Diagnostic {
            file: file.to_owned(),
            position: Some(Position { line: 1, column: 1 }),
            key_path: KeyPath::root(),
            message: "this file is a type library (`types:` without `method:`), not a method spec"
                .into(),
            help: Some(
                "load it together with the specs that use it (`load_path`, `load_sources`)".into(),
            ),
        }]);
    }
    let mut cx = Ctxt::new();
    let mut spec = parse::spec(&mut cx, file, &doc.value);
    if let Some(spec) = &mut spec {
        resolve::spec(spec);
        check::spec(&mut cx, spec);
    }
    match spec {
        Some(spec) if !cx.has_errors() => Ok(spec),
        _ => Err(locate(file, Some(&doc.spans), cx.into_problems())),
    }
}

/// Loads and checks the spec at `root/rel`; diagnostics name it as `rel`.
pub fn load_file(root: &Path, rel: &str) -> Result<Spec, Vec<Diagnostic>> {
    load_str(rel, &read_text(root, rel)?)
}

/// The spec file's text, or a located diagnostic when it is unreadable or not UTF-8.
fn read_text(root: &Path, rel: &str) -> Result<String, Vec<Diagnostic>> {
    let bytes = std::fs::read(root.join(rel)).map_err(|e| {
        vec![file_error(
            rel,
            format!("cannot read spec file: {}", io_reason(&e)),
            "check that the file exists and is readable",
        )]
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let text = String::from_utf8_lossy(valid);
        let line = text.matches('\n').count() + 1;
        let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        vec![Diagnostic {
            file: rel.to_owned(),
            position: Some(Position { line, column }),
            key_path: KeyPath::root(),
            message: "spec file is not valid UTF-8".into(),
            help: Some("save the file as UTF-8".into()),
        }]
    })
}

/// Reads a YAML data file (an emulator fixture, say) as JSON, with the same duplicate-key and
/// syntax diagnostics as specs.
pub fn load_yaml_value(file: &str, src: &str) -> Result<serde_json::Value, Vec<Diagnostic>> {
    let doc = yaml::parse(src).map_err(|problems| locate(file, None, problems))?;
    parse::yaml_to_json(&doc.value).ok_or_else(|| {
        vec![Diagnostic {
            file: file.to_owned(),
            position: Some(Position { line: 1, column: 1 }),
            key_path: KeyPath::root(),
            message: "the document cannot be represented as JSON".into(),
            help: Some(
                "use only strings, numbers, booleans, null, lists and mappings with string keys"
                    .into(),
            ),
        }]
    })
}

/// A set of specs loaded together, with the files they came from.
#[derive(Debug, Clone)]
pub struct SpecSet {
    /// Method specs.
    pub specs: Vec<Spec>,
    /// Types of the type libraries, generated once for all specs.
    pub shared: Vec<TypeDef>,
    /// Named enums of the type libraries, generated once next to `shared`.
    pub shared_enums: Vec<EnumDef>,
    /// Custom field sets, generated next to `shared`.
    pub sets: Vec<CustomFieldSet>,
    /// Paths of every file (specs and type libraries), for rebuild tracking: absolute when
    /// loaded from disk.
    pub files: Vec<PathBuf>,
    /// Paths relative to the root, in the same order as `files`.
    pub relative: Vec<String>,
    /// File texts, in the same order as `files`.
    pub sources: Vec<String>,
}

/// Loads every `*.yaml` spec under `root/rel` (a directory, searched recursively, or one file).
///
/// All problems of all files are returned together. Two specs of the same method are an error.
pub fn load_path(root: &Path, rel: &str) -> Result<SpecSet, Vec<Diagnostic>> {
    let start = root.join(rel);
    let mut files = Vec::new();
    if start.is_dir() {
        collect_yaml(&start, &mut files).map_err(|e| {
            vec![file_error(
                rel,
                format!("cannot list spec directory: {}", io_reason(&e)),
                "check that the directory is readable",
            )]
        })?;
        files.sort();
        if files.is_empty() {
            return Err(vec![file_error(
                rel,
                "spec directory contains no `.yaml` or `.yml` files".into(),
                "add a spec, one file per method, named after the method (`im.user.get.yaml`)",
            )]);
        }
    } else if start.exists() {
        files.push(start.clone());
    } else {
        return Err(vec![file_error(
            rel,
            "spec path does not exist".into(),
            PATH_HELP,
        )]);
    }

    let mut texts = Vec::new();
    let mut diagnostics = Vec::new();
    for file in &files {
        let relative = relative_display(root, file);
        match read_text(root, &relative) {
            Ok(text) => texts.push((relative, text)),
            Err(d) => diagnostics.extend(d),
        }
    }
    let not_loaded = libraries_not_loaded(root, &start, &files);
    let mut set = load_texts(texts, &mut diagnostics, &not_loaded);
    // Unreadable files are still tracked, so fixing one triggers a rebuild.
    set.files = files;
    if diagnostics.is_empty() {
        Ok(set)
    } else {
        Err(diagnostics)
    }
}

/// Loads a set of files given as `(path, text)`: method specs and type libraries, as the
/// emulator does with a crate's embedded `SPECS`.
pub fn load_sources<P: AsRef<str>, T: AsRef<str>>(
    sources: &[(P, T)],
) -> Result<SpecSet, Vec<Diagnostic>> {
    let texts = sources
        .iter()
        .map(|(p, t)| (p.as_ref().to_owned(), t.as_ref().to_owned()))
        .collect();
    let mut diagnostics = Vec::new();
    let set = load_texts(texts, &mut diagnostics, &[]);
    if diagnostics.is_empty() {
        Ok(set)
    } else {
        Err(diagnostics)
    }
}

/// One parsed file, waiting for the set-wide checks.
struct Parsed {
    file: String,
    spans: yaml::SpanIndex,
    cx: Ctxt,
    kind: Kind,
}

enum Kind {
    Spec(Option<Box<Spec>>),
    Library(Vec<TypeDef>, Vec<EnumDef>),
    Set(Option<CustomFieldSet>),
}

/// The names defined by type libraries near `start` (in a `types/` directory beside it or
/// beside one of its parent directories, up to `root`) that are not among `loaded`, each with
/// its file: when a spec is loaded without its libraries, an unknown name is explained.
fn libraries_not_loaded(root: &Path, start: &Path, loaded: &[PathBuf]) -> Vec<(String, String)> {
    let mut names = Vec::new();
    let first = if start.is_dir() {
        start
    } else {
        start.parent().unwrap_or(root)
    };
    for dir in first.ancestors().take_while(|d| d.starts_with(root)) {
        let mut files = Vec::new();
        if collect_yaml(&dir.join("types"), &mut files).is_err() {
            continue;
        }
        files.sort();
        for file in files.iter().filter(|f| !loaded.contains(f)) {
            let relative = relative_display(root, file);
            let Ok(doc) = read_text(root, &relative)
                .map_err(drop)
                .and_then(|text| yaml::parse(&text).map_err(drop))
            else {
                continue;
            };
            if parse::is_library(&doc.value) {
                names.extend(
                    parse::library_names(&doc.value)
                        .into_iter()
                        .map(|n| (n, relative.clone())),
                );
            }
        }
    }
    names
}

/// Parses every file, then checks each with the type libraries' types visible, and reports
/// every problem of every file. `not_loaded` are the names of libraries left out, by file.
fn load_texts(
    texts: Vec<(String, String)>,
    diagnostics: &mut Vec<Diagnostic>,
    not_loaded: &[(String, String)],
) -> SpecSet {
    let mut parsed = Vec::new();
    for (file, text) in &texts {
        let doc = match yaml::parse(text) {
            Ok(doc) => doc,
            Err(problems) => {
                diagnostics.extend(locate(file, None, problems));
                continue;
            }
        };
        let mut cx = Ctxt::new();
        cx.libraries_not_loaded(not_loaded);
        let kind = if set::is_set(&doc.value) {
            Kind::Set(set::set(&mut cx, file, &doc.value))
        } else if parse::is_library(&doc.value) {
            let (types, enums) = parse::library(&mut cx, file, &doc.value);
            Kind::Library(types, enums)
        } else {
            Kind::Spec(parse::spec(&mut cx, file, &doc.value).map(Box::new))
        };
        parsed.push(Parsed {
            file: file.clone(),
            spans: doc.spans,
            cx,
            kind,
        });
    }

    let shared_enums: Vec<EnumDef> = parsed
        .iter()
        .filter_map(|p| match &p.kind {
            Kind::Library(_, enums) => Some(enums.iter().cloned()),
            Kind::Spec(_) | Kind::Set(_) => None,
        })
        .flatten()
        .collect();
    // References to named enums become the enums themselves, in libraries and specs alike.
    for p in &mut parsed {
        match &mut p.kind {
            Kind::Library(types, _) => resolve::library(types, &shared_enums),
            Kind::Set(Some(set)) => resolve::set(set, &shared_enums),
            Kind::Spec(_) | Kind::Set(None) => {}
        }
    }
    let shared: Vec<TypeDef> = parsed
        .iter()
        .filter_map(|p| match &p.kind {
            Kind::Library(types, _) => Some(types.iter().cloned()),
            Kind::Spec(_) | Kind::Set(_) => None,
        })
        .flatten()
        .collect();
    let sets: Vec<CustomFieldSet> = parsed
        .iter()
        .filter_map(|p| match &p.kind {
            Kind::Set(set) => set.clone(),
            Kind::Spec(_) | Kind::Library(..) => None,
        })
        .collect();
    let mut specs: Vec<Spec> = Vec::new();
    // Sets are checked last: their names share the shared module with the selects of specs.
    let mut set_files: Vec<Parsed> = Vec::new();
    for mut p in parsed {
        match p.kind {
            Kind::Set(_) => {
                set_files.push(p);
                continue;
            }
            Kind::Library(..) => check::library(&mut p.cx, &p.file, &shared, &shared_enums),
            Kind::Spec(Some(mut spec)) => {
                spec.shared_types = shared.clone();
                spec.shared_enums = shared_enums.clone();
                resolve::spec(&mut spec);
                check::spec(&mut p.cx, &spec);
                if !p.cx.has_errors() {
                    if let Some(d) = module_clash(&specs, &spec, &p.spans) {
                        diagnostics.push(d);
                    }
                    specs.push(*spec);
                }
            }
            Kind::Spec(None) => {}
        }
        diagnostics.extend(locate(&p.file, Some(&p.spans), p.cx.into_problems()));
    }
    for mut p in set_files {
        check::set(&mut p.cx, &p.file, &shared, &shared_enums, &sets, &specs);
        diagnostics.extend(locate(&p.file, Some(&p.spans), p.cx.into_problems()));
    }
    let (relative, sources): (Vec<String>, Vec<String>) = texts.into_iter().unzip();
    SpecSet {
        specs,
        shared,
        shared_enums,
        sets,
        files: relative.iter().map(PathBuf::from).collect(),
        relative,
        sources,
    }
}

/// Two methods cannot become the same Rust module, nor the module of the shared types.
fn module_clash(earlier: &[Spec], spec: &Spec, spans: &yaml::SpanIndex) -> Option<Diagnostic> {
    let module = items::module_name(&spec.method);
    let (message, help) = if module == SHARED_MODULE {
        (
            format!(
                "method `{}` would become the module `{module}`, which holds the shared types",
                spec.method
            ),
            "this name is reserved for the generated module of type libraries".to_owned(),
        )
    } else {
        let first = earlier
            .iter()
            .find(|s| items::module_name(&s.method) == module)?;
        if first.method == spec.method {
            (
                format!(
                    "method `{}` is already defined in `{}`",
                    spec.method, first.file
                ),
                "keep one spec per method".to_owned(),
            )
        } else {
            (
                format!(
                    "methods `{}` (in `{}`) and `{}` both become the Rust module `{module}`",
                    first.method, first.file, spec.method
                ),
                "methods whose names differ only in case or punctuation cannot both be generated; keep one".to_owned(),
            )
        }
    };
    let path = KeyPath::root().key("method");
    Some(Diagnostic {
        file: spec.file.clone(),
        position: Some(spans.locate(&path, false)),
        key_path: path,
        message,
        help: Some(help),
    })
}

/// Name of the generated module that holds the types of type libraries.
pub const SHARED_MODULE: &str = "types";

/// The files a spec path stands for: the path itself when it is a file, else every `*.yaml` and
/// `*.yml` below it, sorted. Unreadable directories are skipped here; `load_path` reports them.
/// The macro tracks these for rebuilds even when the specs do not load.
pub fn spec_files(root: &Path, rel: &str) -> Vec<PathBuf> {
    let start = root.join(rel);
    if start.is_file() {
        return vec![start];
    }
    let mut files = Vec::new();
    let _ = collect_yaml(&start, &mut files);
    files.sort();
    files
}

fn collect_yaml(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_yaml(&path, out)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            out.push(path);
        }
    }
    Ok(())
}

/// `root/specs/im/x.yaml` → `specs/im/x.yaml`, with `/` on every platform.
fn relative_display(root: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(root).unwrap_or(file);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn file_error(rel: &str, message: String, help: &str) -> Diagnostic {
    Diagnostic {
        file: rel.to_owned(),
        position: None,
        key_path: KeyPath::root(),
        message,
        help: Some(help.to_owned()),
    }
}

/// Where the macro looks, for help texts about paths.
const PATH_HELP: &str = "the path is relative to the crate's Cargo.toml (or to the source file with `relative_to = file`)";

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "file not found".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

fn locate(file: &str, spans: Option<&yaml::SpanIndex>, problems: Vec<Problem>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = problems
        .into_iter()
        .map(|p| Diagnostic {
            file: file.to_owned(),
            position: p
                .position
                .or_else(|| spans.map(|s| s.locate(&p.key_path, p.at_key))),
            key_path: p.key_path,
            message: p.message,
            help: p.help,
        })
        .collect();
    out.sort_by_key(|d| d.position);
    out
}
