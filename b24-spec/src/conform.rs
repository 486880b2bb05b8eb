//! Whether a JSON value has the type a spec declares, in both directions: what the portal
//! *accepts* in a request, and what it *sends* in a result. The compile-time example checks
//! and the emulator share these rules.
//!
//! Requests are lenient the way PHP is (form and query values are always strings, so `"5"` is
//! an integer); results are exactly what the generated client decodes, so fixture data that
//! passes here decodes with the generated types.

use serde_json::Value;

use crate::model::{
    FilterDef, MapKeys, OneOfGroup, OrderDef, ResultCase, ResultChoice, Spec, TypeDef, TypeKind,
    TypeRef, matches_any,
};
use crate::path::KeyPath;

/// Deeper nesting than this is refused rather than followed (cycles, hostile input).
const MAX_DEPTH: usize = 64;

/// Which side of the wire a value is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A request parameter as a client may send it.
    Request,
    /// A value as the portal sends it, in a result.
    Result,
}

/// Where a value fails to match and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Path below the checked value (`phones.work_phone`, `[2]`); the root for the value itself.
    pub path: KeyPath,
    pub message: String,
}

/// Checks `v` against `ty`, resolving named types in `spec`.
pub fn check(spec: &Spec, ty: &TypeRef, v: &Value, mode: Mode) -> Result<(), Mismatch> {
    Checker { spec, mode }.check(ty, v, KeyPath::root(), 0)
}

/// The `one_of_required` groups of which a request sends no parameter, in spec order; `sent`
/// says whether it sends the parameter of a wire name.
pub fn unmet_groups(spec: &Spec, sent: impl Fn(&str) -> bool) -> impl Iterator<Item = &OneOfGroup> {
    spec.one_of_required
        .iter()
        .filter(move |group| !group.params.is_empty() && !group.names().any(&sent))
}

/// The whole number a request value stands for (`5`, `5.0`, `"5"`), for `min` checks.
pub fn integer_of(v: &Value) -> Option<i128> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 1e18)
                    .map(|f| f as i128)
            }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The exact decimal a JSON number or numeric string stands for; `None` for anything else,
/// and for a number outside a decimal's range or with more digits than it keeps. A number
/// with a fraction is the shortest decimal that is its `f64` (what the client reads).
pub fn decimal_of(v: &Value) -> Option<rust_decimal::Decimal> {
    match v {
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Some(i.into()),
            (None, Some(u)) => Some(u.into()),
            // Rust prints the shortest text that reads back as the same `f64`, never with an
            // exponent.
            (None, None) => rust_decimal::Decimal::from_str_exact(&n.as_f64()?.to_string()).ok(),
        },
        Value::String(s) => decimal_of_text(s.trim()),
        _ => None,
    }
}

/// The exact decimal `text` writes: digits with an optional sign and fraction (not `1_000`,
/// which `rust_decimal` alone reads), as the client reads it.
fn decimal_of_text(text: &str) -> Option<rust_decimal::Decimal> {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let plain = unsigned.bytes().any(|b| b.is_ascii_digit())
        && unsigned.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    plain
        .then(|| rust_decimal::Decimal::from_str_exact(text).ok())
        .flatten()
}

/// The formats of `display_datetime`, as `chrono` writes them: month first with `am`/`pm`,
/// with `AM`/`PM`, and on a 24-hour clock; day first; year first. The same list as
/// `b24_client::DisplayFormat`.
pub const DISPLAY_FORMATS: [&str; 5] = [
    "%m/%d/%Y %I:%M:%S %P",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%d.%m.%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
];

/// The date-time `text` stands for in one of the [`DISPLAY_FORMATS`], spelt exactly as that
/// format writes it (leading zeros, the case of `am`/`pm`), as the client reads it.
pub fn display_datetime(text: &str) -> Option<chrono::NaiveDateTime> {
    DISPLAY_FORMATS.iter().find_map(|format| {
        let at = chrono::NaiveDateTime::parse_from_str(text, format).ok()?;
        (at.format(format).to_string() == text).then_some(at)
    })
}

/// For a result chosen by a parameter (`by_param`), the case that request `params` select:
/// the case whose value the parameter has (or, when it is left out, its `default`), else
/// `otherwise`. `None` for a result with one shape.
pub fn result_case<'a>(
    spec: &'a Spec,
    params: &serde_json::Map<String, Value>,
) -> Option<(&'a ResultChoice, &'a ResultCase)> {
    let choice = spec.result.by_param.as_ref()?;
    let param = spec.params.iter().find(|p| p.wire == choice.param);
    let value = params
        .get(&choice.param)
        .or_else(|| param.and_then(|p| p.default.as_ref()));
    let case = match (param, value) {
        (Some(p), Some(v)) => choice.cases.iter().find(|c| {
            c.when
                .as_deref()
                .is_some_and(|when| request_value_is(&p.ty, v, when))
        }),
        _ => None,
    };
    Some((choice, case.unwrap_or(&choice.otherwise)))
}

/// The type `result` has for a request with `params`: the selected case's, or the one type.
pub fn result_type<'a>(spec: &'a Spec, params: &serde_json::Map<String, Value>) -> &'a TypeRef {
    match result_case(spec, params) {
        Some((_, case)) => &case.ty,
        None => &spec.result.ty,
    }
}

/// Whether a parameter of this type can choose the shape of a result: it holds one plain
/// value the generated code can compare.
pub fn can_choose_result(ty: &TypeRef) -> bool {
    match ty.kind {
        TypeKind::String
        | TypeKind::Yn
        | TypeKind::Boolean
        | TypeKind::Integer
        | TypeKind::Id
        | TypeKind::Enum(_) => true,
        TypeKind::Number
        | TypeKind::Decimal
        | TypeKind::Datetime
        | TypeKind::NaiveDatetime
        | TypeKind::DisplayDatetime
        | TypeKind::Date
        | TypeKind::Json
        | TypeKind::Array(_)
        | TypeKind::Map { .. }
        | TypeKind::Named(_)
        | TypeKind::Filter(_)
        | TypeKind::Order(_) => false,
    }
}

/// Checks a `cases` key against the parameter's type: `Err` says what was expected.
pub fn case_value(ty: &TypeRef, when: &str) -> Result<(), String> {
    let (ok, expected) = match &ty.kind {
        TypeKind::String => (true, String::new()),
        TypeKind::Yn => (when == "Y" || when == "N", "`Y` or `N`".to_owned()),
        TypeKind::Boolean => (
            when == "true" || when == "false",
            "`true` or `false`".to_owned(),
        ),
        TypeKind::Integer => (when.parse::<i64>().is_ok(), "a whole number".to_owned()),
        TypeKind::Id => (
            when.parse::<u64>().is_ok(),
            "a non-negative whole number".to_owned(),
        ),
        TypeKind::Enum(def) => {
            let known: Vec<String> = def.values.iter().map(|v| format!("`{}`", v.wire)).collect();
            (
                def.values.iter().any(|v| v.wire == when),
                format!("one of {}", known.join(", ")),
            )
        }
        // Types that cannot choose a result (see `can_choose_result`).
        TypeKind::Number
        | TypeKind::Decimal
        | TypeKind::Datetime
        | TypeKind::NaiveDatetime
        | TypeKind::DisplayDatetime
        | TypeKind::Date
        | TypeKind::Json
        | TypeKind::Array(_)
        | TypeKind::Map { .. }
        | TypeKind::Named(_)
        | TypeKind::Filter(_)
        | TypeKind::Order(_) => (false, "a single value".to_owned()),
    };
    if ok { Ok(()) } else { Err(expected) }
}

