//! Semantic passes over a parsed [`Spec`]: names, references, cycles, params and the example.
//!
//! Each pass only reads the model and records problems in the context, so all of them run on
//! every spec and the user sees every mistake in one build.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

use crate::conform::{self, Mode};
use crate::diag::{Ctxt, did_you_mean};
use crate::model::{EnumDef, FilterDef, Spec, TypeDef, TypeKind, TypeRef};
use crate::names::{invalid_ident_reason, pascal_case};
use crate::path::KeyPath;

/// Checks of a type library's own types and named enums, with every library's types and
/// enums visible by name.
pub(crate) fn library(
    cx: &mut Ctxt,
    own: &[TypeDef],
    own_enums: &[EnumDef],
    all: &[TypeDef],
    all_enums: &[EnumDef],
) {
    let mut names: HashMap<&str, &KeyPath> = HashMap::new();
    let mut enums = Vec::new();
    for e in own_enums {
        if !e.name.starts_with(|c: char| c.is_ascii_uppercase())
            || !e.name.chars().all(|c| c.is_ascii_alphanumeric())
        {
            cx.key_error(
                &e.path,
                format!("type name `{}` is not a Rust type name", e.name),
            )
            .help("type names are PascalCase letters and digits, e.g. `Gender` or `UserStatus`");
        } else if let Some(other) = all_enums
            .iter()
            .find(|o| o.name == e.name && o.file != e.file)
            .map(|o| o.file.as_str())
            .or_else(|| {
                all.iter()
                    .find(|t| t.name == e.name)
                    .map(|t| t.file.as_str())
            })
        {
            cx.key_error(
                &e.path,
                format!("type `{}` is also defined in `{other}`", e.name),
            )
            .help("define each shared type in one type library");
        }
        names.insert(&e.name, &e.path);
        nested_enums(
            cx,
            &TypeRef::plain(TypeKind::Enum(e.clone()), e.path.clone()),
        );
    }
    for t in own {
        if !t.name.starts_with(|c: char| c.is_ascii_uppercase())
            || !t.name.chars().all(|c| c.is_ascii_alphanumeric())
        {
            cx.key_error(
                &t.path,
                format!("type name `{}` is not a Rust type name", t.name),
            )
            .help("type names are PascalCase letters and digits, e.g. `User` or `UserPhones`");
        } else if let Some(other) = all
            .iter()
            .find(|o| o.name == t.name && o.file != t.file)
            .map(|o| o.file.as_str())
            .or_else(|| {
                all_enums
                    .iter()
                    .find(|e| e.name == t.name && e.file != t.file)
                    .map(|e| e.file.as_str())
            })
        {
            cx.key_error(
                &t.path,
                format!("type `{}` is also defined in `{other}`", t.name),
            )
            .help("define each shared type in one type library");
        }
        names.insert(&t.name, &t.path);
        for f in &t.fields {
            collect_enums(&f.ty, &mut enums);
        }
    }
    // Every library's names land in one module: an enum may not repeat any of them.
    let mut everywhere: Vec<(String, &str, KeyPath)> = all_enums
        .iter()
        .map(|e| (e.name.clone(), e.file.as_str(), e.path.clone()))
        .collect();
    for t in all {
        everywhere.push((t.name.clone(), &t.file, t.path.clone()));
        let mut found = Vec::new();
        for f in &t.fields {
            collect_enums(&f.ty, &mut found);
        }
        everywhere.extend(found.into_iter().map(|(n, p)| (n, t.file.as_str(), p)));
    }
    let file = own.first().map_or("", |t| t.file.as_str());
    for (name, path) in &enums {
        if let Some(first) = names.get(name.as_str()) {
            cx.key_error(
                path,
                format!("type name `{name}` is already used at `{first}`"),
            )
            .help("give the enum another name with `name:`");
        } else if let Some((_, other_file, other)) = everywhere
            .iter()
            .find(|(n, f, p)| n == name && (p != path || *f != file))
        {
            cx.key_error(
                path,
                format!("enum name `{name}` is also used at `{other}` in `{other_file}`"),
            )
            .help("type library names share one module: give the enum another name with `name:`");
        }
    }
    fields_of(cx, own);
    let defined: HashSet<&str> = all.iter().map(|t| t.name.as_str()).collect();
    let enum_names: Vec<&str> = all_enums.iter().map(|e| e.name.as_str()).collect();
    for t in own {
        for f in &t.fields {
            named_type_exists(cx, &defined, &enum_names, &f.ty);
            parameter_only_types(cx, &f.ty, "a field");
        }
    }
    let all: Vec<&TypeDef> = all.iter().collect();
    cycles_in(cx, own, &all);
}

