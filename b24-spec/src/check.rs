//! Semantic passes over a parsed [`Spec`]: names, references, cycles, params and the example.
//!
//! Each pass only reads the model and records problems in the context, so all of them run on
//! every spec and the user sees every mistake in one build. Passes that look inside types
//! follow the model's one walker ([`TypeRef::walk`], [`Spec::type_roots`]); the names of
//! generated items come from the one list codegen emits ([`items`]).

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

use crate::conform::{self, Mode};
use crate::diag::{Ctxt, did_you_mean};
use crate::items::{self, Def, Item, MethodItems};
use crate::model::{EnumDef, FilterDef, Spec, TypeDef, TypeKind, TypeRef};
use crate::names::{invalid_ident_reason, pascal_case};
use crate::path::KeyPath;
use crate::walk::Place;

/// Checks of the type library `file`, with every library's types and named enums (`all`,
/// `all_enums`) visible by name and sharing one module.
pub(crate) fn library(cx: &mut Ctxt, file: &str, all: &[TypeDef], all_enums: &[EnumDef]) {
    let shared = items::shared(all, all_enums, std::iter::empty());
    item_names(cx, file, &shared.iter().collect::<Vec<_>>());
    enums_of(cx, shared.iter().filter(|i| i.file == file));
    let own: Vec<&TypeDef> = all.iter().filter(|t| t.file == file).collect();
    fields_of(cx, own.iter().copied());
    let defined: HashSet<&str> = all.iter().map(|t| t.name.as_str()).collect();
    let enum_names: Vec<&str> = all_enums.iter().map(|e| e.name.as_str()).collect();
    for f in own.iter().flat_map(|t| &t.fields) {
        named_type_exists(cx, &defined, &enum_names, &f.ty);
        parameter_only_types(cx, &f.ty, "a field");
    }
    let all: Vec<&TypeDef> = all.iter().collect();
    cycles_in(cx, &own, &all);
}

pub(crate) fn spec(cx: &mut Ctxt, spec: &Spec) {
    let items = items::method(spec);
    method_name(cx, spec);
    param_names(cx, spec);
    names(cx, spec, &items);
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
    }
}

/// The generated items of the method's module: usable names, none twice. The library's items
/// share the module's namespace, because the module re-exports those it uses: no item of the
/// method may take the name of one (whether it uses it or not, so the rule does not change
/// when the spec does). Also the enums' variants and the fields of the spec's own types.
fn names(cx: &mut Ctxt, spec: &Spec, items: &MethodItems<'_>) {
    let library = items::shared(&spec.shared_types, &spec.shared_enums, std::iter::empty());
    let module: Vec<&Item<'_>> = items
        .own
        .iter()
        .chain(&items.shared_selects)
        .chain(&library)
        .collect();
    item_names(cx, &spec.file, &module);
    enums_of(cx, items.own.iter().chain(&items.shared_selects));
    fields_of(cx, spec.types.iter());
}

