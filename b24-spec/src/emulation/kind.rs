//! Kinds of `emulator:` sections: what a method does with its collection (`list`, `get`,
//! `add`, `update`, `delete`, `fields`), each with conventions read from the spec's parameters
//! and result so that most sections are one or two lines. The conventions live here, shared by
//! the checks and the emulator: what the checks accept is what the emulator does.

use serde_yaml::Value;

use super::{Emulation, Shape};
use crate::diag::{Ctxt, did_you_mean};
use crate::model::{ErrorDef, Param, Spec, TypeDef, TypeKind, TypeRef};
use crate::names::snake_case;
use crate::parse::{check_keys, optional_str, wrong_kind};
use crate::path::KeyPath;

const ID_KEYS: &[&str] = &["param", "field", "absent"];

/// What a method does with its collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmulationKind {
    /// The records the filter and `match` keep, ordered, selected and paged.
    List,
    /// The one record the id parameter names.
    Get,
    /// A new record from the `fields` parameter, with an id of the collection's own.
    Add,
    /// The `fields` parameter written to the record the id parameter names.
    Update,
    /// The record the id parameter names, removed.
    Delete,
    /// The description of the record's fields: the documented one, plus the fixture's custom
    /// fields.
    Fields,
}

impl EmulationKind {
    /// Every kind, in the order the documentation lists them.
    pub const ALL: [EmulationKind; 6] = [
        EmulationKind::List,
        EmulationKind::Get,
        EmulationKind::Add,
        EmulationKind::Update,
        EmulationKind::Delete,
        EmulationKind::Fields,
    ];

    /// The spelling in a spec (`kind: get`).
    pub fn name(self) -> &'static str {
        match self {
            EmulationKind::List => "list",
            EmulationKind::Get => "get",
            EmulationKind::Add => "add",
            EmulationKind::Update => "update",
            EmulationKind::Delete => "delete",
            EmulationKind::Fields => "fields",
        }
    }

    /// The kind spelled `name`.
    pub fn from_name(name: &str) -> Option<EmulationKind> {
        EmulationKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether the kind finds its record by the id parameter.
    pub fn by_id(self) -> bool {
        matches!(
            self,
            EmulationKind::Get | EmulationKind::Update | EmulationKind::Delete
        )
    }

    /// What the kind does, for diagnostics.
    fn does(self) -> &'static str {
        match self {
            EmulationKind::List => {
                "answers the records the filter, `match` and `caller` keep, ordered and selected"
            }
            EmulationKind::Get => "answers the one record the id parameter names",
            EmulationKind::Add => {
                "creates a record from the `fields` parameter, `match`, `defaults` and `set`"
            }
            EmulationKind::Update => {
                "writes the `fields` parameter and `set` to the record the id parameter names"
            }
            EmulationKind::Delete => "removes the record the id parameter names",
            EmulationKind::Fields => "answers the description of the record's fields",
        }
    }
}

/// `id: PARAM`, or `id: { param, field, absent }`: where a kind's record id comes from and
/// where it is kept, when the conventions (a parameter and a record field named `id` in any
/// case) do not fit.
#[derive(Debug, Clone, PartialEq)]
pub struct IdKey {
    /// Wire name of the parameter holding the id.
    pub param: Option<String>,
    /// Field of the record holding the id.
    pub field: Option<String>,
    /// When the parameter is left out, use the calling user's id (`kind: get`).
    pub absent_is_caller: bool,
    pub path: KeyPath,
    /// Where the parameter's name is written (`id`, or `id.param`).
    pub param_path: KeyPath,
}

/// What a kind answers, read from the result type.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// The records picked (`kind: list`), a page at a time for `paged` methods.
    Records,
    /// The record (`get`; `add` and `update` whose result is the record type).
    Record,
    /// The new record's id (`add` with `result: id` or `integer`).
    Id,
    /// `true` (`update` and `delete` with `result: boolean`, `add` too).
    True,
    /// The description of the record's fields (`kind: fields`).
    Description,
    /// The spec's example result, for a write whose result type says no more (`[]`).
    Example,
    /// An object whose one field holds the answer (`{"item": {…}}`, `{"task": true}`).
    Wrapped { field: String, inner: Box<Reply> },
}

impl Reply {
    /// The answer inside the wrapping object, if any.
    pub fn core(&self) -> &Reply {
        match self {
            Reply::Wrapped { inner, .. } => inner.core(),
            other => other,
        }
    }