pub(crate) fn spec(cx: &mut Ctxt, spec: &Spec) {
    method_name(cx, spec);
    param_names(cx, spec);
    type_names(cx, spec);
    references(cx, spec);
    cycles(cx, spec);
    error_codes(cx, spec);
    emulation(cx, spec);
    filters_and_selects(cx, spec);
    result_choice(cx, spec);
    if spec.paged && spec.result.by_param.is_some() {
        cx.error(
            &KeyPath::root().key("paged"),
            "`paged: true` needs one list result, but `result` has shapes chosen by a parameter",
        )
        .help("remove `paged`, or `by_param` (a list method's pages must all be lists)");
    } else if spec.paged && !matches!(spec.result.ty.kind, TypeKind::Array(_)) {
        cx.error(
            &KeyPath::root().key("paged"),
            "`paged: true` needs a list result, but `result` is not an `array`",
        )
        .help("set `result: { type: array, items: … }`, or remove `paged`");
    }
    if spec.paged
        && let Some(start) = spec
            .params
            .iter()
            .find(|p| p.wire.eq_ignore_ascii_case("start"))
        && start.ty.kind != TypeKind::Integer
    {
        cx.error(
            &start.ty.path,
            "the `start` parameter of a paged method must be an `integer`",
        )
        .help("declare `start: { type: integer, … }`, or leave it out and `paged: true` adds it");
    }
    if let Some(example) = &spec.example {
        example_params(cx, spec, &example.params);
        example_response(cx, spec, &example.response);
    }
}

