//! Builds the [`Spec`] model from a parsed YAML document.
//!
//! Like serde_derive's attribute parsing, it reports unknown keys (with a suggestion), missing
//! keys and wrong kinds of value, and keeps going, so one pass finds every shape problem.

use serde_yaml::Value;

use crate::diag::{Ctxt, did_you_mean};
use crate::model::{
    ById, EnumDef, EnumValue, ErrorDef, Example, Field, FieldPattern, FilterDef, FilterField,
    FilterOp, GroupParam, MapKeys, OneOfGroup, OrderDef, PRIMITIVES, Paging, Param, ResultCase,
    ResultChoice, ResultDef, SelectNames, Spec, TypeDef, TypeKind, TypeRef,
};
use crate::names::pascal_case;
use crate::path::KeyPath;

const TOP_KEYS: &[&str] = &[
    "method",
    "scope",
    "other_scopes",
    "summary",
    "description",
    "docs",
    "access",
    "read_only",
    "paged",
    "params",
    "one_of_required",
    "result",
    "types",
    "errors",
    "example",
    "emulator",
];
const TYPE_KEYS: &[&str] = &[
    "type",
    "items",
    "keys",
    "values",
    "name",
    "case_insensitive",
    "fields",
    "operators",
    "logic",
    "of",
    "custom_fields",
    "direction",
    "or_false",
    "or_empty",
    "or_empty_object",
    "or_empty_list",
    "nullable",
];
/// Keys of a field of a `type: filter` (next to its type's own keys).
const FILTER_FIELD_KEYS: &[&str] = &["doc", "rust_name"];
/// Keys of a named enum in a type library's `types:`.
const NAMED_ENUM_KEYS: &[&str] = &["type", "values", "case_insensitive", "doc"];
const PARAM_KEYS: &[&str] = &[
    "doc",
    "required",
    "default",
    "min",
    "min_items",
    "invalid",
    "rust_name",
];
const FIELD_KEYS: &[&str] = &["doc", "optional", "required", "rust_name", "select_as"];
const RESULT_KEYS: &[&str] = &["doc"];
const CHOICE_KEYS: &[&str] = &["by_param", "cases", "otherwise", "doc"];
const CASE_KEYS: &[&str] = &["variant", "doc"];
const TYPEDEF_KEYS: &[&str] = &["doc", "input", "fields", "custom_fields", "select_names"];
const ERROR_KEYS: &[&str] = &["status", "doc", "message", "rust_name"];
const EXAMPLE_KEYS: &[&str] = &["params", "response"];
/// Keys of `paged:` when it is a mapping.
const PAGED_KEYS: &[&str] = &["items", "id", "by_id"];
const BY_ID_KEYS: &[&str] = &["filter", "order"];

/// Whether `key` is an option of a type, parameter, field or result (`doc`, `optional`, …),
/// as opposed to a name the spec chooses.
pub(crate) fn is_option_key(key: &str) -> bool {
    [TYPE_KEYS, PARAM_KEYS, FIELD_KEYS, RESULT_KEYS]
        .iter()
        .any(|keys| keys.contains(&key))
}

/// Reads a whole spec; `None` when a problem was recorded that leaves nothing to check further.
pub(crate) fn spec(cx: &mut Ctxt, file: &str, root: &Value) -> Option<Spec> {
    let path = KeyPath::root();
    let map = mapping(cx, root, &path, "the spec")?;
    check_keys(cx, map, &path, &[TOP_KEYS]);

    let method = required_str(cx, map, &path, "method");
    let scope = required_str(cx, map, &path, "scope");
    let other_scopes = other_scopes(cx, map, &path);
    let summary = required_str(cx, map, &path, "summary");
    let docs = required_str(cx, map, &path, "docs");
    let access = required_str(cx, map, &path, "access");
    let description = optional_str(cx, map, &path, "description");
    let read_only = optional_bool(cx, map, &path, "read_only").unwrap_or(false);
    let (paged, paging) = paging(cx, map, &path);

    let mut params = match get(map, "params") {
        Some(v) if !v.is_null() => {
            params(cx, v, &path.key("params"), method.as_deref().unwrap_or(""))
        }
        _ => Vec::new(),
    };
    if paged && !params.iter().any(|p| p.wire.eq_ignore_ascii_case("start")) {
        params.push(start_param(&path.key("paged")));
    }
    let types = match get(map, "types") {
        Some(v) if !v.is_null() => types(cx, v, &path.key("types"), file, false).0,
        _ => Vec::new(),
    };
    let errors = match get(map, "errors") {
        Some(v) if !v.is_null() => errors(cx, v, &path.key("errors")),
        _ => Vec::new(),
    };
    let result = match get(map, "result") {
        Some(v) => result(cx, v, &path.key("result"), method.as_deref().unwrap_or("")),
        None => {
            missing(
                cx,
                &path,
                "result",
                "the type of a successful call's `result`",
            );
            None
        }
    };
    let one_of_required = match get(map, "one_of_required") {
        Some(v) if !v.is_null() => one_of_required(cx, v, &path.key("one_of_required")),
        _ => Vec::new(),
    };
    let example = get(map, "example").and_then(|v| example(cx, v, &path.key("example")));
    let emulator =
        get(map, "emulator").and_then(|v| crate::emulation::parse(cx, v, &path.key("emulator")));

    Some(Spec {
        file: file.to_owned(),
        method: method?,
        scope: scope?,
        other_scopes,
        summary: summary?,
        description,
        docs: docs?,
        access: access?,
        read_only,
        paged,
        paging,
        params,
        one_of_required,
        result: result?,
        types,
        shared_types: Vec::new(),
        shared_enums: Vec::new(),
        errors,
        example,
        emulator,
    })
}

/// `other_scopes: [user_brief, user_basic]`: a list of scope names, each given once and none
/// the same as `scope`.
fn other_scopes(cx: &mut Ctxt, map: &serde_yaml::Mapping, path: &KeyPath) -> Vec<String> {
    let path = path.key("other_scopes");
    let items = match get(map, "other_scopes") {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Sequence(items)) => items,
        Some(Value::String(one)) => {
            cx.error(&path, "expected a list of scope names, found a string")
                .help(format!("write a list even for one scope: `[{one}]`"));
            return Vec::new();
        }
        Some(other) => {
            wrong_kind(
                cx,
                other,
                &path,
                "a list of scope names, e.g. `[user_brief, user_basic]`",
            );
            return Vec::new();
        }
    };
    let primary = get(map, "scope").and_then(Value::as_str);
    let mut out: Vec<String> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = path.index(i);
        match item {
            Value::String(name) if is_scope_name(name) => {
                if primary == Some(name.as_str()) {
                    cx.error(&at, format!("`{name}` is already the method's `scope`"))
                        .help("list only the other scopes that also grant the method");
                } else if out.contains(name) {
                    cx.error(&at, format!("scope `{name}` is listed twice"))
                        .help("remove one of them");
                } else {
                    out.push(name.clone());
                }
            }
            Value::String(name) => {
                cx.error(&at, format!("`{name}` is not a scope name"))
                    .help("scope names are lower-case letters, digits and `_`, e.g. `user_brief`");
            }
            other => {
                cx.error(
                    &at,
                    format!("expected a scope name, found {}", kind_of(other)),
                )
                .help("write the scope's name, e.g. `user_brief`");
            }
        }
    }
    out
}

