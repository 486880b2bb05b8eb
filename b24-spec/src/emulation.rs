//! The `emulator:` section of a spec: how the local emulator answers the method from its
//! fixture data, declared instead of written in Rust. This module holds its model, its reader
//! and its checks; `parse.rs` and `check.rs` call into it. The kinds (`kind: list`, `get`,
//! `add`, `update`, `delete`, `fields`) and the conventions they read from the spec are in
//! [`kind`].
//!
//! A request goes through the section in this order: turn away callers `refuse` names, pick
//! the records of `collection` (`caller`, `id`, `match`, and for `kind: list` the filter and
//! `search`), order them (`kind: list`), then build the answer (`group`, `shape`, and per
//! record `join`, `fields`, `omit`, `value`), or write (`set`, `defaults`, and the `fields`
//! parameter of `kind: add` and `update`). `when` replaces parts of the answer for given
//! parameter values.

mod kind;

use serde_yaml::Value;

use crate::check::errors::declared_error;
use crate::diag::{Ctxt, did_you_mean};
use crate::model::{Param, Spec, TypeDef, TypeKind};
use crate::parse::{check_keys, get, key_str, mapping, optional_str, required_str, wrong_kind};
use crate::path::KeyPath;

pub use kind::{EmulationKind, IdKey, Reply, find_error};

const EMULATOR_KEYS: &[&str] = &[
    "collection",
    "record",
    "kind",
    "id",
    "caller",
    "match",
    "search",
    "select",
    "group",
    "when",
    "set",
    "defaults",
    "refuse",
    "not_found",
];
/// Keys that shape the answer; allowed at the top of `emulator:` and inside a `when` case.
const FORM_KEYS: &[&str] = &[
    "shape", "value", "fields", "omit", "join", "exclude", "only",
];
/// Keys a kind made unnecessary, with what replaces them: still read, so the diagnostic can
/// say so instead of "unknown key".
const FOLDED_KEYS: &[(&str, &str, &str)] = &[
    (
        "lookup",
        "`lookup` is now `kind: get`, which picks the record by its id",
        "write `kind: get`, and `id: { param: PARAM, field: FIELD, absent: caller }` for what differs from the conventions (the parameter and field named `id` in any case)",
    ),
    (
        "filter",
        "`filter` is now part of `kind: list`, which applies the `type: filter` parameter",
        "write `kind: list`; it applies the parameter of `type: filter` (or the one named `filter`)",
    ),
    (
        "sort",
        "`sort` is now part of `kind: list`, which orders by the `sort` and `order` parameters",
        "write `kind: list`; it orders by the field the `sort` parameter names in the `order` direction, or by an `order` object",
    ),
];
const SOURCE_KEYS: &[&str] = &["param", "now", "minus_minutes", "value", "caller"];
const GROUP_KEYS: &[&str] = &["param", "field"];
const JOIN_KEYS: &[&str] = &["collection", "field", "on"];
const REFUSE_KEYS: &[&str] = &["callers", "error"];
const SELECT_KEYS: &[&str] = &["param", "always"];
const SEARCH_KEYS: &[&str] = &["key", "fields"];

/// How the emulator serves a method from fixture data, so no method needs Rust of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Emulation {
    /// Fixture collection the records come from (`users`).
    pub collection: String,
    /// Object type every record of the collection has; the emulator checks the fixture against
    /// it and field names in this section must be its fields. Defaults to the result type (or
    /// its items) when the answer is the records themselves.
    pub record: Option<String>,
    /// What the method does with the collection (`list`, `get`, `add`, …); `None` for a
    /// section made of the other keys alone.
    pub kind: Option<EmulationKind>,
    /// Where the record's id comes from and goes, where the kind's conventions do not say.
    pub id: Option<IdKey>,
    /// Keep only the record whose field of this name is the calling user's id.
    pub caller: Option<String>,
    /// Keep only records whose field equals the given parameter, for each parameter present.
    pub matches: Vec<Match>,
    /// A key of the filter object whose text is looked for in several fields (`FIND`).
    pub search: Option<Search>,
    /// A list parameter naming the fields to answer (`select`).
    pub select: Option<Select>,
    /// Answer an object keyed by each value of a list parameter.
    pub group: Option<Group>,
    /// How the answer is built from the records.
    pub form: Form,
    /// Parts of `form` replaced for given parameter values.
    pub when: Vec<When>,
    /// Fields written on every call: to the one record `caller` picks (the method then answers
    /// `true`), or to the record `kind: add` creates or `kind: update` changes.
    pub set: Vec<Assign>,
    /// Fields `kind: add` gives a new record when the request leaves them out.
    pub defaults: Vec<Assign>,
    /// Callers the method refuses, by fields of their account record.
    pub refuse: Option<Refuse>,
    /// The error when no record matches: a code, or the `rust_name` of an error with an
    /// empty code ([`Spec::find_error`]).
    pub not_found: Option<String>,
    pub path: KeyPath,
}