/// Whether the request value `v` of a parameter typed `ty` stands for the case value `when`,
/// read as leniently as the portal reads form data (`"5"` is `5`, `1` is `true`).
fn request_value_is(ty: &TypeRef, v: &Value, when: &str) -> bool {
    match (&ty.kind, v) {
        (TypeKind::Integer | TypeKind::Id, _) => {
            integer_of(v).is_some_and(|n| when.parse::<i128>() == Ok(n))
        }
        (TypeKind::Boolean, Value::Bool(b)) => when == b.to_string(),
        (TypeKind::Boolean, _) => match integer_of(v) {
            Some(n) => when == (n != 0).to_string(),
            None => v
                .as_str()
                .is_some_and(|s| s.trim().eq_ignore_ascii_case(when)),
        },
        (_, Value::String(s)) => s == when,
        (TypeKind::String, Value::Number(n)) => n.to_string() == when,
        _ => false,
    }
}

/// Whether `key`, an object key, is a key of the kind a map declares.
fn map_key_fits(keys: MapKeys, key: &str) -> bool {
    match keys {
        MapKeys::Id => key.parse::<u64>().is_ok(),
        MapKeys::Integer => key.parse::<i64>().is_ok(),
        MapKeys::String => true,
    }
}

struct Checker<'a> {
    spec: &'a Spec,
    mode: Mode,
}

impl Checker<'_> {
    fn check(&self, ty: &TypeRef, v: &Value, path: KeyPath, depth: usize) -> Result<(), Mismatch> {
        let fail = |path: KeyPath, message: String| Err(Mismatch { path, message });
        if depth > MAX_DEPTH {
            return fail(path, format!("nested more than {MAX_DEPTH} levels deep"));
        }
        if ty.markers().any(|marker| marker == *v) {
            return Ok(());
        }
        // A type name that resolves to nothing was reported where it is written; checking a
        // value against it would only repeat that mistake.
        match &ty.kind {
            TypeKind::Named(name) if self.spec.find_type(name).is_none() => return Ok(()),
            TypeKind::Array(names) | TypeKind::Order(OrderDef { fields: names, .. })
                if let TypeKind::Enum(def) = &names.kind
                    && def
                        .select_of
                        .as_ref()
                        .is_some_and(|of| self.spec.find_type(of).is_none()) =>
            {
                return Ok(());
            }
            _ => {}
        }
        let request = self.mode == Mode::Request;
        // PHP has one array type for lists and objects: in a request, an empty list is also
        // the empty object (`FILTER: []`).
        if request
            && matches!(v, Value::Array(items) if items.is_empty())
            && matches!(
                ty.kind,
                TypeKind::Named(_) | TypeKind::Filter(_) | TypeKind::Order(_)
            )
        {
            return self.check(ty, &Value::Object(serde_json::Map::new()), path, depth);
        }
        let ok = match (&ty.kind, v) {
            (TypeKind::Json, _) => true,
            (TypeKind::String, Value::String(_)) => true,
            (TypeKind::String, Value::Number(_)) => request,
            // Results decode into `i64`: a larger number would pass here and fail there.
            (TypeKind::Integer, Value::Number(n)) => {
                n.is_i64() || (request && (n.is_u64() || integer_of(v).is_some()))
            }
            // A PHP backend may send any number as a numeric string; the client reads both.
            (TypeKind::Integer, Value::String(s)) => {
                if request {
                    integer_of(v).is_some()
                } else {
                    s.parse::<i64>().is_ok()
                }
            }
            (TypeKind::Number, Value::Number(_)) => true,
            (TypeKind::Number, Value::String(s)) => {
                let s = if request { s.trim() } else { s.as_str() };
                s.parse::<f64>().is_ok_and(f64::is_finite)
            }
            (TypeKind::Decimal, Value::Number(_)) => decimal_of(v).is_some(),
            (TypeKind::Decimal, Value::String(s)) => {
                decimal_of_text(if request { s.trim() } else { s }).is_some()
            }
            (TypeKind::Boolean, Value::Bool(_)) => true,
            (TypeKind::Boolean, Value::Number(_)) => {
                request && matches!(integer_of(v), Some(0 | 1))
            }
            (TypeKind::Boolean, Value::String(s)) => {
                request
                    && ["true", "false", "1", "0"]
                        .iter()
                        .any(|b| s.trim().eq_ignore_ascii_case(b))
            }
            (TypeKind::Yn, Value::String(s)) => s == "Y" || s == "N",
            // The generated client reads real booleans as well; requests must use letters.
            (TypeKind::Yn, Value::Bool(_)) => !request,
            (TypeKind::Id, Value::Number(n)) => {
                n.is_u64() || (request && integer_of(v).is_some_and(|i| i >= 0))
            }
            (TypeKind::Id, Value::String(s)) => {
                let s = if request { s.trim() } else { s.as_str() };
                s.parse::<u64>().is_ok()
            }
            (TypeKind::Datetime, Value::String(s)) => {
                chrono::DateTime::parse_from_rfc3339(s).is_ok()
            }
            (TypeKind::NaiveDatetime, Value::String(s)) => {
                chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").is_ok()
                    || chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
            }
            (TypeKind::Date, Value::String(s)) => {
                chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
            }
            (TypeKind::DisplayDatetime, Value::String(s)) => {
                display_datetime(s).is_some()
                    // Requests may also use the ISO forms the portal reads.
                    || request
                        && (chrono::DateTime::parse_from_rfc3339(s).is_ok()
                            || chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
                                .is_ok())
            }
            (TypeKind::Enum(def), Value::String(s)) => {
                if def.find(s).is_some() {
                    true
                } else if let Some(of) = &def.select_of {
                    // Custom fields are the portal's own: the record's patterns name them.
                    if matches_any(&def.custom_fields, s) {
                        true
                    } else if def.custom_fields.is_empty() {
                        return fail(
                            path,
                            format!("`{s}` is not a field of `{of}` or a mask (`*`, `UF_*`)"),
                        );
                    } else {
                        let patterns: Vec<&str> = def
                            .custom_fields
                            .iter()
                            .map(|p| p.pattern.as_str())
                            .collect();
                        return fail(
                            path,
                            format!(
                                "`{s}` is not a field of `{of}`, a mask (`*`, `UF_*`) or a custom field ({})",
                                patterns.join(", ")
                            ),
                        );
                    }
                } else {
                    let known: Vec<String> =
                        def.values.iter().map(|e| format!("{:?}", e.wire)).collect();
                    return fail(
                        path,
                        format!("expected one of {}, found {s:?}", known.join(", ")),
                    );
                }
            }
            (TypeKind::Filter(def), Value::Object(_)) if request => {
                return self.filter(def, v, path, depth);
            }
            // `[{"logic": "OR", …}]`: a PHP array keyed 0, 1, … of groups (`crm.type.list`).
            (TypeKind::Filter(def), Value::Array(_)) if request && def.logic => {
                return self.filter(def, v, path, depth);
            }
            (TypeKind::Order(def), _) if request => return self.order(def, v, path),
            // A PHP array with integer keys is a list however it was written: `ID[1]=7` in a
            // form, `{"0": 1}` in JSON. Its items are its values in the order sent.
            (TypeKind::Array(_), Value::Object(_)) if request => match php_list(v) {
                Some(items) => {
                    let list = Value::Array(items.into_iter().cloned().collect());
                    return self.check(ty, &list, path, depth);
                }
                None => false,
            },
            (TypeKind::Array(items), Value::Array(values)) => {
                if let Some(min) = ty.min_items
                    && values.len() < min
                {
                    return fail(
                        path,
                        format!(
                            "expected a list of at least {min} item{}, found {}",
                            if min == 1 { "" } else { "s" },
                            show(v)
                        ),
                    );
                }
                for (i, item) in values.iter().enumerate() {
                    self.check(items, item, path.index(i), depth + 1)?;
                }
                true
            }
            // PHP writes an empty associative array as `[]`; in a request, any list is a PHP
            // array keyed 0, 1, …, keys every kind of map takes.
            (TypeKind::Map { values, .. }, Value::Array(items)) if request => {
                for (i, item) in items.iter().enumerate() {
                    self.check(values, item, path.index(i), depth + 1)?;
                }
                true
            }
            (TypeKind::Map { .. }, Value::Array(values)) => values.is_empty(),
            (TypeKind::Map { keys, values }, Value::Object(obj)) => {
                for (key, value) in obj {
                    let key_path = path.key(key);
                    if !map_key_fits(*keys, key) {
                        return fail(
                            key_path,
                            format!(
                                "map key {key:?} is not {}",
                                if *keys == MapKeys::Id {
                                    "an id"
                                } else {
                                    "an integer"
                                }
                            ),
                        );
                    }
                    self.check(values, value, key_path, depth + 1)?;
                }
                true
            }
            (TypeKind::Named(name), Value::Object(obj)) => {
                let Some(def) = self.spec.find_type(name) else {
                    return Ok(());
                };
                if def.input {
                    return self.input(def, obj, path, depth);
                }
                for f in &def.fields {
                    let field_path = path.key(&f.wire);
                    match obj.get(&f.wire) {
                        // `optional`: the key may be missing, or present as `null`.
                        None | Some(Value::Null) if f.optional => {}
                        Some(fv) => self.check(&f.ty, fv, field_path, depth + 1)?,
                        None => {
                            return fail(
                                field_path,
                                format!(
                                    "field `{}` of `{name}` is missing (mark it `optional: true` if it may be left out)",
                                    f.wire
                                ),
                            );
                        }
                    }
                }
                true
            }
            // Any other value of these kinds.
            (
                TypeKind::String
                | TypeKind::Integer
                | TypeKind::Number
                | TypeKind::Decimal
                | TypeKind::Boolean
                | TypeKind::Yn
                | TypeKind::Id
                | TypeKind::Datetime
                | TypeKind::NaiveDatetime
                | TypeKind::DisplayDatetime
                | TypeKind::Date
                | TypeKind::Array(_)
                | TypeKind::Map { .. }
                | TypeKind::Enum(_)
                | TypeKind::Named(_)
                | TypeKind::Filter(_)
                | TypeKind::Order(_),
                _,
            ) => false,
        };
        if ok {
            Ok(())
        } else {
            fail(
                path,
                format!("expected {}, found {}", describe(ty, self.mode), show(v)),
            )
        }
    }
}

