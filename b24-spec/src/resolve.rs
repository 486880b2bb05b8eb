//! Resolution after parsing, before the checks: references to a type library's named enums
//! become the enums themselves, and the field names of `type: select` and `type: order`
//! parameters are read from the record type they name (as requests spell them: `select_as`,
//! `select_names`). Later stages then treat both like inline enums.
//!
//! Both follow every type expression with the model's one walker ([`TypeRef::walk_mut`]), so
//! a named enum is resolved wherever it is written: in a map's values, an array of maps, a
//! filter's fields or a `by_param` case.

use std::collections::HashMap;

use crate::model::{
    CustomFieldSet, EnumDef, EnumValue, FieldPattern, Spec, TypeDef, TypeKind, TypeRef,
};

/// Resolves the fields of a library's own types against every library's named enums.
pub(crate) fn library(types: &mut [TypeDef], enums: &[EnumDef]) {
    for t in types {
        for f in &mut t.fields {
            f.ty.walk_mut(&mut |ty| named_enum(ty, enums));
        }
    }
}

/// Resolves the types of a custom field set's fields against the libraries' named enums.
pub(crate) fn set(set: &mut CustomFieldSet, enums: &[EnumDef]) {
    for ty in set.fields.iter_mut().filter_map(|f| f.ty.spec_mut()) {
        ty.walk_mut(&mut |ty| named_enum(ty, enums));
    }
}

/// Resolves every type expression of a spec (params, own types, every result shape) against
/// its libraries, and fills the values of its selects.
pub(crate) fn spec(spec: &mut Spec) {
    let records = selected_records(spec);
    let enums = std::mem::take(&mut spec.shared_enums);
    for root in spec.type_roots_mut() {
        root.walk_mut(&mut |ty| {
            named_enum(ty, &enums);
            select_fields(ty, &records);
        });
    }
    spec.shared_enums = enums;
}

/// `Named(n)` of a named enum becomes that enum, keeping the reference's markers and path.
fn named_enum(ty: &mut TypeRef, enums: &[EnumDef]) {
    if let TypeKind::Named(name) = &ty.kind
        && let Some(def) = enums.iter().find(|e| e.name == *name)
    {
        ty.kind = TypeKind::Enum(def.clone());
    }
}

/// A record some select or order names: its fields' names in requests and Rust names, its
/// custom field patterns, and whether it is a library's.
struct Record {
    fields: Vec<(String, String)>,
    custom_fields: Vec<FieldPattern>,
    shared: bool,
}

/// The records the spec's selects name, by name; one that does not exist is left out (the
/// checks report it).
fn selected_records(spec: &Spec) -> HashMap<String, Record> {
    let mut out = HashMap::new();
    for (_, root) in spec.type_roots() {
        for ty in root.walk() {
            let TypeKind::Enum(EnumDef {
                select_of: Some(of),
                ..
            }) = &ty.kind
            else {
                continue;
            };
            let found = match spec.types.iter().find(|t| t.name == *of) {
                Some(own) => Some((own, false)),
                None => spec
                    .shared_types
                    .iter()
                    .find(|t| t.name == *of)
                    .map(|lib| (lib, true)),
            };
            if let Some((record, shared)) = found {
                let fields = record
                    .fields
                    .iter()
                    .map(|f| (record.select_name(f), f.rust.clone()))
                    .collect();
                out.insert(
                    of.clone(),
                    Record {
                        fields,
                        custom_fields: record.custom_fields.clone(),
                        shared,
                    },
                );
            }
        }
    }
    out
}

/// Fills the values of a select's (or an order's) enum: one per field of the record, named as
/// requests name it, then the masks `*` and `UF_*`, and the record's custom field patterns. A
/// record that does not exist is left empty; the checks report it.
fn select_fields(ty: &mut TypeRef, records: &HashMap<String, Record>) {
    let at = ty.path.clone();
    let TypeKind::Enum(def) = &mut ty.kind else {
        return;
    };
    let Some(record) = def.select_of.as_ref().and_then(|of| records.get(of)) else {
        return;
    };
    let value = |wire: &str, name: &str| EnumValue {
        wire: wire.to_owned(),
        name: name.to_owned(),
        path: at.clone(),
    };
    def.values = record
        .fields
        .iter()
        .map(|(wire, rust)| value(wire, rust))
        .chain([value("*", "all"), value("UF_*", "all_custom")])
        .collect();
    def.custom_fields.clone_from(&record.custom_fields);
    def.shared = record.shared;
}
