//! Answering a method from fixture data as its spec's `emulator:` section says: pick records,
//! order them, shape the answer, or write to a record. Nothing here knows a method by name.
//! The writes of `kind: add`, `update` and `delete` are in `write.rs`, the answer of
//! `kind: fields` in `describe.rs`.

use std::cmp::Ordering;
use std::time::{Duration, SystemTime};

use b24_spec::conform;
use b24_spec::{
    Emulation, EmulationKind, Form, Reply, Shape, Source, Spec, TypeDef, TypeKind, TypeRef,
};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;

use crate::answer::{Answer, same_value};
use crate::clock::php_array;
use crate::emulator::ACCOUNTS;
use crate::envelope::{Failure, INVALID_ARG_VALUE, NOT_FOUND};
use crate::fixture::{Fixture, Record};
use crate::request::Params;

/// One call of an emulated method.
pub(crate) struct Call<'a> {
    pub spec: &'a Spec,
    pub emulation: &'a Emulation,
    pub params: &'a Params,
    pub caller: u64,
    pub now: SystemTime,
}

impl Call<'_> {
    pub fn run(&self, fixture: &mut Fixture) -> Result<Answer, Failure> {
        let emu = self.emulation;
        let reply = emu.reply(self.spec);
        if let Some(refuse) = &emu.refuse {
            let me = Value::from(self.caller);
            let account = fixture
                .collection(ACCOUNTS)
                .and_then(|users| users.iter().find(|u| field_matches(u.get("id"), &me)));
            if let Some(account) = account
                && refuse
                    .callers
                    .iter()
                    .any(|(f, v)| field_matches(field(account, f), v))
            {
                return Err(Failure::declared(self.spec, &refuse.error, None));
            }
        }
        let records = fixture.collection(&emu.collection).ok_or_else(|| {
            // The builder refuses specs whose collection is missing: a safety net only.
            Failure::new(
                500,
                "INTERNAL_SERVER_ERROR",
                format!("the fixture has no `{}` collection", emu.collection),
            )
        })?;
        match emu.kind {
            Some(EmulationKind::Add) => return crate::write::add(self, fixture),
            Some(EmulationKind::Update) => return crate::write::update(self, fixture),
            Some(EmulationKind::Delete) => return crate::write::delete(self, fixture),
            Some(EmulationKind::Fields) => {
                let description = crate::describe::description(self.spec, emu, fixture);
                return Ok(Answer::from(wrap(reply.as_ref(), description)));
            }
            Some(EmulationKind::List | EmulationKind::Get) | None => {}
        }
        let picked = self.pick(records)?;
        if !emu.set.is_empty() {
            let Some(&index) = picked.first() else {
                return Err(self.not_found(None));
            };
            let writes: Vec<(String, Value)> = emu
                .set
                .iter()
                .filter_map(|a| self.source(&a.source).map(|v| (a.field.clone(), v)))
                .collect();
            if let Some(record) = fixture.record_mut(&emu.collection, index) {
                record.extend(writes);
            }
            return Ok(Answer::from(Value::Bool(true)));
        }
        let fixture = &*fixture;
        let records = fixture.collection(&emu.collection).unwrap_or_default();
        let form = emu.form_for(|name| self.param_text(name));
        let picked: Vec<usize> = picked
            .into_iter()
            .filter(|&i| {
                let r = &records[i];
                form.only
                    .iter()
                    .all(|c| field_matches(dotted(r, &c.field), &c.value))
                    && !form
                        .exclude
                        .iter()
                        .any(|c| field_matches(dotted(r, &c.field), &c.value))
            })
            .collect();
        let selection = self.selection();
        let selection = selection.as_ref();

        if let Some(group) = &emu.group {
            let item_ty = item_type(&self.spec.result.ty);
            let mut entries = Vec::new();
            for wanted in list_of(self.params.get(&group.param)) {
                let items = picked
                    .iter()
                    .map(|&i| &records[i])
                    .filter(|r| field_matches(field(r, &group.field), &wanted))
                    .map(|r| project(r, &form, selection, fixture, item_ty))
                    .collect();
                entries.push((text_of(&wanted), Value::Array(items)));
            }
            return Ok(Answer::from(php_array(entries)));
        }

        // The type of what is answered: the result, or the field of the object wrapping it.
        let ty = answer_type(self.spec, reply.as_ref());
        let list_result = match emu.kind {
            Some(EmulationKind::List) => true,
            Some(EmulationKind::Get) => false,
            _ => matches!(ty.kind, TypeKind::Array(_)),
        };
        let shape =
            form.shape
                .clone()
                .unwrap_or(if list_result { Shape::List } else { Shape::One });
        let mut answer = match shape {
            Shape::One => match picked.first() {
                Some(&i) => Answer::from(project(&records[i], &form, selection, fixture, Some(ty))),
                None => match (emu.not_found_error(self.spec), no_value(ty)) {
                    (None, Some(marker)) => Answer::from(marker),
                    // A result wrapping the record says "none" as a whole: `tasks.task.get`
                    // answers `[]`, not `{"task": …}`.
                    (None, None) => match no_value(&self.spec.result.ty) {
                        Some(marker) => return Ok(Answer::from(marker)),
                        None => return Err(self.not_found(None)),
                    },
                    _ => return Err(self.not_found(None)),
                },
            },
            Shape::List => {
                let item_ty = item_type(ty);
                let items: Vec<Value> = picked
                    .iter()
                    .map(|&i| project(&records[i], &form, selection, fixture, item_ty))
                    .collect();
                if self.spec.paged {
                    // Unwrapped: a kind's reply wraps the page (`{"items": […]}`) below.
                    crate::answer::page_of(&items, self.params)?
                } else {
                    Answer::from(Value::Array(items))
                }
            }
            Shape::KeyedBy(key) => {
                let entries = picked
                    .iter()
                    .map(|&i| {
                        let r = &records[i];
                        let k = field(r, &key).map_or_else(String::new, text_of);
                        (k, project(r, &form, selection, fixture, None))
                    })
                    .collect();
                Answer::from(php_array(entries))
            }
        };
        answer.result = wrap(reply.as_ref(), answer.result);
        Ok(answer)
    }

    /// How requests name the records' fields, from the records' type.
    fn names(&self) -> Names {
        Names::of(self.emulation.record_type(self.spec))
    }

    /// Indexes of the records `caller`, `lookup`, `match` and `filter` keep, in `sort` order.
    pub fn pick(&self, records: &[Record]) -> Result<Vec<usize>, Failure> {
        let emu = self.emulation;
        let names = self.names();
        let mut picked: Vec<usize> = (0..records.len()).collect();
        let mut keep = |test: &dyn Fn(&Record) -> bool| picked.retain(|&i| test(&records[i]));
        if let Some(f) = &emu.caller {
            let me = Value::from(self.caller);
            keep(&|r| field_matches(field(r, f), &me));
        }
        if emu.kind.is_some_and(EmulationKind::by_id) {
            let wanted = self.id_wanted()?;
            let id_field = emu.id_field(emu.record_type(self.spec));
            keep(&|r| field_matches(field(r, &id_field), &wanted));
        }
        for m in &emu.matches {
            if let Some(wanted) = self.params.get(&m.param) {
                keep(&|r| field_matches(field(r, &m.field), wanted));
            }
        }
        if let Some(param) = emu.filter_param(self.spec)
            && let Some(value) = self.params.get(&param.wire)
        {
            let mut filter = Filter::parse(&param.wire, value, &names)?;
            if let Some(search) = &emu.search
                && let Some(found) = filter.take_top(|c| {
                    !c.negate && c.op == Op::Eq && c.field.eq_ignore_ascii_case(&search.key)
                })
            {
                let needle = text_of(&found.value).to_lowercase();
                keep(&|r| {
                    search.fields.iter().any(|f| {
                        any_item(field(r, f), |v| {
                            has_word_prefix(&text_of(v).to_lowercase(), &needle)
                        })
                    })
                });
            }
            keep(&|r| filter.accepts(r));
        }
        let keys = self.order_keys(&names);
        if !keys.is_empty() {
            // A stable sort: records equal in every key keep the collection's order.
            picked.sort_by(|&a, &b| {
                keys.iter()
                    .map(|(by, descending)| {
                        let order = compare_opt(field(&records[a], by), field(&records[b], by));
                        if *descending { order.reverse() } else { order }
                    })
                    .find(|o| o.is_ne())
                    .unwrap_or(Ordering::Equal)
            });
        }
        Ok(picked)
    }

    /// The id the request names, for the kinds that find a record by id: the id parameter,
    /// or with `absent: caller` the caller's id when it is left out.
    pub fn id_wanted(&self) -> Result<Value, Failure> {
        let emu = self.emulation;
        let param = emu.id_param(self.spec).map_or("ID", |p| p.wire.as_str());
        match self.params.get(param) {
            Some(v) => Ok(v.clone()),
            None if emu.id.as_ref().is_some_and(|i| i.absent_is_caller) => {
                Ok(Value::from(self.caller))
            }
            None => Err(self.not_found(Some(param))),
        }
    }

    /// The fields `kind: list` orders by, each with whether it is descending: the field the
    /// `sort` parameter names in the direction of the `order` parameter, or (first) each key
    /// of an `order` object in turn (`{"STAGE_ID": "ASC", "ID": "DESC"}`). Directions are read in
    /// any case; anything but `DESC` is ascending. Names are read as requests write them
    /// (`select_as`) and turned into the records' keys.
    fn order_keys(&self, names: &Names) -> Vec<(String, bool)> {
        let emu = self.emulation;
        let desc = |v: &Value| text_of(v).trim().eq_ignore_ascii_case("desc");
        let order = emu
            .order_param(self.spec)
            .and_then(|p| self.params.get(&p.wire));
        // An order object wins over `sort` (`user.get`'s `ORDER` as the SDKs' list helpers
        // send it, beside a `SORT` they leave at its default).
        if let Some(Value::Object(keys)) = order {
            return keys
                .iter()
                .map(|(by, direction)| (names.key(by).to_owned(), desc(direction)))
                .collect();
        }
        match emu
            .sort_param(self.spec)
            .and_then(|p| self.params.get(&p.wire))
        {
            Some(by) => vec![(names.key(&text_of(by)).to_owned(), order.is_some_and(desc))],
            _ => Vec::new(),
        }
    }

    /// The fields the `select` parameter asks for; `None` when it is absent or empty.
    fn selection(&self) -> Option<Selection> {
        let emu = self.emulation;
        let param = emu.select_param(self.spec)?;
        let names: Vec<String> = list_of(self.params.get(&param.wire))
            .iter()
            .map(text_of)
            .filter(|n| !n.is_empty())
            .collect();
        if names.is_empty() {
            return None;
        }
        Some(Selection {
            names,
            always: emu
                .select
                .as_ref()
                .map_or_else(Vec::new, |s| s.always.clone()),
            fields: self.names(),
        })
    }

    /// The value of a parameter as text, or its declared default.
    fn param_text(&self, name: &str) -> Option<String> {
        self.params
            .get(name)
            .or_else(|| {
                self.spec
                    .params
                    .iter()
                    .find(|p| p.wire.eq_ignore_ascii_case(name))
                    .and_then(|p| p.default.as_ref())
            })
            .map(text_of)
    }

    pub fn param_or_default(&self, name: &str) -> Option<Value> {
        self.params.get(name).cloned().or_else(|| {
            self.spec
                .params
                .iter()
                .find(|p| p.wire.eq_ignore_ascii_case(name))
                .and_then(|p| p.default.clone())
        })
    }

    pub fn source(&self, source: &Source) -> Option<Value> {
        match source {
            Source::Param(name) => self.param_or_default(name),
            Source::Value(v) => Some(v.clone()),
            Source::Caller => Some(Value::from(self.caller)),
            Source::Now { minus_minutes } => {
                let minutes = minus_minutes
                    .as_ref()
                    .and_then(|m| self.param_or_default(m))
                    .and_then(|v| conform::integer_of(&v))
                    .and_then(|n| u64::try_from(n).ok())
                    .unwrap_or(0);
                let at = self
                    .now
                    .checked_sub(Duration::from_secs(minutes.saturating_mul(60)))
                    .unwrap_or(self.now);
                Some(Value::String(
                    DateTime::<Utc>::from(at).to_rfc3339_opts(SecondsFormat::Secs, false),
                ))
            }
        }
    }

    pub fn not_found(&self, missing_param: Option<&str>) -> Failure {
        let emu = self.emulation;
        match emu.not_found_error(self.spec) {
            Some(error) => Failure::from_error(self.spec, error, None),
            None => Failure::new(
                400,
                NOT_FOUND,
                match missing_param {
                    Some(p) => format!("`{p}` is required"),
                    None => format!("no record of `{}` matches the request", emu.collection),
                },
            ),
        }
    }
}