/// `refuse: { callers: { extranet: true, bot: true }, error: ACCESS_ERROR }`: a caller whose
/// record in the emulator's accounts collection (`users`) has any of these field values gets
/// the error instead of an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Refuse {
    /// (field, value) pairs; one match is enough.
    pub callers: Vec<(String, serde_json::Value)>,
    /// The error, declared under `errors:`: its code, or the `rust_name` of an error with an
    /// empty code.
    pub error: String,
    pub path: KeyPath,
}

/// `search: { key: FIND, fields: [NAME, LAST_NAME] }`: the `filter` object's `key` holds text
/// that keeps the records where any of `fields` contains it, ignoring case.
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    /// The filter key holding the text (`FIND`); it is not a condition on a field.
    pub key: String,
    /// Fields of the record the text is looked for in.
    pub fields: Vec<String>,
    pub path: KeyPath,
}

/// `select: { param: select, always: [ID] }`: the list parameter `param` names the fields to
/// answer; `*` stands for every field not starting with `UF_`, `UF_*` for every one that does,
/// and the `always` fields are answered whatever is selected.
#[derive(Debug, Clone, PartialEq)]
pub struct Select {
    /// Wire name of the list parameter; `None` for the one `kind: list` or `get` finds by
    /// convention (see [`Emulation::select_param`]).
    pub param: Option<String>,
    /// Fields answered even when not selected.
    pub always: Vec<String>,
    pub path: KeyPath,
    /// Where the parameter's name is written (`select`, or `select.param`).
    pub param_path: KeyPath,
}

/// `field: PARAM` under `match:`.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub field: String,
    pub param: String,
    pub path: KeyPath,
}

/// `group: { param: ID, field: departments }`: for each value of `param`, the records whose
/// `field` holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub param: String,
    pub field: String,
    pub path: KeyPath,
}

/// How the answer is made of the records picked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Form {
    /// One record, a list, or an object keyed by a field; from the result type when not set.
    pub shape: Option<Shape>,
    /// Answer this field of each record instead of the record.
    pub value: Option<String>,
    /// Answer only these fields: (answer key, record field).
    pub fields: Option<Vec<(String, String)>>,
    /// Leave these fields out of each record.
    pub omit: Vec<String>,
    /// Add a record of another collection to each record.
    pub join: Vec<Join>,
    /// Leave out of the answer the records whose field (a dotted path reaches into objects:
    /// `chat.type`) equals the value, or any of a list of values.
    pub exclude: Vec<Condition>,
    /// Answer only the records whose field equals the value, for each condition.
    pub only: Vec<Condition>,
    /// Where the form's keys are: `emulator`, or a `when` case.
    pub path: KeyPath,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// The first record; none is "not found".
    One,
    /// Every record, a page at a time for `paged` methods.
    List,
    /// An object: the value of this field of each record → the record.
    KeyedBy(String),
}

/// `key: { collection, field, on }`: the record of `collection` whose `field` equals this
/// record's `on`, added under `key` (left out when there is none).
#[derive(Debug, Clone, PartialEq)]
pub struct Join {
    pub key: String,
    pub collection: String,
    pub field: String,
    pub on: String,
    pub path: KeyPath,
}

/// `field: value` under `exclude:` or `only:`: the record's field (a dotted path such as
/// `chat.type` reaches into nested objects) equals the value, or any value of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub field: String,
    pub value: serde_json::Value,
    pub path: KeyPath,
}

/// `PARAM: { VALUE: { …form… } }` under `when:`. An absent parameter counts as its `default`.
#[derive(Debug, Clone, PartialEq)]
pub struct When {
    pub param: String,
    pub value: String,
    pub form: Form,
    /// Path of the case (`emulator.when.PARAM.VALUE`).
    pub path: KeyPath,
    /// Path of the parameter's key (`emulator.when.PARAM`).
    pub param_path: KeyPath,
}

/// `field: source` under `set:` or `defaults:`.
#[derive(Debug, Clone, PartialEq)]
pub struct Assign {
    pub field: String,
    pub source: Source,
    pub path: KeyPath,
}

/// Where a written value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// The value of a parameter (its `default` when absent).
    Param(String),
    /// The emulator's current time as an ATOM date-time, moved back by the number of minutes
    /// in a parameter.
    Now { minus_minutes: Option<String> },
    /// A fixed JSON value.
    Value(serde_json::Value),
    /// The calling user's id.
    Caller,
}

