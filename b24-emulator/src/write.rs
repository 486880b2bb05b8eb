//! The writes of `kind: add`, `update` and `delete`: a record made or changed from the
//! `fields` parameter (with `match`, `defaults` and `set`), or removed. Later calls see it.

use b24_spec::conform::{self, Mismatch, Mode};
use b24_spec::{KeyPath, Reply, Spec, TypeDef, TypeKind, TypeRef};
use serde_json::Value;

use crate::answer::{Answer, invalid};
use crate::emulate::{Call, field, flag_of, text_of, wrap};
use crate::envelope::{Failure, INVALID_ARG_VALUE};
use crate::fixture::{Fixture, Record};

/// The custom-field definitions of collection `deals` are the records of `deals_userfields`.
pub(crate) const USERFIELDS_SUFFIX: &str = "_userfields";

/// The custom-field definitions of `collection` (records shaped like the items of
/// `crm.deal.userfield.list`: `FIELD_NAME`, `USER_TYPE_ID`, `MULTIPLE`, …); none when the
/// fixture has no such collection.
pub(crate) fn userfields<'f>(fixture: &'f Fixture, collection: &str) -> &'f [Record] {
    fixture
        .collection(&format!("{collection}{USERFIELDS_SUFFIX}"))
        .unwrap_or_default()
}

/// `kind: add`: a new record from `fields`, the `match` parameters (so later reads with the
/// same parameters find it), `defaults` for what the request leaves out, `set`, and a new id.
pub(crate) fn add(call: &Call, fixture: &mut Fixture) -> Result<Answer, Failure> {
    let (spec, emu) = (call.spec, call.emulation);
    let ty = record_type(call)?;
    let id_field = emu.id_field(Some(ty));
    let mut record = Record::new();
    write_fields(call, fixture, ty, &id_field, &mut record)?;
    for m in &emu.matches {
        if let Some(value) = call.params.get(&m.param) {
            let value = match ty.fields.iter().find(|f| f.wire == m.field) {
                Some(f) => stored(spec, &f.ty, value).unwrap_or_else(|_| value.clone()),
                None => value.clone(),
            };
            record.insert(m.field.clone(), value);
        }
    }
    for d in &emu.defaults {
        if !record.contains_key(&d.field)
            && let Some(value) = call.source(&d.source)
        {
            record.insert(d.field.clone(), value);
        }
    }
    for a in &emu.set {
        if let Some(value) = call.source(&a.source) {
            record.insert(a.field.clone(), value);
        }
    }
    let id = fixture.next_id(&emu.collection, &id_field);
    let records = fixture.collection(&emu.collection).unwrap_or_default();
    record.insert(id_field.clone(), id_value(records, ty, &id_field, id));
    let record = in_type_order(ty, record);
    check_record(call, ty, &record)?;
    let answer = reply(call, &record, Some(id));
    if let Some(records) = fixture.collection_mut(&emu.collection) {
        records.push(record);
    }
    Ok(answer)
}

/// `kind: update`: `fields` and `set` written to the record the id parameter names.
pub(crate) fn update(call: &Call, fixture: &mut Fixture) -> Result<Answer, Failure> {
    let emu = call.emulation;
    let ty = record_type(call)?;
    let id_field = emu.id_field(Some(ty));
    let index = picked(call, fixture)?;
    let mut record = fixture.collection(&emu.collection).unwrap_or_default()[index].clone();
    write_fields(call, fixture, ty, &id_field, &mut record)?;
    for a in &emu.set {
        if let Some(value) = call.source(&a.source) {
            record.insert(a.field.clone(), value);
        }
    }
    check_record(call, ty, &record)?;
    let answer = reply(call, &record, None);
    if let Some(slot) = fixture.record_mut(&emu.collection, index) {
        *slot = record;
    }
    Ok(answer)
}

/// `kind: delete`: the record the id parameter names, removed.
pub(crate) fn delete(call: &Call, fixture: &mut Fixture) -> Result<Answer, Failure> {
    let index = picked(call, fixture)?;
    let records = fixture
        .collection_mut(&call.emulation.collection)
        .ok_or_else(|| call.not_found(None))?;
    let record = records.remove(index);
    Ok(reply(call, &record, None))
}