/// The type of what a kind answers: the result type, or the type of the one field of the
/// object wrapping the answer (`{"item": …}`).
pub(crate) fn answer_type<'s>(spec: &'s Spec, reply: Option<&Reply>) -> &'s TypeRef {
    let ty = &spec.result.ty;
    let wrapped = reply
        .and_then(Reply::wrapper)
        .and_then(|name| match &ty.kind {
            TypeKind::Named(t) => spec
                .find_type(t)?
                .fields
                .iter()
                .find(|f| f.wire == name)
                .map(|f| &f.ty),
            _ => None,
        });
    wrapped.unwrap_or(ty)
}

/// The answer inside the object the result type wraps it in, if it does.
pub(crate) fn wrap(reply: Option<&Reply>, value: Value) -> Value {
    match reply.and_then(Reply::wrapper) {
        Some(field) => {
            let mut object = serde_json::Map::new();
            object.insert(field.to_owned(), value);
            Value::Object(object)
        }
        None => value,
    }
}

/// The type of one item of a list result.
pub(crate) fn item_type(ty: &TypeRef) -> Option<&TypeRef> {
    match &ty.kind {
        TypeKind::Array(items) => Some(items),
        _ => None,
    }
}

/// What a type sends for "no value", if it has a marker: `false`, `null`, `""`, `[]` or `{}`.
fn no_value(ty: &TypeRef) -> Option<Value> {
    if ty.or_false {
        Some(Value::Bool(false))
    } else if ty.nullable {
        Some(Value::Null)
    } else if ty.or_empty {
        Some(Value::String(String::new()))
    } else if ty.or_empty_list {
        Some(Value::Array(Vec::new()))
    } else if ty.or_empty_object {
        Some(Value::Object(serde_json::Map::new()))
    } else {
        None
    }
}

