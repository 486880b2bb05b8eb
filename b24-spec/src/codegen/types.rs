//! Rust types of type expressions, their wire adapters, and object types (`types:`).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_lines, sentence};
use crate::model::{EnumDef, MapKeys, OrderDef, TypeDef, TypeKind, TypeRef};
use crate::names::ident;

/// The Rust type a value decodes to, including the `Option` for "no value" markers.
pub(super) fn rust_type(ty: &TypeRef, rt: &TokenStream) -> TokenStream {
    let inner = base_type(ty, rt);
    if ty.has_none() {
        quote!(::core::option::Option<#inner>)
    } else {
        inner
    }
}

pub(super) fn base_type(ty: &TypeRef, rt: &TokenStream) -> TokenStream {
    match &ty.kind {
        TypeKind::String => quote!(::std::string::String),
        TypeKind::Integer => quote!(i64),
        TypeKind::Number => quote!(f64),
        TypeKind::Decimal => quote!(#rt::Decimal),
        TypeKind::Boolean | TypeKind::Yn => quote!(bool),
        TypeKind::Id => quote!(u64),
        TypeKind::Datetime => {
            quote!(#rt::__private::chrono::DateTime<#rt::__private::chrono::FixedOffset>)
        }
        TypeKind::NaiveDatetime => quote!(#rt::__private::chrono::NaiveDateTime),
        TypeKind::DisplayDatetime => quote!(#rt::DisplayDateTime),
        TypeKind::Date => quote!(#rt::__private::chrono::NaiveDate),
        TypeKind::Json => quote!(#rt::__private::serde_json::Value),
        TypeKind::Array(items) => {
            let item = rust_type(items, rt);
            quote!(::std::vec::Vec<#item>)
        }
        TypeKind::Map { keys, values } => {
            let key = map_key_type(*keys);
            let value = rust_type(values, rt);
            quote!(::std::collections::BTreeMap<#key, #value>)
        }
        TypeKind::Enum(e) => {
            let name = ident(&e.name);
            quote!(#name)
        }
        TypeKind::Named(n) | TypeKind::Filter(crate::model::FilterDef { name: n, .. }) => {
            let name = ident(n);
            quote!(#name)
        }
        TypeKind::Order(order) => order_type(order, base_type(&order.fields, rt), rt),
    }
}

/// `Order<{Of}Field>`, or `OrderOrDirection<{Of}Field>` for an order that also takes a bare
/// direction; `fields` is the field-name enum as the place of use spells it.
fn order_type(order: &OrderDef, fields: TokenStream, rt: &TokenStream) -> TokenStream {
    if order.direction {
        quote!(#rt::OrderOrDirection<#fields>)
    } else {
        quote!(#rt::Order<#fields>)
    }
}

/// `rust_type` as seen from outside the method's module: enums are `module::Enum`.
pub(super) fn qualified_type(
    ty: &TypeRef,
    rt: &TokenStream,
    module: &proc_macro2::Ident,
) -> TokenStream {
    let inner = match &ty.kind {
        // Library types too: the module re-exports those it uses.
        TypeKind::Enum(EnumDef { name, .. })
        | TypeKind::Named(name)
        | TypeKind::Filter(crate::model::FilterDef { name, .. }) => {
            let name = ident(name);
            quote!(#module::#name)
        }
        TypeKind::Array(items) => {
            let item = qualified_type(items, rt, module);
            quote!(::std::vec::Vec<#item>)
        }
        TypeKind::Map { keys, values } => {
            let key = map_key_type(*keys);
            let value = qualified_type(values, rt, module);
            quote!(::std::collections::BTreeMap<#key, #value>)
        }
        TypeKind::Order(order) => order_type(order, qualified_type(&order.fields, rt, module), rt),
        // Types of the runtime and the standard library.
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
        | TypeKind::Json => base_type(ty, rt),
    };
    if ty.has_none() {
        quote!(::core::option::Option<#inner>)
    } else {
        inner
    }
}

/// What a setter takes: `impl Into<T>` where other types convert: owned strings from `&str`,
/// decimals from integers (`.opportunity(100)`), display date-times from `NaiveDateTime`, an
/// order that also takes a direction from a `Direction` or an `Order`.
pub(super) fn setter_type(ty: &TypeRef, rt: &TokenStream) -> TokenStream {
    into_type(ty, rust_type(ty, rt))
}

/// [`setter_type`] with `rust`, the parameter's Rust type as the place of use spells it.
pub(super) fn into_type(ty: &TypeRef, rust: TokenStream) -> TokenStream {
    if converts(ty) {
        quote!(impl ::core::convert::Into<#rust>)
    } else {
        rust
    }
}

pub(super) fn setter_conversion(ty: &TypeRef, value: TokenStream) -> TokenStream {
    if converts(ty) {
        quote!(#value.into())
    } else {
        value
    }
}

/// Whether a setter takes `impl Into<T>` rather than `T`.
fn converts(ty: &TypeRef) -> bool {
    !ty.has_none()
        && match &ty.kind {
            TypeKind::String | TypeKind::Decimal | TypeKind::DisplayDatetime => true,
            TypeKind::Order(order) => order.direction,
            _ => false,
        }
}

/// A JSON value for a parameter, in the encoding Bitrix24 expects (`Y`/`N` for `yn`).
pub(super) fn encode_value(ty: &TypeRef, value: TokenStream, rt: &TokenStream) -> TokenStream {
    let adapter = adapter(ty, rt).unwrap_or_else(|| {
        let base = base_type(ty, rt);
        quote!(#rt::wire::Plain<#base>)
    });
    quote!(<#adapter as #rt::wire::Encode>::encode(#value))
}

/// The wire adapter for types whose JSON form differs from serde's default for the Rust type;
/// `None` when serde's derive already does the right thing.
pub(super) fn adapter(ty: &TypeRef, rt: &TokenStream) -> Option<TokenStream> {
    let inner = match &ty.kind {
        TypeKind::Yn => Some(quote!(#rt::wire::Yn)),
        TypeKind::Id => Some(quote!(#rt::wire::Id)),
        // Numbers may arrive as numeric strings.
        TypeKind::Integer => Some(quote!(#rt::wire::Integer)),
        TypeKind::Number => Some(quote!(#rt::wire::Number)),
        TypeKind::Decimal => Some(quote!(#rt::wire::Decimal)),
        TypeKind::Datetime => Some(quote!(#rt::wire::Atom)),
        TypeKind::NaiveDatetime => Some(quote!(#rt::wire::NaiveDateTime)),
        TypeKind::DisplayDatetime => Some(quote!(#rt::wire::Regional)),
        TypeKind::Date => Some(quote!(#rt::wire::Date)),
        TypeKind::Array(items) => adapter(items, rt).map(|a| quote!(#rt::wire::List<#a>)),
        // A filter builder encodes itself (see `codegen::filter`), and so do the runtime's
        // orders.
        TypeKind::Filter(f) => {
            let name = ident(&f.name);
            Some(quote!(#name))
        }
        TypeKind::Order(_) => Some(base_type(ty, rt)),
        // Always: serde's own map would refuse PHP's `[]` for an empty object.
        TypeKind::Map { keys, values } => {
            let key = map_key_adapter(*keys, rt);
            let value = adapter_or_plain(values, rt);
            Some(quote!(#rt::wire::Map<#key, #value>))
        }
        // serde's own form: text, booleans and any JSON as they are; enums and object types
        // through their derives.
        TypeKind::String
        | TypeKind::Boolean
        | TypeKind::Json
        | TypeKind::Enum(_)
        | TypeKind::Named(_) => None,
    };
    if !ty.has_none() {
        return inner;
    }
    let base = base_type(ty, rt);
    let inner = inner.unwrap_or_else(|| quote!(#rt::wire::Plain<#base>));
    let (f, e, n) = (ty.or_false, ty.or_empty, ty.nullable);
    if ty.or_empty_object || ty.or_empty_list {
        let (o, l) = (ty.or_empty_object, ty.or_empty_list);
        return Some(quote!(#rt::wire::NoneIf<#inner, #f, #e, #n, #o, #l>));
    }
    Some(quote!(#rt::wire::NoneIf<#inner, #f, #e, #n>))
}

/// The adapter that reads and writes a value of `ty`: its own, or serde's (`Plain`).
pub(super) fn adapter_or_plain(ty: &TypeRef, rt: &TokenStream) -> TokenStream {
    adapter(ty, rt).unwrap_or_else(|| {
        let rust = rust_type(ty, rt);
        quote!(#rt::wire::Plain<#rust>)
    })
}

/// The Rust type of a map key.
pub(super) fn map_key_type(keys: MapKeys) -> TokenStream {
    match keys {
        MapKeys::Id => quote!(u64),
        MapKeys::Integer => quote!(i64),
        MapKeys::String => quote!(::std::string::String),
    }
}

/// The wire adapter of a map key (`wire::Key`).
pub(super) fn map_key_adapter(keys: MapKeys, rt: &TokenStream) -> TokenStream {
    match keys {
        MapKeys::Id => quote!(#rt::wire::Id),
        MapKeys::Integer => quote!(#rt::wire::Plain<i64>),
        MapKeys::String => quote!(#rt::wire::Plain<::std::string::String>),
    }
}

/// `<Adapter as wire::Decode>::decode` and the like: a function serde calls for a field.
pub(super) fn adapter_fn(
    adapter: &TokenStream,
    rt: &TokenStream,
    tr: &str,
    function: &str,
) -> String {
    format!(
        "<{} as {}::wire::{tr}>::{function}",
        compact(adapter),
        compact(rt)
    )
}

/// Tokens as a path string without the spaces `to_string` puts around `::` and `<`.
pub(super) fn compact(tokens: &TokenStream) -> String {
    tokens
        .to_string()
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
}

pub(super) fn type_def(t: &TypeDef, rt: &TokenStream) -> TokenStream {
    let name = ident(&t.name);
    let doc = doc_lines(
        &t.doc
            .clone()
            .unwrap_or_else(|| format!("The `{}` object.", t.name)),
    );
    let serde_crate = format!("{}::__private::serde", compact(rt));
    // Each field: its doc, its serde attributes, its name and its Rust type.
    let fields: Vec<(TokenStream, TokenStream, proc_macro2::Ident, TokenStream)> = t
        .fields
        .iter()
        .map(|f| {
            let fname = ident(&f.rust);
            let wire = &f.wire;
            let mut ty = rust_type(&f.ty, rt);
            let mut attrs = vec![quote!(rename = #wire)];
            // An optional field reads `null` as `None` whatever its markers (as `conform` does).
            let field_ty = if f.optional && f.ty.has_none() {
                TypeRef {
                    nullable: true,
                    ..f.ty.clone()
                }
            } else {
                f.ty.clone()
            };
            // Quirky wire forms go through an adapter both ways, so a serialized value reads
            // back.
            let adapter = match (adapter(&field_ty, rt), f.optional && !f.ty.has_none()) {
                (Some(a), true) => Some(quote!(#rt::wire::Opt<#a>)),
                (a, _) => a,
            };
            if let Some(a) = &adapter {
                let de = adapter_fn(a, rt, "Decode", "decode");
                let ser = adapter_fn(a, rt, "Encode", "serialize");
                attrs.push(quote!(deserialize_with = #de, serialize_with = #ser));
            }
            if f.optional {
                attrs.push(quote!(default));
                if !f.ty.has_none() {
                    // A missing key reads as `None`; writing it back leaves the key out again.
                    attrs.push(quote!(
                        skip_serializing_if = "::core::option::Option::is_none"
                    ));
                    ty = quote!(::core::option::Option<#ty>);
                }
            }
            let doc = doc_lines(&field_doc(f));
            (doc, quote!(#[serde(#(#attrs),*)]), fname, ty)
        })
        .collect();
    if t.custom_fields.is_empty() {
        let fields = fields.iter().map(|(doc, serde, fname, ty)| {
            quote! {
                #doc
                #serde
                pub #fname: #ty,
            }
        });
        return quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, #rt::__private::serde::Deserialize, #rt::__private::serde::Serialize)]
            #[serde(crate = #serde_crate)]
            pub struct #name {
                #(#fields)*
            }
        };
    }
    // With custom fields: the struct is plain data; serde's derive reads and writes the
    // declared fields (of a private twin, `remote`), the runtime the custom ones around them.
    let public = fields
        .iter()
        .map(|(doc, _, fname, ty)| quote!(#doc pub #fname: #ty,));
    let wire = fields
        .iter()
        .map(|(_, serde, fname, ty)| quote!(#serde #fname: #ty,));
    let custom = ident(crate::check::CUSTOM);
    let patterns: Vec<&str> = t.custom_fields.iter().map(|p| p.pattern.as_str()).collect();
    let declared: Vec<&str> = t
        .fields
        .iter()
        .map(|f| f.wire.as_str())
        .filter(|w| crate::model::matches_any(&t.custom_fields, w))
        .collect();
    let shown: Vec<String> = patterns.iter().map(|p| format!("`{p}`")).collect();
    let custom_doc = doc_lines(&format!(
        "The portal's custom fields: the keys matching {} that are not fields above, in the order sent, each value as sent. Read one with a typed key (`{custom}.get(KEY)`, see [`CustomFields`]({rt}::CustomFields)); serializing writes them back.",
        shown.join(", "),
        rt = compact(rt)
    ));
    let name_text = &t.name;
    let remote = t.name.as_str();
    let serde = quote!(#rt::__private::serde);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name {
            #(#public)*
            #custom_doc
            pub #custom: #rt::CustomFields,
        }

        const _: () = {
            #[derive(#serde::Deserialize, #serde::Serialize)]
            #[serde(crate = #serde_crate, remote = #remote)]
            struct __Wire {
                #(#wire)*
                #[serde(skip)]
                #custom: #rt::CustomFields,
            }

            impl #rt::custom::CustomRecord for #name {
                const NAME: &'static str = #name_text;
                const PATTERNS: &'static [&'static str] = &[#(#patterns),*];
                const DECLARED: &'static [&'static str] = &[#(#declared),*];
                fn deserialize_declared<'de, __D: #serde::Deserializer<'de>>(d: __D) -> ::core::result::Result<Self, __D::Error> {
                    __Wire::deserialize(d)
                }
                fn serialize_declared<__S: #serde::Serializer>(&self, s: __S) -> ::core::result::Result<__S::Ok, __S::Error> {
                    __Wire::serialize(self, s)
                }
                fn custom_fields(&self) -> &#rt::CustomFields {
                    &self.#custom
                }
                fn custom_fields_mut(&mut self) -> &mut #rt::CustomFields {
                    &mut self.#custom
                }
            }

            impl<'de> #serde::Deserialize<'de> for #name {
                fn deserialize<__D: #serde::Deserializer<'de>>(d: __D) -> ::core::result::Result<Self, __D::Error> {
                    #rt::custom::deserialize_record(d)
                }
            }

            impl #serde::Serialize for #name {
                fn serialize<__S: #serde::Serializer>(&self, s: __S) -> ::core::result::Result<__S::Ok, __S::Error> {
                    #rt::custom::serialize_record(self, s)
                }
            }
        };
    }
}

pub(super) fn field_doc(f: &crate::model::Field) -> String {
    let mut doc = match &f.doc {
        Some(d) => sentence(d),
        None => format!("The `{}` field.", f.wire),
    };
    let mut notes = Vec::new();
    if f.ty.or_false {
        notes.push("`false`");
    }
    if f.ty.or_empty {
        notes.push("`\"\"`");
    }
    if f.ty.nullable {
        notes.push("`null`");
    }
    if f.ty.or_empty_object {
        notes.push("`{}`");
    }
    if f.ty.or_empty_list {
        notes.push("`[]`");
    }
    if !notes.is_empty() {
        doc.push_str(&format!(
            " `None` when Bitrix24 sends {}.",
            notes.join(" or ")
        ));
    }
    if f.optional {
        doc.push_str(" `None` when the key is missing.");
    }
    doc
}