impl Checker<'_> {
    /// An object of an input type: every key a declared field (or a custom field the type
    /// admits) with a value of the field's type, and every `required` field present. `null`
    /// counts as left out, as the emulator reads requests.
    fn input(
        &self,
        def: &TypeDef,
        obj: &serde_json::Map<String, Value>,
        path: KeyPath,
        depth: usize,
    ) -> Result<(), Mismatch> {
        for (key, value) in obj {
            let at = path.key(key);
            match def.fields.iter().find(|f| f.wire == *key) {
                Some(_) if value.is_null() => {}
                Some(f) => self.check(&f.ty, value, at, depth + 1)?,
                None if def.admits_extra_key(key) => {}
                None => {
                    let hint = match crate::diag::did_you_mean(
                        key,
                        def.fields.iter().map(|f| f.wire.as_str()),
                    ) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => {
                            let mut names: Vec<&str> =
                                def.fields.iter().take(8).map(|f| f.wire.as_str()).collect();
                            if def.fields.len() > names.len() {
                                names.push("…");
                            }
                            format!("its fields: {}", names.join(", "))
                        }
                    };
                    return Err(Mismatch {
                        path: at,
                        message: format!("`{key}` is not a field of `{}` ({hint})", def.name),
                    });
                }
            }
        }
        match def
            .fields
            .iter()
            .find(|f| f.required && obj.get(&f.wire).is_none_or(Value::is_null))
        {
            Some(f) => Err(Mismatch {
                path: path.key(&f.wire),
                message: format!(
                    "field `{}` of `{}` is required, but missing",
                    f.wire, def.name
                ),
            }),
            None => Ok(()),
        }
    }

    /// A filter object: every key a declared field, optionally behind an accepted operator,
    /// with a value of the field's type (a list of them for `@`, `!@`, and for any key as
    /// the portal allows). With `logic: true`, also `logic` (`AND` or `OR`) and integer keys
    /// holding nested groups, each checked as a filter, the same way; a group (the filter
    /// too) may then be a list, PHP's array keyed 0, 1, ….
    fn filter(
        &self,
        def: &FilterDef,
        filter: &Value,
        path: KeyPath,
        depth: usize,
    ) -> Result<(), Mismatch> {
        if depth > MAX_DEPTH {
            return Err(Mismatch {
                path,
                message: format!("nested more than {MAX_DEPTH} levels deep"),
            });
        }
        let entries: Vec<(String, &Value, KeyPath)> = match filter {
            Value::Object(obj) => obj
                .iter()
                .map(|(k, v)| (k.clone(), v, path.key(k)))
                .collect(),
            Value::Array(items) if def.logic => items
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v, path.index(i)))
                .collect(),
            other => {
                return Err(Mismatch {
                    path,
                    message: format!(
                        "expected a group of conditions (an object, or a list of groups), found {}",
                        show(other)
                    ),
                });
            }
        };
        for (key, value, at) in entries {
            let key = key.as_str();
            if def.logic && key.eq_ignore_ascii_case("logic") {
                let logic = value.as_str().unwrap_or_default();
                if !(logic.eq_ignore_ascii_case("AND") || logic.eq_ignore_ascii_case("OR")) {
                    return Err(Mismatch {
                        path: at,
                        message: format!(
                            "`{key}` says how a group's conditions combine: expected \"AND\" or \"OR\", found {}",
                            show(value)
                        ),
                    });
                }
                continue;
            }
            if def.logic && php_integer_key(key) {
                self.filter(def, value, at, depth + 1)?;
                continue;
            }
            // A declared field's type; `None` for a custom field, whose type the spec does not
            // know.
            let (op, ty) = match def.split_key(key) {
                Some((op, field, _)) => (op, Some(&field.ty)),
                None => match def.split_custom_key(key) {
                    Some((op, _)) => (op, None),
                    None => {
                        let known: Vec<&str> = def.fields.iter().map(|f| f.wire.as_str()).collect();
                        let custom: Vec<&str> = def
                            .custom_fields
                            .iter()
                            .map(|p| p.pattern.as_str())
                            .collect();
                        return Err(Mismatch {
                            path: at,
                            message: format!(
                                "`{key}` is not a field this filter accepts (fields: {}{})",
                                known.join(", "),
                                if custom.is_empty() {
                                    String::new()
                                } else {
                                    format!("; custom fields: {}", custom.join(", "))
                                }
                            ),
                        });
                    }
                },
            };
            if let Some(op) = op
                && !def.accepts(op)
            {
                let accepted: Vec<&str> = def.operators.iter().map(|o| o.prefix()).collect();
                return Err(Mismatch {
                    path: at,
                    message: if accepted.is_empty() {
                        format!(
                            "operator `{}` in `{key}`: this filter takes exact values only",
                            op.prefix()
                        )
                    } else {
                        format!(
                            "operator `{}` in `{key}` is not accepted (accepted: {})",
                            op.prefix(),
                            accepted.join(" ")
                        )
                    },
                });
            }
            // A PHP form list (`FILTER[@ID][1]=1`) may arrive as an object with index keys.
            let list = php_list(value);
            match list {
                Some(items) => {
                    for (i, item) in items.into_iter().enumerate() {
                        self.filter_value(ty, item, at.index(i), depth + 1)?;
                    }
                }
                None if op.is_some_and(|o| o.takes_list()) => {
                    return Err(Mismatch {
                        path: at,
                        message: format!("`{key}` takes a list of values, found {}", show(value)),
                    });
                }
                None => self.filter_value(ty, value, at, depth + 1)?,
            }
        }
        Ok(())
    }

    /// One value of a filter condition: of the field's type, or, for a custom field, any
    /// single value (text, a number, a boolean).
    fn filter_value(
        &self,
        ty: Option<&TypeRef>,
        value: &Value,
        path: KeyPath,
        depth: usize,
    ) -> Result<(), Mismatch> {
        match (ty, value) {
            (Some(ty), _) => self.check(ty, value, path, depth),
            (None, Value::String(_) | Value::Number(_) | Value::Bool(_)) => Ok(()),
            (None, other) => Err(Mismatch {
                path,
                message: format!(
                    "expected a value of the custom field (text, a number or a boolean), found {}",
                    show(other)
                ),
            }),
        }
    }
}

