//! What the generated builders share: a request's parameters and an input type's fields are
//! both members of a builder struct, with a public field each (`Option` unless required), the
//! required ones as arguments of `new()`, a setter per member, and a wire encoding that sends
//! the members that are set.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::doc_lines;
use super::types::{encode_value, rust_type, setter_conversion, setter_type};
use crate::model::{TypeKind, TypeRef};
use crate::names::ident;

/// One member of a builder.
pub(super) struct Member<'a> {
    /// The key on the wire.
    pub wire: &'a str,
    /// The Rust name of its field and setter.
    pub rust: &'a str,
    pub ty: &'a TypeRef,
    /// An argument of `new()`, and never left out.
    pub required: bool,
    /// Rustdoc of its field and setter.
    pub doc: String,
}

/// What a builder's setters and `new()` take.
#[derive(Clone, Copy)]
pub(super) enum Takes {
    /// The Rust type, text as `impl Into<String>` (requests).
    Exact,
    /// Also `impl Into<…>` for lists, date-times and JSON (input types), so `[a, b]`,
    /// a `DateTime<Utc>` and `json!(…)` can be passed as they are.
    Into,
}

/// The members of one builder.
pub(super) struct Members<'a> {
    pub list: Vec<Member<'a>>,
    pub takes: Takes,
}

impl Members<'_> {
    /// What a setter of `ty` takes.
    pub fn arg_type(&self, ty: &TypeRef, rt: &TokenStream) -> TokenStream {
        match self.takes {
            Takes::Exact => setter_type(ty, rt),
            Takes::Into => into_type(ty, rt).unwrap_or_else(|| setter_type(ty, rt)),
        }
    }

    /// `value` as the field's Rust type.
    fn convert(&self, ty: &TypeRef, value: TokenStream) -> TokenStream {
        match self.takes {
            Takes::Into if takes_into(ty) => quote!(#value.into()),
            Takes::Exact | Takes::Into => setter_conversion(ty, value),
        }
    }

    /// The struct's fields: `pub name: T` for a required member, `Option<T>` otherwise.
    pub fn fields(&self, rt: &TokenStream) -> Vec<TokenStream> {
        self.list
            .iter()
            .map(|m| {
                let name = ident(m.rust);
                let ty = rust_type(m.ty, rt);
                let doc = doc_lines(&m.doc);
                if m.required {
                    quote!(#doc pub #name: #ty,)
                } else {
                    quote!(#doc pub #name: ::core::option::Option<#ty>,)
                }
            })
            .collect()
    }

    /// The arguments of `new()`: the required members, as their setters take them.
    pub fn new_args(&self, rt: &TokenStream) -> Vec<TokenStream> {
        self.list
            .iter()
            .filter(|m| m.required)
            .map(|m| {
                let name = ident(m.rust);
                let ty = self.arg_type(m.ty, rt);
                quote!(#name: #ty)
            })
            .collect()
    }

    /// The fields `new()` fills in: its arguments, and `None` for the others.
    pub fn new_inits(&self) -> Vec<TokenStream> {
        self.list
            .iter()
            .map(|m| {
                let name = ident(m.rust);
                if m.required {
                    let value = self.convert(m.ty, quote!(#name));
                    quote!(#name: #value,)
                } else {
                    quote!(#name: ::core::option::Option::None,)
                }
            })
            .collect()
    }

    /// One setter per member, taking it by value and returning the builder.
    pub fn setters(&self, rt: &TokenStream) -> Vec<TokenStream> {
        self.list
            .iter()
            .map(|m| {
                let name = ident(m.rust);
                let ty = self.arg_type(m.ty, rt);
                let value = self.convert(m.ty, quote!(value));
                let doc = doc_lines(&m.doc);
                let assign = if m.required {
                    value
                } else {
                    quote!(::core::option::Option::Some(#value))
                };
                quote! {
                    #doc
                    #[must_use]
                    pub fn #name(mut self, value: #ty) -> Self {
                        self.#name = #assign;
                        self
                    }
                }
            })
            .collect()
    }

    /// Statements that insert each member that is set into the JSON object `map`, under its
    /// wire name, in its wire form.
    pub fn inserts(&self, map: &Ident, rt: &TokenStream) -> Vec<TokenStream> {
        self.list
            .iter()
            .map(|m| {
                let name = ident(m.rust);
                let wire = m.wire;
                if m.required {
                    let value = encode_value(m.ty, quote!(&self.#name), rt);
                    quote!(#map.insert(#wire.to_owned(), #value);)
                } else {
                    let value = encode_value(m.ty, quote!(value), rt);
                    quote! {
                        if let ::core::option::Option::Some(value) = &self.#name {
                            #map.insert(#wire.to_owned(), #value);
                        }
                    }
                }
            })
            .collect()
    }
}

/// Whether an input type's setter takes `impl Into<…>` for `ty`: where the Rust type has
/// useful conversions into it. Not for numbers and ids: an integer literal would not know
/// which `Into<u64>` to be.
fn takes_into(ty: &TypeRef) -> bool {
    !ty.has_none()
        && match &ty.kind {
            TypeKind::String
            | TypeKind::Datetime
            | TypeKind::Json
            | TypeKind::Array(_)
            | TypeKind::Decimal
            | TypeKind::DisplayDatetime => true,
            TypeKind::Integer
            | TypeKind::Number
            | TypeKind::Boolean
            | TypeKind::Yn
            | TypeKind::Id
            | TypeKind::NaiveDatetime
            | TypeKind::Date
            | TypeKind::Map { .. }
            | TypeKind::Enum(_)
            | TypeKind::Named(_)
            | TypeKind::Filter(_)
            | TypeKind::Order(_) => false,
        }
}

/// The `impl Into<…>` an input type's setter takes for `ty`, if it takes one.
fn into_type(ty: &TypeRef, rt: &TokenStream) -> Option<TokenStream> {
    takes_into(ty).then(|| {
        let target = match ty.kind {
            TypeKind::String => quote!(::std::string::String),
            _ => rust_type(ty, rt),
        };
        quote!(impl ::core::convert::Into<#target>)
    })
}
