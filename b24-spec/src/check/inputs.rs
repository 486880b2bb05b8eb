//! Input and output types: an object a request sends is an input type (`input: true`, a
//! builder), an object the portal answers is an output type (a serde struct), and neither
//! stands where the other belongs.

use crate::diag::Ctxt;
use crate::model::{Spec, TypeDef, TypeKind, TypeRef};
use crate::walk::Place;

/// Where each kind of type may be used: parameters hold input types only (and a `select`
/// names an output type), results hold output types only, and an object type's fields hold
/// types of its own kind. `find` looks up a type by name (unknown names are reported
/// elsewhere).
pub(super) fn input_and_output_types(cx: &mut Ctxt, spec: &Spec) {
    let find = |name: &str| spec.find_type(name);
    for (place, root) in spec.type_roots() {
        match place {
            // A filter's fields must be single values, which `filter_fields` checks.
            Place::Param(p) if matches!(p.ty.kind, TypeKind::Filter(_)) => {}
            Place::Param(p) => {
                for ty in root.walk() {
                    match named(ty, &find) {
                        Some(def) if !def.input => {
                            cx.error(
                                &ty.path,
                                format!(
                                    "parameter `{}` uses the output type `{}`",
                                    p.wire, def.name
                                ),
                            )
                            .help(to_input(&def.name));
                        }
                        _ => {}
                    }
                    if let TypeKind::Enum(e) = &ty.kind
                        && let Some(def) = e.select_of.as_deref().and_then(find)
                        && def.input
                    {
                        cx.error(
                            &ty.path,
                            format!(
                                "a `select` names fields of a record the method answers, but `{}` is an input type",
                                def.name
                            ),
                        )
                        .help("name the output type of the records in `of:`");
                    }
                }
            }
            Place::Field(t, _) => fields_of_kind(cx, t, root, &find),
            Place::Result(_) => {
                for ty in root.walk() {
                    if let Some(def) = named(ty, &find)
                        && def.input
                    {
                        cx.error(&ty.path, format!("the result uses the input type `{}`", def.name))
                            .help(format!(
                                "input types describe what a request sends: give the answer an output type (one without `input: true`), or remove `input: true` from `{}` if no request sends it",
                                def.name
                            ));
                    }
                }
            }
        }
    }
}

/// The fields of `t` (the type expression `root` of one of them) hold types of `t`'s kind.
pub(super) fn fields_of_kind<'a>(
    cx: &mut Ctxt,
    t: &TypeDef,
    root: &TypeRef,
    find: &impl Fn(&str) -> Option<&'a TypeDef>,
) {
    for ty in root.walk() {
        let Some(def) = named(ty, find) else {
            continue;
        };
        if t.input && !def.input {
            cx.error(
                &ty.path,
                format!(
                    "the input type `{}` uses the output type `{}`",
                    t.name, def.name
                ),
            )
            .help(to_input(&def.name));
        } else if !t.input && def.input {
            cx.error(
                &ty.path,
                format!(
                    "the output type `{}` uses the input type `{}`",
                    t.name, def.name
                ),
            )
            .help(format!(
                "an output type holds what the portal answers: use an output type here, or add `input: true` to `{}` if a request sends it",
                t.name
            ));
        }
    }
}

/// The object type `ty` names, if it names one.
fn named<'a>(ty: &TypeRef, find: &impl Fn(&str) -> Option<&'a TypeDef>) -> Option<&'a TypeDef> {
    match &ty.kind {
        TypeKind::Named(name) => find(name),
        _ => None,
    }
}

/// How to make the output type `name` something a request can send.
fn to_input(name: &str) -> String {
    format!(
        "add `input: true` to `{name}`: a request sends input types, which become builders (if results use `{name}` too, define a second type with `input: true` for the request)"
    )
}

/// The options of the fields of object types: an input type's fields are optional unless
/// `required`, an output type's are required unless `optional`; "no value" markers describe
/// answers, so input types have none; and no field of an input type may take the name of its
/// builder's `new`.
pub(super) fn field_options<'a>(cx: &mut Ctxt, types: impl Iterator<Item = &'a TypeDef>) {
    for t in types {
        for f in &t.fields {
            if t.input && f.optional {
                cx.key_error(
                    &f.path.key("optional"),
                    format!(
                        "`optional` has no meaning in the input type `{}`: its fields are optional unless `required: true`",
                        t.name
                    ),
                )
                .help("remove `optional: true`");
            }
            if !t.input && f.required {
                cx.key_error(
                    &f.path.key("required"),
                    format!(
                        "`required` applies to fields of input types, but `{}` is an output type",
                        t.name
                    ),
                )
                .help(format!(
                    "an output type's fields are required unless `optional: true`: remove `required`, or add `input: true` to `{}` if a request sends it",
                    t.name
                ));
            }
            if t.input && f.ty.has_none() {
                cx.error(
                    &f.ty.path,
                    format!(
                        "field `{}` of the input type `{}` uses `or_false`, `or_empty`, `nullable`, `or_empty_object` or `or_empty_list`",
                        f.wire, t.name
                    ),
                )
                .help("those describe answers; a field a request may leave out is just not `required`");
            }
            if t.input && f.rust == "new" {
                cx.key_error(
                    &f.path,
                    format!(
                        "field `{}` of the input type `{}` would be the setter `new`, which the builder already has",
                        f.wire, t.name
                    ),
                )
                .help("set `rust_name:` to another name, e.g. `rust_name: new_value`");
            }
        }
    }
}