    /// The wrapping object's field, if the answer is wrapped.
    pub fn wrapper(&self) -> Option<&str> {
        match self {
            Reply::Wrapped { field, .. } => Some(field),
            _ => None,
        }
    }
}

/// The error `name` stands for: [`Spec::find_error`] (its code, or the `rust_name` of an error
/// identified by its description), else the error with the empty code whose `rust_name` is
/// `name` in snake case (`not_found`) or whose description `name` is ("Not found").
pub fn find_error<'s>(spec: &'s Spec, name: &str) -> Option<&'s ErrorDef> {
    spec.find_error(name).or_else(|| {
        spec.errors.iter().find(|e| {
            e.code.is_empty()
                && (snake_case(&e.variant) == name
                    || e.message
                        .as_deref()
                        .is_some_and(|m| same_description(m, name)))
        })
    })
}

/// Descriptions compare after trimming whitespace and one trailing `.`, ignoring ASCII case.
fn same_description(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        let s = s.trim();
        s.strip_suffix('.')
            .unwrap_or(s)
            .trim_end()
            .to_ascii_lowercase()
    };
    norm(a) == norm(b)
}

/// The parameter named `name` in any case.
fn param_named<'s>(spec: &'s Spec, name: &str) -> Option<&'s Param> {
    spec.params
        .iter()
        .find(|p| p.wire.eq_ignore_ascii_case(name))
}

/// The result of the spec's example, if it has one.
pub(super) fn example_result(spec: &Spec) -> Option<&serde_json::Value> {
    spec.example.as_ref()?.response.get("result")
}

// --- conventions -----------------------------------------------------------------------------