/// The index of the record the id parameter (and `match`) names.
fn picked(call: &Call, fixture: &Fixture) -> Result<usize, Failure> {
    let records = fixture
        .collection(&call.emulation.collection)
        .unwrap_or_default();
    call.pick(records)?
        .first()
        .copied()
        .ok_or_else(|| call.not_found(None))
}

/// The records' type; the spec checks make sure a writing kind has one.
fn record_type<'s>(call: &Call<'s>) -> Result<&'s TypeDef, Failure> {
    call.emulation.record_type(call.spec).ok_or_else(|| {
        Failure::new(
            500,
            "INTERNAL_SERVER_ERROR",
            format!("the spec of `{}` names no record type", call.spec.method),
        )
    })
}

/// Writes the `fields` parameter into `record`: each key that is a field of the record type
/// (exactly, else in any case), in the form the portal answers it, and each custom field the
/// fixture defines for the collection, as sent. The id and the fields `set` writes are the
/// emulator's; other keys are ignored, as the portal ignores fields it does not know.
fn write_fields(
    call: &Call,
    fixture: &Fixture,
    ty: &TypeDef,
    id_field: &str,
    record: &mut Record,
) -> Result<(), Failure> {
    let (spec, emu) = (call.spec, call.emulation);
    let Some(param) = emu.fields_param(spec) else {
        return Ok(());
    };
    let input = match call.params.get(&param.wire) {
        None => return Ok(()),
        Some(Value::Object(input)) => input,
        // PHP sends an empty object as an empty array.
        Some(Value::Array(items)) if items.is_empty() => return Ok(()),
        Some(_) => {
            return Err(invalid(
                spec,
                param,
                format!(
                    "`{}` must be an object of field names to values",
                    param.wire
                ),
            ));
        }
    };
    let custom = userfields(fixture, &emu.collection);
    for (key, value) in input {
        let owned = key.eq_ignore_ascii_case(id_field)
            || emu.set.iter().any(|a| a.field.eq_ignore_ascii_case(key));
        if owned {
            continue;
        }
        let declared = ty
            .fields
            .iter()
            .find(|f| f.wire == *key)
            .or_else(|| ty.fields.iter().find(|f| f.wire.eq_ignore_ascii_case(key)))
            // As requests name it: tasks write `RESPONSIBLE_ID` for the key `responsibleId`.
            .or_else(|| {
                ty.fields
                    .iter()
                    .find(|f| ty.select_name(f).eq_ignore_ascii_case(key))
            });
        if let Some(f) = declared {
            let value = match value {
                Value::Null if f.optional => Value::Null,
                _ => stored(spec, &f.ty, value).map_err(|m| {
                    let at = KeyPath::root().key(&param.wire).key(&f.wire).join(&m.path);
                    invalid(
                        spec,
                        param,
                        format!("invalid value of `{at}`: {}", m.message),
                    )
                })?,
            };
            record.insert(f.wire.clone(), value);
        } else if let Some(name) = custom
            .iter()
            .filter_map(|d| d.get("FIELD_NAME").and_then(Value::as_str))
            .find(|name| name.eq_ignore_ascii_case(key))
        {
            record.insert(name.to_owned(), value.clone());
        } else {
            tracing::debug!(method = %spec.method, field = %key, "ignored a field the record does not have");
        }
    }
    Ok(())
}