impl Emulation {
    /// The form for these parameter values: `form` with every matching `when` case applied.
    pub fn form_for(&self, param: impl Fn(&str) -> Option<String>) -> Form {
        let mut form = self.form.clone();
        for w in &self.when {
            if param(&w.param).as_deref() == Some(w.value.as_str()) {
                form.overlay(&w.form);
            }
        }
        form
    }

    /// Every form the section can answer with: `form`, and `form` with each `when` case.
    pub fn forms(&self) -> Vec<Form> {
        let mut out = vec![self.form.clone()];
        for w in &self.when {
            let mut f = self.form.clone();
            f.overlay(&w.form);
            out.push(f);
        }
        out
    }

    /// Every collection the section reads: its own and those it joins.
    pub fn collections(&self) -> Vec<&str> {
        let mut out = vec![self.collection.as_str()];
        let joins = self
            .form
            .join
            .iter()
            .chain(self.when.iter().flat_map(|w| &w.form.join));
        for j in joins {
            if !out.contains(&j.collection.as_str()) {
                out.push(&j.collection);
            }
        }
        out
    }
}

impl Form {
    fn overlay(&mut self, other: &Form) {
        if other.shape.is_some() {
            self.shape.clone_from(&other.shape);
        }
        if other.value.is_some() {
            self.value.clone_from(&other.value);
        }
        if other.fields.is_some() {
            self.fields.clone_from(&other.fields);
        }
        self.omit.extend(other.omit.iter().cloned());
        self.join.extend(other.join.iter().cloned());
        self.exclude.extend(other.exclude.iter().cloned());
        self.only.extend(other.only.iter().cloned());
    }
}

// --- reading ---------------------------------------------------------------------------------

pub(crate) fn parse(cx: &mut Ctxt, v: &Value, path: &KeyPath) -> Option<Emulation> {
    let m = mapping(cx, v, path, "`emulator`")?;
    let folded: Vec<&str> = FOLDED_KEYS.iter().map(|(key, _, _)| *key).collect();
    check_keys(cx, m, path, &[EMULATOR_KEYS, FORM_KEYS, &folded]);
    for (key, message, help) in FOLDED_KEYS {
        if get(m, key).is_some() {
            cx.key_error(&path.key(key), *message).help(*help);
        }
    }
    let collection = required_str(cx, m, path, "collection");
    let record = optional_str(cx, m, path, "record");
    let kind = kind::parse_kind(cx, m, path);
    let id = get(m, "id").and_then(|v| kind::parse_id(cx, v, &path.key("id")));
    let caller = optional_str(cx, m, path, "caller");
    let not_found = optional_str(cx, m, path, "not_found");
    let select = get(m, "select").and_then(|v| select(cx, v, &path.key("select")));
    let search = get(m, "search").and_then(|v| {
        let sp = path.key("search");
        let sm = mapping(cx, v, &sp, "`search`")?;
        check_keys(cx, sm, &sp, &[SEARCH_KEYS]);
        let key = required_str(cx, sm, &sp, "key");
        let fields = match get(sm, "fields") {
            Some(f) => names(cx, f, &sp.key("fields")),
            None => {
                cx.key_error(&sp, "missing required key `fields` in `emulator.search`")
                    .help("list the record fields the text is looked for in, e.g. `[NAME, LAST_NAME]`");
                Vec::new()
            }
        };
        Some(Search {
            key: key?,
            fields,
            path: sp,
        })
    });
    let matches = match get(m, "match") {
        None => Vec::new(),
        Some(v) => pairs(cx, v, &path.key("match"), "`match`", "a parameter name")
            .into_iter()
            .map(|(field, param, path)| Match { field, param, path })
            .collect(),
    };
    let group = get(m, "group").and_then(|v| {
        let gp = path.key("group");
        let gm = mapping(cx, v, &gp, "`group`")?;
        check_keys(cx, gm, &gp, &[GROUP_KEYS]);
        let param = required_str(cx, gm, &gp, "param");
        let field = required_str(cx, gm, &gp, "field");
        Some(Group {
            param: param?,
            field: field?,
            path: gp,
        })
    });
    let form = form(cx, m, path);
    let when = match get(m, "when") {
        None => Vec::new(),
        Some(v) => when(cx, v, &path.key("when")),
    };
    let defaults = match get(m, "defaults") {
        None => Vec::new(),
        Some(v) => set(cx, v, &path.key("defaults")),
    };
    let set = match get(m, "set") {
        None => Vec::new(),
        Some(v) => set(cx, v, &path.key("set")),
    };
    let refuse = get(m, "refuse").and_then(|v| refuse(cx, v, &path.key("refuse")));
    Some(Emulation {
        collection: collection?,
        record,
        kind,
        id,
        caller,
        matches,
        search,
        select,
        group,
        form,
        when,
        set,
        defaults,
        refuse,
        not_found,
        path: path.clone(),
    })
}

