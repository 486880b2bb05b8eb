//! Resolution after parsing, before the checks: references to a type library's named enums
//! become the enums themselves, and the field names of `type: select` parameters are read
//! from the record type they name. Later stages then treat both like inline enums.

use crate::model::{EnumDef, EnumValue, Spec, TypeDef, TypeKind, TypeRef};

/// Resolves the fields of a library's own types against every library's named enums.
pub(crate) fn library(types: &mut [TypeDef], enums: &[EnumDef]) {
    for t in types {
        for f in &mut t.fields {
            named_enums(&mut f.ty, enums);
        }
    }
}

/// Resolves a spec's params, own types and result against its libraries.
pub(crate) fn spec(spec: &mut Spec) {
    let enums = std::mem::take(&mut spec.shared_enums);
    for p in &mut spec.params {
        named_enums(&mut p.ty, &enums);
    }
    for t in &mut spec.types {
        for f in &mut t.fields {
            named_enums(&mut f.ty, &enums);
        }
    }
    named_enums(&mut spec.result.ty, &enums);
    spec.shared_enums = enums;
    let mut params = std::mem::take(&mut spec.params);
    for p in &mut params {
        if let TypeKind::Array(items) = &mut p.ty.kind {
            select_fields(items, spec);
        }
    }
    spec.params = params;
}

/// `Named(n)` of a named enum becomes that enum, keeping the reference's markers and path.
fn named_enums(ty: &mut TypeRef, enums: &[EnumDef]) {
    match &mut ty.kind {
        TypeKind::Named(name) => {
            if let Some(def) = enums.iter().find(|e| e.name == *name) {
                ty.kind = TypeKind::Enum(def.clone());
            }
        }
        TypeKind::Array(items) => named_enums(items, enums),
        TypeKind::Filter(filter) => {
            for f in &mut filter.fields {
                named_enums(&mut f.ty, enums);
            }
        }
        _ => {}
    }
}

/// Fills the values of a select's enum: one per field of the record, then the masks `*` and
/// `UF_*`. A record that does not exist is left empty; the checks report it.
fn select_fields(items: &mut TypeRef, spec: &Spec) {
    let TypeKind::Enum(def) = &mut items.kind else {
        return;
    };
    let Some(of) = &def.select_of else { return };
    let (record, shared) = match spec.types.iter().find(|t| t.name == *of) {
        Some(own) => (own, false),
        None => match spec.shared_types.iter().find(|t| t.name == *of) {
            Some(lib) => (lib, true),
            None => return,
        },
    };
    let at = items.path.clone();
    let value = |wire: &str, name: &str| EnumValue {
        wire: wire.to_owned(),
        name: name.to_owned(),
        path: at.clone(),
    };
    def.values = record
        .fields
        .iter()
        .map(|f| value(&f.wire, &f.rust))
        .chain([value("*", "all"), value("UF_*", "all_custom")])
        .collect();
    def.shared = shared;
}