impl Checker<'_> {
    /// An order: an object of the record's field names (as requests name them, or custom
    /// `UF_` fields) → `ASC`/`DESC` in any case; with `direction: true`, a bare direction too.
    fn order(&self, def: &OrderDef, v: &Value, path: KeyPath) -> Result<(), Mismatch> {
        let fail = |path: KeyPath, message: String| Err(Mismatch { path, message });
        let is_direction = |v: &Value| {
            v.as_str()
                .is_some_and(|d| ["ASC", "DESC"].iter().any(|w| d.eq_ignore_ascii_case(w)))
        };
        let keys = match v {
            Value::Object(keys) => keys,
            Value::String(_) if def.direction && is_direction(v) => return Ok(()),
            other => {
                return fail(
                    path,
                    format!("expected {}, found {}", describe_order(def), show(other)),
                );
            }
        };
        let TypeKind::Enum(names) = &def.fields.kind else {
            return Ok(());
        };
        for (key, direction) in keys {
            let at = path.key(key);
            let field = names
                .find(key)
                .filter(|v| v.wire != "*" && v.wire != "UF_*");
            if field.is_none() && !(key.starts_with("UF_") && key != "UF_*") {
                return fail(
                    at,
                    format!(
                        "`{key}` is not a field of `{}` (or a custom `UF_` field) to order by",
                        def.of()
                    ),
                );
            }
            if !is_direction(direction) {
                return fail(
                    at,
                    format!(
                        "expected \"ASC\" or \"DESC\" (in any case), found {}",
                        show(direction)
                    ),
                );
            }
        }
        Ok(())
    }
}

/// What an order parameter takes, in words.
fn describe_order(def: &OrderDef) -> String {
    let object = "an object of field names to \"ASC\" or \"DESC\", such as {\"ID\": \"ASC\"}";
    if def.direction {
        format!("\"ASC\" or \"DESC\", or {object}")
    } else {
        object.to_owned()
    }
}

/// The items of a PHP array used as a list: a JSON array, or an object whose keys are all
/// integers as PHP reads keys (`0`, `7`, `-1`; not `01` or `+1`), in the order sent.
fn php_list(v: &Value) -> Option<Vec<&Value>> {
    match v {
        Value::Array(items) => Some(items.iter().collect()),
        Value::Object(obj) if obj.keys().all(|k| php_integer_key(k)) => {
            Some(obj.values().collect())
        }
        _ => None,
    }
}

/// Whether PHP turns the array key `key` into an integer: a decimal integer without a plus
/// sign or leading zeros that fits in 64 bits.
fn php_integer_key(key: &str) -> bool {
    let digits = key.strip_prefix('-').unwrap_or(key);
    let canonical = digits == "0" && key == "0"
        || digits.starts_with(|c: char| c.is_ascii_digit() && c != '0')
            && digits.bytes().all(|b| b.is_ascii_digit());
    canonical && key.parse::<i64>().is_ok()
}

fn describe(ty: &TypeRef, mode: Mode) -> String {
    let request = mode == Mode::Request;
    let base = match &ty.kind {
        TypeKind::String => "a string".to_owned(),
        TypeKind::Integer => "an integer (a number or a numeric string)".to_owned(),
        TypeKind::Number => "a number (or a numeric string)".to_owned(),
        TypeKind::Decimal => "a decimal such as \"19999.99\" (a numeric string or a number)".to_owned(),
        TypeKind::Boolean => "true or false".to_owned(),
        TypeKind::Yn => "\"Y\" or \"N\"".to_owned(),
        TypeKind::Id => "an id (a non-negative number or numeric string)".to_owned(),
        TypeKind::Datetime => "an ATOM date-time such as \"2026-03-02T09:30:00+01:00\"".to_owned(),
        TypeKind::NaiveDatetime => "a date-time such as \"2024-07-23 08:08:50\"".to_owned(),
        TypeKind::DisplayDatetime if request => {
            "a date-time such as \"2024-12-11T17:59:00\", or in a display format such as \"12/11/2024 05:59:00 pm\"".to_owned()
        }
        TypeKind::DisplayDatetime => {
            "a date-time in a display format such as \"12/11/2024 05:59:00 pm\" or \"11.12.2024 17:59:00\"".to_owned()
        }
        TypeKind::Date => "a date such as \"2024-07-23\"".to_owned(),
        TypeKind::Json => "any JSON".to_owned(),
        TypeKind::Array(_) => "a list".to_owned(),
        TypeKind::Map { keys, .. } => format!(
            "an object keyed by {} (or [] when empty)",
            match keys {
                MapKeys::Id => "ids",
                MapKeys::Integer => "integers",
                MapKeys::String => "text",
            }
        ),
        TypeKind::Enum(_) => "a string".to_owned(),
        TypeKind::Named(n) => format!("a `{n}` object"),
        TypeKind::Filter(_) => "a filter object such as {\">=ID\": 5}".to_owned(),
        TypeKind::Order(def) => describe_order(def),
    };
    let markers: Vec<String> = ty.markers().map(|m| m.to_string()).collect();
    if markers.is_empty() {
        base
    } else {
        format!("{base} or {}", markers.join(" or "))
    }
}

