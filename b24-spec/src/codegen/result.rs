//! The output of a method: its result type, or the enum of the shapes a parameter chooses.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_lines, lower_first, sentence};
use super::types::{adapter_or_plain, rust_type};
use crate::items::MethodItems;
use crate::model::{Param, ResultChoice, Spec, TypeKind};
use crate::names::{ident, pascal_case};

/// `Method::Output`: the result's type, or the enum of its shapes.
pub(super) fn output_type(spec: &Spec, items: &MethodItems<'_>, rt: &TokenStream) -> TokenStream {
    match &spec.result.by_param {
        Some(_) => {
            let name = ident(items.result());
            quote!(#name)
        }
        None => rust_type(&spec.result.ty, rt),
    }
}

/// `Method::decode_output`: the result's adapter, or, when a parameter chooses the shape, a
/// `match` on the request's value of it.
pub(super) fn decode_output_fn(
    spec: &Spec,
    items: &MethodItems<'_>,
    rt: &TokenStream,
) -> TokenStream {
    let body = match result_choice_match(spec, items, rt) {
        Some(body) => body,
        None => {
            let a = adapter_or_plain(&spec.result.ty, rt);
            quote!(<#a as #rt::wire::Decode>::decode(d))
        }
    };
    quote! {
        fn decode_output<'de, __D: #rt::__private::serde::Deserializer<'de>>(&self, d: __D) -> ::core::result::Result<Self::Output, __D::Error> {
            #body
        }
    }
}

/// The `match` that decodes a parameter-chosen result; `None` without `by_param`.
pub(super) fn result_choice_match(
    spec: &Spec,
    items: &MethodItems<'_>,
    rt: &TokenStream,
) -> Option<TokenStream> {
    let choice = spec.result.by_param.as_ref()?;
    let result = ident(items.result());
    let param = spec.params.iter().find(|p| p.wire == choice.param)?;
    let field = ident(&param.rust);
    let is_string = param.ty.kind == TypeKind::String;
    let scrutinee = match (is_string, param.required) {
        (true, true) => quote!(self.#field.as_str()),
        (true, false) => quote!(self.#field.as_deref()),
        (false, _) => quote!(&self.#field),
    };
    // The case the portal uses when the parameter is left out (its `default`).
    let absent = crate::conform::result_case(spec, &serde_json::Map::new())
        .and_then(|(_, case)| case.when.clone());
    let arms = choice.cases.iter().filter_map(|case| {
        let when = case.when.as_deref()?;
        let value = case_literal(param, when)?;
        let pattern = match (param.required, absent.as_deref() == Some(when)) {
            (true, _) => value,
            (false, false) => quote!(::core::option::Option::Some(#value)),
            (false, true) => {
                quote!(::core::option::Option::Some(#value) | ::core::option::Option::None)
            }
        };
        let variant = ident(&pascal_case(&case.variant));
        let a = adapter_or_plain(&case.ty, rt);
        Some(quote!(#pattern => <#a as #rt::wire::Decode>::decode(d).map(#result::#variant),))
    });
    let otherwise = ident(&pascal_case(&choice.otherwise.variant));
    let a = adapter_or_plain(&choice.otherwise.ty, rt);
    // With both values of a `yn` or `boolean` listed (and the parameter required, or its
    // default among them), nothing is left for `otherwise`; the arm stays for the type's sake.
    let two_valued = matches!(param.ty.kind, TypeKind::Yn | TypeKind::Boolean);
    let listed = |v: &[&str]| {
        v.iter()
            .all(|v| choice.cases.iter().any(|c| c.when.as_deref() == Some(*v)))
    };
    let covered = two_valued
        && (listed(&["Y", "N"]) || listed(&["true", "false"]))
        && (param.required || absent.is_some());
    let allow = covered.then(|| quote!(#[allow(unreachable_patterns)]));
    Some(quote! {
        match #scrutinee {
            #(#arms)*
            #allow
            _ => <#a as #rt::wire::Decode>::decode(d).map(#result::#otherwise),
        }
    })
}

/// A case value as a Rust pattern for the parameter's field (`"array"`, `true`, `5`,
/// `Kind::List`); `None` for a value the checks refuse.
pub(super) fn case_literal(param: &Param, when: &str) -> Option<TokenStream> {
    Some(match &param.ty.kind {
        TypeKind::String => quote!(#when),
        TypeKind::Yn => match when {
            "Y" => quote!(true),
            "N" => quote!(false),
            _ => return None,
        },
        TypeKind::Boolean => match when {
            "true" => quote!(true),
            "false" => quote!(false),
            _ => return None,
        },
        TypeKind::Integer => {
            let n = proc_macro2::Literal::i64_unsuffixed(when.parse().ok()?);
            quote!(#n)
        }
        TypeKind::Id => {
            let n = proc_macro2::Literal::u64_unsuffixed(when.parse().ok()?);
            quote!(#n)
        }
        TypeKind::Enum(e) => {
            let value = e.values.iter().find(|v| v.wire == when)?;
            let name = ident(&e.name);
            let variant = ident(&pascal_case(&value.name));
            quote!(#name::#variant)
        }
        // Cannot choose a result (see `conform::can_choose_result`).
        TypeKind::Order(_)
        | TypeKind::Number
        | TypeKind::Decimal
        | TypeKind::Datetime
        | TypeKind::NaiveDatetime
        | TypeKind::DisplayDatetime
        | TypeKind::Date
        | TypeKind::Json
        | TypeKind::Array(_)
        | TypeKind::Map { .. }
        | TypeKind::Named(_)
        | TypeKind::Filter(_) => return None,
    })
}

/// The enum of a parameter-chosen result: a variant per case, serialized as the case's value.
pub(super) fn result_enum(
    spec: &Spec,
    choice: &ResultChoice,
    name: &str,
    rt: &TokenStream,
) -> TokenStream {
    let name = ident(name);
    let absent = crate::conform::result_case(spec, &serde_json::Map::new())
        .and_then(|(_, case)| case.when.clone());
    let param = &choice.param;
    let cases: Vec<_> = choice.cases.iter().chain([&choice.otherwise]).collect();
    let variants: Vec<_> = cases
        .iter()
        .map(|c| ident(&pascal_case(&c.variant)))
        .collect();
    let types = cases.iter().map(|c| rust_type(&c.ty, rt));
    let adapters = cases.iter().map(|c| adapter_or_plain(&c.ty, rt));
    let docs = cases.iter().map(|c| {
        let when = match &c.when {
            Some(w) if absent.as_deref() == Some(w.as_str()) => {
                format!("`{param}` is `{w}` or left out")
            }
            Some(w) => format!("`{param}` is `{w}`"),
            None if absent.is_some() => format!("`{param}` has any other value"),
            None => format!("`{param}` has any other value or is left out"),
        };
        let text = match &c.doc {
            Some(d) => format!("{when}: {}", lower_first(&sentence(d))),
            None => format!("{when}."),
        };
        doc_lines(&text)
    });
    let doc = doc_lines(&format!(
        "The `result` of `{}`, whose shape depends on the request's `{param}`.{}\n\n`decode_output` picks the variant from the request that was sent; serializing writes the inner value in its wire form.",
        spec.method,
        spec.result
            .doc
            .as_deref()
            .map(|d| format!(" {}", sentence(d)))
            .unwrap_or_default()
    ));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#docs #variants(#types),)*
        }

        impl #rt::__private::serde::Serialize for #name {
            fn serialize<__S: #rt::__private::serde::Serializer>(&self, s: __S) -> ::core::result::Result<__S::Ok, __S::Error> {
                match self {
                    #(Self::#variants(value) => <#adapters as #rt::wire::Encode>::serialize(value, s),)*
                }
            }
        }
    }
}