/// Bitrix24's scope names: `im`, `user_brief`, `crm`, …
fn is_scope_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn params(cx: &mut Ctxt, v: &Value, path: &KeyPath, method: &str) -> Vec<Param> {
    let Some(map) = mapping(cx, v, path, "`params`") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in map {
        let Some(wire) = key_str(cx, key, path) else {
            continue;
        };
        let p = path.key(&wire);
        let default_name = match value.as_mapping().and_then(|m| get(m, "type")) {
            // A filter builder is named after its method too: `UserGetFilter`.
            Some(Value::String(t)) if t == "filter" => {
                format!("{}{}", pascal_case(method), pascal_case(&wire))
            }
            _ => pascal_case(&wire),
        };
        let Some(mut ty) = type_node(cx, value, &p, &[PARAM_KEYS], &default_name) else {
            continue;
        };
        ty.min_items = value.as_mapping().and_then(|m| match get(m, "min_items") {
            None => None,
            Some(Value::Number(n)) if n.as_u64().is_some_and(|n| n >= 1) => {
                n.as_u64().and_then(|n| usize::try_from(n).ok())
            }
            Some(Value::Number(n)) if n.as_u64() == Some(0) => {
                cx.error(&p.key("min_items"), "`min_items: 0` sets no limit")
                    .help("a list may be empty unless `min_items` says otherwise: remove it, or write 1 or more");
                None
            }
            Some(other) => {
                wrong_kind(
                    cx,
                    other,
                    &p.key("min_items"),
                    "a whole number of at least 1",
                );
                None
            }
        });
        let (doc, required, default, min, invalid) = match value.as_mapping() {
            Some(m) => (
                optional_str(cx, m, &p, "doc"),
                optional_bool(cx, m, &p, "required").unwrap_or(false),
                get(m, "default").map(yaml_to_json),
                match get(m, "min") {
                    None => None,
                    Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64(),
                    Some(other) => {
                        wrong_kind(cx, other, &p.key("min"), "a whole number");
                        None
                    }
                },
                optional_str(cx, m, &p, "invalid"),
            ),
            None => (None, false, None, None, None),
        };
        let Some(doc) = doc else {
            missing(cx, &p, "doc", "what the parameter does, in a sentence");
            continue;
        };
        let rust = value
            .as_mapping()
            .and_then(|m| optional_str(cx, m, &p, "rust_name"))
            .unwrap_or_else(|| crate::names::snake_case(&wire));
        out.push(Param {
            rust,
            wire,
            ty,
            required,
            default: default.flatten(),
            min,
            invalid,
            doc,
            path: p,
        });
    }
    out
}

/// `paged:`: `true`/`false`, or a mapping (`{ items: tasks, id: ID, by_id: … }`) for a list
/// method whose pages need more than a plain list.
fn paging(cx: &mut Ctxt, map: &serde_yaml::Mapping, path: &KeyPath) -> (bool, Paging) {
    let at = path.key("paged");
    let m = match get(map, "paged") {
        None => return (false, Paging::default()),
        Some(Value::Bool(b)) => return (*b, Paging::default()),
        Some(Value::Mapping(m)) => m,
        Some(other) => {
            cx.error(
                &at,
                format!(
                    "expected `true`, `false` or a mapping, found {}",
                    kind_of(other)
                ),
            )
            .help("write `paged: true` for a list method, or a mapping of `items`, `id` and `by_id` (e.g. `paged: { id: ID }`)");
            return (false, Paging::default());
        }
    };
    check_keys(cx, m, &at, &[PAGED_KEYS]);
    let by_id = get(m, "by_id").and_then(|v| {
        let by_at = at.key("by_id");
        let b = mapping(cx, v, &by_at, "`by_id`")?;
        check_keys(cx, b, &by_at, &[BY_ID_KEYS]);
        let filter = required_str(cx, b, &by_at, "filter");
        let order = match get(b, "order") {
            Some(v) => {
                let order_at = by_at.key("order");
                let o = mapping(cx, v, &order_at, "`order`")?;
                let mut order = Vec::new();
                for (key, value) in o {
                    let Some(key) = key_str(cx, key, &order_at) else {
                        continue;
                    };
                    match yaml_to_json(value) {
                        Some(json) => order.push((key, json)),
                        None => wrong_kind(cx, value, &order_at.key(&key), "a JSON value"),
                    }
                }
                Some(order)
            }
            None => {
                missing(cx, &by_at, "order", describe("order"));
                None
            }
        };
        Some(ById {
            filter: filter?,
            order: order?,
            path: by_at,
        })
    });
    let paging = Paging {
        items: optional_str(cx, m, &at, "items"),
        id: optional_str(cx, m, &at, "id"),
        by_id,
        path: at,
    };
    (true, paging)
}

/// The `start` parameter every list method takes, added by `paged: true`.
fn start_param(path: &KeyPath) -> Param {
    Param {
        wire: "start".into(),
        rust: "start".into(),
        ty: TypeRef::plain(TypeKind::Integer, path.clone()),
        required: false,
        default: Some(serde_json::Value::from(0)),
        min: Some(-1),
        invalid: None,
        doc: "Offset of the first record to return; pages hold 50 records, and `-1` skips \
              counting the total, which is faster on large lists"
            .into(),
        path: path.clone(),
    }
}

fn result(cx: &mut Ctxt, v: &Value, path: &KeyPath, method: &str) -> Option<ResultDef> {
    let default_name = format!("{}Result", pascal_case(method));
    if let Some(m) = v.as_mapping()
        && get(m, "by_param").is_some()
    {
        return result_choice(cx, m, path, &default_name);
    }
    let ty = type_node(cx, v, path, &[RESULT_KEYS], &default_name)?;
    let doc = v
        .as_mapping()
        .and_then(|m| optional_str(cx, m, path, "doc"));
    Some(ResultDef {
        ty,
        doc,
        path: path.clone(),
        by_param: None,
    })
}

/// Whether a document is a type library (`types:` and no `method:`) rather than a method spec.
pub(crate) fn is_library(root: &Value) -> bool {
    root.as_mapping()
        .is_some_and(|m| get(m, "method").is_none() && get(m, "types").is_some())
}

const LIBRARY_KEYS: &[&str] = &["description", "types"];