/// A short rendering of a value for messages.
fn show(v: &Value) -> String {
    const MAX: usize = 40;
    let text = v.to_string();
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SPEC: &str = r#"
method: test.thing.get
scope: test
summary: Test
docs: https://apidocs.bitrix24.com/
access: any user
params:
  N: { type: integer, doc: n }
  I: { type: id, doc: i }
  F: { type: yn, doc: f }
  B: { type: boolean, doc: b }
  S: { type: string, doc: s }
  A: { type: array, items: integer, doc: a }
  D: { type: datetime, doc: d }
  E: { type: enum, values: { a: first, b: second }, doc: e }
result: Thing
types:
  Thing:
    fields:
      id: id
      when: { type: datetime, or_false: true }
      tags: { type: array, items: string }
      note: { type: string, optional: true }
"#;

    fn spec() -> Spec {
        crate::load_str("test.thing.get.yaml", SPEC).unwrap_or_else(|d| panic!("{d:?}"))
    }

    fn param(spec: &Spec, name: &str, v: Value) -> Result<(), Mismatch> {
        let p = spec.params.iter().find(|p| p.wire == name).unwrap();
        check(spec, &p.ty, &v, Mode::Request)
    }

    #[test]
    fn requests_accept_php_style_strings() {
        let s = spec();
        for (name, v) in [
            ("N", json!(5)),
            ("N", json!("-5")),
            ("N", json!(5.0)),
            ("I", json!("7")),
            ("I", json!(7)),
            ("F", json!("Y")),
            ("B", json!("true")),
            ("B", json!(0)),
            ("S", json!(12)),
            ("A", json!([1, "2"])),
            ("D", json!("2026-03-02T09:30:00+01:00")),
            ("E", json!("b")),
        ] {
            assert_eq!(param(&s, name, v.clone()), Ok(()), "{name} = {v}");
        }
    }

    #[test]
    fn requests_read_php_arrays_as_php_does() {
        let s = spec();
        // `A[0]=1&A[1]=2` and `{"A": {"0": 1}}`, in any order of keys.
        for v in [
            json!({"0": 1, "1": "2"}),
            json!({"1": "7", "0": 1}),
            json!({"5": 1, "-1": 2}),
            json!({}),
        ] {
            assert_eq!(param(&s, "A", v.clone()), Ok(()), "{v}");
        }
        let e = param(&s, "A", json!({"0": 1, "1": "x"})).unwrap_err();
        assert_eq!(e.path.to_string(), "[1]");
        // Keys PHP keeps as text make an object, not a list.
        for v in [json!({"01": 1}), json!({"a": 1}), json!({"+1": 1})] {
            let e = param(&s, "A", v.clone()).unwrap_err();
            assert!(
                e.message.starts_with("expected a list"),
                "{v}: {}",
                e.message
            );
        }
        // Results are what the client decodes: a list is a JSON list.
        let a = &s.params.iter().find(|p| p.wire == "A").unwrap().ty;
        assert!(check(&s, a, &json!({"0": 1}), Mode::Result).is_err());
        // An empty list is also PHP's empty object.
        let thing = &s.result.ty;
        let e = check(&s, thing, &json!([]), Mode::Request).unwrap_err();
        assert!(e.message.contains("is missing"), "{}", e.message);
        assert!(check(&s, thing, &json!([]), Mode::Result).is_err());
    }

    #[test]
    fn php_integer_keys() {
        for key in ["0", "7", "-1", "9223372036854775807"] {
            assert!(php_integer_key(key), "{key}");
        }
        for key in [
            "",
            "01",
            "+1",
            "-0",
            "1.0",
            " 1",
            "x",
            "99999999999999999999",
        ] {
            assert!(!php_integer_key(key), "{key}");
        }
    }

    #[test]
    fn requests_refuse_wrong_types_with_a_path() {
        let s = spec();
        let e = param(&s, "N", json!("abc")).unwrap_err();
        assert!(e.path.is_root());
        assert!(e.message.contains("integer") && e.message.contains("\"abc\""));
        assert!(param(&s, "I", json!(-1)).is_err());
        assert!(param(&s, "F", json!("yes")).is_err());
        assert!(param(&s, "F", json!(true)).is_err());
        assert!(param(&s, "B", json!("maybe")).is_err());
        assert!(param(&s, "S", json!({})).is_err());
        assert!(param(&s, "D", json!("yesterday")).is_err());
        let e = param(&s, "E", json!("c")).unwrap_err();
        assert!(e.message.contains("\"a\", \"b\""), "{}", e.message);
        let e = param(&s, "A", json!([1, "x"])).unwrap_err();
        assert_eq!(e.path.to_string(), "[1]");
    }

    #[test]
    fn results_are_checked_as_the_client_decodes_them() {
        let s = spec();
        let ok = json!({"id": 3, "when": "2026-03-02T09:30:00+01:00", "tags": ["x"], "extra": 1});
        assert_eq!(check(&s, &s.result.ty, &ok, Mode::Result), Ok(()));
        let e = check(
            &s,
            &s.result.ty,
            &json!({"id": 3, "when": true, "tags": []}),
            Mode::Result,
        )
        .unwrap_err();
        assert_eq!(e.path.to_string(), "when");
        assert!(e.message.contains("or false"), "{}", e.message);
        let e = check(
            &s,
            &s.result.ty,
            &json!({"id": 3, "when": false, "tags": [1]}),
            Mode::Result,
        )
        .unwrap_err();
        assert_eq!(e.path.to_string(), "tags[0]");
        let e = check(
            &s,
            &s.result.ty,
            &json!({"id": 1, "when": false}),
            Mode::Result,
        )
        .unwrap_err();
        assert_eq!(
            (e.path.to_string().as_str(), e.message.as_str()),
            (
                "tags",
                "field `tags` of `Thing` is missing (mark it `optional: true` if it may be left out)"
            )
        );
        let e = check(&s, &s.result.ty, &json!([]), Mode::Result).unwrap_err();
        assert_eq!(e.message, "expected a `Thing` object, found []");
        let n = &s.params[0].ty;
        // A PHP backend may send any number as text; exactly as the client reads it.
        assert!(check(&s, n, &json!("5"), Mode::Result).is_ok());
        assert!(check(&s, n, &json!("-180"), Mode::Result).is_ok());
        assert!(check(&s, n, &json!("5.5"), Mode::Result).is_err());
        assert!(check(&s, n, &json!(" 5"), Mode::Result).is_err());
        assert!(check(&s, n, &json!("9223372036854775808"), Mode::Result).is_err());
        // An `integer` result is an `i64`; a request may carry any whole number.
        assert!(check(&s, n, &json!(i64::MIN), Mode::Result).is_ok());
        assert!(check(&s, n, &json!(u64::MAX), Mode::Result).is_err());
        assert!(check(&s, n, &json!(u64::MAX), Mode::Request).is_ok());
    }

    const MONEY: &str = r#"
method: test.deal.get
scope: test
summary: Test
docs: https://apidocs.bitrix24.com/
access: any user
params:
  AMOUNT: { type: decimal, doc: a }
  WHEN: { type: display_datetime, doc: w }
result: Deal
types:
  Deal:
    fields:
      amount: decimal
      share: number
      count: integer
      created: display_datetime
"#;

    #[test]
    fn decimals_and_numbers_as_strings() {
        let s = crate::load_str("test.deal.get.yaml", MONEY).unwrap_or_else(|d| panic!("{d:?}"));
        let deal = |amount: Value, share: Value, count: Value| json!({"amount": amount, "share": share, "count": count, "created": "2024-12-11 17:59:00"});
        let result = |v: &Value| check(&s, &s.result.ty, v, Mode::Result);
        assert_eq!(
            result(&deal(json!("19999.99"), json!("0.25"), json!("99"))),
            Ok(())
        );
        assert_eq!(
            result(&deal(json!(19999.99), json!(0.25), json!(99))),
            Ok(())
        );
        assert_eq!(
            result(&deal(json!(1_000_000), json!("-3"), json!("-180"))),
            Ok(())
        );
        for (amount, message) in [
            (json!("12,50"), "a decimal such as \"19999.99\""),
            (json!("1e5"), "a decimal"),
            (json!("1_000"), "a decimal"),
            (json!(" 5"), "a decimal"),
            (json!(true), "a decimal"),
            // More digits than a decimal keeps is refused, not rounded.
            (json!("0.12345678901234567890123456789"), "a decimal"),
            (json!(1e30), "a decimal"),
        ] {
            let e = result(&deal(amount.clone(), json!(1), json!(1))).unwrap_err();
            assert_eq!(e.path.to_string(), "amount", "{amount}");
            assert!(e.message.contains(message), "{amount}: {}", e.message);
        }
        assert!(result(&deal(json!("1"), json!("NaN"), json!(1))).is_err());
        assert!(result(&deal(json!("1"), json!("inf"), json!(1))).is_err());
        // Requests are read as leniently as PHP reads them.
        let amount = &s.params[0].ty;
        for v in [json!(" 19999.99 "), json!(5), json!(0.5), json!("-1")] {
            assert_eq!(check(&s, amount, &v, Mode::Request), Ok(()), "{v}");
        }
        assert!(check(&s, amount, &json!("ten"), Mode::Request).is_err());
        assert_eq!(
            decimal_of(&json!(19999.99))
                .map(|d| d.to_string())
                .as_deref(),
            Some("19999.99")
        );
        assert_eq!(
            decimal_of(&json!("100.00"))
                .map(|d| d.to_string())
                .as_deref(),
            Some("100.00")
        );
        assert_eq!(decimal_of(&json!(u64::MAX)), Some(u64::MAX.into()));
    }

    #[test]
    fn display_datetimes_in_each_format() {
        let s = crate::load_str("test.deal.get.yaml", MONEY).unwrap_or_else(|d| panic!("{d:?}"));
        let created = &s.find_type("Deal").unwrap().fields[3].ty;
        for text in [
            "12/11/2024 05:59:00 pm",
            "11/04/2015 05:50:43 PM",
            "04/17/2025 19:40:48",
            "11.12.2024 17:59:00",
            "2024-12-11 17:59:00",
        ] {
            assert_eq!(
                check(&s, created, &json!(text), Mode::Result),
                Ok(()),
                "{text}"
            );
            assert!(display_datetime(text).is_some(), "{text}");
        }
        assert_eq!(
            display_datetime("12/11/2024 05:59:00 pm"),
            display_datetime("11.12.2024 17:59:00")
        );
        for text in [
            "2024-12-11T17:59:00",
            "1/5/2024 05:59:00 pm",
            "12/11/2024 05:59:00 Pm",
            "12/11/2024",
            "31.02.2024 10:00:00",
        ] {
            let e = check(&s, created, &json!(text), Mode::Result).unwrap_err();
            assert!(
                e.message.contains("display format"),
                "{text}: {}",
                e.message
            );
        }
        // A request may also send the ISO forms the portal reads.
        let when = &s.params[1].ty;
        for text in [
            "2024-12-11T17:59:00",
            "2024-12-11T17:59:00+01:00",
            "11.12.2024 17:59:00",
        ] {
            assert_eq!(
                check(&s, when, &json!(text), Mode::Request),
                Ok(()),
                "{text}"
            );
        }
        assert!(check(&s, when, &json!("tomorrow"), Mode::Request).is_err());
    }

    const FILTERS: &str = r#"
method: test.user.list
scope: test
summary: Test
docs: https://apidocs.bitrix24.com/
access: any user
params:
  FILTER:
    type: filter
    doc: f
    fields:
      ID: id
      NAME: string
      ONLINE: yn
      KIND: { type: enum, values: { employee: employee, email: email } }
    custom_fields: ["UF_CRM_*"]
  SEARCH:
    type: filter
    doc: s
    operators: []
    fields: { FIND: string }
  NARROW:
    type: filter
    doc: n
    operators: [">=", "@", "!"]
    fields: { ID: id }
    custom_fields: [PARENT_ID_1220]
  ORDER:
    type: enum
    case_insensitive: true
    values: { ASC: ascending, DESC: descending }
    doc: o
  select: { type: select, of: Thing, doc: s }
  plain: { type: select, of: Plain, doc: p }
result: { type: array, items: Thing }
types:
  Thing:
    fields:
      ID: id
      NAME: string
    custom_fields: ["UF_USR_*"]
  Plain:
    fields:
      ID: id
"#;

    fn filters() -> Spec {
        crate::load_str("test.user.list.yaml", FILTERS).unwrap_or_else(|d| panic!("{d:?}"))
    }

    #[test]
    fn filters_accept_declared_fields_behind_accepted_operators() {
        let s = filters();
        for v in [
            json!({}),
            json!({"ID": 5, ">=ID": "5", "!ID": 3, "%NAME": "Jo", "!=%NAME": "Jo%"}),
            json!({"@ID": [1, "2"], "!@KIND": ["email"], "ONLINE": "Y"}),
            // Form data: `FILTER[@ID][0]=1&FILTER[@ID][1]=2` is an object keyed by index.
            json!({"@ID": {"0": "1", "1": "2"}, "<=ID": "9"}),
            // A bare key may hold a list too.
            json!({"ID": [1, 2]}),
        ] {
            assert_eq!(param(&s, "FILTER", v.clone()), Ok(()), "{v}");
        }
    }

    #[test]
    fn filters_refuse_unknown_fields_operators_and_values() {
        let s = filters();
        let e = param(&s, "FILTER", json!({">=AGE": 5})).unwrap_err();
        assert_eq!(e.path.to_string(), ">=AGE");
        assert!(
            e.message.contains("`>=AGE` is not a field") && e.message.contains("ID, NAME"),
            "{}",
            e.message
        );
        let e = param(&s, "FILTER", json!({"@ID": 5})).unwrap_err();
        assert!(e.message.contains("takes a list"), "{}", e.message);
        let e = param(&s, "FILTER", json!({"@ID": [1, "x"]})).unwrap_err();
        assert_eq!(e.path.to_string(), "@ID[1]");
        let e = param(&s, "FILTER", json!({"KIND": "robot"})).unwrap_err();
        assert!(
            e.message.contains("\"employee\", \"email\""),
            "{}",
            e.message
        );
        assert!(param(&s, "FILTER", json!([1])).is_err());
        // PHP's empty array is the empty filter, however it is written.
        assert_eq!(param(&s, "FILTER", json!([])), Ok(()));
        let e = param(&s, "NARROW", json!({"<ID": 5})).unwrap_err();
        assert!(
            e.message
                .contains("operator `<` in `<ID` is not accepted (accepted: >= @ !)"),
            "{}",
            e.message
        );
        assert_eq!(param(&s, "NARROW", json!({">=ID": 5, "@ID": [1]})), Ok(()));
        // `!` and `!=` are one operator in two spellings.
        assert_eq!(param(&s, "NARROW", json!({"!=ID": 5, "!ID": 6})), Ok(()));
        let e = param(&s, "SEARCH", json!({"%FIND": "x"})).unwrap_err();
        assert!(e.message.contains("exact values only"), "{}", e.message);
        assert_eq!(param(&s, "SEARCH", json!({"FIND": "x"})), Ok(()));
    }

    #[test]
    fn case_insensitive_enums_and_selects() {
        let s = filters();
        for order in ["ASC", "asc", "Desc"] {
            assert_eq!(param(&s, "ORDER", json!(order)), Ok(()), "{order}");
        }
        assert!(param(&s, "ORDER", json!("up")).is_err());
        assert_eq!(
            param(&s, "select", json!(["ID", "*", "UF_*", "UF_USR_1"])),
            Ok(())
        );
        let e = param(&s, "select", json!(["ID", "AGE"])).unwrap_err();
        assert_eq!(e.path.to_string(), "[1]");
        assert_eq!(
            e.message,
            "`AGE` is not a field of `Thing`, a mask (`*`, `UF_*`) or a custom field (UF_USR_*)"
        );
        // Custom fields are the names the record's patterns match, not any `UF_` name.
        assert!(param(&s, "select", json!(["UF_CRM_1"])).is_err());
        let e = param(&s, "plain", json!(["UF_USR_1"])).unwrap_err();
        assert_eq!(
            e.message,
            "`UF_USR_1` is not a field of `Plain` or a mask (`*`, `UF_*`)"
        );
    }

    #[test]
    fn filters_take_custom_fields_behind_the_accepted_operators() {
        let s = filters();
        let ok = json!({
            "UF_CRM_17": "x",
            ">=UF_CRM_17": 5,
            "!=%UF_CRM_1": "Jo%",
            "@UF_CRM_2": [1, "2", true],
            "ID": 1
        });
        assert_eq!(param(&s, "FILTER", ok), Ok(()));
        let e = param(&s, "FILTER", json!({"UF_USR_1": 1})).unwrap_err();
        assert_eq!(
            e.message,
            "`UF_USR_1` is not a field this filter accepts (fields: ID, NAME, ONLINE, KIND; custom fields: UF_CRM_*)"
        );
        let e = param(&s, "FILTER", json!({"@UF_CRM_2": 5})).unwrap_err();
        assert!(e.message.contains("takes a list"), "{}", e.message);
        let e = param(&s, "FILTER", json!({"UF_CRM_2": {"a": 1}})).unwrap_err();
        assert!(
            e.message
                .starts_with("expected a value of the custom field"),
            "{}",
            e.message
        );
        assert_eq!(
            param(
                &s,
                "NARROW",
                json!({">=PARENT_ID_1220": 5, "!PARENT_ID_1220": 6})
            ),
            Ok(())
        );
        let e = param(&s, "NARROW", json!({"<PARENT_ID_1220": 5})).unwrap_err();
        assert!(e.message.contains("operator `<`"), "{}", e.message);
        assert!(param(&s, "NARROW", json!({"PARENT_ID_12": 5})).is_err());
    }

    const LISTS: &str = r#"
method: test.task.list
scope: test
summary: Test
docs: https://apidocs.bitrix24.com/
access: any user
params:
  order: { type: order, of: Task, doc: o }
  SORT_ORDER: { type: order, of: Task, direction: true, doc: o }
  filter:
    type: filter
    logic: true
    doc: f
    fields: { ID: id, TITLE: string }
  FLAT:
    type: filter
    doc: f
    fields: { ID: id }
result: { type: array, items: Task }
types:
  Task:
    select_names: upper_snake
    fields:
      id: id
      title: string
      responsibleId: id
      status: { type: string, select_as: REAL_STATUS }
"#;

    fn lists() -> Spec {
        crate::load_str("test.task.list.yaml", LISTS).unwrap_or_else(|d| panic!("{d:?}"))
    }

    #[test]
    fn orders_take_the_records_field_names_in_requests_and_directions_in_any_case() {
        let s = lists();
        // Named as requests name them: `select_names` and `select_as`.
        for v in [
            json!({"TITLE": "asc", "RESPONSIBLE_ID": "DESC", "REAL_STATUS": "Desc"}),
            json!({"UF_CRM_TASK": "ASC"}),
            json!({}),
            json!([]),
        ] {
            assert_eq!(param(&s, "order", v.clone()), Ok(()), "{v}");
        }
        let e = param(&s, "order", json!({"title": "ASC"})).unwrap_err();
        assert_eq!(e.path.to_string(), "title");
        assert!(
            e.message.contains("`title` is not a field of `Task`"),
            "{}",
            e.message
        );
        for bad in [json!({"*": "ASC"}), json!({"STATUS": "ASC"})] {
            assert!(param(&s, "order", bad.clone()).is_err(), "{bad}");
        }
        let e = param(&s, "order", json!({"ID": "up"})).unwrap_err();
        assert!(e.message.contains("\"ASC\" or \"DESC\""), "{}", e.message);
        // A bare direction only where the parameter takes one.
        let e = param(&s, "order", json!("DESC")).unwrap_err();
        assert!(e.message.starts_with("expected an object"), "{}", e.message);
        assert_eq!(param(&s, "SORT_ORDER", json!("desc")), Ok(()));
        let e = param(&s, "SORT_ORDER", json!("down")).unwrap_err();
        assert!(
            e.message
                .starts_with("expected \"ASC\" or \"DESC\", or an object"),
            "{}",
            e.message
        );
        assert_eq!(param(&s, "SORT_ORDER", json!({"ID": "ASC"})), Ok(()));
    }

    #[test]
    fn filters_with_logic_take_nested_groups_checked_all_the_way_down() {
        let s = lists();
        for v in [
            // crm.item.list's documented form, and crm.type.list's list of groups.
            json!({"0": {"logic": "OR", "0": {"%TITLE": "a"}, "1": {"!=TITLE": ""}}, ">ID": 5}),
            json!([{"logic": "or", "0": {"ID": 1}, "1": {"ID": 2}}]),
            // An AND group written as a PHP list, inside an OR group.
            json!({"0": {"logic": "OR", "0": [{"ID": 1}, {"TITLE": "x"}], "1": {"ID": 3}}}),
            json!({"logic": "OR", "ID": 1, "TITLE": "x"}),
        ] {
            assert_eq!(param(&s, "filter", v.clone()), Ok(()), "{v}");
        }
        let e = param(&s, "filter", json!({"0": {"logic": "OR", "1": {"AGE": 5}}})).unwrap_err();
        assert_eq!(e.path.to_string(), "0.1.AGE");
        let e = param(&s, "filter", json!([{"0": {"ID": "x"}}])).unwrap_err();
        assert_eq!(e.path.to_string(), "[0].0.ID");
        let e = param(&s, "filter", json!({"0": {"logic": "XOR"}})).unwrap_err();
        assert!(e.message.contains("\"AND\" or \"OR\""), "{}", e.message);
        let e = param(&s, "filter", json!({"0": 5})).unwrap_err();
        assert!(e.message.contains("group of conditions"), "{}", e.message);
        // Without `logic: true`, neither groups nor `logic` are fields of the filter.
        for v in [json!({"0": {"ID": 1}}), json!({"logic": "OR"})] {
            let e = param(&s, "FLAT", v.clone()).unwrap_err();
            assert!(e.message.contains("is not a field"), "{v}: {}", e.message);
        }
        assert!(param(&s, "FLAT", json!([{"ID": 1}])).is_err());
        // Deep nesting is refused, not followed.
        let mut deep = json!({"ID": 1});
        for _ in 0..=MAX_DEPTH {
            deep = json!({"0": deep});
        }
        let e = param(&s, "filter", deep).unwrap_err();
        assert!(e.message.contains("levels deep"), "{}", e.message);
    }

    const SHAPES: &str = r#"
method: test.thing.list
scope: test
summary: Test
docs: https://apidocs.bitrix24.com/
access: any user
params:
  IDS: { type: array, items: id, min_items: 1, doc: ids }
  RESULT_TYPE: { type: string, doc: shape }
  FULL: { type: yn, default: Y, doc: full }
  LEVEL: { type: integer, doc: level }
result:
  by_param: RESULT_TYPE
  cases:
    array: { variant: list, type: array, items: Counts }
  otherwise: { variant: by_id, type: map, keys: id, values: Counts }
types:
  Counts:
    fields:
      per_chat: { type: map, keys: id, values: integer }
      per_offset: { type: map, keys: integer, values: string }
      seen: { type: naive_datetime, or_empty_object: true }
      tags: { type: string, or_empty_list: true }
"#;

    fn shapes() -> Spec {
        crate::load_str("test.thing.list.yaml", SHAPES).unwrap_or_else(|d| panic!("{d:?}"))
    }

    fn params(v: Value) -> serde_json::Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn min_items_refuses_short_lists_in_requests() {
        let s = shapes();
        assert_eq!(param(&s, "IDS", json!([1])), Ok(()));
        let e = param(&s, "IDS", json!([])).unwrap_err();
        assert_eq!(e.message, "expected a list of at least 1 item, found []");
    }

    #[test]
    fn maps_take_php_empty_arrays_and_check_keys_and_values() {
        let s = shapes();
        let counts = |v: Value| {
            let ty = TypeRef::plain(TypeKind::Named("Counts".into()), KeyPath::root());
            check(&s, &ty, &v, Mode::Result)
        };
        let ok = json!({"per_chat": {"5": 1}, "per_offset": {"-1": "x"}, "seen": {}, "tags": []});
        assert_eq!(counts(ok), Ok(()));
        let empty =
            json!({"per_chat": [], "per_offset": {}, "seen": "2024-07-23 08:08:50", "tags": "a"});
        assert_eq!(counts(empty), Ok(()));
        let e = counts(json!({"per_chat": {"x": 1}, "per_offset": [], "seen": {}, "tags": []}))
            .unwrap_err();
        assert_eq!(
            (e.path.to_string(), e.message.as_str()),
            ("per_chat.x".into(), "map key \"x\" is not an id")
        );
        // Numbers may come as numeric strings, in maps as anywhere.
        let text = json!({"per_chat": {"5": "1"}, "per_offset": [], "seen": {}, "tags": []});
        assert_eq!(counts(text), Ok(()));
        let e = counts(json!({"per_chat": {"5": "one"}, "per_offset": [], "seen": {}, "tags": []}))
            .unwrap_err();
        assert_eq!(e.path.to_string(), "per_chat.5");
        // In a request, a list is a PHP array keyed 0, 1, …
        let per_chat = &s.find_type("Counts").unwrap().fields[0].ty;
        assert_eq!(check(&s, per_chat, &json!([1, "2"]), Mode::Request), Ok(()));
        let e = check(&s, per_chat, &json!([1, "x"]), Mode::Request).unwrap_err();
        assert_eq!(e.path.to_string(), "[1]");
        let e =
            counts(json!({"per_chat": [1], "per_offset": [], "seen": {}, "tags": []})).unwrap_err();
        assert!(
            e.message
                .contains("an object keyed by ids (or [] when empty)"),
            "{}",
            e.message
        );
        // The markers mean only the empty object or list, each where declared.
        let e =
            counts(json!({"per_chat": [], "per_offset": [], "seen": [], "tags": []})).unwrap_err();
        assert!(e.message.ends_with("or {}, found []"), "{}", e.message);
        assert!(counts(json!({"per_chat": [], "per_offset": [], "seen": {}, "tags": {}})).is_err());
    }

    #[test]
    fn the_request_picks_the_result_shape() {
        let s = shapes();
        let kind = |p: Value| &result_type(&s, &params(p)).kind;
        assert!(matches!(
            kind(json!({"RESULT_TYPE": "array"})),
            TypeKind::Array(_)
        ));
        assert!(matches!(
            kind(json!({"RESULT_TYPE": "list"})),
            TypeKind::Map { .. }
        ));
        assert!(matches!(kind(json!({})), TypeKind::Map { .. }));
        let (choice, case) = result_case(&s, &params(json!({"RESULT_TYPE": "array"}))).unwrap();
        assert_eq!(
            (choice.param.as_str(), case.variant.as_str()),
            ("RESULT_TYPE", "list")
        );
        assert!(result_case(&spec(), &serde_json::Map::new()).is_none());
    }

    #[test]
    fn case_values_are_read_like_request_values() {
        let s = shapes();
        let ty = |name: &str| &s.params.iter().find(|p| p.wire == name).unwrap().ty;
        assert!(request_value_is(ty("LEVEL"), &json!("5"), "5"));
        assert!(request_value_is(ty("LEVEL"), &json!(5), "5"));
        assert!(!request_value_is(ty("LEVEL"), &json!(6), "5"));
        assert!(request_value_is(ty("FULL"), &json!("Y"), "Y"));
        assert!(!request_value_is(ty("FULL"), &json!("y"), "Y"));
        assert_eq!(case_value(ty("FULL"), "yes"), Err("`Y` or `N`".into()));
        assert_eq!(case_value(ty("LEVEL"), "-2"), Ok(()));
        assert!(case_value(ty("IDS"), "1").is_err());
        assert!(can_choose_result(ty("FULL")) && !can_choose_result(ty("IDS")));
    }

    #[test]
    fn integers_of_request_values() {
        assert_eq!(integer_of(&json!(5)), Some(5));
        assert_eq!(integer_of(&json!(" 12 ")), Some(12));
        assert_eq!(integer_of(&json!(2.0)), Some(2));
        assert_eq!(integer_of(&json!(2.5)), None);
        assert_eq!(integer_of(&json!(u64::MAX)), Some(i128::from(u64::MAX)));
        assert_eq!(integer_of(&json!(true)), None);
    }

    const INPUTS: &str = r#"
method: test.thing.add
scope: test
summary: Test
docs: https://apidocs.bitrix24.com/
access: any user
params:
  FIELDS: { type: ThingFields, required: true, doc: f }
  PHONES: { type: array, items: Phone, doc: p }
  MESSAGE: { type: string, doc: m }
  ATTACH: { type: json, doc: a }
  KEYBOARD: { type: json, doc: k }
  MENU: { type: json, doc: k }
one_of_required:
  - [MESSAGE, ATTACH]
  - { params: [KEYBOARD, MENU], invalid: NO_BUTTONS }
result: id
types:
  ThingFields:
    input: true
    custom_fields: [UF_CRM_*]
    fields:
      TITLE: { type: string, required: true }
      OPENED: yn
      ASSIGNED_BY_ID: id
      PHONE: { type: array, items: Phone }
  Phone:
    input: true
    fields:
      VALUE: { type: string, required: true }
      VALUE_TYPE: { type: enum, values: { WORK: work, MOBILE: mobile } }
errors:
  NO_BUTTONS: { doc: No buttons }
"#;

    fn inputs() -> Spec {
        crate::load_str("test.thing.add.yaml", INPUTS).unwrap_or_else(|d| panic!("{d:?}"))
    }

    #[test]
    fn input_objects_take_declared_fields_and_custom_ones() {
        let s = inputs();
        for v in [
            json!({"TITLE": "x"}),
            json!({"TITLE": "x", "OPENED": "Y", "ASSIGNED_BY_ID": "5",
                   "PHONE": [{"VALUE": "1", "VALUE_TYPE": "WORK"}], "UF_CRM_17": {"any": 1}}),
            // A PHP form: `FIELDS[PHONE][0][VALUE]=1`, and `null` for a field left out.
            json!({"TITLE": "x", "PHONE": {"0": {"VALUE": "1"}}, "OPENED": null}),
        ] {
            assert_eq!(param(&s, "FIELDS", v.clone()), Ok(()), "{v}");
        }
        assert_eq!(
            param(
                &s,
                "PHONES",
                json!([{"VALUE": "2", "VALUE_TYPE": "MOBILE"}])
            ),
            Ok(())
        );
    }

    #[test]
    fn input_objects_refuse_unknown_keys_and_missing_required_fields() {
        let s = inputs();
        let failure = |name: &str, v: Value| {
            let e = param(&s, name, v).unwrap_err();
            (e.path.to_string(), e.message)
        };
        assert_eq!(
            failure("FIELDS", json!({"TITLE": "x", "TITLES": "y"})),
            (
                "TITLES".into(),
                "`TITLES` is not a field of `ThingFields` (did you mean `TITLE`?)".into()
            )
        );
        let (path, message) = failure("FIELDS", json!({"TITLE": "x", "COLOUR": "red"}));
        assert_eq!(path, "COLOUR");
        assert!(
            message.ends_with("(its fields: TITLE, OPENED, ASSIGNED_BY_ID, PHONE)"),
            "{message}"
        );
        for v in [json!({"OPENED": "Y"}), json!({"TITLE": null}), json!([])] {
            assert_eq!(
                failure("FIELDS", v.clone()),
                (
                    "TITLE".into(),
                    "field `TITLE` of `ThingFields` is required, but missing".into()
                ),
                "{v}"
            );
        }
        let (path, message) = failure(
            "FIELDS",
            json!({"TITLE": "x", "PHONE": [{"VALUE": "1"}, {"VALUE_TYPE": "WORK"}]}),
        );
        assert_eq!(path, "PHONE[1].VALUE");
        assert!(
            message.contains("`VALUE` of `Phone` is required"),
            "{message}"
        );
        let (path, message) = failure("PHONES", json!([{"VALUE": "1", "VALUE_TYPE": "HOME"}]));
        assert_eq!(path, "[0].VALUE_TYPE");
        assert!(message.contains("\"WORK\", \"MOBILE\""), "{message}");
        assert_eq!(
            failure("FIELDS", json!({"TITLE": "x", "OPENED": true})).0,
            "OPENED"
        );
        assert_eq!(
            failure("FIELDS", json!("x")).1,
            "expected a `ThingFields` object, found \"x\""
        );
    }

    #[test]
    fn a_request_meets_a_group_with_any_of_its_parameters() {
        let s = inputs();
        let unmet = |sent: &[&str]| -> Vec<String> {
            unmet_groups(&s, |name| sent.contains(&name))
                .map(|g| g.names().collect::<Vec<_>>().join(" "))
                .collect()
        };
        assert_eq!(unmet(&[]), ["MESSAGE ATTACH", "KEYBOARD MENU"]);
        assert_eq!(unmet(&["ATTACH"]), ["KEYBOARD MENU"]);
        assert!(unmet(&["MESSAGE", "MENU"]).is_empty());
        let groups = &s.one_of_required;
        assert_eq!(
            (groups[0].invalid.as_deref(), groups[1].invalid.as_deref()),
            (None, Some("NO_BUTTONS"))
        );
        assert_eq!(
            groups[1].params[1].path.to_string(),
            "one_of_required[1].params[1]"
        );
    }
}
