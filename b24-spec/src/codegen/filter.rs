//! Filter builders (`type: filter`) and the enums defined once in type libraries: named enums
//! and the field-name enums of `type: select` over library records.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_lines, encode_value, rust_type, sentence};
use crate::SpecSet;
use crate::model::{EnumDef, FilterDef, FilterField, Spec, TypeKind, TypeRef};
use crate::names::ident;

/// The filter builders of a spec's parameters.
pub(super) fn filter_defs(spec: &Spec, rt: &TokenStream) -> Vec<TokenStream> {
    spec.params
        .iter()
        .filter_map(|p| match &p.ty.kind {
            TypeKind::Filter(def) => Some(filter_def(def, &p.wire, &spec.method, rt)),
            _ => None,
        })
        .collect()
}

fn filter_def(def: &FilterDef, param: &str, method: &str, rt: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let exact = def.operators.is_empty();
    let operators: Vec<String> = def
        .operators
        .iter()
        .map(|o| format!("`{}`", o.prefix()))
        .collect();
    let doc = doc_lines(&if exact {
        format!(
            "The `{param}` filter of `{method}`: each field set keeps only records whose field has exactly that value.\n\nBuild it with [`{}::new`] and one method per field.",
            def.name
        )
    } else {
        format!(
            "The `{param}` filter of `{method}`: each condition keeps only the records that meet it.\n\nBuild it with [`{}::new`] and one method per field, each taking a [`Cmp`]({rt}::Cmp) of the field's type; call a method again to add another condition on the same field (`>=` and `<=` for a range). Two conditions with the same operator on one field are one key on the wire: the later one wins.\n\nOperators the method accepts: {}.",
            def.name,
            operators.join(" "),
            rt = super::compact(rt)
        )
    });
    let fields = def.fields.iter().map(|f| {
        let fname = ident(&f.rust);
        let ty = rust_type(&f.ty, rt);
        let doc = doc_lines(&field_doc(f, exact));
        if exact {
            quote!(#doc pub #fname: ::core::option::Option<#ty>,)
        } else {
            quote!(#doc pub #fname: ::std::vec::Vec<#rt::Cmp<#ty>>,)
        }
    });
    let setters = def.fields.iter().map(|f| setter(f, exact, rt));
    let inserts = def.fields.iter().map(|f| {
        let fname = ident(&f.rust);
        let wire = &f.wire;
        if exact {
            let value = encode_value(&f.ty, quote!(value), rt);
            quote! {
                if let ::core::option::Option::Some(value) = &filter.#fname {
                    map.insert(#wire.to_owned(), #value);
                }
            }
        } else {
            let encode = encoder(&f.ty, rt);
            quote! {
                for condition in &filter.#fname {
                    map.insert(condition.key(#wire), condition.encode(#encode));
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// A filter without conditions; it keeps every record.
            #[must_use]
            pub fn new() -> Self {
                Self::default()
            }
            #(#setters)*
        }

        impl #rt::wire::Encode for #name {
            type Out = Self;
            fn encode(filter: &Self) -> #rt::__private::serde_json::Value {
                let mut map = #rt::__private::serde_json::Map::new();
                #(#inserts)*
                #rt::__private::serde_json::Value::Object(map)
            }
        }
    }
}

fn field_doc(f: &FilterField, exact: bool) -> String {
    let how = if exact {
        "The value to look for; `None` leaves the field out."
    } else {
        "Its conditions, one entry each."
    };
    match &f.doc {
        Some(doc) => format!("`{}`: {} {how}", f.wire, sentence(doc)),
        None => format!("`{}`: {how}", f.wire),
    }
}

/// `<Adapter as Encode>::encode`: writes one value of the field in its wire form.
fn encoder(ty: &TypeRef, rt: &TokenStream) -> TokenStream {
    let adapter = super::adapter(ty, rt).unwrap_or_else(|| {
        let base = super::base_type(ty, rt);
        quote!(#rt::wire::Plain<#base>)
    });
    quote!(<#adapter as #rt::wire::Encode>::encode)
}

fn setter(f: &FilterField, exact: bool, rt: &TokenStream) -> TokenStream {
    let fname = ident(&f.rust);
    let wire = &f.wire;
    let string = matches!(f.ty.kind, TypeKind::String);
    let what = f.doc.as_deref().map(sentence).unwrap_or_default();
    if exact {
        let doc = doc_lines(&format!("Sets `{wire}` in the filter. {what}"));
        let ty = rust_type(&f.ty, rt);
        let (arg, value) = if string {
            (
                quote!(impl ::core::convert::Into<::std::string::String>),
                quote!(value.into()),
            )
        } else {
            (ty, quote!(value))
        };
        quote! {
            #doc
            #[must_use]
            pub fn #fname(mut self, value: #arg) -> Self {
                self.#fname = ::core::option::Option::Some(#value);
                self
            }
        }
    } else {
        let doc = doc_lines(&format!(
            "Adds a condition on `{wire}`, e.g. `Cmp::eq(..)` or `Cmp::one_of([..])`. {what}"
        ));
        let ty = rust_type(&f.ty, rt);
        if string {
            quote! {
                #doc
                #[must_use]
                pub fn #fname(mut self, condition: #rt::Cmp<impl ::core::convert::Into<::std::string::String>>) -> Self {
                    self.#fname.push(condition.map(::core::convert::Into::into));
                    self
                }
            }
        } else {
            quote! {
                #doc
                #[must_use]
                pub fn #fname(mut self, condition: #rt::Cmp<#ty>) -> Self {
                    self.#fname.push(condition);
                    self
                }
            }
        }
    }
}

/// Every enum a spec uses that lives in the shared module: named enums of type libraries
/// (wherever the spec refers to them, also through library types it reaches) and the
/// field-name enums of its selects over library records.
pub(super) fn shared_enums_used<'a>(spec: &'a Spec, reached: &[String]) -> Vec<&'a EnumDef> {
    let mut out = Vec::new();
    for p in &spec.params {
        walk(&p.ty, &mut out);
    }
    for t in &spec.types {
        for f in &t.fields {
            walk(&f.ty, &mut out);
        }
    }
    walk(&spec.result.ty, &mut out);
    for t in spec
        .shared_types
        .iter()
        .filter(|t| reached.contains(&t.name))
    {
        for f in &t.fields {
            walk(&f.ty, &mut out);
        }
    }
    out
}

fn walk<'a>(ty: &'a TypeRef, out: &mut Vec<&'a EnumDef>) {
    match &ty.kind {
        TypeKind::Enum(e) if e.shared => out.push(e),
        TypeKind::Array(items) => walk(items, out),
        TypeKind::Filter(def) => {
            for f in &def.fields {
                walk(&f.ty, out);
            }
        }
        _ => {}
    }
}

/// The enums generated once in the shared module besides the inline enums of library types:
/// every named enum, and each select enum over a library record, once.
pub(super) fn shared_module_enums(set: &SpecSet) -> Vec<TypeRef> {
    let mut out: Vec<TypeRef> = set
        .shared_enums
        .iter()
        .map(|e| TypeRef {
            kind: TypeKind::Enum(e.clone()),
            or_false: false,
            or_empty: false,
            nullable: false,
            path: e.path.clone(),
        })
        .collect();
    for spec in &set.specs {
        for p in &spec.params {
            if let TypeKind::Array(items) = &p.ty.kind
                && let TypeKind::Enum(e) = &items.kind
                && e.shared
                && e.select_of.is_some()
                && !out
                    .iter()
                    .any(|t| matches!(&t.kind, TypeKind::Enum(o) if o.name == e.name))
            {
                out.push((**items).clone());
            }
        }
    }
    out
}