/// `select: PARAM`, or `select: { param: PARAM, always: [FIELD, …] }` (`param` left out: the
/// one the kind finds).
fn select(cx: &mut Ctxt, v: &Value, sp: &KeyPath) -> Option<Select> {
    match v {
        Value::String(param) => Some(Select {
            param: Some(param.clone()),
            always: Vec::new(),
            path: sp.clone(),
            param_path: sp.clone(),
        }),
        Value::Mapping(sm) => {
            check_keys(cx, sm, sp, &[SELECT_KEYS]);
            let always =
                get(sm, "always").map_or_else(Vec::new, |a| names(cx, a, &sp.key("always")));
            Some(Select {
                param: optional_str(cx, sm, sp, "param"),
                always,
                path: sp.clone(),
                param_path: sp.key("param"),
            })
        }
        other => {
            wrong_kind(cx, other, sp, "a parameter name, or `{ param, always }`");
            None
        }
    }
}

fn refuse(cx: &mut Ctxt, v: &Value, rp: &KeyPath) -> Option<Refuse> {
    let rm = mapping(cx, v, rp, "`refuse`")?;
    check_keys(cx, rm, rp, &[REFUSE_KEYS]);
    let error = required_str(cx, rm, rp, "error");
    let cp = rp.key("callers");
    let mut callers = Vec::new();
    match get(rm, "callers") {
        None => {
            cx.key_error(rp, "missing required key `callers` in `emulator.refuse`")
                .help("add `callers:` with the account fields that refuse a caller, e.g. `{ bot: true }`");
        }
        Some(c) => {
            if let Some(cm) = mapping(cx, c, &cp, "`callers`") {
                for (k, v) in cm {
                    let Some(field) = key_str(cx, k, &cp) else {
                        continue;
                    };
                    match v {
                        Value::Bool(_) | Value::Number(_) | Value::String(_) => {
                            if let Some(json) = crate::parse::yaml_to_json(v) {
                                callers.push((field, json));
                            }
                        }
                        other => wrong_kind(cx, other, &cp.key(&field), "a plain value"),
                    }
                }
                if cm.is_empty() {
                    cx.error(&cp, "`callers` is empty, so no caller is refused")
                        .help("name the account fields that refuse a caller, e.g. `{ bot: true }`, or remove `refuse`");
                }
            }
        }
    }
    Some(Refuse {
        callers,
        error: error?,
        path: rp.clone(),
    })
}

/// A mapping of names to names (`field: PARAM`), each with its path.
fn pairs(
    cx: &mut Ctxt,
    v: &Value,
    path: &KeyPath,
    what: &str,
    value_what: &str,
) -> Vec<(String, String, KeyPath)> {
    let Some(m) = mapping(cx, v, path, what) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in m {
        let Some(key) = key_str(cx, k, path) else {
            continue;
        };
        let p = path.key(&key);
        match v {
            Value::String(s) if !s.trim().is_empty() => out.push((key, s.clone(), p)),
            other => wrong_kind(cx, other, &p, &format!("a string ({value_what})")),
        }
    }
    out
}

/// A list of names, or a single name.
fn names(cx: &mut Ctxt, v: &Value, path: &KeyPath) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Sequence(items) => items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| match item {
                Value::String(s) => Some(s.clone()),
                other => {
                    wrong_kind(cx, other, &path.index(i), "a field name");
                    None
                }
            })
            .collect(),
        other => {
            wrong_kind(cx, other, path, "a list of field names");
            Vec::new()
        }
    }
}