/// `method:` must match the file name, so a spec can be found from its method and back.
fn method_name(cx: &mut Ctxt, spec: &Spec) {
    let path = KeyPath::root().key("method");
    let valid = !spec.method.is_empty()
        && spec.method.split('.').all(|part| {
            !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
    let valid = valid && spec.method.starts_with(|c: char| c.is_ascii_alphabetic());
    if !valid {
        cx.error(
            &path,
            format!("`{}` is not a REST method name", spec.method),
        )
        .help("method names are dot-separated words, e.g. `im.user.get`");
        return;
    }
    let file_name = std::path::Path::new(&spec.file)
        .file_name()
        .and_then(|f| f.to_str())
        .unwrap_or_default();
    let split = [".yaml", ".yml"]
        .iter()
        .find_map(|ext| file_name.strip_suffix(ext).map(|stem| (stem, ext)));
    if let Some((stem, ext)) = split
        && stem != spec.method
    {
        cx.error(
            &path,
            format!(
                "method `{}` does not match the file name `{file_name}`",
                spec.method
            ),
        )
        .help(format!(
            "rename the file to `{}{ext}` or fix `method:`",
            spec.method
        ));
    }
}

/// Methods of the generated request and call types; a setter cannot have their names.
const BUILDER_METHODS: &[&str] = &[
    "send_all",
    "set_start",
    "new",
    "send",
    "send_full",
    "into_request",
    "params",
    "decode_output",
];

/// ` `name`` for a candidate name worth showing, nothing for an empty one.
fn shown(name: &str) -> String {
    if name.is_empty() {
        String::new()
    } else {
        format!(" `{name}`")
    }
}

/// Why `name` cannot be a snake_case Rust identifier, if it cannot.
fn snake_name_problem(name: &str) -> Option<&'static str> {
    invalid_ident_reason(name).or_else(|| {
        (!name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
        .then_some("use lower-case letters, digits and `_`")
    })
}

/// Param names must be valid, distinct Rust identifiers after case conversion.
fn param_names(cx: &mut Ctxt, spec: &Spec) {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for p in &spec.params {
        if let Some(reason) = snake_name_problem(&p.rust) {
            cx.key_error(
                &p.path,
                format!(
                    "parameter `{}` has no usable Rust name{}: {reason}",
                    p.wire,
                    shown(&p.rust)
                ),
            )
            .help("set `rust_name:` to a snake_case name for it, e.g. `rust_name: first_name`");
        } else if BUILDER_METHODS.contains(&p.rust.as_str()) {
            cx.key_error(
                &p.path,
                format!(
                    "parameter `{}` would be the setter `{}`, which the request builder already has",
                    p.wire, p.rust
                ),
            )
            .help(format!("set `rust_name:` to another name, e.g. `rust_name: {}_value`", p.rust));
        } else if p.required && p.rust == "client" {
            // Required params are arguments of `Call::new(client, …)`, next to the client.
            cx.key_error(
                &p.path,
                format!("required parameter `{}` would be the argument `client`, which the call builder already takes", p.wire),
            )
            .help("set `rust_name:` to another name, e.g. `rust_name: client_name`");
        } else if let Some(first) = seen.insert(&p.rust, &p.wire) {
            cx.key_error(&p.path, format!(
                "parameters `{first}` and `{}` both become the Rust name `{}`",
                p.wire, p.rust
            ))
            .help("remove one of them; Bitrix24 treats parameter names case-insensitively in most methods");
        }
        if p.required && p.default.is_some() {
            cx.key_error(&p.path.key("default"), format!("parameter `{}` is required and also has a default", p.wire))
                .help("a default only makes sense for an optional parameter: drop `required: true` or `default`");
        }
        if p.ty.has_none() {
            cx.error(&p.ty.path, format!("parameter `{}` uses `or_false`, `or_empty`, `nullable`, `or_empty_object` or `or_empty_list`", p.wire))
                .help("those describe response quirks; a parameter that may be left out is just not `required`");
        }
        if p.ty.min_items.is_some() && !matches!(p.ty.kind, TypeKind::Array(_)) {
            cx.error(
                &p.path.key("min_items"),
                "`min_items` applies only to `array` parameters",
            )
            .help("remove `min_items`, or change the parameter's `type`");
        }
        nested_enums(cx, &p.ty);
        if let TypeKind::Filter(filter) = &p.ty.kind {
            for f in &filter.fields {
                nested_enums(cx, &f.ty);
            }
        }
    }
}

/// Type and field names: valid, distinct, and not clashing with the generated items.
fn type_names(cx: &mut Ctxt, spec: &Spec) {
    let base = pascal_case(&spec.method);
    // A result chosen by a parameter is an enum named `{Method}Result`.
    let generated: &[&str] = if spec.result.by_param.is_some() {
        &["Request", "Call", "Error", "Result"]
    } else {
        &["Request", "Call", "Error"]
    };
    let reserved: Vec<String> = generated.iter().map(|s| format!("{base}{s}")).collect();
    let mut names: HashMap<String, KeyPath> = HashMap::new();
    let mut claim = |cx: &mut Ctxt, name: &str, path: &KeyPath| {
        if name.is_empty() {
            cx.key_error(path, "this enum has no Rust type name: its owner's name has no letters to build one from")
                .help("set `name:` to a PascalCase name, e.g. `name: ThingKind`");
        } else if !name.starts_with(|c: char| c.is_ascii_uppercase())
            || !name.chars().all(|c| c.is_ascii_alphanumeric())
        {
            cx.key_error(path, format!("type name `{name}` is not a Rust type name"))
                .help("type names are PascalCase letters and digits, e.g. `User` or `UserPhones`");
        } else if reserved.iter().any(|r| r == name) {
            let help = if name.ends_with("Result") {
                "pick another name; the enum of the result's shapes (`by_param`) uses it"
            } else {
                "pick another name; the method's request, call and error types use it"
            };
            cx.key_error(
                path,
                format!("type name `{name}` clashes with a generated item"),
            )
            .help(help);
        } else if let Some(first) = names.insert(name.to_owned(), path.clone()) {
            cx.key_error(
                path,
                format!("type name `{name}` is already used at `{first}`"),
            )
            .help("give one of them a different name (for an enum, set `name:`)");
        }
    };
    // Library types and their enums may be re-exported into this module: no local name may
    // repeat one, and none may be a name the method's own items use.
    let mut shared_names: Vec<(String, &str)> = spec
        .shared_enums
        .iter()
        .map(|e| (e.name.clone(), e.file.as_str()))
        .collect();
    for t in &spec.shared_types {
        shared_names.push((t.name.clone(), &t.file));
        let mut enums = Vec::new();
        for f in &t.fields {
            collect_enums(&f.ty, &mut enums);
        }
        shared_names.extend(enums.into_iter().map(|(n, _)| (n, t.file.as_str())));
    }
    if let Some((name, file)) = shared_names.iter().find(|(n, _)| reserved.contains(n)) {
        cx.error(
            &KeyPath::root().key("method"),
            format!("the type library `{file}` defines `{name}`, a name this method's generated items use"),
        )
        .help("rename the library type");
    }
    for t in &spec.types {
        claim(cx, &t.name, &t.path);
        if let Some(shared) = spec.shared_types.iter().find(|s| s.name == t.name) {
            cx.key_error(
                &t.path,
                format!(
                    "type `{}` is also defined in the type library `{}`",
                    t.name, shared.file
                ),
            )
            .help("use the shared type (delete this definition), or give this one another name");
        }
    }
    let mut enums = Vec::new();
    for t in &spec.types {
        for f in &t.fields {
            collect_enums(&f.ty, &mut enums);
        }
    }
    // Selects over one record share its enum of field names.
    let mut selects = HashSet::new();
    for p in &spec.params {
        if let TypeKind::Array(items) = &p.ty.kind
            && let TypeKind::Enum(e) = &items.kind
            && e.select_of.is_some()
        {
            if !e.shared && selects.insert(e.name.as_str()) {
                enums.push((e.name.clone(), items.path.clone()));
            }
            continue;
        }
        collect_enums(&p.ty, &mut enums);
        if let TypeKind::Filter(filter) = &p.ty.kind {
            enums.push((filter.name.clone(), p.ty.path.clone()));
            if filter.narrowed() {
                enums.push((format!("{}Cmp", filter.name), p.ty.path.clone()));
            }
            for f in &filter.fields {
                collect_enums(&f.ty, &mut enums);
            }
        }
    }
    for ty in spec.result.shapes() {
        collect_enums(ty, &mut enums);
    }
    // A select of a library record has its enum in the shared module: no library name may
    // be the same (two selects of one record share it).
    for p in &spec.params {
        if let TypeKind::Array(items) = &p.ty.kind
            && let TypeKind::Enum(e) = &items.kind
            && e.shared
            && e.select_of.is_some()
            && let Some((_, file)) = shared_names.iter().find(|(n, _)| *n == e.name)
        {
            cx.error(
                &items.path,
                format!("the select's enum `{}` is also a name in the type library `{file}`", e.name),
            )
            .help("rename the library type; `select` names its enum after the record, with `Field` appended");
        }
    }
    for (name, path) in enums {
        claim(cx, &name, &path);
        if let Some((_, file)) = shared_names.iter().find(|(n, _)| *n == name) {
            cx.key_error(
                &path,
                format!("enum name `{name}` is also a name in the type library `{file}`"),
            )
            .help("give this enum another name with `name:`");
        }
    }

    fields_of(cx, &spec.types);
    for ty in spec.result.shapes() {
        nested_enums(cx, ty);
    }
}

/// Field names of object types: valid, distinct snake_case identifiers; enums inside valid.
fn fields_of(cx: &mut Ctxt, types: &[TypeDef]) {
    for t in types {
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for f in &t.fields {
            if let Some(reason) = snake_name_problem(&f.rust) {
                cx.key_error(
                    &f.path,
                    format!(
                        "field `{}` has no usable Rust name{}: {reason}",
                        f.wire,
                        shown(&f.rust)
                    ),
                )
                .help("set `rust_name:` to a snake_case name for it, e.g. `rust_name: first_name`");
            } else if let Some(first) = seen.insert(&f.rust, &f.wire) {
                cx.key_error(
                    &f.path,
                    format!(
                        "fields `{first}` and `{}` of `{}` both become the Rust name `{}`",
                        f.wire, t.name, f.rust
                    ),
                )
                .help(same_rust_name_help(first, &f.wire, &f.rust));
            }
            nested_enums(cx, &f.ty);
        }
    }
}

/// How to fix two wire keys with one Rust name: both are usually real keys of the portal's
/// answer (`DESCRIPTION` and its unescaped twin `~DESCRIPTION`), so one gets a `rust_name`.
fn same_rust_name_help(first: &str, second: &str, rust: &str) -> String {
    let (renamed, name) = match [first, second].into_iter().find(|w| w.starts_with('~')) {
        Some(tilde) => (tilde, format!("{rust}_raw")),
        None => (second, format!("{rust}_2")),
    };
    format!(
        "`{first}` and `{second}` are different keys on the wire: keep both by giving one its own name, e.g. `rust_name: {name}` on `{renamed}`; if one of them is a mistake, remove it"
    )
}

/// Enums defined where they are used (a library's named enums are defined in the library).
fn collect_enums(ty: &TypeRef, out: &mut Vec<(String, KeyPath)>) {
    match &ty.kind {
        // A select's enum is claimed by its parameter (a select elsewhere is refused).
        TypeKind::Enum(e) if e.shared || e.select_of.is_some() => {}
        TypeKind::Enum(e) => out.push((e.name.clone(), ty.path.clone())),
        TypeKind::Array(items) | TypeKind::Map { values: items, .. } => collect_enums(items, out),
        _ => {}
    }
}

/// Enum variant names must be distinct after conversion (`""` and `_` cannot both be `Empty`),
/// and the values of a `case_insensitive` enum distinct when case is ignored. A library's
/// named enum is checked in its library; a select's enum here, where its record is named.
fn nested_enums(cx: &mut Ctxt, ty: &TypeRef) {
    match &ty.kind {
        TypeKind::Enum(e) if e.shared && e.select_of.is_none() && ty.path != e.path => {}
        TypeKind::Enum(e) => {
            if e.case_insensitive {
                let mut folded: HashMap<String, &str> = HashMap::new();
                for v in &e.values {
                    if let Some(first) = folded.insert(v.wire.to_ascii_lowercase(), &v.wire) {
                        cx.error(
                            &v.path,
                            format!("wire values {first:?} and {:?} are the same value when case is ignored", v.wire),
                        )
                        .help("a `case_insensitive` enum lists each value once, in the spelling the portal sends");
                    }
                }
            }
            let mut seen: HashMap<String, &str> = HashMap::new();
            for v in &e.values {
                let variant = pascal_case(&v.name);
                if let Some(reason) = invalid_ident_reason(&variant) {
                    cx.error(
                        &v.path,
                        format!(
                            "enum variant `{}` has no usable Rust name: {reason}",
                            v.name
                        ),
                    )
                    .help("name variants with words, e.g. `unspecified`");
                } else if variant == "Unknown" {
                    cx.error(&v.path, "the variant name `unknown` is reserved")
                        .help("every enum gets an `Unknown(String)` variant for values added later; pick another name");
                } else if let Some(first) = seen.insert(variant.clone(), &v.wire) {
                    cx.error(
                        &v.path,
                        format!(
                            "wire values {first:?} and {:?} both become the variant `{variant}`",
                            v.wire
                        ),
                    )
                    .help("give them different variant names");
                }
            }
        }
        TypeKind::Array(items) | TypeKind::Map { values: items, .. } => nested_enums(cx, items),
        _ => {}
    }
}

/// A named type must be defined: under the spec's `types:` or in a type library (where a
/// named enum is resolved before the checks, so `enums` only serve suggestions).
fn named_type_exists(cx: &mut Ctxt, defined: &HashSet<&str>, enums: &[&str], ty: &TypeRef) {
    let ty = innermost(ty);
    if let TypeKind::Enum(e) = &ty.kind
        && let Some(of) = &e.select_of
        && !defined.contains(of.as_str())
        && !cx.library_not_loaded(&ty.path, "unknown record type", of)
    {
        let p = cx.error(&ty.path, format!("unknown record type `{of}`"));
        match did_you_mean(of, defined.iter().copied()) {
            Some(s) => p.help(format!("did you mean `{s}`?")),
            None => p.help("`of:` names an object type under `types:` or in a type library"),
        };
    }
    if let TypeKind::Filter(filter) = &ty.kind {
        for f in &filter.fields {
            named_type_exists(cx, defined, enums, &f.ty);
        }
    }
    if let TypeKind::Named(name) = &ty.kind
        && !defined.contains(name.as_str())
    {
        if cx.library_not_loaded(&ty.path, "unknown type", name) {
            return;
        }
        let p = cx.error(&ty.path, format!("unknown type `{name}`"));
        let known = defined.iter().chain(enums).copied();
        match did_you_mean(name, known.chain(crate::model::PRIMITIVES.iter().copied())) {
            Some(s) => p.help(format!("did you mean `{s}`?")),
            None => p.help(
                "define it under `types:` (or in a type library such as `specs/types/im.yaml`), or use a built-in type such as `string`",
            ),
        };
    }
}

/// The element type below any arrays and maps: `User` in a map of lists of `User`.
fn innermost(mut ty: &TypeRef) -> &TypeRef {
    while let TypeKind::Array(items) | TypeKind::Map { values: items, .. } = &ty.kind {
        ty = items;
    }
    ty
}

/// Every named type must be defined in `types:` or a type library.
fn references(cx: &mut Ctxt, spec: &Spec) {
    let defined: HashSet<&str> = spec
        .types
        .iter()
        .chain(&spec.shared_types)
        .map(|t| t.name.as_str())
        .collect();
    let enums: Vec<&str> = spec.shared_enums.iter().map(|e| e.name.as_str()).collect();
    let check = |cx: &mut Ctxt, ty: &TypeRef| named_type_exists(cx, &defined, &enums, ty);
    for p in &spec.params {
        check(cx, &p.ty);
        // An unknown name was just reported; whether it is an object type is unknown.
        if matches!(&innermost(&p.ty).kind, TypeKind::Named(n) if defined.contains(n.as_str())) {
            cx.error(
                &p.ty.path,
                format!("parameter `{}` uses an object type", p.wire),
            )
            .help("parameters are scalars, arrays or `json`");
        }
    }
    for t in &spec.types {
        for f in &t.fields {
            check(cx, &f.ty);
            parameter_only_types(cx, &f.ty, "a field");
        }
    }
    for ty in spec.result.shapes() {
        check(cx, ty);
        parameter_only_types(cx, ty, "`result`");
    }
}

/// `filter` and `select` describe what a request sends; nothing else may use them.
fn parameter_only_types(cx: &mut Ctxt, ty: &TypeRef, place: &str) {
    match &ty.kind {
        TypeKind::Filter(_) => {
            cx.error(&ty.path, format!("{place} cannot be a `filter`"))
                .help("`type: filter` describes a request parameter; use it under `params:`");
        }
        TypeKind::Map { values, .. } => parameter_only_types(cx, values, place),
        TypeKind::Array(items) => match &items.kind {
            TypeKind::Enum(e) if e.select_of.is_some() => {
                cx.error(&ty.path, format!("{place} cannot be a `select`"))
                    .help("`type: select` describes a request parameter; use it under `params:`");
            }
            _ => parameter_only_types(cx, items, place),
        },
        _ => {}
    }
}

/// Filters and selects: top-level parameters only, with usable field names and scalar field
/// types.
fn filters_and_selects(cx: &mut Ctxt, spec: &Spec) {
    for p in &spec.params {
        match &p.ty.kind {
            TypeKind::Filter(filter) => filter_fields(cx, spec, filter),
            TypeKind::Array(items) => {
                parameter_only_types(cx, items, "an array item");
            }
            _ => {}
        }
    }
}

fn filter_fields(cx: &mut Ctxt, spec: &Spec, filter: &FilterDef) {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for f in &filter.fields {
        if !f
            .wire
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            cx.key_error(
                &f.path,
                format!("filter field `{}` is not a plain field name", f.wire),
            )
            .help("write the field without an operator (`ID`, not `>=ID`); `operators:` lists the prefixes the method accepts");
            continue;
        }
        if let Some(reason) = snake_name_problem(&f.rust) {
            cx.key_error(
                &f.path,
                format!(
                    "filter field `{}` has no usable Rust name{}: {reason}",
                    f.wire,
                    shown(&f.rust)
                ),
            )
            .help("set `rust_name:` to a snake_case name for it, e.g. `rust_name: first_name`");
        } else if f.rust == "new" {
            cx.key_error(
                &f.path,
                format!("filter field `{}` would be the method `new`, which the filter builder already has", f.wire),
            )
            .help("set `rust_name:` to another name, e.g. `rust_name: new_value`");
        } else if let Some(first) = seen.insert(&f.rust, &f.wire) {
            cx.key_error(
                &f.path,
                format!(
                    "filter fields `{first}` and `{}` both become the Rust name `{}`",
                    f.wire, f.rust
                ),
            )
            .help(same_rust_name_help(first, &f.wire, &f.rust));
        }
        let scalar = match &f.ty.kind {
            TypeKind::Enum(e) => e.select_of.is_none(),
            // An unknown name is reported as such; what kind of type it is, is unknown.
            TypeKind::Named(n) if spec.find_type(n).is_none() => true,
            TypeKind::Array(_)
            | TypeKind::Map { .. }
            | TypeKind::Json
            | TypeKind::Named(_)
            | TypeKind::Filter(_) => false,
            _ => true,
        };
        if !scalar {
            cx.error(
                &f.ty.path,
                format!("filter field `{}` must have a single-value type", f.wire),
            )
            .help("use a scalar type such as `id`, `string`, `date` or an enum; `@` and `!@` already take a list of it");
        }
        if f.ty.has_none() {
            cx.error(
                &f.ty.path,
                format!(
                    "filter field `{}` uses `or_false`, `or_empty` or `nullable`",
                    f.wire
                ),
            )
            .help("those describe response quirks; remove them");
        }
    }
}

/// A type that contains itself without an array in between would be infinitely large.
fn cycles(cx: &mut Ctxt, spec: &Spec) {
    let all: Vec<&TypeDef> = spec.types.iter().chain(&spec.shared_types).collect();
    cycles_in(cx, &spec.types, &all);
}

/// Reports cycles that start at one of `starts`, following fields through `all`.
fn cycles_in(cx: &mut Ctxt, starts: &[TypeDef], all: &[&TypeDef]) {
    // Edges only through direct (non-array) fields: arrays are heap-allocated.
    let edges: BTreeMap<&str, Vec<(&str, &KeyPath)>> = all
        .iter()
        .map(|t| {
            let direct = t
                .fields
                .iter()
                .filter_map(|f| match &f.ty.kind {
                    TypeKind::Named(n) => Some((n.as_str(), &f.ty.path)),
                    _ => None,
                })
                .collect();
            (t.name.as_str(), direct)
        })
        .collect();
    let mut reported = HashSet::new();
    for start in starts.iter().map(|t| t.name.as_str()) {
        let mut stack = vec![(start, vec![start])];
        let mut visited = HashSet::new();
        while let Some((node, trail)) = stack.pop() {
            for (next, path) in edges.get(node).into_iter().flatten() {
                if *next == start {
                    let mut members = trail.clone();
                    members.sort();
                    if reported.insert(members) {
                        let cycle = trail
                            .iter()
                            .copied()
                            .chain([start])
                            .collect::<Vec<_>>()
                            .join(" -> ");
                        cx.error(
                            path,
                            format!("types form a cycle and would be infinitely large: {cycle}"),
                        )
                        .help("make one of the links an array, or break the cycle with `json`");
                    }
                } else if visited.insert(*next) {
                    let mut t = trail.clone();
                    t.push(next);
                    stack.push((next, t));
                }
            }
        }
    }
}

fn error_codes(cx: &mut Ctxt, spec: &Spec) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for e in &spec.errors {
        if e.code.is_empty() {
            let (message, help) = empty_error_code(&e.doc);
            cx.key_error(&e.path, message).help(help);
            continue;
        }
        if !e
            .code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            cx.key_error(
                &e.path,
                format!(
                    "error code `{}` is not made of letters, digits and `_`",
                    e.code
                ),
            )
            .help("copy the code exactly as the documentation shows it, e.g. `ID_EMPTY`");
            continue;
        }
        let variant = &e.variant;
        if let Some(reason) = invalid_ident_reason(variant).or_else(|| {
            (!variant.starts_with(|c: char| c.is_ascii_uppercase())
                || !variant.chars().all(|c| c.is_ascii_alphanumeric()))
            .then_some("variant names are PascalCase letters and digits")
        }) {
            cx.key_error(
                &e.path,
                format!(
                    "error code `{}` has no usable Rust variant `{variant}`: {reason}",
                    e.code
                ),
            )
            .help("set `rust_name:` to a PascalCase variant name, e.g. `rust_name: FirstError`");
        } else if variant == "Other" || variant == "System" {
            cx.key_error(
                &e.path,
                format!(
                    "error code `{}` would be the variant `{variant}`, which every error enum already has",
                    e.code
                ),
            )
            .help(format!("set `rust_name:` to another variant name, e.g. `rust_name: {variant}Error`"));
        } else if let Some(first) = seen.insert(variant.clone(), &e.code) {
            cx.key_error(
                &e.path,
                format!(
                    "error codes `{first}` and `{}` both become the variant `{variant}`",
                    e.code
                ),
            )
            .help("remove the duplicate code");
        }
    }
}