/// The fields a request selects: names, the masks `*` (every field not starting with `UF_`)
/// and `UF_*` (every field that does), and the fields answered whatever is selected.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Selection {
    pub names: Vec<String>,
    pub always: Vec<String>,
    /// How requests name the records' fields.
    pub fields: Names,
}

impl Selection {
    /// Whether the answer keeps the field `key`. Names compare without case, as the portal's
    /// do, with the name requests use for the field (`select_as`) or its key; names of
    /// fields the records lack select nothing.
    pub fn keeps(&self, key: &str) -> bool {
        let name = self.fields.request_name(key);
        let custom = name.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("UF_"));
        self.always.iter().any(|a| a == key)
            || self.names.iter().any(|n| match n.as_str() {
                "*" => !custom,
                m if m.eq_ignore_ascii_case("UF_*") => custom,
                n => n.eq_ignore_ascii_case(name) || n.eq_ignore_ascii_case(key),
            })
    }
}

/// How requests name the records' fields where that differs from their keys (`select_as`,
/// `select_names` of the record type: tasks select `TITLE` for the key `title`), so a
/// `select`, a filter or an order naming a field finds its key.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Names {
    /// (name in requests, key in records), for fields whose two differ.
    renamed: Vec<(String, String)>,
}

impl Names {
    /// The names of `record`'s fields; none renamed without a record type.
    pub fn of(record: Option<&TypeDef>) -> Self {
        let renamed = record
            .map(|t| {
                t.fields
                    .iter()
                    .map(|f| (t.select_name(f), f.wire.clone()))
                    .filter(|(name, key)| name != key)
                    .collect()
            })
            .unwrap_or_default();
        Self { renamed }
    }