fn form(cx: &mut Ctxt, m: &serde_yaml::Mapping, path: &KeyPath) -> Form {
    let shape = get(m, "shape").and_then(|v| {
        let sp = path.key("shape");
        match v {
            Value::String(s) if s == "one" => Some(Shape::One),
            Value::String(s) if s == "list" => Some(Shape::List),
            Value::Mapping(sm) => {
                check_keys(cx, sm, &sp, &[&["keyed_by"]]);
                required_str(cx, sm, &sp, "keyed_by").map(Shape::KeyedBy)
            }
            Value::String(other) => {
                cx.error(&sp, format!("unknown shape `{other}`")).help(
                    "write `one` (the first record), `list` (every record) or \
                     `{ keyed_by: FIELD }` (an object keyed by a field)",
                );
                None
            }
            other => {
                wrong_kind(cx, other, &sp, "`one`, `list` or `{ keyed_by: FIELD }`");
                None
            }
        }
    });
    let value = optional_str(cx, m, path, "value");
    let fields = get(m, "fields").map(|v| {
        let fp = path.key("fields");
        match v {
            Value::Mapping(_) => pairs(cx, v, &fp, "`fields`", "a record field")
                .into_iter()
                .map(|(k, f, _)| (k, f))
                .collect(),
            _ => names(cx, v, &fp)
                .into_iter()
                .map(|n| (n.clone(), n))
                .collect(),
        }
    });
    let omit = get(m, "omit").map_or_else(Vec::new, |v| names(cx, v, &path.key("omit")));
    let join = match get(m, "join") {
        None => Vec::new(),
        Some(v) => {
            let jp = path.key("join");
            let Some(jm) = mapping(cx, v, &jp, "`join`") else {
                return Form::default();
            };
            let mut out = Vec::new();
            for (k, v) in jm {
                let Some(key) = key_str(cx, k, &jp) else {
                    continue;
                };
                let p = jp.key(&key);
                let Some(one) = mapping(cx, v, &p, "a join") else {
                    continue;
                };
                check_keys(cx, one, &p, &[JOIN_KEYS]);
                let collection = required_str(cx, one, &p, "collection");
                let field = required_str(cx, one, &p, "field");
                let on = required_str(cx, one, &p, "on");
                if let (Some(collection), Some(field), Some(on)) = (collection, field, on) {
                    out.push(Join {
                        key,
                        collection,
                        field,
                        on,
                        path: p,
                    });
                }
            }
            out
        }
    };
    let exclude = get(m, "exclude").map_or_else(Vec::new, |v| {
        conditions(cx, v, &path.key("exclude"), "`exclude`")
    });
    let only =
        get(m, "only").map_or_else(Vec::new, |v| conditions(cx, v, &path.key("only"), "`only`"));
    Form {
        shape,
        value,
        fields,
        omit,
        join,
        exclude,
        only,
        path: path.clone(),
    }
}

/// `{ field: value, … }` of `exclude` or `only`; a value is a plain value or a list of them.
fn conditions(cx: &mut Ctxt, v: &Value, path: &KeyPath, what: &str) -> Vec<Condition> {
    let Some(m) = mapping(cx, v, path, what) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in m {
        let Some(field) = key_str(cx, k, path) else {
            continue;
        };
        let p = path.key(&field);
        let plain = |v: &Value| matches!(v, Value::Bool(_) | Value::Number(_) | Value::String(_));
        if matches!(v, Value::Sequence(items) if items.is_empty()) {
            cx.error(
                &p,
                format!("`{field}` has an empty list of values, which no record holds"),
            )
            .help("list at least one value, or remove the condition");
            continue;
        }
        let ok = match v {
            Value::Sequence(items) => items.iter().all(plain),
            other => plain(other),
        };
        if !ok {
            cx.error(
                &p,
                format!("`{field}` must be compared with a plain value or a list of them"),
            )
            .help("write a string, number or boolean (`type: chat`), or a list of them (`type: [chat, open]`)");
            continue;
        }
        if let Some(value) = crate::parse::yaml_to_json(v) {
            out.push(Condition {
                field,
                value,
                path: p,
            });
        }
    }
    out
}

fn when(cx: &mut Ctxt, v: &Value, path: &KeyPath) -> Vec<When> {
    let Some(m) = mapping(cx, v, path, "`when`") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, cases) in m {
        let Some(param) = key_str(cx, k, path) else {
            continue;
        };
        let pp = path.key(&param);
        let Some(cm) = mapping(cx, cases, &pp, "the cases of a parameter") else {
            continue;
        };
        for (ck, case) in cm {
            let value = match ck {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                other => {
                    wrong_kind(cx, other, &pp, "parameter values as keys");
                    continue;
                }
            };
            let cp = pp.key(&value);
            let Some(fm) = mapping(cx, case, &cp, "a case (`shape`, `value`, …)") else {
                continue;
            };
            check_keys(cx, fm, &cp, &[FORM_KEYS]);
            out.push(When {
                param: param.clone(),
                value,
                form: form(cx, fm, &cp),
                path: cp,
                param_path: pp.clone(),
            });
        }
    }
    out
}