impl Emulation {
    /// The records' object type: `record:`, or the result type (or its items) when the answer
    /// is the records themselves.
    pub fn record_type<'s>(&self, spec: &'s Spec) -> Option<&'s TypeDef> {
        if let Some(name) = &self.record {
            return spec.find_type(name);
        }
        if matches!(
            self.kind,
            Some(EmulationKind::Delete | EmulationKind::Fields)
        ) {
            return None;
        }
        let projected = self.group.is_some()
            || self
                .forms()
                .iter()
                .any(|f| f.value.is_some() || f.fields.is_some());
        if projected || (!self.set.is_empty() && self.kind.is_none()) {
            return None;
        }
        // A paged list's records, also inside the field of the result that holds them.
        let name = match &spec.record_type().unwrap_or(&spec.result.ty).kind {
            TypeKind::Named(name) => name,
            TypeKind::Array(items) => match &items.kind {
                TypeKind::Named(name) => name,
                _ => return None,
            },
            _ => return None,
        };
        spec.find_type(name)
    }

    /// The parameter holding the record's id: `id.param`, else the one named `id` in any case.
    pub fn id_param<'s>(&self, spec: &'s Spec) -> Option<&'s Param> {
        match self.id.as_ref().and_then(|i| i.param.as_deref()) {
            Some(name) => spec.params.iter().find(|p| p.wire == name),
            None => param_named(spec, "id"),
        }
    }

    /// The record field holding the id: `id.field`, else the record type's field named `id` in
    /// any case, else `ID`.
    pub fn id_field(&self, record: Option<&TypeDef>) -> String {
        if let Some(field) = self.id.as_ref().and_then(|i| i.field.clone()) {
            return field;
        }
        record
            .and_then(|r| r.fields.iter().find(|f| f.wire.eq_ignore_ascii_case("id")))
            .map_or_else(|| "ID".to_owned(), |f| f.wire.clone())
    }

    /// The filter `kind: list` applies: the parameter of `type: filter`, else a `json` (or
    /// `map`) one named `filter` in any case.
    pub fn filter_param<'s>(&self, spec: &'s Spec) -> Option<&'s Param> {
        if self.kind != Some(EmulationKind::List) {
            return None;
        }
        spec.params
            .iter()
            .find(|p| matches!(p.ty.kind, TypeKind::Filter(_)))
            .or_else(|| {
                param_named(spec, "filter")
                    .filter(|p| matches!(p.ty.kind, TypeKind::Json | TypeKind::Map { .. }))
            })
    }

    /// The list parameter naming the fields to answer: `select.param`; for `kind: list` and
    /// `get` without it, the parameter of `type: select`, else a list named `select`.
    pub fn select_param<'s>(&self, spec: &'s Spec) -> Option<&'s Param> {
        if let Some(name) = self.select.as_ref().and_then(|s| s.param.as_deref()) {
            return spec.params.iter().find(|p| p.wire == name);
        }
        if !matches!(self.kind, Some(EmulationKind::List | EmulationKind::Get)) {
            return None;
        }
        let is_select = |p: &&Param| match &p.ty.kind {
            TypeKind::Array(items) => {
                matches!(&items.kind, TypeKind::Enum(def) if def.select_of.is_some())
            }
            _ => false,
        };
        spec.params.iter().find(is_select).or_else(|| {
            param_named(spec, "select").filter(|p| matches!(p.ty.kind, TypeKind::Array(_)))
        })
    }

    /// For `kind: list`, the parameter named `order` in any case: an object of field →
    /// direction (`{"STAGE_ID": "ASC", "ID": "DESC"}`), or the direction of [`sort_param`].
    ///
    /// [`sort_param`]: Emulation::sort_param
    pub fn order_param<'s>(&self, spec: &'s Spec) -> Option<&'s Param> {
        (self.kind == Some(EmulationKind::List))
            .then(|| param_named(spec, "order"))
            .flatten()
    }

    /// For `kind: list`, the parameter named `sort` in any case: the field to order by.
    pub fn sort_param<'s>(&self, spec: &'s Spec) -> Option<&'s Param> {
        (self.kind == Some(EmulationKind::List))
            .then(|| param_named(spec, "sort"))
            .flatten()
    }

    /// For `kind: add` and `update`, the parameter named `fields` in any case: the record's
    /// fields to write.
    pub fn fields_param<'s>(&self, spec: &'s Spec) -> Option<&'s Param> {
        matches!(self.kind, Some(EmulationKind::Add | EmulationKind::Update))
            .then(|| param_named(spec, "fields"))
            .flatten()
    }

    /// The error when no record is found: `not_found`; for the kinds that find a record by
    /// id, else the declared error identified by the description "Not found" (code `""`), as
    /// the CRM methods document it.
    pub fn not_found_error<'s>(&self, spec: &'s Spec) -> Option<&'s ErrorDef> {
        match &self.not_found {
            Some(name) => find_error(spec, name),
            None if self.kind.is_some_and(EmulationKind::by_id) => spec.errors.iter().find(|e| {
                e.code.is_empty()
                    && e.message
                        .as_deref()
                        .is_some_and(|m| same_description(m, "Not found"))
            }),
            None => None,
        }
    }

    /// What the section's kind answers, read from the result type: the answer itself, or an
    /// object type with one field holding it; for `update` and `delete` whose result type
    /// says neither, the example's result. `None` without a kind, or when the result cannot
    /// hold what the kind answers.
    pub fn reply(&self, spec: &Spec) -> Option<Reply> {
        let kind = self.kind?;
        let record = self.record_type(spec).map(|t| t.name.as_str());
        let ty = &spec.result.ty;
        let wrapped = || {
            let TypeKind::Named(name) = &ty.kind else {
                return None;
            };
            let wrapper = spec.find_type(name)?;
            let [field] = &wrapper.fields[..] else {
                return None;
            };
            let inner = direct_reply(kind, &field.ty, record)?;
            Some(Reply::Wrapped {
                field: field.wire.clone(),
                inner: Box::new(inner),
            })
        };
        direct_reply(kind, ty, record)
            .or_else(wrapped)
            .or_else(|| match kind {
                // Anything else `get` answers is a projection of the record (`value`, `fields`).
                EmulationKind::Get => Some(Reply::Record),
                EmulationKind::Update | EmulationKind::Delete if example_result(spec).is_some() => {
                    Some(Reply::Example)
                }
                _ => None,
            })
    }
}

/// What `kind` answers when the result type `ty` is the answer itself.
fn direct_reply(kind: EmulationKind, ty: &TypeRef, record: Option<&str>) -> Option<Reply> {
    let is_record =
        |t: &TypeRef| matches!((&t.kind, record), (TypeKind::Named(n), Some(r)) if n == r);
    match (kind, &ty.kind) {
        (EmulationKind::List, TypeKind::Array(_) | TypeKind::Json) => Some(Reply::Records),
        (EmulationKind::Get, TypeKind::Json) => Some(Reply::Record),
        (EmulationKind::Get | EmulationKind::Add | EmulationKind::Update, _) if is_record(ty) => {
            Some(Reply::Record)
        }
        (EmulationKind::Add, TypeKind::Id | TypeKind::Integer) => Some(Reply::Id),
        (EmulationKind::Add | EmulationKind::Update | EmulationKind::Delete, TypeKind::Boolean) => {
            Some(Reply::True)
        }
        (EmulationKind::Fields, TypeKind::Map { .. } | TypeKind::Json) => Some(Reply::Description),
        _ => None,
    }
}