    /// The record key a request's `name` stands for: by the exact name, else without regard
    /// to case; `name` itself when no field is renamed so (keys are then matched as they are).
    pub fn key<'a>(&'a self, name: &'a str) -> &'a str {
        self.renamed
            .iter()
            .find(|(n, _)| n == name)
            .or_else(|| {
                self.renamed
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(name))
            })
            .map_or(name, |(_, key)| key)
    }

    /// The name requests use for the record key `key`.
    pub fn request_name<'a>(&'a self, key: &'a str) -> &'a str {
        self.renamed
            .iter()
            .find(|(_, k)| k == key)
            .map_or(key, |(name, _)| name)
    }
}

/// One record as the answer shows it: joined, cut to `fields` and to the `select`ed fields,
/// without `omit`, or just `value` (the type's "no value" marker when the record lacks it).
pub(crate) fn project(
    record: &Record,
    form: &Form,
    selection: Option<&Selection>,
    fixture: &Fixture,
    ty: Option<&TypeRef>,
) -> Value {
    let mut out = record.clone();
    for j in &form.join {
        let other = out.get(&j.on).and_then(|on| {
            fixture
                .collection(&j.collection)?
                .iter()
                .find(|r| field(r, &j.field).is_some_and(|f| same_value(f, on)))
        });
        if let Some(other) = other {
            out.insert(j.key.clone(), Value::Object(other.clone()));
        }
    }
    if let Some(fields) = &form.fields {
        out = fields
            .iter()
            .filter_map(|(key, f)| out.get(f).map(|v| (key.clone(), v.clone())))
            .collect();
    }
    if let Some(selection) = selection {
        out.retain(|k, _| selection.keeps(k));
    }
    for o in &form.omit {
        out.shift_remove(o);
    }
    match &form.value {
        Some(v) => out
            .get(v)
            .cloned()
            .or_else(|| ty.and_then(no_value))
            .unwrap_or(Value::Null),
        None => Value::Object(out),
    }
}

/// A record's field, by exact name or, failing that, regardless of case (filter keys are
/// upper case, the way clients write them).
pub(crate) fn field<'r>(record: &'r Record, name: &str) -> Option<&'r Value> {
    record.get(name).or_else(|| {
        record
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// A field reached by a dotted path (`chat.type`): each step a field of an object.
fn dotted<'r>(record: &'r Record, path: &str) -> Option<&'r Value> {
    let mut steps = path.split('.');
    let mut value = field(record, steps.next()?)?;
    for step in steps {
        value = match value {
            Value::Object(o) => field(o, step)?,
            _ => return None,
        };
    }
    Some(value)
}

