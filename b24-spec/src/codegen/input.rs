//! Input types (`input: true`): the builders of the objects a request sends.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::builder::{Member, Members, Takes};
use super::docs::{doc_lines, sentence};
use crate::check::CUSTOM;
use crate::model::{Field, TypeDef};
use crate::names::ident;

/// The builder of the input type `t`, under the type's name: a field per declared field
/// (`Option` unless `required`), `new()` with the required ones, a setter per field, and
/// `Serialize` into the wire form, which is how a request (or an enclosing input object)
/// sends it.
pub(super) fn input_def(t: &TypeDef, rt: &TokenStream) -> TokenStream {
    let name = ident(&t.name);
    let members = Members {
        list: t
            .fields
            .iter()
            .map(|f| Member {
                wire: &f.wire,
                rust: &f.rust,
                ty: &f.ty,
                required: f.required,
                doc: field_doc(f),
            })
            .collect(),
        takes: Takes::Into,
    };
    let fields = members.fields(rt);
    let new_args = members.new_args(rt);
    let new_inits = members.new_inits();
    let setters = members.setters(rt);
    let map = format_ident!("map");
    // The declared fields are written first, then the custom fields in the order set.
    let inserts = members.inserts(&map, rt);
    let custom = Custom::of(t, rt);
    let (custom_field, custom_init, custom_setters, custom_inserts) = (
        &custom.field,
        &custom.init,
        &custom.setters,
        &custom.inserts,
    );
    let required: Vec<String> = t
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| format!("`{}`", f.wire))
        .collect();
    let doc = doc_lines(&format!(
        "{}\n\nBuild it with [`{n}::new`]{} and a setter per field; a field left out is not sent. It serializes to the object the request sends: keys as the portal spells them, values in their wire form.",
        t.doc.as_deref().map_or_else(
            || format!("The `{}` object, as a request sends it.", t.name),
            sentence
        ),
        if required.is_empty() {
            String::new()
        } else {
            format!(" (which takes the required {})", required.join(", "))
        },
        n = t.name,
    ));
    let new_doc = doc_lines(&if required.is_empty() {
        "Starts the object with every field left out.".to_owned()
    } else {
        format!(
            "Starts the object with its required fields ({}); the others are left out.",
            required.join(", ")
        )
    });
    let default = if required.is_empty() {
        quote!(Default,)
    } else {
        quote!()
    };
    let serde = quote!(#rt::__private::serde);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name {
            #(#fields)*
            #custom_field
        }

        impl #name {
            #new_doc
            #[must_use]
            pub fn new(#(#new_args),*) -> Self {
                Self { #(#new_inits)* #custom_init }
            }
            #(#setters)*
            #custom_setters
        }

        impl #serde::Serialize for #name {
            fn serialize<S: #serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                let mut #map = #rt::__private::serde_json::Map::new();
                #(#inserts)*
                #custom_inserts
                #serde::Serialize::serialize(&#map, serializer)
            }
        }
    }
}

/// What an input type with `custom_fields` patterns adds to its builder: the `custom` field,
/// its setters (typed by a key, or raw) and the writing of its keys after the declared ones.
/// Empty for a type without patterns.
#[derive(Default)]
struct Custom {
    field: TokenStream,
    init: TokenStream,
    setters: TokenStream,
    inserts: TokenStream,
}

impl Custom {
    fn of(t: &TypeDef, rt: &TokenStream) -> Self {
        if t.custom_fields.is_empty() {
            return Self::default();
        }
        let custom = ident(CUSTOM);
        let raw = format_ident!("{}_raw", CUSTOM);
        let patterns: Vec<String> = t
            .custom_fields
            .iter()
            .map(|p| format!("`{}`", p.pattern))
            .collect();
        let field_doc = doc_lines(&format!(
            "The portal's custom fields to send (names matching {}), after the fields above, in the order set.",
            patterns.join(", ")
        ));
        let typed_doc = doc_lines(&format!(
            "Sets the custom field `key` names to `value`, written in the form the portal reads for its type (see [`CustomValue`]({rt}::CustomValue)); typed keys come from a custom field set.",
            rt = rt.to_string().replace(' ', "")
        ));
        let raw_doc = doc_lines(
            "Sets the custom field `name` to `value` exactly as given, for a field without a typed key.",
        );
        Self {
            field: quote! {
                #field_doc
                pub #custom: #rt::CustomFields,
            },
            init: quote!(#custom: #rt::CustomFields::new(),),
            setters: quote! {
                #typed_doc
                #[must_use]
                pub fn #custom<T: #rt::CustomValue>(mut self, key: #rt::CustomField<T>, value: impl ::core::convert::Into<T>) -> Self {
                    self.#custom.set(key, value);
                    self
                }
                #raw_doc
                #[must_use]
                pub fn #raw(mut self, name: impl ::core::convert::Into<::std::string::String>, value: #rt::__private::serde_json::Value) -> Self {
                    self.#custom.set_raw(name, value);
                    self
                }
            },
            inserts: quote! {
                for (name, value) in self.#custom.iter() {
                    map.insert(::std::borrow::ToOwned::to_owned(name), ::core::clone::Clone::clone(value));
                }
            },
        }
    }
}

/// Rustdoc of a field and its setter: "`WIRE`: what it is."
fn field_doc(f: &Field) -> String {
    match &f.doc {
        Some(doc) => format!("`{}`: {}", f.wire, sentence(doc)),
        None => format!("The `{}` field.", f.wire),
    }
}