// --- reading ---------------------------------------------------------------------------------

/// `kind: NAME`.
pub(super) fn parse_kind(
    cx: &mut Ctxt,
    m: &serde_yaml::Mapping,
    path: &KeyPath,
) -> Option<EmulationKind> {
    let name = optional_str(cx, m, path, "kind")?;
    let kind = EmulationKind::from_name(&name);
    if kind.is_none() {
        let names = EmulationKind::ALL.map(EmulationKind::name);
        let p = cx.error(&path.key("kind"), format!("unknown kind `{name}`"));
        match did_you_mean(&name, names.iter().copied()) {
            Some(s) => p.help(format!("did you mean `{s}`?")),
            None => p.help(format!("write one of: {}", names.join(", "))),
        };
    }
    kind
}

/// `id: PARAM`, or `id: { param, field, absent }`.
pub(super) fn parse_id(cx: &mut Ctxt, v: &Value, ip: &KeyPath) -> Option<IdKey> {
    match v {
        Value::String(param) => Some(IdKey {
            param: Some(param.clone()),
            field: None,
            absent_is_caller: false,
            path: ip.clone(),
            param_path: ip.clone(),
        }),
        Value::Mapping(m) => {
            check_keys(cx, m, ip, &[ID_KEYS]);
            let absent_is_caller = match optional_str(cx, m, ip, "absent").as_deref() {
                None => false,
                Some("caller") => true,
                Some(other) => {
                    cx.error(
                        &ip.key("absent"),
                        format!("unknown `absent` value `{other}`"),
                    )
                    .help("the only value is `caller`: a missing parameter means the calling user");
                    false
                }
            };
            if m.is_empty() {
                cx.error(ip, "`id` is empty")
                    .help("write `id: PARAM`, or `{ param, field, absent }` with what differs from the conventions");
            }
            Some(IdKey {
                param: optional_str(cx, m, ip, "param"),
                field: optional_str(cx, m, ip, "field"),
                absent_is_caller,
                path: ip.clone(),
                param_path: ip.key("param"),
            })
        }
        other => {
            wrong_kind(
                cx,
                other,
                ip,
                "a parameter name, or `{ param, field, absent }`",
            );
            None
        }
    }
}

// --- checking --------------------------------------------------------------------------------

/// Whether `key` may be written beside `kind`. `collection`, `record` and `refuse` go with
/// every kind.
fn applies(kind: EmulationKind, key: &str) -> bool {
    use EmulationKind::*;
    match key {
        "id" => !matches!(kind, List | Fields),
        "caller" | "search" | "shape" => kind == List,
        "match" => kind != Fields,
        "select" | "when" | "value" | "fields" | "omit" | "join" | "exclude" | "only" => {
            matches!(kind, List | Get)
        }
        "set" => matches!(kind, Add | Update),
        "defaults" => kind == Add,
        "not_found" => kind.by_id(),
        "group" => false,
        _ => true,
    }
}

/// The keys of the section that are written, with where.
fn keys_written(emu: &Emulation) -> Vec<(&'static str, KeyPath)> {
    let at = |key: &str| emu.path.key(key);
    let form = &emu.form;
    let mut out = Vec::new();
    let mut add = |present: bool, key: &'static str, path: KeyPath| {
        if present {
            out.push((key, path));
        }
    };
    add(
        emu.id.is_some(),
        "id",
        emu.id.as_ref().map_or_else(|| at("id"), |i| i.path.clone()),
    );
    add(emu.caller.is_some(), "caller", at("caller"));
    add(!emu.matches.is_empty(), "match", at("match"));
    add(emu.search.is_some(), "search", at("search"));
    add(emu.select.is_some(), "select", at("select"));
    add(emu.group.is_some(), "group", at("group"));
    add(!emu.when.is_empty(), "when", at("when"));
    add(!emu.set.is_empty(), "set", at("set"));
    add(!emu.defaults.is_empty(), "defaults", at("defaults"));
    add(emu.not_found.is_some(), "not_found", at("not_found"));
    add(form.shape.is_some(), "shape", at("shape"));
    add(form.value.is_some(), "value", at("value"));
    add(form.fields.is_some(), "fields", at("fields"));
    add(!form.omit.is_empty(), "omit", at("omit"));
    add(!form.join.is_empty(), "join", at("join"));
    add(!form.exclude.is_empty(), "exclude", at("exclude"));
    add(!form.only.is_empty(), "only", at("only"));
    out
}