/// Every item of one module (`items`, in generation order) has a usable Rust name and no two
/// have the same. Problems are reported in `file` only, at its items, each item once.
fn item_names(cx: &mut Ctxt, file: &str, items: &[&Item<'_>]) {
    let mut first: HashMap<&str, &Item<'_>> = HashMap::new();
    let mut reported: HashSet<*const Item<'_>> = HashSet::new();
    for &item in items {
        if let Some(help) = unusable_name(item) {
            if item.file == file {
                let message = if item.name.is_empty() {
                    "this enum has no Rust type name: its owner's name has no letters to build one from".to_owned()
                } else {
                    format!("type name `{}` is not a Rust type name", item.name)
                };
                cx.key_error(&item.path, message).help(help);
            }
            continue;
        }
        match first.entry(item.name.as_str()) {
            Entry::Vacant(v) => {
                v.insert(item);
            }
            Entry::Occupied(o) => {
                if let Some((at, other)) = clash_site(file, o.get(), item)
                    && reported.insert(at)
                {
                    clash(cx, file, at, other);
                }
            }
        }
    }
}

/// For a name the spec writes (or builds from its owner's, for an inline enum) that is not a
/// PascalCase Rust type name: how to fix it.
fn unusable_name(item: &Item<'_>) -> Option<&'static str> {
    let help = match item.def {
        Def::Object(_) | Def::Filter(..) => {
            "type names are PascalCase letters and digits, e.g. `User` or `UserPhones`"
        }
        Def::Enum(e) if e.shared && e.select_of.is_none() => {
            "type names are PascalCase letters and digits, e.g. `Gender` or `UserStatus`"
        }
        Def::Enum(e) if e.select_of.is_none() => {
            if item.name.is_empty() {
                "set `name:` to a PascalCase name, e.g. `name: ThingKind`"
            } else {
                "type names are PascalCase letters and digits, e.g. `User` or `UserPhones`"
            }
        }
        // Made from names checked elsewhere: the method's, a filter's, a record's.
        Def::Enum(_)
        | Def::Request
        | Def::Call
        | Def::Error
        | Def::ResultChoice(_)
        | Def::FilterCmp(_) => return None,
    };
    let pascal = item.name.starts_with(|c: char| c.is_ascii_uppercase())
        && item.name.chars().all(|c| c.is_ascii_alphanumeric());
    (!pascal).then_some(help)
}

/// Where to report that `first` and `later` are named alike: at the item of `file` the user
/// can rename most directly (the later one when both can be), with the other item.
fn clash_site<'i, 'a>(
    file: &str,
    first: &'i Item<'a>,
    later: &'i Item<'a>,
) -> Option<(&'i Item<'a>, &'i Item<'a>)> {
    [(first, later), (later, first)]
        .into_iter()
        .filter(|(at, _)| at.file == file)
        .max_by_key(|(at, _)| renaming(at, file).0)
}

/// Reports, at `at`, that `other` has the same name, naming where `other` is and how to fix it.
fn clash(cx: &mut Ctxt, file: &str, at: &Item<'_>, other: &Item<'_>) {
    let place = if other.file == file {
        String::new()
    } else {
        format!(" in `{}`", other.file)
    };
    let message = format!(
        "the {} `{}` would have the same Rust name as the {} {} `{}`{place}",
        what(at),
        at.name,
        what(other),
        origin(other),
        other.path
    );
    // Object types and named enums of type libraries.
    let library_type = |i: &Item<'_>| {
        i.shared
            && match i.def {
                Def::Object(_) => true,
                Def::Enum(e) => e.select_of.is_none() && e.shared,
                Def::Request
                | Def::Call
                | Def::Error
                | Def::ResultChoice(_)
                | Def::Filter(..)
                | Def::FilterCmp(_) => false,
            }
    };
    let help = if matches!((at.def, other.def), (Def::Object(_), Def::Object(_)))
        && !at.shared
        && other.shared
    {
        "use the library's type (delete this definition), or give this one another name".to_owned()
    } else if library_type(at) && library_type(other) && at.file != other.file {
        "define each shared type in one type library, or give one of them another name".to_owned()
    } else {
        let (at_rank, at_help) = renaming(at, file);
        let (other_rank, other_help) = renaming(other, file);
        let help = if other_rank > at_rank {
            other_help
        } else {
            at_help
        };
        if at.shared && other.shared {
            format!("type libraries share one module: {help}")
        } else {
            help
        }
    };
    // Names made from another name point at that name (the method's, a select's record).
    let problem = match at.def {
        Def::Request | Def::Call | Def::Error => cx.error(&at.path, message),
        Def::Enum(EnumDef {
            select_of: Some(_), ..
        }) => cx.error(&at.path, message),
        Def::Enum(_)
        | Def::Object(_)
        | Def::ResultChoice(_)
        | Def::Filter(..)
        | Def::FilterCmp(_) => cx.key_error(&at.path, message),
    };
    problem.help(help);
}

/// How the user gives `item` another name, and how directly: 2 by a key of its own, 1 by
/// renaming what its name is made from, 0 not at all (it is named after the method). The
/// help names the file when it is not `file`.
fn renaming(item: &Item<'_>, file: &str) -> (u8, String) {
    let (rank, help) = match item.def {
        Def::Object(t) => (2, format!("give the type `{}` another name", t.name)),
        Def::Enum(e) => match (&e.select_of, e.shared) {
            (Some(of), _) => (
                1,
                format!(
                    "rename the record type `{of}`: a select's enum is named after it, with `Field` appended"
                ),
            ),
            (None, true) => (2, format!("give the named enum `{}` another name", e.name)),
            (None, false) => (2, "give the enum another name with `name:`".to_owned()),
        },
        Def::Filter(..) => (2, "give the filter another name with `name:`".to_owned()),
        Def::FilterCmp(f) => (
            1,
            format!(
                "give the filter `{}` another name with `name:`: its comparison type is named after it, with `Cmp` appended",
                f.name
            ),
        ),
        Def::Request | Def::Call | Def::Error | Def::ResultChoice(_) => {
            (0, "these names are made from the method's name".to_owned())
        }
    };
    if rank > 0 && item.file != file {
        (rank, format!("{help} (in `{}`)", item.file))
    } else {
        (rank, help)
    }
}

/// What kind of item it is, for messages.
fn what(item: &Item<'_>) -> &'static str {
    match item.def {
        Def::Request => "request type",
        Def::Call => "call type",
        Def::Error => "error enum",
        Def::ResultChoice(_) => "enum of the result's shapes",
        Def::Object(_) => "type",
        Def::Enum(e) if e.select_of.is_some() => "select's enum",
        Def::Enum(e) if e.shared => "named enum",
        Def::Enum(_) => "enum",
        Def::Filter(..) => "filter builder",
        Def::FilterCmp(_) => "filter's comparison type",
    }
}

/// How its path relates to the item: the key that names it, or the one it is made for.
fn origin(item: &Item<'_>) -> &'static str {
    match item.def {
        Def::Object(_)
        | Def::Enum(EnumDef {
            select_of: None, ..
        })
        | Def::Filter(..) => "defined at",
        Def::Enum(_)
        | Def::Request
        | Def::Call
        | Def::Error
        | Def::ResultChoice(_)
        | Def::FilterCmp(_) => "generated for",
    }
}

/// The variants of generated enums.
fn enums_of<'i, 'a: 'i>(cx: &mut Ctxt, items: impl Iterator<Item = &'i Item<'a>>) {
    for item in items {
        if let Def::Enum(e) = item.def {
            enum_values(cx, e);
        }
    }
}

/// Field names of object types: valid, distinct snake_case identifiers.
fn fields_of<'a>(cx: &mut Ctxt, types: impl Iterator<Item = &'a TypeDef>) {
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
                .help("remove one of them");
            }
        }
    }
}

