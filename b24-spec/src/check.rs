//! Semantic passes over a parsed [`Spec`]: names, references, cycles, params and the example.
//!
//! Each pass only reads the model and records problems in the context, so all of them run on
//! every spec and the user sees every mistake in one build. Passes that look inside types
//! follow the model's one walker ([`TypeRef::walk`], [`Spec::type_roots`]); the names of
//! generated items come from the one list codegen emits ([`items`]).

use std::collections::HashSet;

use crate::diag::Ctxt;
use crate::items;
use crate::model::{EnumDef, Spec, TypeDef, TypeKind};

use crate::names::invalid_ident_reason;
use crate::path::KeyPath;
pub use custom::is_custom_field_name;
pub(crate) use custom::{CUSTOM, set};

mod custom;
pub(crate) mod errors;
mod example;
mod groups;
mod inputs;
mod names;
mod paging;
mod result;
mod types;

use errors::{emulation, error_codes};
use example::{example_params, example_response};
use groups::one_of_required;
use inputs::{field_options, fields_of_kind, input_and_output_types};
use names::{enums_of, fields_of, item_names, names, param_names};
use result::result_choice;
use types::{
    cycles, cycles_in, filters_and_selects, named_type_exists, parameter_only_types, references,
};

/// Checks of the type library `file`, with every library's types and named enums (`all`,
/// `all_enums`) visible by name and sharing one module.
pub(crate) fn library(cx: &mut Ctxt, file: &str, all: &[TypeDef], all_enums: &[EnumDef]) {
    let shared = items::shared(all, all_enums, &[], std::iter::empty());
    item_names(cx, file, &shared.iter().collect::<Vec<_>>());
    enums_of(cx, shared.iter().filter(|i| i.file == file));
    let own: Vec<&TypeDef> = all.iter().filter(|t| t.file == file).collect();
    fields_of(cx, own.iter().copied());
    field_options(cx, own.iter().copied());
    for t in &own {
        custom::record(cx, t);
    }
    let defined: HashSet<&str> = all.iter().map(|t| t.name.as_str()).collect();
    let enum_names: Vec<&str> = all_enums.iter().map(|e| e.name.as_str()).collect();
    let find = |name: &str| all.iter().find(|t| t.name == name);
    for t in &own {
        for f in &t.fields {
            named_type_exists(cx, &defined, &enum_names, &f.ty);
            parameter_only_types(cx, &f.ty, "a field");
            fields_of_kind(cx, t, &f.ty, &find);
        }
    }
    let all: Vec<&TypeDef> = all.iter().collect();
    cycles_in(cx, &own, &all);
}

pub(crate) fn spec(cx: &mut Ctxt, spec: &Spec) {
    let items = items::method(spec);
    method_name(cx, spec);
    param_names(cx, spec);
    names(cx, spec, &items);
    for t in &spec.types {
        custom::record(cx, t);
    }
    references(cx, spec);
    input_and_output_types(cx, spec);
    field_options(cx, spec.types.iter());
    one_of_required(cx, spec);
    cycles(cx, spec);
    error_codes(cx, spec);
    emulation(cx, spec);
    filters_and_selects(cx, spec);
    result_choice(cx, spec);
    if spec.paged && spec.result.by_param.is_some() {
        cx.error(
            &KeyPath::root().key("paged"),
            "`paged: true` needs one list result, but `result` has shapes chosen by a parameter",
        )
        .help("remove `paged`, or `by_param` (a list method's pages must all be lists)");
    } else if spec.paged
        && spec.paging.items.is_none()
        && !matches!(spec.result.ty.kind, TypeKind::Array(_))
    {
        cx.error(
            &KeyPath::root().key("paged"),
            "`paged: true` needs a list result, but `result` is not an `array`",
        )
        .help("set `result: { type: array, items: … }`, or remove `paged`");
    }
    if spec.paged
        && let Some(start) = spec
            .params
            .iter()
            .find(|p| p.wire.eq_ignore_ascii_case("start"))
        && start.ty.kind != TypeKind::Integer
    {
        cx.error(
            &start.ty.path,
            "the `start` parameter of a paged method must be an `integer`",
        )
        .help("declare `start: { type: integer, … }`, or leave it out and `paged: true` adds it");
    }
    paging::paging(cx, spec);
    if let Some(example) = &spec.example {
        example_params(cx, spec, &example.params);
        example_response(cx, spec, &example.response);
    }
}

/// `method:` must match the file name, so a spec can be found from its method and back.
fn method_name(cx: &mut Ctxt, spec: &Spec) {
    let path = KeyPath::root().key("method");
    let valid = !spec.method.is_empty()
        && spec.method.split('.').all(|part| {
            !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
    let valid = valid && spec.method.starts_with(|c: char| c.is_ascii_alphabetic());
    if !valid {
        cx.error(
            &path,
            format!("`{}` is not a REST method name", spec.method),
        )
        .help("method names are dot-separated words, e.g. `im.user.get`");
        return;
    }
    let file_name = std::path::Path::new(&spec.file)
        .file_name()
        .and_then(|f| f.to_str())
        .unwrap_or_default();
    let split = [".yaml", ".yml"]
        .iter()
        .find_map(|ext| file_name.strip_suffix(ext).map(|stem| (stem, ext)));
    if let Some((stem, ext)) = split
        && stem != spec.method
    {
        cx.error(
            &path,
            format!(
                "method `{}` does not match the file name `{file_name}`",
                spec.method
            ),
        )
        .help(format!(
            "rename the file to `{}{ext}` or fix `method:`",
            spec.method
        ));
    }
}

/// ` `name`` for a candidate name worth showing, nothing for an empty one.
fn shown(name: &str) -> String {
    if name.is_empty() {
        String::new()
    } else {
        format!(" `{name}`")
    }
}

/// Why `name` cannot be a snake_case Rust identifier, if it cannot.
fn snake_name_problem(name: &str) -> Option<&'static str> {
    invalid_ident_reason(name).or_else(|| {
        (!name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
        .then_some("use lower-case letters, digits and `_`")
    })
}