/// What to say about an error documented with an empty code (CRM pages document many), which
/// the spec language cannot declare yet, and what to do instead.
fn empty_error_code(doc: &str) -> (String, String) {
    (
        "an error with an empty code cannot be declared yet".to_owned(),
        format!(
            "leave this entry out: such an answer reaches the caller as the method's `Other(\"\")` code, with its text in `ApiError::description`; mention the documented description ({doc:?}) in the method's `description` instead"
        ),
    )
}

/// Error codes and names that the emulator section and params refer to must exist.
fn emulation(cx: &mut Ctxt, spec: &Spec) {
    let codes: Vec<&str> = spec.errors.iter().map(|e| e.code.as_str()).collect();
    let known_code = |cx: &mut Ctxt, code: &str, path: &KeyPath| {
        if !codes.contains(&code) {
            let p = cx.error(
                path,
                format!("error code `{code}` is not declared under `errors:`"),
            );
            match did_you_mean(code, codes.iter().copied()) {
                Some(s) => p.help(format!("did you mean `{s}`?")),
                None => p.help(format!("declare `{code}` under `errors:`")),
            };
        }
    };
    for p in &spec.params {
        if let Some(code) = &p.invalid {
            known_code(cx, code, &p.path.key("invalid"));
        }
        if p.min.is_some() && !matches!(p.ty.kind, TypeKind::Integer | TypeKind::Id) {
            cx.error(
                &p.path.key("min"),
                "`min` applies only to `integer` and `id` parameters",
            )
            .help("remove `min`, or change the parameter's `type`");
        }
    }
    crate::emulation::check(cx, spec);
}