/// Whether a field holds a wanted value: a list of wanted values matches any of them, and a
/// list field matches when any of its items does, as the portal filters multi-value fields.
pub(crate) fn field_matches(value: Option<&Value>, wanted: &Value) -> bool {
    match wanted {
        Value::Array(options) => options.iter().any(|w| field_matches(value, w)),
        Value::Object(options) => options.values().any(|w| field_matches(value, w)),
        _ => match value {
            Some(Value::Array(items)) => items.iter().any(|i| field_matches(Some(i), wanted)),
            Some(Value::Bool(b)) => flag_of(wanted) == Some(*b),
            Some(v) => same_value(v, wanted),
            None => false,
        },
    }
}

/// A request value standing for a boolean, as forms send them: `true`/`Y`/`1`, `false`/`N`/`0`.
pub(crate) fn flag_of(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(_) => conform::integer_of(v).and_then(|n| match n {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "y" | "1" => Some(true),
            "false" | "n" | "0" | "" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// The values of a list parameter: a list, a PHP array with integer keys out of order
/// (`{"1": …, "0": …}`), a JSON-encoded list, or one value.
fn list_of(value: Option<&Value>) -> Vec<Value> {
    match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.clone(),
        Some(Value::Object(items)) => items.values().cloned().collect(),
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Array(items)) => items,
            _ => vec![Value::String(s.clone())],
        },
        Some(other) => vec![other.clone()],
    }
}

/// Whether `text` starts with `needle` or has a word that does: the portal's full-text index
/// matches the starts of words, and its fallback is `LIKE 'text%'` on the whole field. Text
/// inside a word (`son` in `Johnson`) is not found.
fn has_word_prefix(text: &str, needle: &str) -> bool {
    text.starts_with(needle)
        || text
            .char_indices()
            .filter(|&(_, c)| !c.is_alphanumeric())
            .any(|(at, c)| text[at + c.len_utf8()..].starts_with(needle))
}

/// A scalar as PHP would print it: `5`, `abc`, `Y`.
pub(crate) fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Order of two field values: numbers by value, anything else as text; missing values first.
fn compare_opt(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => compare(a, b),
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
    }
}

fn compare(a: &Value, b: &Value) -> Ordering {
    let number = |v: &Value| match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    };
    match (number(a), number(b)) {
        (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        _ => text_of(a).to_lowercase().cmp(&text_of(b).to_lowercase()),
    }
}

/// What one key of a Bitrix24 filter object asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Gt,
    Ge,
    Lt,
    Le,
    In,
    Contains,
    Like,
}

/// One key of a filter (`">=ID": 5`): operator, negation, field and value.
#[derive(Debug, Clone, PartialEq)]
struct Condition {
    op: Op,
    negate: bool,
    field: String,
    value: Value,
}

/// Prefixes, longest first so `>=` wins over `>`.
const PREFIXES: &[(&str, Op, bool)] = &[
    ("!%=", Op::Like, true),
    ("!=%", Op::Like, true),
    ("!@", Op::In, true),
    ("!%", Op::Contains, true),
    ("!=", Op::Eq, true),
    ("=%", Op::Like, false),
    ("%=", Op::Like, false),
    (">=", Op::Ge, false),
    ("<=", Op::Le, false),
    ("!", Op::Eq, true),
    (">", Op::Gt, false),
    ("<", Op::Lt, false),
    ("@", Op::In, false),
    ("%", Op::Contains, false),
    ("=", Op::Eq, false),
];

/// Groups nest no deeper than this (as `conform` checks typed filters).
const MAX_GROUP_DEPTH: usize = 64;

/// A filter object as a tree: its conditions and nested groups, each group combining its
/// members with `AND` (the default) or, with `"logic": "OR"`, `OR`. Integer keys (and the
/// items of a list, PHP's array keyed 0, 1, …) hold nested groups:
/// `{"0": {"logic": "OR", "0": {"!=NAME": ""}, "1": {"!=LAST_NAME": ""}}, ">=ID": 5}`.
#[derive(Debug, Clone, PartialEq)]
enum Filter {
    Condition(Condition),
    Group { any: bool, members: Vec<Filter> },
}

impl Filter {
    /// The filter in parameter `name`, its field names read as requests write them; an empty
    /// PHP array is no filter.
    fn parse(name: &str, value: &Value, names: &Names) -> Result<Self, Failure> {
        Self::group(value, names, 0).ok_or_else(|| {
            Failure::new(
                400,
                INVALID_ARG_VALUE,
                format!(
                    "`{name}` must be an object of field names (with an optional operator \
                     prefix such as `>=`) to values, like {name}[>=ID]=5, and groups nested no \
                     deeper than {MAX_GROUP_DEPTH}"
                ),
            )
        })
    }