/// `{ FIELD: SOURCE, … }` of `set` or `defaults`.
fn set(cx: &mut Ctxt, v: &Value, path: &KeyPath) -> Vec<Assign> {
    let what = format!("`{}`", path.to_string().trim_start_matches("emulator."));
    let Some(m) = mapping(cx, v, path, &what) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in m {
        let Some(field) = key_str(cx, k, path) else {
            continue;
        };
        let p = path.key(&field);
        let Some(sm) = mapping(cx, v, &p, "a source (`param`, `now`, `caller` or `value`)") else {
            continue;
        };
        check_keys(cx, sm, &p, &[SOURCE_KEYS]);
        let source = if let Some(v) = get(sm, "value") {
            match crate::parse::yaml_to_json(v) {
                Some(json) => Some(Source::Value(json)),
                None => {
                    cx.error(&p.key("value"), "the value cannot be written as JSON")
                        .help("use plain YAML: strings, numbers, booleans, lists and mappings");
                    None
                }
            }
        } else if let Some(now) = get(sm, "now") {
            if now != &Value::Bool(true) {
                wrong_kind(cx, now, &p.key("now"), "`true`");
            }
            Some(Source::Now {
                minus_minutes: optional_str(cx, sm, &p, "minus_minutes"),
            })
        } else if let Some(caller) = get(sm, "caller") {
            if caller != &Value::Bool(true) {
                wrong_kind(cx, caller, &p.key("caller"), "`true`");
            }
            Some(Source::Caller)
        } else if get(sm, "param").is_some() {
            optional_str(cx, sm, &p, "param").map(Source::Param)
        } else {
            cx.key_error(&p, format!("`{field}` has no source"))
                .help("write `{ param: NAME }`, `{ now: true }`, `{ caller: true }` or `{ value: VALUE }`");
            None
        };
        let several = ["value", "now", "param", "caller"]
            .iter()
            .filter(|k| get(sm, k).is_some())
            .count();
        if several > 1 {
            cx.error(&p, format!("`{field}` has more than one source"))
                .help("keep one of `param`, `now`, `caller` and `value`");
        } else if get(sm, "minus_minutes").is_some() && get(sm, "now").is_none() {
            cx.key_error(&p.key("minus_minutes"), "`minus_minutes` needs `now: true`")
                .help("add `now: true`, or remove `minus_minutes`");
        }
        if let Some(source) = source {
            out.push(Assign {
                field,
                source,
                path: p,
            });
        }
    }
    out
}

// --- checking --------------------------------------------------------------------------------