fn example_params(cx: &mut Ctxt, spec: &Spec, params: &serde_json::Map<String, Value>) {
    let base = KeyPath::root().key("example").key("params");
    for (name, value) in params {
        let path = base.key(name);
        match spec.params.iter().find(|p| p.wire == *name) {
            None => {
                let p = cx.key_error(
                    &path,
                    format!("example uses parameter `{name}`, which `params:` does not declare"),
                );
                match did_you_mean(name, spec.params.iter().map(|p| p.wire.as_str())) {
                    Some(s) => p.help(format!("did you mean `{s}`?")),
                    None => p.help("declare it under `params:` or remove it from the example"),
                };
            }
            Some(p) => {
                if let Err(e) = conform::check(spec, &p.ty, value, Mode::Request) {
                    cx.error(
                        &path.join(&e.path),
                        format!(
                            "example parameter does not match its declared type: {}",
                            e.message
                        ),
                    )
                    .help("fix the example value, or the parameter's `type`");
                }
            }
        }
    }
    for p in spec.params.iter().filter(|p| p.required) {
        if !params.contains_key(&p.wire) {
            cx.error(
                &base,
                format!("example leaves out the required parameter `{}`", p.wire),
            )
            .help("add it to `example.params`");
        }
    }
}

fn example_response(cx: &mut Ctxt, spec: &Spec, response: &Value) {
    let path = KeyPath::root().key("example").key("response");
    let Some(obj) = response.as_object() else {
        cx.error(
            &path,
            "the example response must be the whole envelope, a mapping with `result`",
        );
        return;
    };
    match obj.get("result") {
        Some(result) => {
            let params = spec
                .example
                .as_ref()
                .map(|e| e.params.clone())
                .unwrap_or_default();
            let (ty, which) = match conform::result_case(spec, &params) {
                Some((choice, case)) => (
                    &case.ty,
                    match &case.when {
                        Some(when) => format!(" for {}={when}", choice.param),
                        None => format!(" for the `otherwise` case of {}", choice.param),
                    },
                ),
                None => (&spec.result.ty, String::new()),
            };
            if let Err(e) = conform::check(spec, ty, result, Mode::Result) {
                cx.error(
                    &path.key("result").join(&e.path),
                    format!(
                        "example response does not decode as the declared result{which}: {}",
                        e.message
                    ),
                )
                .help("fix the spec's types (or the example, if it was not copied verbatim)");
            }
        }
        None => {
            cx.error(&path, "the example response has no `result`")
                .help("paste the documented success response, including `result` and `time`");
        }
    }
}