    /// A group: an object of conditions, `logic` and nested groups, or a list of them.
    fn group(value: &Value, names: &Names, depth: usize) -> Option<Self> {
        if depth > MAX_GROUP_DEPTH {
            return None;
        }
        let mut any = false;
        let mut members = Vec::new();
        let entries: Vec<(String, &Value)> = match value {
            Value::Object(o) => o.iter().map(|(k, v)| (k.clone(), v)).collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
            _ => return None,
        };
        for (key, value) in entries {
            if key.eq_ignore_ascii_case("logic") {
                any = text_of(value).eq_ignore_ascii_case("OR");
            } else if key.bytes().all(|b| b.is_ascii_digit())
                && matches!(value, Value::Object(_) | Value::Array(_))
            {
                members.push(Self::group(value, names, depth + 1)?);
            } else {
                let mut condition = Condition::parse(&key, value);
                condition.field = names.key(&condition.field).to_owned();
                members.push(Self::Condition(condition));
            }
        }
        Some(Self::Group { any, members })
    }

    /// Removes and returns the first condition of the top group that `test` picks.
    fn take_top(&mut self, test: impl Fn(&Condition) -> bool) -> Option<Condition> {
        let Self::Group { members, .. } = self else {
            return None;
        };
        let at = members
            .iter()
            .position(|m| matches!(m, Self::Condition(c) if test(c)))?;
        match members.remove(at) {
            Self::Condition(c) => Some(c),
            Self::Group { .. } => None,
        }
    }

    /// Whether `record` passes: a condition as [`Condition::accepts`]; a group when all its
    /// members pass, or with `OR` any; a group without members keeps every record.
    fn accepts(&self, record: &Record) -> bool {
        match self {
            Self::Condition(c) => c.accepts(record),
            Self::Group { members, .. } if members.is_empty() => true,
            Self::Group { any: true, members } => members.iter().any(|m| m.accepts(record)),
            Self::Group {
                any: false,
                members,
            } => members.iter().all(|m| m.accepts(record)),
        }
    }
}

impl Condition {
    fn parse(key: &str, value: &Value) -> Self {
        let (op, negate, field) = PREFIXES
            .iter()
            .find_map(|(p, op, neg)| key.strip_prefix(p).map(|rest| (*op, *neg, rest)))
            .unwrap_or((Op::Eq, false, key));
        Self {
            op,
            negate,
            field: field.to_owned(),
            value: value.clone(),
        }
    }

    fn accepts(&self, record: &Record) -> bool {
        let value = field(record, &self.field);
        let hit = match self.op {
            Op::Eq => field_matches(value, &self.value),
            Op::In => {
                let options = match &self.value {
                    Value::String(s) => s
                        .split(',')
                        .map(|p| Value::String(p.trim().to_owned()))
                        .collect(),
                    other => list_of(Some(other)),
                };
                field_matches(value, &Value::Array(options))
            }
            Op::Gt | Op::Ge | Op::Lt | Op::Le => any_item(value, |v| {
                let order = compare(v, &self.value);
                match self.op {
                    Op::Gt => order == Ordering::Greater,
                    Op::Ge => order != Ordering::Less,
                    Op::Lt => order == Ordering::Less,
                    _ => order != Ordering::Greater,
                }
            }),
            Op::Contains => {
                let needle = text_of(&self.value).to_lowercase();
                any_item(value, |v| text_of(v).to_lowercase().contains(&needle))
            }
            Op::Like => {
                let pattern: Vec<char> = text_of(&self.value).to_lowercase().chars().collect();
                any_item(value, |v| {
                    let text: Vec<char> = text_of(v).to_lowercase().chars().collect();
                    like(&text, &pattern)
                })
            }
        };
        hit != self.negate
    }
}

/// Whether `test` holds for a value, or for any item of a list value.
fn any_item(value: Option<&Value>, test: impl Fn(&Value) -> bool) -> bool {
    match value {
        Some(Value::Array(items)) => items.iter().any(&test),
        Some(v) => test(v),
        None => false,
    }
}