/// Semantic checks: declared codes, parameters and fields, and combinations that cannot work.
pub(crate) fn check(cx: &mut Ctxt, spec: &Spec) {
    let Some(emu) = &spec.emulator else { return };
    if let Some(code) = &emu.not_found {
        declared_error(cx, spec, code, &emu.path.key("not_found"));
    }
    if let Some(r) = &emu.refuse {
        declared_error(cx, spec, &r.error, &r.path.key("error"));
    }

    // Parameters.
    let param = |cx: &mut Ctxt, name: &str, at: &KeyPath| -> Option<&Param> {
        let found = spec.params.iter().find(|p| p.wire == name);
        if found.is_none() {
            let p = cx.error(at, format!("`{name}` is not a declared parameter"));
            match did_you_mean(name, spec.params.iter().map(|p| p.wire.as_str())) {
                Some(s) => p.help(format!("did you mean `{s}`?")),
                None => p.help(format!("declare `{name}` under `params:`")),
            };
        }
        found
    };
    if let Some(IdKey {
        param: Some(name),
        param_path,
        ..
    }) = &emu.id
    {
        param(cx, name, param_path);
    }
    for m in &emu.matches {
        param(cx, &m.param, &m.path);
    }
    if let Some(s) = &emu.select {
        let at = &s.param_path;
        let found = match &s.param {
            Some(name) => param(cx, name, at),
            None => {
                let found = emu.select_param(spec);
                if found.is_none() {
                    cx.key_error(
                        at,
                        "`select` names no parameter, and the spec has no `select` list parameter",
                    )
                    .help("add `param: NAME` naming the list parameter that holds the field names");
                }
                found
            }
        };
        if let Some(p) = found
            && !matches!(p.ty.kind, TypeKind::Array(_))
        {
            cx.error(
                at,
                format!(
                    "`select` needs a list parameter, but `{}` is not a list",
                    p.wire
                ),
            )
            .help("name a parameter declared with `type: select` (or `type: array`)");
        }
    }
    if let Some(s) = &emu.search
        && emu.filter_param(spec).is_none()
    {
        let p = cx.key_error(
            &s.path,
            "`search` reads a key of the filter object, but the section applies no filter",
        );
        if emu.kind == Some(EmulationKind::List) {
            p.help("declare the filter parameter (`type: filter`, or a `json` one named `filter`)");
        } else {
            p.help("write `kind: list`, which applies the parameter of `type: filter`");
        }
    }
    if let Some(g) = &emu.group
        && let Some(p) = param(cx, &g.param, &g.path.key("param"))
        && !matches!(p.ty.kind, TypeKind::Array(_))
    {
        cx.error(
            &g.path.key("param"),
            format!(
                "`group` needs a list parameter, but `{}` is not an `array`",
                g.param
            ),
        )
        .help("group by a parameter declared with `type: array`");
    }
    for w in &emu.when {
        if let Some(p) = param(cx, &w.param, &w.param_path)
            && let TypeKind::Enum(def) = &p.ty.kind
            && !def.values.iter().any(|v| v.wire == w.value)
        {
            let p = cx.key_error(
                &w.path,
                format!(
                    "`{}` is not a value of the parameter `{}`",
                    w.value, w.param
                ),
            );
            match did_you_mean(&w.value, def.values.iter().map(|v| v.wire.as_str())) {
                Some(s) => p.help(format!("did you mean `{s}`?")),
                None => p.help("use one of the enum's values"),
            };
        }
    }
    for a in emu.set.iter().chain(&emu.defaults) {
        match &a.source {
            Source::Param(name) => {
                param(cx, name, &a.path.key("param"));
            }
            Source::Now {
                minus_minutes: Some(name),
            } => {
                if let Some(p) = param(cx, name, &a.path.key("minus_minutes"))
                    && p.ty.kind != TypeKind::Integer
                {
                    cx.error(
                        &a.path.key("minus_minutes"),
                        format!("`{name}` is not an `integer` parameter"),
                    )
                    .help("name a parameter declared with `type: integer`");
                }
            }
            _ => {}
        }
    }

    // Combinations.
    if !emu.set.is_empty() && emu.kind.is_none() {
        if emu.caller.is_none() {
            cx.key_error(
                &emu.path.key("set"),
                "`set` writes to one record, but none is picked",
            )
            .help("add `caller: FIELD` to write to the caller's record, or `kind: update` to write to the record the id parameter names");
        }
        if spec.result.ty.kind != TypeKind::Boolean {
            cx.error(
                &emu.path.key("set"),
                "a method with `set` answers `true`, but its `result` is not `boolean`",
            )
            .help("declare `result: boolean`, or remove `set`");
        }
    }
    if let Some(g) = &emu.group {
        for form in std::iter::once(&emu.form).chain(emu.when.iter().map(|w| &w.form)) {
            if form.shape.is_some() {
                cx.key_error(
                    &form.path.key("shape"),
                    "`shape` cannot be combined with `group`",
                )
                .help(format!(
                    "`group` already answers an object keyed by the values of `{}`; remove `shape`",
                    g.param
                ));
            }
        }
    }
    if spec.paged
        && emu
            .forms()
            .iter()
            .any(|f| f.shape.as_ref().is_some_and(|s| *s != Shape::List))
    {
        cx.error(
            &emu.path,
            "a `paged` method answers a list, but the section asks for another `shape`",
        )
        .help("remove `shape`, or `paged`");
    }

    kind::check(cx, spec, emu);

    // Fields of the records, when their type is known.
    let Some((record, record_path)) = record_type(cx, spec, emu) else {
        if let Some(s) = &emu.select
            && emu.record.is_none()
        {
            cx.key_error(
                &s.path,
                "`select` needs the records' type, to know which fields are required",
            )
            .help("set `record:` to the records' object type");
        }
        return;
    };
    kind::check_fields(cx, emu, record);
    // A field the section omits is fixture data the answer leaves out: it may be named
    // although the record type (the answer's) lacks it.
    let field = |cx: &mut Ctxt, name: &str, at: &KeyPath| {
        if emu.form.omit.iter().any(|o| o == name) {
            return;
        }
        if !record.fields.iter().any(|f| f.wire == name) {
            let p = cx.error(at, format!("`{}` has no field `{name}`", record.name));
            match did_you_mean(name, record.fields.iter().map(|f| f.wire.as_str())) {
                Some(s) => p.help(format!("did you mean `{s}`?")),
                None => p.help(format!(
                    "name a field of `{}`{}",
                    record.name,
                    if record_path {
                        ""
                    } else {
                        ", or set `record:` to the records' type"
                    }
                )),
            };
        }
    };
    if let Some(c) = &emu.caller {
        field(cx, c, &emu.path.key("caller"));
    }
    for m in &emu.matches {
        field(cx, &m.field, &m.path);
    }
    if let Some(g) = &emu.group {
        field(cx, &g.field, &g.path.key("field"));
    }
    for a in emu.set.iter().chain(&emu.defaults) {
        field(cx, &a.field, &a.path);
    }
    if let Some(s) = &emu.search {
        for (i, f) in s.fields.iter().enumerate() {
            field(cx, f, &s.path.key("fields").index(i));
        }
    }
    if let Some(s) = &emu.select {
        for (i, f) in s.always.iter().enumerate() {
            field(cx, f, &s.path.key("always").index(i));
        }
    }
    // With a selection (the `select` key, or the parameter a kind finds), every field the
    // record type requires must be answered whatever is selected.
    if let Some(p) = emu.select_param(spec) {
        let always = emu.select.as_ref().map_or(&[][..], |s| &s.always[..]);
        let at = emu
            .select
            .as_ref()
            .map_or_else(|| emu.path.key("kind"), |s| s.path.clone());
        for f in record.fields.iter().filter(|f| !f.optional) {
            if !always.contains(&f.wire) {
                let e = cx.error(
                    &at,
                    format!(
                        "`select` can leave out `{}`, which `{}` requires",
                        f.wire, record.name
                    ),
                );
                if emu.select.is_some() {
                    e.help(format!(
                        "add `{}` to `always:` if the portal sends it whatever is selected, or make it `optional` in `{}`",
                        f.wire, record.name
                    ));
                } else {
                    e.help(format!(
                        "the `{}` parameter cuts the records: add `select: {{ always: [{}] }}` if the portal sends `{}` whatever is selected, or make it `optional` in `{}`",
                        p.wire, f.wire, f.wire, record.name
                    ));
                }
            }
        }
    }
    for form in std::iter::once(&emu.form).chain(emu.when.iter().map(|w| &w.form)) {
        let at = &form.path;
        if let Some(v) = &form.value {
            field(cx, v, &at.key("value"));
        }
        if let Some(Shape::KeyedBy(k)) = &form.shape {
            field(cx, k, &at.key("shape").key("keyed_by"));
        }
        for (key, f) in form.fields.iter().flatten() {
            let p = at.key("fields");
            field(cx, f, &if key == f { p } else { p.key(key) });
        }
        for j in &form.join {
            field(cx, &j.on, &j.path.key("on"));
        }
        for c in form.exclude.iter().chain(&form.only) {
            dotted_field(cx, spec, record, c);
        }
    }
}

