//! Input types (`input: true`): the builders of the objects a request sends.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::builder::{Member, Members, Takes};
use super::docs::{doc_lines, sentence};
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
    // The declared fields are written first. Keys beyond them (custom fields, once input
    // types may declare them) are to be written after these, in this one place.
    let inserts = members.inserts(&map, rt);
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
        }

        impl #name {
            #new_doc
            #[must_use]
            pub fn new(#(#new_args),*) -> Self {
                Self { #(#new_inits)* }
            }
            #(#setters)*
        }

        impl #serde::Serialize for #name {
            fn serialize<S: #serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                let mut #map = #rt::__private::serde_json::Map::new();
                #(#inserts)*
                #serde::Serialize::serialize(&#map, serializer)
            }
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