/// A request value in the form the record keeps it: as sent when that is the type's answer
/// form, else the same value spelt the way answers spell it (a number as text, numeric text
/// as a number, `Y`/`1`/`true` as a boolean). A value the type does not accept even in a
/// request is refused.
fn stored(spec: &Spec, ty: &TypeRef, value: &Value) -> Result<Value, Mismatch> {
    let answered = |v: &Value| conform::check(spec, ty, v, Mode::Result);
    let Err(mismatch) = answered(value) else {
        return Ok(value.clone());
    };
    // A date-time without an offset is the user's time; the emulator's users live in UTC,
    // the zone `{ now: true }` writes (`tasks.task.add`'s `DEADLINE: 2025-12-31T23:59:59`).
    let local = match value {
        Value::String(s) if ty.kind == TypeKind::Datetime => {
            ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]
                .iter()
                .find_map(|f| chrono::NaiveDateTime::parse_from_str(s.trim(), f).ok())
                .map(|t| Value::String(format!("{}+00:00", t.format("%Y-%m-%dT%H:%M:%S"))))
        }
        _ => None,
    };
    if let Some(local) = local.filter(|v| answered(v).is_ok()) {
        return Ok(local);
    }
    conform::check(spec, ty, value, Mode::Request)?;
    let text = match value {
        Value::Number(_) | Value::Bool(_) => Some(Value::String(text_of(value))),
        _ => None,
    };
    let number = match value {
        Value::String(s) => s
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .ok()
            .or_else(|| s.trim().parse::<f64>().ok().map(Value::from)),
        _ => None,
    };
    let flag = flag_of(value).map(Value::Bool);
    [text, number, flag]
        .into_iter()
        .flatten()
        .find(|v| answered(v).is_ok())
        .ok_or(mismatch)
}

/// A new record's id in the form the collection keeps ids: text when its records hold text
/// (`"ID": "410"`) or, in an empty collection, when the field is a `string`; a number
/// otherwise.
fn id_value(records: &[Record], ty: &TypeDef, id_field: &str, id: u64) -> Value {
    let text = match records.iter().find_map(|r| field(r, id_field)) {
        Some(existing) => existing.is_string(),
        None => ty
            .fields
            .iter()
            .any(|f| f.wire == id_field && f.ty.kind == TypeKind::String),
    };
    if text {
        Value::String(id.to_string())
    } else {
        Value::from(id)
    }
}

/// The record with the record type's fields first, in the type's order (the order the
/// portal answers them in), then the rest (custom fields) as written.
fn in_type_order(ty: &TypeDef, mut record: Record) -> Record {
    let mut out = Record::new();
    for f in &ty.fields {
        if let Some(value) = record.shift_remove(&f.wire) {
            out.insert(f.wire.clone(), value);
        }
    }
    out.extend(record);
    out
}

/// A written record must still have the record type, or later reads would not decode: a
/// request that leaves out a required field is refused.
fn check_record(call: &Call, ty: &TypeDef, record: &Record) -> Result<(), Failure> {
    let whole = TypeRef::plain(TypeKind::Named(ty.name.clone()), KeyPath::root());
    let Err(m) = conform::check(
        call.spec,
        &whole,
        &Value::Object(record.clone()),
        Mode::Result,
    ) else {
        return Ok(());
    };
    let param = call.emulation.fields_param(call.spec);
    let name = param.map_or("fields", |p| p.wire.as_str());
    let detail = format!(
        "the record would not have the type `{}`: at `{}`: {}",
        ty.name,
        KeyPath::root().key(name).join(&m.path),
        m.message
    );
    Err(match param {
        Some(param) => invalid(call.spec, param, detail),
        None => Failure::new(400, INVALID_ARG_VALUE, detail),
    })
}

/// What a write answers, as the result type says: the new id, `true`, the record, or the
/// example's result, wrapped in an object when the result type wraps it.
fn reply(call: &Call, record: &Record, id: Option<u64>) -> Answer {
    let reply = call.emulation.reply(call.spec);
    let value = match reply.as_ref().map(Reply::core) {
        Some(Reply::Id) => id.map_or(Value::Null, Value::from),
        Some(Reply::True) => Value::Bool(true),
        Some(Reply::Record) => Value::Object(record.clone()),
        Some(Reply::Records) => Value::Array(vec![Value::Object(record.clone())]),
        Some(Reply::Example) => crate::describe::example_result(call.spec)
            .cloned()
            .unwrap_or(Value::Null),
        Some(Reply::Description | Reply::Wrapped { .. }) | None => Value::Bool(true),
    };
    Answer::from(wrap(reply.as_ref(), value))
}