/// SQL `LIKE`: `%` is any run of characters, `_` any one character. Backtracks only to the
/// last `%`, so hostile patterns (`%%%%…a`) stay linear in the pattern times the text.
fn like(text: &[char], pattern: &[char]) -> bool {
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '_' || pattern[p] == text[t]) && pattern[p] != '%' {
            t += 1;
            p += 1;
        } else if p < pattern.len() && pattern[p] == '%' {
            star = Some((p, t));
            p += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '%')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(v: Value) -> Record {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn filter_operators_compare_like_the_portal() {
        let r =
            record(json!({"ID": "7", "NAME": "Maria", "UF_DEPARTMENT": [1, 3], "ACTIVE": true}));
        let ok = |k: &str, v: Value| Condition::parse(k, &v).accepts(&r);
        assert!(ok("ID", json!(7)) && ok("=ID", json!("7")) && !ok("ID", json!(8)));
        assert!(ok(">=ID", json!("5")) && ok(">ID", json!(6)) && !ok(">ID", json!(7)));
        assert!(ok("<=ID", json!(7)) && ok("<ID", json!("10")) && !ok("<ID", json!(7)));
        assert!(ok("!ID", json!(5)) && !ok("!=ID", json!(7)));
        assert!(ok("%NAME", json!("ari")) && !ok("!%NAME", json!("ARI")));
        assert!(
            ok("=%NAME", json!("ma%")) && !ok("=%NAME", json!("ar%")) && ok("!=%NAME", json!("x%"))
        );
        assert!(ok("@ID", json!([5, 7])) && ok("@ID", json!("5, 7")) && ok("!@ID", json!([5])));
        assert!(ok("UF_DEPARTMENT", json!(3)) && !ok("UF_DEPARTMENT", json!(2)));
        assert!(ok("ACTIVE", json!(true)) && ok("ACTIVE", json!("Y")) && !ok("ACTIVE", json!("N")));
        assert!(ok("id", json!(7)) && ok("!ACTIVE", json!("false")));
        assert!(!ok("MISSING", json!(1)) && ok("!MISSING", json!(1)));
    }

    #[test]
    fn filters_must_be_objects() {
        let names = Names::default();
        let empty = Filter::parse("FILTER", &json!([]), &names).unwrap();
        assert!(empty.accepts(&record(json!({"ID": 1}))));
        let e = Filter::parse("FILTER", &json!("ID=5"), &names).unwrap_err();
        assert_eq!(e.code, INVALID_ARG_VALUE);
        let mut deep = json!({"ID": 1});
        for _ in 0..=MAX_GROUP_DEPTH {
            deep = json!({"0": deep});
        }
        assert!(Filter::parse("FILTER", &deep, &names).is_err());
    }

    #[test]
    fn groups_combine_their_members_with_and_or_or() {
        let names = Names::default();
        let people = [
            record(json!({"ID": 1, "NAME": "Ann", "LAST_NAME": ""})),
            record(json!({"ID": 2, "NAME": "", "LAST_NAME": "Smith"})),
            record(json!({"ID": 3, "NAME": "", "LAST_NAME": ""})),
            record(json!({"ID": 4, "NAME": "Bob", "LAST_NAME": "Lee"})),
        ];
        let kept = |filter: Value| -> Vec<u64> {
            let filter = Filter::parse("FILTER", &filter, &names).unwrap();
            people
                .iter()
                .filter(|r| filter.accepts(r))
                .map(|r| r["ID"].as_u64().unwrap())
                .collect()
        };
        // crm.item.list's documented form: a group under "0" next to other conditions.
        let or = json!({"logic": "OR", "0": {"!=NAME": ""}, "1": {"!=LAST_NAME": ""}});
        assert_eq!(kept(json!({"0": or.clone()})), [1, 2, 4]);
        assert_eq!(kept(json!({"0": or.clone(), "<ID": 4})), [1, 2]);
        // crm.type.list's: a list of groups; `or` in any case.
        assert_eq!(
            kept(json!([{"logic": "or", "0": {"ID": 1}, "1": {"ID": 3}}])),
            [1, 3]
        );
        // Nested: ID 4, or (no name and no last name).
        let nested = json!({"logic": "OR", "0": {"ID": 4}, "1": {"NAME": "", "LAST_NAME": ""}});
        assert_eq!(kept(json!({"0": nested})), [3, 4]);
        // A group with flat keys is an OR of them too; an empty group keeps everything.
        assert_eq!(kept(json!({"logic": "OR", "ID": 2, "NAME": "Bob"})), [2, 4]);
        assert_eq!(kept(json!({"0": {"logic": "OR"}})), [1, 2, 3, 4]);
    }

    #[test]
    fn names_map_request_spellings_to_record_keys() {
        let spec = b24_spec::load_str(
            "test.task.list.yaml",
            "method: test.task.list
scope: test
summary: Test
docs: https://apidocs.bitrix24.com/
access: any user
result: { type: array, items: Task }
types:
  Task:
    select_names: upper_snake
    fields:
      id: id
      responsibleId: id
      status: { type: string, select_as: REAL_STATUS }
",
        )
        .unwrap_or_else(|d| panic!("{d:?}"));
        let names = Names::of(spec.find_type("Task"));
        assert_eq!(names.key("RESPONSIBLE_ID"), "responsibleId");
        assert_eq!(names.key("responsible_id"), "responsibleId");
        assert_eq!(
            (names.key("REAL_STATUS"), names.key("STATUS")),
            ("status", "STATUS")
        );
        assert_eq!(names.request_name("status"), "REAL_STATUS");
        assert_eq!(names.key("UF_CRM_TASK"), "UF_CRM_TASK");
        let filter = Filter::parse("filter", &json!({"REAL_STATUS": 2, ">ID": 1}), &names).unwrap();
        assert!(filter.accepts(&record(json!({"id": "2", "status": "2"}))));
        assert!(!filter.accepts(&record(json!({"id": "2", "status": "3"}))));
        let sel = Selection {
            names: vec!["TITLE".into(), "REAL_STATUS".into()],
            always: Vec::new(),
            fields: names,
        };
        assert!(sel.keeps("status") && !sel.keeps("responsibleId"));
    }

    #[test]
    fn projections_join_pick_omit_and_take_a_value() {
        let fixture = Fixture::empty()
            .with_collection("people", vec![record(json!({"id": 4, "name": "Ann"}))]);
        let thing = record(json!({"id": 1, "owner": "4", "secret": "x", "name": "Box"}));
        let join = b24_spec::Join {
            key: "owner_data".into(),
            collection: "people".into(),
            field: "id".into(),
            on: "owner".into(),
            path: Default::default(),
        };
        let form = Form {
            join: vec![join],
            omit: vec!["secret".into()],
            ..Form::default()
        };
        assert_eq!(
            project(&thing, &form, None, &fixture, None),
            json!({"id": 1, "owner": "4", "name": "Box", "owner_data": {"id": 4, "name": "Ann"}})
        );
        let form = Form {
            fields: Some(vec![
                ("ID".into(), "id".into()),
                ("NAME".into(), "name".into()),
            ]),
            ..Form::default()
        };
        assert_eq!(
            project(&thing, &form, None, &fixture, None),
            json!({"ID": 1, "NAME": "Box"})
        );
        // A missing `value` field is the type's "no value" marker.
        let ty = |or_false, nullable| TypeRef {
            or_false,
            nullable,
            ..TypeRef::plain(TypeKind::String, Default::default())
        };
        let form = Form {
            value: Some("status".into()),
            ..Form::default()
        };
        assert_eq!(
            project(&thing, &form, None, &fixture, Some(&ty(true, false))),
            json!(false)
        );
        assert_eq!(
            project(&thing, &form, None, &fixture, Some(&ty(false, true))),
            Value::Null
        );
        let form = Form {
            value: Some("name".into()),
            ..Form::default()
        };
        assert_eq!(project(&thing, &form, None, &fixture, None), json!("Box"));
    }

    #[test]
    fn selections_take_names_and_masks() {
        let sel = |names: &[&str]| Selection {
            names: names.iter().map(|n| (*n).to_owned()).collect(),
            always: vec!["ID".into()],
            fields: Names::default(),
        };
        let s = sel(&["NAME"]);
        assert!(s.keeps("ID") && s.keeps("NAME") && !s.keeps("LAST_NAME"));
        assert!(sel(&["name"]).keeps("NAME"));
        let all = sel(&["*"]);
        assert!(all.keeps("EMAIL") && !all.keeps("UF_DEPARTMENT"));
        let custom = sel(&["uf_*"]);
        assert!(custom.keeps("UF_DEPARTMENT") && custom.keeps("uf_skype") && !custom.keeps("NAME"));
        // Short and non-ASCII keys do not trip the mask test.
        assert!(!custom.keeps("U") && !custom.keeps("ÜF_X") && !sel(&[]).keeps("NAME"));
    }

    #[test]
    fn like_patterns() {
        let l = |t: &str, p: &str| {
            like(
                &t.chars().collect::<Vec<_>>(),
                &p.chars().collect::<Vec<_>>(),
            )
        };
        assert!(l("maria", "m%a") && l("maria", "%") && l("maria", "mar_a") && !l("maria", "m_a"));
        assert!(l("", "%%") && !l("", "_") && l("abc", "%b%") && !l("abc", "%d%"));
        let long = "a".repeat(5000);
        assert!(!l(&long, &format!("{}b", "%".repeat(200))));
    }

    #[test]
    fn list_params_come_in_every_form() {
        assert_eq!(list_of(Some(&json!([3, 7]))), vec![json!(3), json!(7)]);
        assert_eq!(list_of(Some(&json!({"0": "3"}))), vec![json!("3")]);
        assert_eq!(list_of(Some(&json!("[3,7]"))), vec![json!(3), json!(7)]);
        assert_eq!(list_of(Some(&json!(3))), vec![json!(3)]);
        assert!(list_of(None).is_empty());
    }
}
