//! Names: of parameters, of the fields of object types, of enum variants, and of the generated
//! items, which come from the one list codegen emits ([`items`](crate::items)).

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use super::{shown, snake_name_problem};
use crate::diag::Ctxt;
use crate::items::{self, Def, Item, MethodItems};
use crate::model::{EnumDef, Spec, TypeDef, TypeKind};
use crate::names::{invalid_ident_reason, pascal_case};

/// Param names must be valid, distinct Rust identifiers after case conversion.
pub(super) fn param_names(cx: &mut Ctxt, spec: &Spec) {
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

/// Methods of the generated request and call types; a setter cannot have their names.
const BUILDER_METHODS: &[&str] = &[
    "send_all",
    "set_start",
    "stream",
    "new",
    "send",
    "send_full",
    "into_request",
    "params",
    "decode_output",
];

/// The generated items of the method's module: usable names, none twice. The library's items
/// share the module's namespace, because the module re-exports those it uses: no item of the
/// method may take the name of one (whether it uses it or not, so the rule does not change
/// when the spec does). Also the enums' variants and the fields of the spec's own types.
pub(super) fn names(cx: &mut Ctxt, spec: &Spec, items: &MethodItems<'_>) {
    let library = items::shared(
        &spec.shared_types,
        &spec.shared_enums,
        &[],
        std::iter::empty(),
    );
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
pub(super) fn item_names(cx: &mut Ctxt, file: &str, items: &[&Item<'_>]) {
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
                match item.def {
                    // The set's name is the value of `custom_fields`.
                    Def::CustomFieldSet(_) => cx.error(&item.path, message),
                    Def::Request
                    | Def::Call
                    | Def::Error
                    | Def::ResultChoice(_)
                    | Def::Object(_)
                    | Def::Input(_)
                    | Def::Enum(_)
                    | Def::Filter(..)
                    | Def::FilterCmp(_) => cx.key_error(&item.path, message),
                }
                .help(help);
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
pub(super) fn unusable_name(item: &Item<'_>) -> Option<&'static str> {
    let help = match item.def {
        Def::Object(_) | Def::Input(_) | Def::Filter(..) => {
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
        Def::CustomFieldSet(_) => {
            "custom field set names are PascalCase letters and digits, e.g. `MyDealFields`"
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
pub(super) fn clash_site<'i, 'a>(
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
pub(super) fn clash(cx: &mut Ctxt, file: &str, at: &Item<'_>, other: &Item<'_>) {
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
                Def::Object(_) | Def::Input(_) => true,
                Def::Enum(e) => e.select_of.is_none() && e.shared,
                Def::Request
                | Def::Call
                | Def::Error
                | Def::ResultChoice(_)
                | Def::Filter(..)
                | Def::FilterCmp(_)
                | Def::CustomFieldSet(_) => false,
            }
    };
    let object = |d: Def<'_>| matches!(d, Def::Object(_) | Def::Input(_));
    let help = if object(at.def) && object(other.def) && !at.shared && other.shared {
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
        let set = |i: &Item<'_>| matches!(i.def, Def::CustomFieldSet(_));
        if set(at) || set(other) {
            format!("custom field sets share the `types` module with the type libraries: {help}")
        } else if at.shared && other.shared {
            format!("type libraries share one module: {help}")
        } else {
            help
        }
    };
    // Names made from another name point at that name (the method's, a select's record).
    let problem = match at.def {
        // The set's name is the value of `custom_fields`.
        Def::Request | Def::Call | Def::Error | Def::CustomFieldSet(_) => {
            cx.error(&at.path, message)
        }
        Def::Enum(EnumDef {
            select_of: Some(_), ..
        }) => cx.error(&at.path, message),
        Def::Enum(_)
        | Def::Object(_)
        | Def::Input(_)
        | Def::ResultChoice(_)
        | Def::Filter(..)
        | Def::FilterCmp(_) => cx.key_error(&at.path, message),
    };
    problem.help(help);
}

/// How the user gives `item` another name, and how directly: 2 by a key of its own, 1 by
/// renaming what its name is made from, 0 not at all (it is named after the method). The
/// help names the file when it is not `file`.
pub(super) fn renaming(item: &Item<'_>, file: &str) -> (u8, String) {
    let (rank, help) = match item.def {
        Def::Object(t) | Def::Input(t) => (2, format!("give the type `{}` another name", t.name)),
        Def::Enum(e) => match (&e.select_of, e.shared) {
            (Some(of), _) => (
                1,
                format!(
                    "rename the record type `{of}`: the enum of its field names (for `select` and `order`) is named after it, with `Field` appended"
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
        Def::CustomFieldSet(set) => (
            2,
            format!(
                "give the custom field set `{}` another name in `custom_fields:`",
                set.name
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
pub(super) fn what(item: &Item<'_>) -> &'static str {
    match item.def {
        Def::Request => "request type",
        Def::Call => "call type",
        Def::Error => "error enum",
        Def::ResultChoice(_) => "enum of the result's shapes",
        Def::Object(_) => "type",
        Def::Input(_) => "input type",
        Def::Enum(e) if e.select_of.is_some() => "field-name enum",
        Def::Enum(e) if e.shared => "named enum",
        Def::Enum(_) => "enum",
        Def::Filter(..) => "filter builder",
        Def::FilterCmp(_) => "filter's comparison type",
        Def::CustomFieldSet(_) => "custom field set",
    }
}

/// How its path relates to the item: the key that names it, or the one it is made for.
pub(super) fn origin(item: &Item<'_>) -> &'static str {
    match item.def {
        Def::Object(_)
        | Def::Input(_)
        | Def::Enum(EnumDef {
            select_of: None, ..
        })
        | Def::Filter(..)
        | Def::CustomFieldSet(_) => "defined at",
        Def::Enum(_)
        | Def::Request
        | Def::Call
        | Def::Error
        | Def::ResultChoice(_)
        | Def::FilterCmp(_) => "generated for",
    }
}

/// The variants of generated enums.
pub(super) fn enums_of<'i, 'a: 'i>(cx: &mut Ctxt, items: impl Iterator<Item = &'i Item<'a>>) {
    for item in items {
        if let Def::Enum(e) = item.def {
            enum_values(cx, e);
        }
    }
}

/// Enum variant names must be distinct after conversion (`""` and `_` cannot both be `Empty`),
/// and the values of a `case_insensitive` enum distinct when case is ignored.
pub(super) fn enum_values(cx: &mut Ctxt, e: &EnumDef) {
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

/// Field names of object types: valid, distinct snake_case identifiers.
pub(super) fn fields_of<'a>(cx: &mut Ctxt, types: impl Iterator<Item = &'a TypeDef>) {
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
        }
        select_names_of(cx, t);
    }
}

/// The names requests use for a type's fields (`select_as`, `select_names`): plain field
/// names, one per field, since a select, an order or the emulator maps each back to one key.
fn select_names_of(cx: &mut Ctxt, t: &TypeDef) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for f in &t.fields {
        if let Some(name) = &f.select_as
            && (name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        {
            cx.error(
                &f.path.key("select_as"),
                format!("`select_as` of `{}` is not a plain field name: {name:?}", f.wire),
            )
            .help("write the name requests use for the field, in letters, digits and `_`, e.g. `select_as: REAL_STATUS`");
            continue;
        }
        let name = t.select_name(f);
        if let Some(first) = seen.insert(name.clone(), &f.wire) {
            let message = format!(
                "fields `{first}` and `{}` of `{}` are both selected as `{name}`",
                f.wire, t.name
            );
            // At the `select_as` that makes the name, else at the field's key.
            let problem = if f.select_as.is_some() {
                cx.error(&f.path.key("select_as"), message)
            } else {
                cx.key_error(&f.path, message)
            };
            problem.help(format!(
                "a request names each field once: give `{}` (or `{first}`) a `select_as:` with the name the documentation gives it",
                f.wire
            ));
        }
    }
}

/// How to fix two wire keys with one Rust name: both are usually real keys of the portal's
/// answer (`DESCRIPTION` and its unescaped twin `~DESCRIPTION`), so one gets a `rust_name`.
pub(super) fn same_rust_name_help(first: &str, second: &str, rust: &str) -> String {
    let (renamed, name) = match [first, second].into_iter().find(|w| w.starts_with('~')) {
        Some(tilde) => (tilde, format!("{rust}_raw")),
        None => (second, format!("{rust}_2")),
    };
    format!(
        "`{first}` and `{second}` are different keys on the wire: keep both by giving one its own name, e.g. `rust_name: {name}` on `{renamed}`; if one of them is a mistake, remove it"
    )
}