/// A type as a spec writes it, for diagnostics.
fn type_name(ty: &TypeRef) -> String {
    match &ty.kind {
        TypeKind::Named(n) => n.clone(),
        TypeKind::Enum(def) => def.name.clone(),
        TypeKind::Array(items) => format!("an array of {}", type_name(items)),
        TypeKind::Map { .. } => "map".into(),
        TypeKind::Filter(_) => "filter".into(),
        TypeKind::Order(_) => "order".into(),
        TypeKind::String => "string".into(),
        TypeKind::Integer => "integer".into(),
        TypeKind::Number => "number".into(),
        TypeKind::Decimal => "decimal".into(),
        TypeKind::DisplayDatetime => "display_datetime".into(),
        TypeKind::Boolean => "boolean".into(),
        TypeKind::Yn => "yn".into(),
        TypeKind::Id => "id".into(),
        TypeKind::Datetime => "datetime".into(),
        TypeKind::NaiveDatetime => "naive_datetime".into(),
        TypeKind::Date => "date".into(),
        TypeKind::Json => "json".into(),
    }
}

/// The checks of a section with a `kind` (and of `id` and `defaults` without one) that do
/// not need the records' fields.
pub(super) fn check(cx: &mut Ctxt, spec: &Spec, emu: &Emulation) {
    let Some(kind) = emu.kind else {
        if let Some(id) = &emu.id {
            cx.key_error(
                &id.path,
                "`id` says where a kind finds the record's id, but the section has no `kind`",
            )
            .help("write `kind: get`, `update` or `delete`, or remove `id`");
        }
        if !emu.defaults.is_empty() {
            cx.key_error(
                &emu.path.key("defaults"),
                "`defaults` fills in the records `kind: add` creates, but the section has no `kind`",
            )
            .help("write `kind: add`, or remove `defaults`");
        }
        return;
    };
    let at_kind = emu.path.key("kind");
    let name = kind.name();

    for (key, path) in keys_written(emu) {
        if !applies(kind, key) {
            cx.key_error(&path, format!("`{key}` does not apply to `kind: {name}`"))
                .help(format!("`kind: {name}` {}; remove `{key}`", kind.does()));
        }
    }
    if kind == EmulationKind::List {
        for case in emu.when.iter().map(|w| &w.form).chain([&emu.form]) {
            if case.shape == Some(Shape::One) {
                cx.error(
                    &case.path.key("shape"),
                    "`kind: list` answers every record it keeps, so `shape: one` does not fit",
                )
                .help("remove `shape`, or write `kind: get` to answer one record");
            }
        }
    }
    if spec.paged && kind != EmulationKind::List {
        cx.error(
            &at_kind,
            format!("a `paged` method answers a list, but `kind: {name}` does not"),
        )
        .help("write `kind: list`, or remove `paged`");
    }

    // The id parameter.
    if kind.by_id()
        && emu.id_param(spec).is_none()
        && emu.id.as_ref().is_none_or(|i| i.param.is_none())
    {
        cx.error(
            &at_kind,
            format!(
                "`kind: {name}` reads the record's id from a parameter named `id` (in any case), which the spec does not declare"
            ),
        )
        .help("declare the id parameter under `params:`, or name it with `id: PARAM`");
    }
    if let Some(id) = &emu.id {
        if kind == EmulationKind::Add && id.param.is_some() {
            cx.key_error(
                &id.param_path,
                "`kind: add` gives the new record an id of its own, so `id` names no parameter here",
            )
            .help("write `id: { field: FIELD }` to name the field that holds the new id");
        }
        if id.absent_is_caller && kind != EmulationKind::Get {
            cx.key_error(
                &id.path.key("absent"),
                format!("`absent: caller` applies to `kind: get` only, not `kind: {name}`"),
            )
            .help("remove `absent`: the id parameter is needed to write or remove a record");
        }
    }

    // The `fields` parameter and the records' type of writes.
    if matches!(kind, EmulationKind::Add | EmulationKind::Update) {
        match emu.fields_param(spec) {
            // A write made of parameters and fixed values alone: `im.message.add` adds its
            // `DIALOG_ID` and `MESSAGE` (`match`), `tasks.task.complete` sets the status.
            None if !emu.set.is_empty()
                || (kind == EmulationKind::Add && !emu.matches.is_empty()) => {}
            None => {
                cx.error(
                    &at_kind,
                    format!(
                        "`kind: {name}` writes the parameter named `fields`, which the spec does not declare"
                    ),
                )
                .help("declare `fields` under `params:`: an object of the record's fields");
            }
            Some(p)
                if !matches!(
                    p.ty.kind,
                    TypeKind::Json | TypeKind::Map { .. } | TypeKind::Named(_)
                ) =>
            {
                cx.error(
                    &at_kind,
                    format!(
                        "`kind: {name}` writes the `{}` parameter, which must be an object, but it is `{}`",
                        p.wire,
                        type_name(&p.ty)
                    ),
                )
                .help("declare the parameter as an object type, or `json`");
            }
            Some(_) => {}
        }
        if emu.record.is_none() && emu.record_type(spec).is_none() {
            cx.error(
                &at_kind,
                format!(
                    "`kind: {name}` needs the records' type, to know which fields a request may write"
                ),
            )
            .help("set `record:` to the records' object type");
        }
    }

    // What the kind answers.
    let reply = emu.reply(spec);
    if reply.is_none() {
        let (accepted, help) = match kind {
            EmulationKind::List => (
                "a list of records",
                "declare a list result (`type: array`), or an object type whose one field is the list",
            ),
            EmulationKind::Add => (
                "the new id, `true` or the record",
                "declare `result: id` (or `integer`), `boolean`, the record type, or an object type whose one field is one of those",
            ),
            EmulationKind::Update => (
                "`true` or the record",
                "declare `result: boolean`, the record type, or an object type whose one field is one of those; or give an example whose result the emulator answers",
            ),
            EmulationKind::Delete => (
                "`true`",
                "declare `result: boolean`, or an object type whose one field is `boolean`; or give an example whose result the emulator answers",
            ),
            EmulationKind::Fields => (
                "an object of field descriptions",
                "declare the result as a `map` (or `json`), or an object type whose one field is one",
            ),
            EmulationKind::Get => unreachable!("`get` answers any result"),
        };
        cx.error(
            &at_kind,
            format!(
                "`kind: {name}` answers {accepted}, but the result is `{}`",
                type_name(&spec.result.ty)
            ),
        )
        .help(help);
    }
    if kind == EmulationKind::Fields {
        let described = match (
            example_result(spec),
            reply.as_ref().and_then(Reply::wrapper),
        ) {
            (Some(result), Some(field)) => result.get(field),
            (result, None) => result,
            _ => None,
        };
        match described {
            None => {
                cx.error(
                    &at_kind,
                    "`kind: fields` answers the documented description of the fields, but the spec has no example of it",
                )
                .help("add the page's example under `example:`; the emulator adds the fixture's custom fields to its result");
            }
            Some(d) if !d.is_object() => {
                cx.error(
                    &at_kind,
                    "`kind: fields` adds custom fields to the example's description, but the example's result is not an object of field descriptions",
                )
                .help("give the page's example of the answer, an object keyed by field name");
            }
            Some(_) => {}
        }
    }
}

/// The checks of a section with a `kind` that need the records' type.
pub(super) fn check_fields(cx: &mut Ctxt, emu: &Emulation, record: &TypeDef) {
    let Some(kind) = emu.kind else { return };
    if !(kind.by_id() || kind == EmulationKind::Add) {
        return;
    }
    let field = emu.id_field(Some(record));
    if record.fields.iter().any(|f| f.wire == field) {
        return;
    }
    match emu.id.as_ref().filter(|i| i.field.is_some()) {
        Some(id) => {
            let p = cx.error(
                &id.path.key("field"),
                format!("`{}` has no field `{field}`", record.name),
            );
            match did_you_mean(&field, record.fields.iter().map(|f| f.wire.as_str())) {
                Some(s) => p.help(format!("did you mean `{s}`?")),
                None => p.help(format!(
                    "name the field of `{}` that holds the id",
                    record.name
                )),
            };
        }
        None => {
            cx.error(
                &emu.path.key("kind"),
                format!(
                    "`kind: {}` finds records by their id, but `{}` has no field named `id` (in any case)",
                    kind.name(),
                    record.name
                ),
            )
            .help("name the field that holds the id with `id: { field: FIELD }`");
        }
    }
}