/// Parameters that pick the result's shape must exist and have values that can be compared;
/// each case value must be one the parameter can take, and variants must be distinct names.
fn result_choice(cx: &mut Ctxt, spec: &Spec) {
    let Some(choice) = &spec.result.by_param else {
        return;
    };
    let param = spec.params.iter().find(|p| p.wire == choice.param);
    match param {
        None => {
            let p = cx.error(
                &choice.path,
                format!("`{}` is not a declared parameter", choice.param),
            );
            match did_you_mean(&choice.param, spec.params.iter().map(|p| p.wire.as_str())) {
                Some(s) => p.help(format!("did you mean `{s}`?")),
                None => p.help("declare the parameter under `params:`"),
            };
        }
        Some(p) if !conform::can_choose_result(&p.ty) => {
            cx.error(
                &choice.path,
                format!(
                    "parameter `{}` cannot choose the result's shape: it is not a `string`, `yn`, `boolean`, `integer`, `id` or `enum`",
                    p.wire
                ),
            )
            .help("pick a parameter with single values, or declare the result as `json`");
        }
        Some(p) => {
            let mut values: Vec<&str> = Vec::new();
            for case in &choice.cases {
                let Some(when) = &case.when else { continue };
                // `5` and `05` are one integer: the second case could never be chosen.
                let same = |other: &str| match p.ty.kind {
                    TypeKind::Integer | TypeKind::Id => other
                        .parse::<i128>()
                        .ok()
                        .is_some_and(|o| when.parse::<i128>() == Ok(o)),
                    _ => other == when,
                };
                if let Some(first) = values.iter().find(|v| same(v)) {
                    cx.key_error(
                        &case.path,
                        format!(
                            "`{when}` is the same value of `{}` as the case `{first}`",
                            p.wire
                        ),
                    )
                    .help("keep one case per value");
                    continue;
                }
                values.push(when);
                if let Err(expected) = conform::case_value(&p.ty, when) {
                    cx.key_error(
                        &case.path,
                        format!(
                            "`{when}` is not a value of the parameter `{}`: expected {expected}",
                            p.wire
                        ),
                    )
                    .help("write the value as the request sends it, e.g. `Y` for a `yn` parameter");
                }
            }
        }
    }
    let mut seen: HashMap<String, &crate::model::ResultCase> = HashMap::new();
    for case in choice.cases.iter().chain([&choice.otherwise]) {
        let variant = pascal_case(&case.variant);
        let at = case.path.key("variant");
        if let Some(reason) =
            snake_name_problem(&case.variant).or_else(|| invalid_ident_reason(&variant))
        {
            cx.error(
                &at,
                format!("variant name `{}` is not usable: {reason}", case.variant),
            )
            .help("name the variant in snake_case words, e.g. `variant: by_id`");
        } else if let Some(first) = seen.insert(variant.clone(), case) {
            let owner = match &first.when {
                Some(when) => format!("the case `{when}`"),
                None => "`otherwise`".to_owned(),
            };
            let message = if first.variant == case.variant {
                format!("variant `{}` is already used by {owner}", case.variant)
            } else {
                format!(
                    "variants `{}` (of {owner}) and `{}` both become `{variant}`",
                    first.variant, case.variant
                )
            };
            cx.error(&at, message)
                .help("give every case its own variant name");
        }
    }
}