/// Enum variant names must be distinct after conversion (`""` and `_` cannot both be `Empty`),
/// and the values of a `case_insensitive` enum distinct when case is ignored.
fn enum_values(cx: &mut Ctxt, e: &EnumDef) {
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

/// A named type must be defined, under the spec's `types:` or in a type library (where a
/// named enum is resolved before the checks, so `enums` only serve suggestions), and so must
/// the record a select names; anywhere inside `ty`.
fn named_type_exists(cx: &mut Ctxt, defined: &HashSet<&str>, enums: &[&str], ty: &TypeRef) {
    for ty in ty.walk() {
        if let TypeKind::Enum(e) = &ty.kind
            && let Some(of) = &e.select_of
            && !defined.contains(of.as_str())
        {
            let p = cx.error(&ty.path, format!("unknown record type `{of}`"));
            match did_you_mean(of, defined.iter().copied()) {
                Some(s) => p.help(format!("did you mean `{s}`?")),
                None => p.help("`of:` names an object type under `types:` or in a type library"),
            };
        }
        if let TypeKind::Named(name) = &ty.kind
            && !defined.contains(name.as_str())
        {
            let p = cx.error(&ty.path, format!("unknown type `{name}`"));
            match did_you_mean(name, defined.iter().copied().chain(enums.iter().copied())) {
                Some(s) => p.help(format!("did you mean `{s}`?")),
                None => p.help(
                    "define it under `types:` (or in a type library such as `specs/types/im.yaml`), or use a built-in type such as `string`",
                ),
            };
        }
    }
}

/// Every named type must be defined in `types:` or a type library; parameters name none.
fn references(cx: &mut Ctxt, spec: &Spec) {
    let defined: HashSet<&str> = spec
        .types
        .iter()
        .chain(&spec.shared_types)
        .map(|t| t.name.as_str())
        .collect();
    let enums: Vec<&str> = spec.shared_enums.iter().map(|e| e.name.as_str()).collect();
    for (place, ty) in spec.type_roots() {
        named_type_exists(cx, &defined, &enums, ty);
        match place {
            // A filter's fields must be single values, which `filter_fields` checks.
            Place::Param(p) if !matches!(p.ty.kind, TypeKind::Filter(_)) => {
                if ty.walk().any(|t| matches!(t.kind, TypeKind::Named(_))) {
                    cx.error(
                        &p.ty.path,
                        format!("parameter `{}` uses an object type", p.wire),
                    )
                    .help("parameters are scalars, arrays or `json`");
                }
            }
            Place::Param(_) => {}
            Place::Field(..) => parameter_only_types(cx, ty, "a field"),
            Place::Result(_) => parameter_only_types(cx, ty, "`result`"),
        }
    }
}

/// `filter` and `select` describe what a request sends: `ty` (written at `place`) may not
/// use them anywhere.
fn parameter_only_types(cx: &mut Ctxt, ty: &TypeRef, place: &str) {
    for ty in ty.walk() {
        parameter_only(cx, ty, place, false);
    }
}

/// Reports `ty` if it is a filter or a select, which only a whole parameter may be; `in_param`
/// when `ty` is part of one.
fn parameter_only(cx: &mut Ctxt, ty: &TypeRef, place: &str, in_param: bool) {
    let help = |kind: &str| {
        if in_param {
            format!(
                "`type: {kind}` describes a whole parameter: declare it directly under `params:`"
            )
        } else {
            format!("`type: {kind}` describes a request parameter; use it under `params:`")
        }
    };
    match &ty.kind {
        TypeKind::Filter(_) => {
            cx.error(&ty.path, format!("{place} cannot be a `filter`"))
                .help(help("filter"));
        }
        TypeKind::Array(items) if is_select(items) => {
            cx.error(&ty.path, format!("{place} cannot be a `select`"))
                .help(help("select"));
        }
        TypeKind::String
        | TypeKind::Integer
        | TypeKind::Number
        | TypeKind::Boolean
        | TypeKind::Yn
        | TypeKind::Id
        | TypeKind::Datetime
        | TypeKind::NaiveDatetime
        | TypeKind::Date
        | TypeKind::Json
        | TypeKind::Array(_)
        | TypeKind::Map { .. }
        | TypeKind::Enum(_)
        | TypeKind::Named(_) => {}
    }
}

/// The items of a `select`: the enum of a record's field names.
fn is_select(items: &TypeRef) -> bool {
    matches!(&items.kind, TypeKind::Enum(e) if e.select_of.is_some())
}

/// Filters and selects: whole parameters only (not inside one), with usable field names and
/// scalar field types.
fn filters_and_selects(cx: &mut Ctxt, spec: &Spec) {
    for p in &spec.params {
        if let TypeKind::Filter(filter) = &p.ty.kind {
            filter_fields(cx, filter);
        }
        for parent in p.ty.walk() {
            let place = match &parent.kind {
                TypeKind::Array(_) => "an array item",
                TypeKind::Map { .. } => "a map value",
                // Its fields must be single values, which `filter_fields` checks.
                TypeKind::Filter(_) => continue,
                TypeKind::String
                | TypeKind::Integer
                | TypeKind::Number
                | TypeKind::Boolean
                | TypeKind::Yn
                | TypeKind::Id
                | TypeKind::Datetime
                | TypeKind::NaiveDatetime
                | TypeKind::Date
                | TypeKind::Json
                | TypeKind::Enum(_)
                | TypeKind::Named(_) => continue,
            };
            for child in parent.children() {
                parameter_only(cx, child, place, true);
            }
        }
    }
}

fn filter_fields(cx: &mut Ctxt, filter: &FilterDef) {
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
            .help("remove one of them");
        }
        let scalar = match &f.ty.kind {
            TypeKind::Enum(e) => e.select_of.is_none(),
            TypeKind::String
            | TypeKind::Integer
            | TypeKind::Number
            | TypeKind::Boolean
            | TypeKind::Yn
            | TypeKind::Id
            | TypeKind::Datetime
            | TypeKind::NaiveDatetime
            | TypeKind::Date => true,
            TypeKind::Array(_)
            | TypeKind::Map { .. }
            | TypeKind::Json
            | TypeKind::Named(_)
            | TypeKind::Filter(_) => false,
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
    let own: Vec<&TypeDef> = spec.types.iter().collect();
    let all: Vec<&TypeDef> = spec.types.iter().chain(&spec.shared_types).collect();
    cycles_in(cx, &own, &all);
}

/// Reports cycles that start at one of `starts`, following fields through `all`.
fn cycles_in(cx: &mut Ctxt, starts: &[&TypeDef], all: &[&TypeDef]) {
    let edges: BTreeMap<&str, Vec<(&str, &KeyPath)>> = all
        .iter()
        .map(|t| {
            let direct = t
                .fields
                .iter()
                .filter_map(|f| contained(&f.ty).map(|n| (n, &f.ty.path)))
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

/// The object type a value of `ty` holds inline, making the holder at least as large: a named
/// type itself, not one behind the heap allocation of a list or a map.
fn contained(ty: &TypeRef) -> Option<&str> {
    match &ty.kind {
        TypeKind::Named(name) => Some(name),
        TypeKind::Array(_) | TypeKind::Map { .. } => None,
        TypeKind::String
        | TypeKind::Integer
        | TypeKind::Number
        | TypeKind::Boolean
        | TypeKind::Yn
        | TypeKind::Id
        | TypeKind::Datetime
        | TypeKind::NaiveDatetime
        | TypeKind::Date
        | TypeKind::Json
        | TypeKind::Enum(_)
        | TypeKind::Filter(_) => None,
    }
}

fn error_codes(cx: &mut Ctxt, spec: &Spec) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for e in &spec.errors {
        if e.code.is_empty()
            || !e
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