/// The names a type library defines (the keys of its `types:`), without checking them.
pub(crate) fn library_names(root: &Value) -> Vec<String> {
    root.as_mapping()
        .and_then(|m| get(m, "types"))
        .and_then(Value::as_mapping)
        .map(|types| {
            types
                .keys()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Reads a type library: shared object types and named enums, defined once for several
/// methods.
pub(crate) fn library(cx: &mut Ctxt, file: &str, root: &Value) -> (Vec<TypeDef>, Vec<EnumDef>) {
    let path = KeyPath::root();
    let Some(map) = mapping(cx, root, &path, "a type library") else {
        return (Vec::new(), Vec::new());
    };
    for key in map.keys().filter_map(Value::as_str) {
        if !LIBRARY_KEYS.contains(&key) {
            cx.key_error(&path.key(key), format!("unknown key `{key}` in a type library"))
                .help("a type library (a file with `types:` and no `method:`) holds only `description` and `types`; a method spec needs `method:`");
        }
    }
    optional_str(cx, map, &path, "description");
    match get(map, "types") {
        Some(v) => types(cx, v, &path.key("types"), file, true),
        None => (Vec::new(), Vec::new()),
    }
}

/// Object types, and (in a type library, `library` set) named enums.
fn types(
    cx: &mut Ctxt,
    v: &Value,
    path: &KeyPath,
    file: &str,
    library: bool,
) -> (Vec<TypeDef>, Vec<EnumDef>) {
    let Some(map) = mapping(cx, v, path, "`types`") else {
        return (Vec::new(), Vec::new());
    };
    let mut out = Vec::new();
    let mut enums = Vec::new();
    let entries: Vec<(&Value, &Value)> = map.iter().collect();
    for (i, &(key, value)) in entries.iter().enumerate() {
        let Some(name) = key_str(cx, key, path) else {
            continue;
        };
        let p = path.key(&name);
        if DEFINITION_KEYS.contains(&name.as_str()) {
            definition_key_as_type(cx, &entries[..i], &name, &p);
            continue;
        }
        // `Thing:` with its `fields:` below it at the same indentation: reported at `fields`;
        // `Thing` is still read (from there), so its uses do not repeat the mistake.
        let spilled: Vec<(&str, &Value)> = entries[i + 1..]
            .iter()
            .map_while(|&(k, v)| {
                k.as_str()
                    .filter(|k| DEFINITION_KEYS.contains(k))
                    .map(|k| (k, v))
            })
            .collect();
        let own = value.as_mapping();
        let mut names = SelectNames::default();
        let (doc, input, fields, custom_fields) = if !spilled.is_empty()
            && (value.is_null()
                || own.is_some_and(|m| get(m, "fields").is_none() && get(m, "type").is_none()))
        {
            if let Some(m) = own {
                check_keys(cx, m, &p, &[TYPEDEF_KEYS]);
                names = select_names(cx, m, &p);
            }
            let doc = own.and_then(|m| optional_str(cx, m, &p, "doc"));
            let input = own
                .and_then(|m| optional_bool(cx, m, &p, "input"))
                .or_else(|| {
                    spilled
                        .iter()
                        .find_map(|(k, v)| (*k == "input").then(|| v.as_bool()).flatten())
                })
                .unwrap_or(false);
            let fields = spilled
                .iter()
                .find(|(k, _)| *k == "fields")
                .map_or_else(Vec::new, |(_, f)| fields(cx, f, &path.key("fields"), &name));
            let custom = match own.and_then(|m| get(m, "custom_fields")) {
                Some(v) => patterns(cx, v, &p.key("custom_fields")),
                None => Vec::new(),
            };
            (doc, input, fields, custom)
        } else {
            let Some(m) = mapping(cx, value, &p, "a type definition") else {
                continue;
            };
            if let Some(kind) = get(m, "type") {
                if library {
                    if let Some(e) = named_enum(cx, m, kind, &p, &name, file) {
                        enums.push(e);
                    }
                } else {
                    cx.key_error(&p.key("type"), format!("`{name}` is a named enum, but named enums live in type libraries"))
                        .help("define it under `types:` of a type library (such as `specs/types/user.yaml`), or write the enum inline where it is used, with `name:`");
                }
                continue;
            }
            names = select_names(cx, m, &p);
            object_type(cx, m, &p, &name)
        };
        out.push(TypeDef {
            name,
            file: file.to_owned(),
            doc,
            input,
            fields,
            custom_fields,
            select_names: names,
            path: p,
        });
    }
    (out, enums)
}

/// `select_names:` of an object type: how requests name its fields.
fn select_names(cx: &mut Ctxt, m: &serde_yaml::Mapping, p: &KeyPath) -> SelectNames {
    let Some(v) = get(m, "select_names") else {
        return SelectNames::default();
    };
    let at = p.key("select_names");
    let spellings = SelectNames::ALL.iter().map(|(name, _)| *name);
    match v.as_str() {
        Some(text) => match SelectNames::ALL.iter().find(|(name, _)| *name == text) {
            Some((_, rule)) => *rule,
            None => {
                let p = cx.error(&at, format!("unknown `select_names` rule `{text}`"));
                match did_you_mean(text, spellings) {
                    Some(s) => p.help(format!("did you mean `{s}`?")),
                    None => p.help(
                        "write `upper_snake` (`responsibleId` is selected as `RESPONSIBLE_ID`), or `keys` (the default: as the answer spells them)",
                    ),
                };
                SelectNames::default()
            }
        },
        None => {
            cx.error(
                &at,
                format!("expected `upper_snake` or `keys`, found {}", kind_of(v)),
            )
            .help("write one rule as plain text, e.g. `select_names: upper_snake`");
            SelectNames::default()
        }
    }
}

/// The `doc`, `input`, `fields` and `custom_fields` of an object type's definition.
fn object_type(
    cx: &mut Ctxt,
    m: &serde_yaml::Mapping,
    p: &KeyPath,
    name: &str,
) -> (Option<String>, bool, Vec<Field>, Vec<FieldPattern>) {
    // Fields written straight under the type's name, without `fields:` or beside an empty
    // one: one mistake, reported once; the fields are read where they stand.
    let (stray, known): (serde_yaml::Mapping, serde_yaml::Mapping) =
        m.clone().into_iter().partition(|(k, _)| {
            k.as_str().is_none_or(|k| {
                !TYPEDEF_KEYS.contains(&k)
                    && did_you_mean(k, TYPEDEF_KEYS.iter().copied()).is_none()
            })
        });
    check_keys(cx, &known, p, &[TYPEDEF_KEYS]);
    let doc = optional_str(cx, m, p, "doc");
    let input = optional_bool(cx, m, p, "input").unwrap_or(false);
    let fields = match get(m, "fields") {
        None | Some(Value::Null) if !stray.is_empty() => {
            fields_beside(cx, p, name, &stray, get(m, "fields").is_some());
            fields(cx, &Value::Mapping(stray), p, name)
        }
        Some(f) => fields(cx, f, &p.key("fields"), name),
        None => {
            missing(
                cx,
                p,
                "fields",
                "the object's fields, one per key of the JSON object",
            );
            Vec::new()
        }
    };
    let custom = match get(m, "custom_fields") {
        Some(v) => patterns(cx, v, &p.key("custom_fields")),
        None => Vec::new(),
    };
    (doc, input, fields, custom)
}

/// `custom_fields: ["UF_CRM_*", PARENT_ID_1220]`: a list of patterns, read as written (the
/// checks say which are usable).
fn patterns(cx: &mut Ctxt, v: &Value, path: &KeyPath) -> Vec<FieldPattern> {
    let items = match v {
        Value::Sequence(items) => items,
        Value::String(one) => {
            cx.error(path, "expected a list of patterns, found a string")
                .help(format!("write a list even for one pattern: `[{one}]`"));
            return Vec::new();
        }
        other => {
            wrong_kind(
                cx,
                other,
                path,
                "a list of patterns such as `[UF_CRM_*, PARENT_ID_*]`",
            );
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = path.index(i);
        match item {
            Value::String(pattern) => out.push(FieldPattern {
                pattern: pattern.clone(),
                path: at,
            }),
            other => wrong_kind(cx, other, &at, "a pattern such as `UF_CRM_*`"),
        }
    }
    if items.is_empty() {
        cx.error(path, "`custom_fields` lists no pattern")
            .help("list the patterns of the custom fields' names, e.g. `[UF_CRM_*]`, or remove `custom_fields`");
    }
    out
}

/// Keys of a type definition (an object type's or a named enum's).
const DEFINITION_KEYS: &[&str] = &[
    "doc",
    "input",
    "fields",
    "custom_fields",
    "select_names",
    "type",
    "values",
    "case_insensitive",
];

/// A key of a type definition written where type names go, directly under `types:`: the
/// definition's lines are indented one level too little.
fn definition_key_as_type(cx: &mut Ctxt, before: &[(&Value, &Value)], key: &str, at: &KeyPath) {
    let owner = before
        .iter()
        .rev()
        .find_map(|(k, _)| k.as_str().filter(|k| !DEFINITION_KEYS.contains(k)));
    let help = match owner {
        Some(owner) => format!(
            "indent `{key}:` and the lines below it under `{owner}:`, one level deeper than `{owner}:`"
        ),
        None => format!(
            "name the type first: under `types:` write its name (`Thing:`), with `{key}:` indented below it"
        ),
    };
    cx.key_error(
        at,
        format!("`{key}` is a key of a type definition, but it stands where type names go, directly under `types:`"),
    )
    .help(help);
}

/// An object type whose fields stand directly under its name: `fields:` left out, or left
/// empty (`empty`) with the fields beside it instead of below it.
fn fields_beside(
    cx: &mut Ctxt,
    at: &KeyPath,
    name: &str,
    stray: &serde_yaml::Mapping,
    empty: bool,
) {
    let mut names: Vec<String> = stray
        .keys()
        .take(3)
        .map(|k| match k.as_str() {
            Some(k) => format!("`{k}`"),
            None => "…".to_owned(),
        })
        .collect();
    if stray.len() > 3 {
        names.push("…".to_owned());
    }
    let names = names.join(", ");
    if empty {
        cx.key_error(
            &at.key("fields"),
            format!("`fields:` of `{name}` is empty, and {names} beside it are read as keys of `{name}`, not as its fields"),
        )
        .help("indent the fields under `fields:`, one level deeper than `fields:` itself");
    } else {
        cx.key_error(
            at,
            format!("{names} stand directly under `{name}:`, but an object type lists its fields under `fields:`"),
        )
        .help(format!(
            "add a `fields:` line under `{name}:` and indent the fields one level deeper, below it"
        ));
    }
}

/// A named enum of a type library: `Gender: { type: enum, values: {…}, doc: … }`.
fn named_enum(
    cx: &mut Ctxt,
    m: &serde_yaml::Mapping,
    kind: &Value,
    path: &KeyPath,
    name: &str,
    file: &str,
) -> Option<EnumDef> {
    check_keys(cx, m, path, &[NAMED_ENUM_KEYS]);
    if kind.as_str() != Some("enum") {
        cx.error(&path.key("type"), "a named type of a type library is an object type (with `fields`) or an enum (`type: enum`)")
            .help("write `type: enum` with `values:`, or remove `type` and list the object's `fields`");
        return None;
    }
    let doc = optional_str(cx, m, path, "doc");
    let case_insensitive = optional_bool(cx, m, path, "case_insensitive").unwrap_or(false);
    let values = enum_values(cx, get(m, "values"), path)?;
    Some(EnumDef {
        name: name.to_owned(),
        values,
        case_insensitive,
        shared: true,
        doc,
        select_of: None,
        custom_fields: Vec::new(),
        path: path.clone(),
        file: file.to_owned(),
    })
}

fn fields(cx: &mut Ctxt, v: &Value, path: &KeyPath, owner: &str) -> Vec<Field> {
    let Some(map) = mapping(cx, v, path, "`fields`") else {
        return Vec::new();
    };
    // Checked on the mapping, not the parsed fields: a field with its own error is no reason
    // to also say the type is empty.
    if map.is_empty() {
        cx.error(path, format!("type `{owner}` has no fields"))
            .help("list the object's fields, or use `json` for an object of unknown shape");
    }
    let mut out = Vec::new();
    for (key, value) in map {
        let Some(wire) = key_str(cx, key, path) else {
            continue;
        };
        let p = path.key(&wire);
        let default_name = format!("{owner}{}", pascal_case(&wire));
        let Some(ty) = type_node(cx, value, &p, &[FIELD_KEYS], &default_name) else {
            continue;
        };
        let (doc, optional, required) = match value.as_mapping() {
            Some(m) => (
                optional_str(cx, m, &p, "doc"),
                optional_bool(cx, m, &p, "optional").unwrap_or(false),
                optional_bool(cx, m, &p, "required").unwrap_or(false),
            ),
            None => (None, false, false),
        };
        let rust = value
            .as_mapping()
            .and_then(|m| optional_str(cx, m, &p, "rust_name"))
            .unwrap_or_else(|| crate::names::snake_case(&wire));
        let select_as = value
            .as_mapping()
            .and_then(|m| optional_str(cx, m, &p, "select_as"));
        out.push(Field {
            rust,
            wire,
            ty,
            optional,
            required,
            select_as,
            doc,
            path: p,
        });
    }
    out
}

const GROUP_KEYS: &[&str] = &["params", "invalid"];

/// `one_of_required: [[MESSAGE, ATTACH], { params: [A, B], invalid: CODE }]`: groups of
/// parameter names, each a list, or a mapping with the list and the error code for none.
fn one_of_required(cx: &mut Ctxt, v: &Value, path: &KeyPath) -> Vec<OneOfGroup> {
    let Value::Sequence(groups) = v else {
        wrong_kind(
            cx,
            v,
            path,
            "a list of parameter groups, e.g. `[[MESSAGE, ATTACH]]`",
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, group) in groups.iter().enumerate() {
        let at = path.index(i);
        let (names, names_at, invalid) = match group {
            Value::Sequence(names) => (names, at.clone(), None),
            Value::Mapping(m) => {
                check_keys(cx, m, &at, &[GROUP_KEYS]);
                let invalid = optional_str(cx, m, &at, "invalid");
                match get(m, "params") {
                    Some(Value::Sequence(names)) => (names, at.key("params"), invalid),
                    Some(other) => {
                        wrong_kind(
                            cx,
                            other,
                            &at.key("params"),
                            "a list of parameter names, e.g. `[MESSAGE, ATTACH]`",
                        );
                        continue;
                    }
                    None => {
                        missing(
                            cx,
                            &at,
                            "params",
                            "the parameters of which at least one must be sent, e.g. `[MESSAGE, ATTACH]`",
                        );
                        continue;
                    }
                }
            }
            Value::String(name) => {
                cx.error(&at, format!("expected a group of parameter names, found the single name `{name}`"))
                    .help("write each group as a list, in a list of groups: `one_of_required: [[MESSAGE, ATTACH]]`");
                continue;
            }
            other => {
                wrong_kind(
                    cx,
                    other,
                    &at,
                    "a group: a list of parameter names such as `[MESSAGE, ATTACH]`, or `{ params: [...], invalid: CODE }`",
                );
                continue;
            }
        };
        let mut params = Vec::new();
        for (j, name) in names.iter().enumerate() {
            let name_at = names_at.index(j);
            match name {
                Value::String(wire) => params.push(GroupParam {
                    wire: wire.clone(),
                    path: name_at,
                }),
                other => wrong_kind(cx, other, &name_at, "a parameter name"),
            }
        }
        out.push(OneOfGroup {
            params,
            invalid,
            path: at,
        });
    }
    out
}

fn errors(cx: &mut Ctxt, v: &Value, path: &KeyPath) -> Vec<ErrorDef> {
    let Some(map) = mapping(cx, v, path, "`errors`") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in map {
        let Some(code) = key_str(cx, key, path) else {
            continue;
        };
        let p = path.key(&code);
        if code.is_empty() {
            described_errors(cx, value, &p, &mut out);
            continue;
        }
        let Some(m) = mapping(cx, value, &p, "an error definition") else {
            continue;
        };
        check_keys(cx, m, &p, &[ERROR_KEYS]);
        let variant = optional_str(cx, m, &p, "rust_name").unwrap_or_else(|| pascal_case(&code));
        let message = optional_str(cx, m, &p, "message");
        if let Some(e) = error_def(cx, m, p, code, variant, message) {
            out.push(e);
        }
    }
    out
}

/// `"": { "Not found": { rust_name: NotFound, status: 400, doc: … } }`: errors sent with an
/// empty code, each keyed by the `error_description` that tells it apart.
fn described_errors(cx: &mut Ctxt, v: &Value, path: &KeyPath, out: &mut Vec<ErrorDef>) {
    let Some(map) = mapping(cx, v, path, "the errors with an empty code, by description") else {
        return;
    };
    // An error definition written straight under `"":`, as for a code: its keys would be
    // read as descriptions, each with its own message; one says what the form is.
    let definition_keys: Vec<&str> = map
        .iter()
        .filter(|(_, value)| !value.is_mapping())
        .filter_map(|(key, _)| key.as_str().filter(|k| ERROR_KEYS.contains(k)))
        .collect();
    if let Some((last, init)) = definition_keys.split_last() {
        let (keys, are) = if init.is_empty() {
            (format!("`{last}` is"), "it were")
        } else {
            (
                format!("`{}` and `{last}` are", init.join("`, `")),
                "they were",
            )
        };
        cx.key_error(
            path,
            format!(
                "an error with an empty code is told apart by its description, but {keys} written here as if {are} the error's definition"
            ),
        )
        .help("key each such error by the `error_description` the documentation gives, with its definition under it: `\"\": { \"Not found\": { rust_name: NotFound, status: 400, doc: … } }`");
        return;
    }
    for (key, value) in map {
        let Some(description) = key_str(cx, key, path) else {
            continue;
        };
        let p = path.key(&description);
        let Some(m) = mapping(cx, value, &p, "an error definition") else {
            continue;
        };
        check_keys(cx, m, &p, &[ERROR_KEYS]);
        if get(m, "message").is_some() {
            cx.key_error(
                &p.key("message"),
                "`message` repeats the key: an error with an empty code is keyed by its `error_description`",
            )
            .help(format!(
                "remove `message`; the emulator answers with the key, {description:?}, and the client matches it"
            ));
        }
        let Some(variant) = optional_str(cx, m, &p, "rust_name") else {
            if get(m, "rust_name").is_none() {
                let guess = pascal_case(&description);
                let example = if crate::names::invalid_ident_reason(&guess).is_none()
                    && guess.starts_with(|c: char| c.is_ascii_uppercase())
                {
                    guess
                } else {
                    "NotFound".to_owned()
                };
                cx.key_error(
                    &p,
                    format!("the error described as {description:?} has no `rust_name`: with an empty code, nothing names its variant"),
                )
                .help(format!(
                    "add `rust_name:` with a PascalCase variant name, e.g. `rust_name: {example}`"
                ));
            }
            continue;
        };
        if let Some(e) = error_def(cx, m, p, String::new(), variant, Some(description)) {
            out.push(e);
        }
    }
}

/// The keys every error definition has: `status` and `doc`.
fn error_def(
    cx: &mut Ctxt,
    m: &serde_yaml::Mapping,
    p: KeyPath,
    code: String,
    variant: String,
    message: Option<String>,
) -> Option<ErrorDef> {
    let status = match get(m, "status") {
        None => None,
        Some(Value::Number(n)) => match n.as_u64() {
            Some(s) if (100..=599).contains(&s) => Some(s as u16),
            _ => {
                cx.error(
                    &p.key("status"),
                    format!("HTTP status {n} is outside 100..=599"),
                )
                .help("use the status the documentation gives, e.g. 400, or leave `status` out");
                None
            }
        },
        Some(other) => {
            wrong_kind(cx, other, &p.key("status"), "an HTTP status number");
            None
        }
    };
    let doc = required_str(cx, m, &p, "doc")?;
    Some(ErrorDef {
        variant,
        code,
        status,
        doc,
        message,
        path: p,
    })
}

/// `result: { by_param: P, cases: { value: { variant: …, type: … } }, otherwise: { … } }`.
fn result_choice(
    cx: &mut Ctxt,
    m: &serde_yaml::Mapping,
    path: &KeyPath,
    enum_name: &str,
) -> Option<ResultDef> {
    check_keys(cx, m, path, &[CHOICE_KEYS]);
    let param = optional_str(cx, m, path, "by_param");
    let doc = optional_str(cx, m, path, "doc");
    let mut cases = Vec::new();
    match get(m, "cases") {
        None => missing(
            cx,
            path,
            "cases",
            "a mapping from each parameter value to the result's shape for it",
        ),
        Some(v) => {
            let cp = path.key("cases");
            if let Some(map) = mapping(cx, v, &cp, "`cases`") {
                for (key, value) in map {
                    let Some(when) = wire_text(key) else {
                        wrong_kind(cx, key, &cp, "a parameter value as key");
                        continue;
                    };
                    let p = cp.key(&when);
                    if let Some(case) = result_case(cx, value, &p, Some(when), enum_name) {
                        cases.push(case);
                    }
                }
                if map.is_empty() {
                    cx.error(&cp, "`cases` lists no value")
                        .help("list each parameter value with its shape, e.g. `cases: { array: { variant: list, type: array, items: User } }`");
                }
            }
        }
    }
    let otherwise = match get(m, "otherwise") {
        Some(v) => result_case(cx, v, &path.key("otherwise"), None, enum_name),
        None => {
            missing(
                cx,
                path,
                "otherwise",
                "the shape for any other value of the parameter, or for none",
            );
            None
        }
    };
    let otherwise = otherwise?;
    Some(ResultDef {
        ty: otherwise.ty.clone(),
        doc,
        path: path.clone(),
        by_param: Some(ResultChoice {
            param: param?,
            cases,
            otherwise,
            path: path.key("by_param"),
        }),
    })
}

fn result_case(
    cx: &mut Ctxt,
    v: &Value,
    path: &KeyPath,
    when: Option<String>,
    enum_name: &str,
) -> Option<ResultCase> {
    let m = mapping(cx, v, path, "a result case (`variant`, `type`, …)")?;
    let variant = match get(m, "variant") {
        Some(_) => optional_str(cx, m, path, "variant"),
        None => {
            missing(
                cx,
                path,
                "variant",
                "the snake_case name of this case's variant, e.g. `variant: list`",
            );
            None
        }
    };
    let default_name = format!(
        "{enum_name}{}",
        pascal_case(variant.as_deref().unwrap_or(""))
    );
    let ty = type_node(cx, v, path, &[CASE_KEYS], &default_name);
    let doc = optional_str(cx, m, path, "doc");
    Some(ResultCase {
        when,
        variant: variant?,
        ty: ty?,
        doc,
        path: path.clone(),
    })
}

fn example(cx: &mut Ctxt, v: &Value, path: &KeyPath) -> Option<Example> {
    let m = mapping(cx, v, path, "`example`")?;
    check_keys(cx, m, path, &[EXAMPLE_KEYS]);
    let params = match get(m, "params") {
        None | Some(Value::Null) => serde_json::Map::new(),
        Some(p) => match yaml_to_json(p) {
            Some(serde_json::Value::Object(obj)) => obj,
            _ => {
                wrong_kind(
                    cx,
                    p,
                    &path.key("params"),
                    "a mapping of parameter names to values",
                );
                return None;
            }
        },
    };
    let Some(response) = get(m, "response") else {
        missing(cx, path, "response", "the documented response, verbatim");
        return None;
    };
    let Some(response) = yaml_to_json(response) else {
        cx.error(
            &path.key("response"),
            "the example response cannot be represented as JSON",
        )
        .help("use only strings, numbers, booleans, null, lists and mappings with string keys");
        return None;
    };
    Some(Example { params, response })
}

/// Reads a type expression: a bare name (`integer`, `User`) or a mapping with `type` and its
/// options. `extra` lists the keys the owner (param, field, result) reads itself.
pub(crate) fn type_node(
    cx: &mut Ctxt,
    v: &Value,
    path: &KeyPath,
    extra: &[&[&str]],
    default_name: &str,
) -> Option<TypeRef> {
    match v {
        Value::String(name) if name == "filter" || name == "select" || name == "order" => {
            let (key, what) = kind_keys(name);
            missing(cx, path, key, what);
            None
        }
        Value::String(name) => type_name(cx, name, path, path),
        Value::Mapping(m) => {
            let mut allowed = vec![TYPE_KEYS];
            allowed.extend_from_slice(extra);
            check_keys(cx, m, path, &allowed);
            let type_path = path.key("type");
            let name = match get(m, "type") {
                Some(Value::String(s)) => s.clone(),
                Some(other) => {
                    wrong_kind(
                        cx,
                        other,
                        &type_path,
                        "a type name such as `string` or `User`",
                    );
                    return None;
                }
                None => {
                    missing(
                        cx,
                        path,
                        "type",
                        "a type name such as `string`, `integer` or `User`",
                    );
                    return None;
                }
            };
            let mut ty = type_name(cx, &name, path, &type_path)?;
            let own_keys: &[&str] = match (&ty.kind, name.as_str()) {
                (_, "select") => &["of"],
                (TypeKind::Order(_), _) => &["of", "direction"],
                (TypeKind::Array(_), _) => &["items"],
                (TypeKind::Enum(_), _) => &["values", "name", "case_insensitive"],
                (TypeKind::Filter(_), _) => {
                    &["fields", "operators", "name", "custom_fields", "logic"]
                }
                (TypeKind::Map { .. }, _) => &["keys", "values"],
                _ => &[],
            };
            for key in KIND_KEYS {
                if get(m, key).is_some() && !own_keys.contains(&key) {
                    cx.key_error(
                        &path.key(key),
                        format!("`{key}` applies only to {}", kind_of_key(key)),
                    )
                    .help(format!("remove `{key}`, or change `type`"));
                }
            }
            match &mut ty.kind {
                TypeKind::Array(items) if name == "select" => {
                    let Some(of) = optional_str(cx, m, path, "of") else {
                        let (key, what) = kind_keys("select");
                        if get(m, "of").is_none() {
                            missing(cx, path, key, what);
                        }
                        return None;
                    };
                    record_fields(items, of, path);
                }
                TypeKind::Order(def) => {
                    let Some(of) = optional_str(cx, m, path, "of") else {
                        let (key, what) = kind_keys("order");
                        if get(m, "of").is_none() {
                            missing(cx, path, key, what);
                        }
                        return None;
                    };
                    record_fields(&mut def.fields, of, path);
                    def.direction = optional_bool(cx, m, path, "direction").unwrap_or(false);
                }
                TypeKind::Filter(def) => {
                    def.name = optional_str(cx, m, path, "name")
                        .unwrap_or_else(|| default_name.to_owned());
                    def.operators = match get(m, "operators") {
                        None => DOCUMENTED_OPERATORS.to_vec(),
                        Some(v) => operators(cx, v, &path.key("operators")),
                    };
                    let Some(fields) = get(m, "fields") else {
                        let (key, what) = kind_keys("filter");
                        missing(cx, path, key, what);
                        return None;
                    };
                    def.fields = filter_fields(cx, fields, &path.key("fields"), &def.name);
                    if let Some(v) = get(m, "custom_fields") {
                        def.custom_fields = patterns(cx, v, &path.key("custom_fields"));
                    }
                    def.logic = optional_bool(cx, m, path, "logic").unwrap_or(false);
                }
                TypeKind::Array(items) => match get(m, "items") {
                    Some(item) => {
                        let item_name = format!("{default_name}Item");
                        **items = type_node(cx, item, &path.key("items"), &[], &item_name)?;
                    }
                    None => {
                        missing(cx, path, "items", "the type of the array's elements");
                        return None;
                    }
                },
                TypeKind::Enum(def) => {
                    def.name = match optional_str(cx, m, path, "name") {
                        Some(n) => n,
                        None => default_name.to_owned(),
                    };
                    def.values = enum_values(cx, get(m, "values"), path)?;
                    def.case_insensitive =
                        optional_bool(cx, m, path, "case_insensitive").unwrap_or(false);
                    def.path = type_path.clone();
                }
                TypeKind::Map { keys, values } => {
                    *keys = map_keys(cx, m, path)?;
                    match get(m, "values") {
                        Some(v) => {
                            let value_name = format!("{default_name}Value");
                            **values = type_node(cx, v, &path.key("values"), &[], &value_name)?;
                        }
                        None => {
                            missing(cx, path, "values", "the type of the map's values");
                            return None;
                        }
                    }
                }
                _ => {}
            }
            ty.or_false = optional_bool(cx, m, path, "or_false").unwrap_or(false);
            ty.or_empty = optional_bool(cx, m, path, "or_empty").unwrap_or(false);
            ty.nullable = optional_bool(cx, m, path, "nullable").unwrap_or(false);
            ty.or_empty_object = optional_bool(cx, m, path, "or_empty_object").unwrap_or(false);
            ty.or_empty_list = optional_bool(cx, m, path, "or_empty_list").unwrap_or(false);
            Some(ty)
        }
        Value::Sequence(_) => {
            cx.error(path, "expected a type name or a mapping with a `type` key, found a list")
                .help("write a type name (`string`), or the type's keys as a mapping: `{ type: string, doc: … }` in braces, or `type:` lines without `- `");
            None
        }
        other => {
            wrong_kind(
                cx,
                other,
                path,
                "a type name or a mapping with a `type` key",
            );
            None
        }
    }
}

fn type_name(cx: &mut Ctxt, name: &str, owner: &KeyPath, at: &KeyPath) -> Option<TypeRef> {
    let kind = match name {
        "string" => TypeKind::String,
        "integer" => TypeKind::Integer,
        "number" => TypeKind::Number,
        "decimal" => TypeKind::Decimal,
        "boolean" => TypeKind::Boolean,
        "yn" => TypeKind::Yn,
        "id" => TypeKind::Id,
        "datetime" => TypeKind::Datetime,
        "naive_datetime" => TypeKind::NaiveDatetime,
        "display_datetime" => TypeKind::DisplayDatetime,
        "date" => TypeKind::Date,
        "json" => TypeKind::Json,
        "array" => TypeKind::Array(Box::new(TypeRef::plain(TypeKind::Json, at.clone()))),
        "map" => TypeKind::Map {
            keys: MapKeys::String,
            values: Box::new(TypeRef::plain(TypeKind::Json, at.clone())),
        },
        "enum" => TypeKind::Enum(empty_enum(at)),
        "select" => TypeKind::Array(Box::new(TypeRef::plain(
            TypeKind::Enum(empty_enum(at)),
            at.clone(),
        ))),
        "filter" => TypeKind::Filter(FilterDef {
            name: String::new(),
            fields: Vec::new(),
            operators: Vec::new(),
            custom_fields: Vec::new(),
            logic: false,
        }),
        "order" => TypeKind::Order(OrderDef {
            fields: Box::new(TypeRef::plain(TypeKind::Enum(empty_enum(at)), at.clone())),
            direction: false,
        }),
        other if other.starts_with(|c: char| c.is_ascii_uppercase()) => {
            TypeKind::Named(other.to_owned())
        }
        other => {
            let p = cx.error(at, format!("unknown type `{other}`"));
            match did_you_mean(other, PRIMITIVES.iter().copied()) {
                Some(s) => p.help(format!("did you mean `{s}`?")),
                None => p.help(format!(
                    "use one of {}, or a type from `types:` (type names start with an upper-case letter)",
                    PRIMITIVES.join(", ")
                )),
            };
            return None;
        }
    };
    let _ = owner;
    Some(TypeRef::plain(kind, at.clone()))
}

/// The enum of a record's field names, for a select or an order over `of`: `{of}Field`,
/// defined at the `of:` key; its values are filled in by `resolve`.
fn record_fields(names: &mut TypeRef, of: String, path: &KeyPath) {
    if let TypeKind::Enum(def) = &mut names.kind {
        def.name = format!("{of}Field");
        def.select_of = Some(of);
        def.path = path.key("of");
    }
    names.path = path.key("of");
}

/// Keys that belong to one kind of type only.
const KIND_KEYS: [&str; 11] = [
    "items",
    "keys",
    "values",
    "name",
    "case_insensitive",
    "fields",
    "operators",
    "logic",
    "of",
    "custom_fields",
    "direction",
];

/// Which types a kind-specific key belongs to, for "applies only to" messages.
fn kind_of_key(key: &str) -> &'static str {
    match key {
        "items" => "`type: array`",
        "name" => "`type: enum` and `type: filter`",
        "keys" => "`type: map`",
        "values" => "`type: enum` and `type: map`",
        "case_insensitive" => "`type: enum`",
        "fields" | "operators" | "logic" => "`type: filter`",
        "custom_fields" => "`type: filter` and object types under `types:`",
        "direction" => "`type: order`",
        _ => "`type: select` and `type: order`",
    }
}

/// The key a `filter`, `select` or `order` cannot do without, and what to write there.
fn kind_keys(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "filter" => (
            "fields",
            "the fields the filter may test and their types, e.g. `{ ID: id, NAME: string }`",
        ),
        "order" => (
            "of",
            "the record type whose field names the list may be ordered by, e.g. `of: PortalUser`",
        ),
        _ => (
            "of",
            "the record type whose field names may be selected, e.g. `of: PortalUser`",
        ),
    }
}

/// The operators Bitrix24 documents for `user.get`'s `FILTER`, in the documentation's order:
/// what a filter without `operators:` accepts.
const DOCUMENTED_OPERATORS: [FilterOp; 15] = [
    FilterOp::Ge,
    FilterOp::Gt,
    FilterOp::Le,
    FilterOp::Lt,
    FilterOp::In,
    FilterOp::NotIn,
    FilterOp::Like,
    FilterOp::Pattern,
    FilterOp::PatternAlt,
    FilterOp::NotLike,
    FilterOp::NotPattern,
    FilterOp::NotPatternAlt,
    FilterOp::Eq,
    FilterOp::NotEq,
    FilterOp::Not,
];

fn empty_enum(at: &KeyPath) -> EnumDef {
    EnumDef {
        name: String::new(),
        values: Vec::new(),
        case_insensitive: false,
        shared: false,
        doc: None,
        select_of: None,
        custom_fields: Vec::new(),
        path: at.clone(),
        file: String::new(),
    }
}

/// `operators: [">=", "@"]`: each a documented prefix, once.
fn operators(cx: &mut Ctxt, v: &Value, path: &KeyPath) -> Vec<FilterOp> {
    let items = match v {
        Value::Null => return Vec::new(),
        Value::Sequence(items) => items,
        other => {
            wrong_kind(
                cx,
                other,
                path,
                "a list of operator prefixes such as [\">=\", \"@\"]",
            );
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = path.index(i);
        let Some(text) = item.as_str() else {
            wrong_kind(
                cx,
                item,
                &at,
                "an operator prefix in quotes, such as \">=\"",
            );
            continue;
        };
        match FilterOp::from_prefix(text) {
            Some(op) if out.contains(&op) => {
                cx.error(&at, format!("operator `{text}` is listed twice"))
                    .help("list each operator once");
            }
            Some(op) => out.push(op),
            None => {
                let known: Vec<&str> = DOCUMENTED_OPERATORS.iter().map(|o| o.prefix()).collect();
                cx.error(&at, format!("unknown filter operator `{text}`"))
                    .help(format!(
                        "operators are the documented prefixes: {}",
                        known.join(" ")
                    ));
            }
        }
    }
    out
}

/// The fields of a `type: filter`: wire name → a type, optionally with `doc` and `rust_name`.
fn filter_fields(cx: &mut Ctxt, v: &Value, path: &KeyPath, owner: &str) -> Vec<FilterField> {
    let Some(map) = mapping(cx, v, path, "`fields`") else {
        return Vec::new();
    };
    if map.is_empty() {
        cx.error(path, "a filter needs at least one field")
            .help("list the fields the method filters on, e.g. `{ ID: id, NAME: string }`");
    }
    let mut out = Vec::new();
    for (key, value) in map {
        let Some(wire) = key_str(cx, key, path) else {
            continue;
        };
        let p = path.key(&wire);
        let default_name = format!("{owner}{}", pascal_case(&wire));
        let Some(ty) = type_node(cx, value, &p, &[FILTER_FIELD_KEYS], &default_name) else {
            continue;
        };
        let m = value.as_mapping();
        let doc = m.and_then(|m| optional_str(cx, m, &p, "doc"));
        let rust = m
            .and_then(|m| optional_str(cx, m, &p, "rust_name"))
            .unwrap_or_else(|| crate::names::snake_case(&wire));
        out.push(FilterField {
            wire,
            rust,
            ty,
            doc,
            path: p,
        });
    }
    out
}

/// `keys:` of a map: `id`, `integer` or `string`.
fn map_keys(cx: &mut Ctxt, m: &serde_yaml::Mapping, path: &KeyPath) -> Option<MapKeys> {
    let Some(v) = get(m, "keys") else {
        missing(
            cx,
            path,
            "keys",
            "what the map's keys are: `id`, `integer` or `string`",
        );
        return None;
    };
    let kp = path.key("keys");
    match v.as_str() {
        Some("id") => Some(MapKeys::Id),
        Some("integer") => Some(MapKeys::Integer),
        Some("string") => Some(MapKeys::String),
        Some(other) => {
            let p = cx.error(&kp, format!("unknown map key type `{other}`"));
            match did_you_mean(other, ["id", "integer", "string"]) {
                Some(s) => p.help(format!("did you mean `{s}`?")),
                None => p.help("map keys are `id`, `integer` or `string`"),
            };
            None
        }
        None => {
            wrong_kind(cx, v, &kp, "`id`, `integer` or `string`");
            None
        }
    }
}

/// A mapping key that stands for a value on the wire, as text: values are text on the wire
/// even where YAML reads `1` or `true` as a number or a boolean.
fn wire_text(key: &Value) -> Option<String> {
    match key {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn enum_values(cx: &mut Ctxt, v: Option<&Value>, path: &KeyPath) -> Option<Vec<EnumValue>> {
    let Some(v) = v else {
        missing(
            cx,
            path,
            "values",
            "a mapping from each wire value to a variant name",
        );
        return None;
    };
    let p = path.key("values");
    if let Value::Sequence(items) = v {
        let example: Vec<String> = items
            .iter()
            .take(3)
            .filter_map(wire_text)
            .map(|w| format!("{w}: …"))
            .collect();
        cx.error(
            &p,
            "an enum's `values` map each wire value to a variant name, but this is a list",
        )
        .help(format!(
            "write a mapping that names each value's variant, e.g. `{{ {} }}`",
            if example.is_empty() {
                "M: male, F: female".to_owned()
            } else {
                example.join(", ")
            }
        ));
        return None;
    }
    let map = mapping(cx, v, &p, "`values`")?;
    let mut out = Vec::new();
    for (key, name) in map {
        let Some(wire) = wire_text(key) else {
            wrong_kind(cx, key, &p, "a string wire value as key");
            continue;
        };
        let vp = p.key(&wire);
        let Some(name) = name.as_str() else {
            wrong_kind(cx, name, &vp, "a variant name such as `male`");
            continue;
        };
        out.push(EnumValue {
            wire,
            name: name.to_owned(),
            path: vp,
        });
    }
    if out.is_empty() {
        cx.error(&p, "an enum needs at least one value")
            .help("list each wire value with its variant name, e.g. `{ M: male, F: female }`");
        return None;
    }
    Some(out)
}

impl TypeRef {
    /// A type without quirks: no "no value" marker, no `min_items`.
    pub fn plain(kind: TypeKind, path: KeyPath) -> Self {
        Self {
            kind,
            or_false: false,
            or_empty: false,
            nullable: false,
            or_empty_object: false,
            or_empty_list: false,
            min_items: None,
            path,
        }
    }
}

// --- small readers -------------------------------------------------------------------------

pub(crate) fn get<'a>(m: &'a serde_yaml::Mapping, key: &str) -> Option<&'a Value> {
    m.get(key)
}

pub(crate) fn mapping<'a>(
    cx: &mut Ctxt,
    v: &'a Value,
    path: &KeyPath,
    what: &str,
) -> Option<&'a serde_yaml::Mapping> {
    match v {
        Value::Mapping(m) => Some(m),
        other => {
            wrong_kind(cx, other, path, &format!("a mapping for {what}"));
            None
        }
    }
}

pub(crate) fn key_str(cx: &mut Ctxt, key: &Value, parent: &KeyPath) -> Option<String> {
    match key {
        Value::String(s) => Some(s.clone()),
        other => {
            non_string_key(cx, other, parent);
            None
        }
    }
}

/// Reports every key of `m` that is not in `allowed`, suggesting the closest allowed one.
pub(crate) fn check_keys(
    cx: &mut Ctxt,
    m: &serde_yaml::Mapping,
    path: &KeyPath,
    allowed: &[&[&str]],
) {
    let known = || allowed.iter().flat_map(|keys| keys.iter().copied());
    for key in m.keys() {
        let Some(key) = key.as_str() else {
            non_string_key(cx, key, path);
            continue;
        };
        if !known().any(|k| k == key) {
            match did_you_mean(key, known()) {
                Some(s) => {
                    cx.key_error(&path.key(key), format!("unknown key `{key}`"))
                        .help(format!("did you mean `{s}`?"));
                    cx.note_suggestion(path, s);
                }
                // `{ doc: First name (leads, contacts) }`: the `,` ended the value and started
                // a "key" (`contacts)`) that no spec key looks like.
                None if !plausible_key(key) => {
                    let fix = cut_text(m, key)
                        .map(|(k, text)| {
                            format!(
                                ", e.g. `{k}: \"{}\"`",
                                text.replace('\\', "\\\\").replace('"', "\\\"")
                            )
                        })
                        .unwrap_or_default();
                    cx.key_error(&path.key(key), format!("unknown key `{key}`"))
                        .help(format!("this looks like text cut at a `,` inside `{{ … }}`: quote the value that contains the comma{fix}"));
                }
                None => {
                    cx.key_error(&path.key(key), format!("unknown key `{key}`"))
                        .help(format!(
                            "expected one of: {}",
                            known().collect::<Vec<_>>().join(", ")
                        ));
                }
            }
        }
    }
}

/// Whether `key` could be a misspelt spec key, which are all snake_case words.
fn plausible_key(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// For a "key" that is the tail of a text value cut at a `,`, the key whose value it was cut
/// from and the whole text: `doc: First name (leads` and `contacts)` give
/// `("doc", "First name (leads, contacts)")`.
fn cut_text(m: &serde_yaml::Mapping, tail: &str) -> Option<(String, String)> {
    let keys: Vec<(&Value, &Value)> = m.iter().collect();
    let i = keys.iter().position(|(k, _)| k.as_str() == Some(tail))?;
    let (key, Value::String(head)) = keys.get(i.checked_sub(1)?)? else {
        return None;
    };
    let rest = match keys[i].1 {
        Value::String(s) => format!(": {s}"),
        _ => String::new(),
    };
    Some((key.as_str()?.to_owned(), format!("{head}, {tail}{rest}")))
}

/// A key YAML did not read as a string (`5:`, `true:`, `~:`), located at the key itself.
fn non_string_key(cx: &mut Ctxt, key: &Value, parent: &KeyPath) {
    let text = match key {
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "~".to_owned(),
        _ => {
            wrong_kind(cx, key, parent, "string keys");
            return;
        }
    };
    cx.key_error(
        &parent.key(&text),
        format!("key `{text}` is read as {}, not as a name", kind_of(key)),
    )
    .help(format!("quote it: \"{text}\""));
}

pub(crate) fn required_str(
    cx: &mut Ctxt,
    m: &serde_yaml::Mapping,
    path: &KeyPath,
    key: &str,
) -> Option<String> {
    match get(m, key) {
        Some(_) => optional_str(cx, m, path, key),
        None => {
            missing(cx, path, key, describe(key));
            None
        }
    }
}

pub(crate) fn optional_str(
    cx: &mut Ctxt,
    m: &serde_yaml::Mapping,
    path: &KeyPath,
    key: &str,
) -> Option<String> {
    match get(m, key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::String(_) => {
            cx.error(&path.key(key), format!("`{key}` is empty"))
                .help(format!("write {}", describe(key)));
            None
        }
        other => {
            wrong_kind(cx, other, &path.key(key), "a string");
            None
        }
    }
}

pub(crate) fn optional_bool(
    cx: &mut Ctxt,
    m: &serde_yaml::Mapping,
    path: &KeyPath,
    key: &str,
) -> Option<bool> {
    match get(m, key)? {
        Value::Bool(b) => Some(*b),
        other => {
            wrong_kind(cx, other, &path.key(key), "`true` or `false`");
            None
        }
    }
}

fn missing(cx: &mut Ctxt, path: &KeyPath, key: &str, what: &str) {
    if cx.was_suggested(path, key) {
        return;
    }
    let owner = if path.is_root() {
        "the spec".to_owned()
    } else {
        format!("`{path}`")
    };
    // At the owner's key (`ID:`), where the missing key belongs.
    cx.key_error(path, format!("missing required key `{key}` in {owner}"))
        .help(format!("add `{key}:` with {what}"));
}

pub(crate) fn wrong_kind(cx: &mut Ctxt, v: &Value, path: &KeyPath, expected: &str) {
    let p = cx.error(path, format!("expected {expected}, found {}", kind_of(v)));
    match v {
        // `"400"` or `"yes"` where a number or boolean belongs: the quotes are the mistake.
        Value::String(s) if expected.contains("number") && s.trim().parse::<f64>().is_ok() => {
            p.help(format!("write the number without quotes: {}", s.trim()));
        }
        Value::String(_) if expected.contains("`true`") => {
            p.help("write `true` or `false`, without quotes");
        }
        Value::Mapping(_) | Value::Sequence(_) if expected.contains("string") => {
            p.help("quote the text; inside `{ … }` a `,` or `:` ends the value");
        }
        Value::Sequence(_) if expected.contains("mapping") => {
            p.help("write `key: value` lines instead of `- item` lines");
        }
        _ => {}
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

fn describe(key: &str) -> &'static str {
    match key {
        "method" => "the REST method name, e.g. `im.user.get`",
        "scope" => "the permission scope, e.g. `im`",
        "summary" => "a one-line description in your own words",
        "docs" => "the link to the official page on apidocs.bitrix24.com",
        "access" => "who may call the method, e.g. `any user`",
        "doc" => "a short description",
        "message" => "the `error_description` text the documentation gives, exactly",
        "filter" => "the `filter` parameter that takes the `>ID` condition, e.g. `FILTER`",
        "order" => {
            "the parameters that order the list by ascending id, e.g. `{ SORT: ID, ORDER: ASC }`"
        }
        _ => "a value",
    }
}

/// Converts YAML to JSON; `None` for what JSON cannot hold (non-string keys, tags, NaN).
pub(crate) fn yaml_to_json(v: &Value) -> Option<serde_json::Value> {
    Some(match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into()
            } else if let Some(u) = n.as_u64() {
                u.into()
            } else {
                serde_json::Number::from_f64(n.as_f64()?)?.into()
            }
        }
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Sequence(items) => items
            .iter()
            .map(yaml_to_json)
            .collect::<Option<Vec<_>>>()?
            .into(),
        Value::Mapping(m) => {
            let mut obj = serde_json::Map::new();
            for (k, v) in m {
                obj.insert(k.as_str()?.to_owned(), yaml_to_json(v)?);
            }
            serde_json::Value::Object(obj)
        }
        Value::Tagged(_) => return None,
    })
}