/// The dotted path of an `exclude` or `only` condition must lead through object fields.
fn dotted_field(cx: &mut Ctxt, spec: &Spec, record: &TypeDef, c: &Condition) {
    let mut ty = record;
    let mut segments = c.field.split('.').peekable();
    while let Some(name) = segments.next() {
        let Some(f) = ty.fields.iter().find(|f| f.wire == name) else {
            let p = cx.key_error(&c.path, format!("`{}` has no field `{name}`", ty.name));
            match did_you_mean(name, ty.fields.iter().map(|f| f.wire.as_str())) {
                Some(s) => p.help(format!("did you mean `{s}`?")),
                None => p.help(format!("name a field of `{}`", ty.name)),
            };
            return;
        };
        if segments.peek().is_none() {
            return;
        }
        match &f.ty.kind {
            TypeKind::Named(n) if let Some(inner) = spec.find_type(n) => ty = inner,
            // An unknown type is reported where it is named; nothing is known past it.
            TypeKind::Named(_) => return,
            _ => {
                cx.key_error(
                    &c.path,
                    format!(
                        "`{name}` of `{}` is not an object, so `{}` leads nowhere",
                        ty.name, c.field
                    ),
                )
                .help("a dotted path may only go through fields of an object type");
                return;
            }
        }
    }
}

/// The records' object type (see [`Emulation::record_type`]); `record:` must name an object
/// type. The flag says whether `record:` gave it.
fn record_type<'s>(cx: &mut Ctxt, spec: &'s Spec, emu: &Emulation) -> Option<(&'s TypeDef, bool)> {
    if let Some(name) = &emu.record {
        let found = spec.find_type(name);
        let at = emu.path.key("record");
        if found.is_none() && !cx.library_not_loaded(&at, "unknown record type", name) {
            let names = spec
                .types
                .iter()
                .chain(&spec.shared_types)
                .map(|t| t.name.as_str());
            let p = cx.error(
                &at,
                format!("`{name}` is not an object type of this spec or its type libraries"),
            );
            match did_you_mean(name, names) {
                Some(s) => p.help(format!("did you mean `{s}`?")),
                None => p.help("name a type defined under `types:` or in `specs/types/`"),
            };
        }
        return found.map(|t| (t, true));
    }
    emu.record_type(spec).map(|t| (t, false))
}
