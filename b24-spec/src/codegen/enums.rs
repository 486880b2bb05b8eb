//! Enums of string values: inline, named in a type library, or the field names of a select.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_lines, sentence};
use crate::model::EnumDef;
use crate::names::{ident, pascal_case};

pub(super) fn enum_def(e: &EnumDef, rt: &TokenStream) -> TokenStream {
    let name = ident(&e.name);
    let variants: Vec<_> = e
        .values
        .iter()
        .map(|v| ident(&pascal_case(&v.name)))
        .collect();
    let wires: Vec<_> = e.values.iter().map(|v| v.wire.as_str()).collect();
    let docs = e
        .values
        .iter()
        .map(|v| doc_lines(&format!("`{:?}` on the wire.", v.wire)));
    let mut doc = match &e.doc {
        Some(d) => format!("{}\n\n", sentence(d)),
        None => String::new(),
    };
    let patterns: Vec<&str> = e.custom_fields.iter().map(|p| p.pattern.as_str()).collect();
    if let Some(of) = &e.select_of
        && !patterns.is_empty()
    {
        let shown: Vec<String> = patterns.iter().map(|p| format!("`{p}`")).collect();
        doc.push_str(&format!(
            "Field names of `{of}` as `select` and `order` parameters write them, with the masks `*` (every field) and `UF_*` (every custom field), which only `select` takes; `Custom` names one of its custom fields (a name matching {}), made from a typed key with `From`; `Unknown` names any other field.",
            shown.join(", ")
        ));
    } else if let Some(of) = &e.select_of {
        doc.push_str(&format!(
            "Field names of `{of}` as `select` and `order` parameters write them, with the masks `*` (every field) and `UF_*` (every custom field), which only `select` takes; `Unknown` names any other field, such as a custom `UF_USR_…` one."
        ));
    } else {
        doc.push_str(&format!(
            "Values of `{}`; `Unknown` keeps any value Bitrix24 adds later.",
            e.name
        ));
    }
    if e.case_insensitive {
        doc.push_str(" Read in any letter case (`asc` is `ASC`), as the portal accepts them.");
    }
    let doc = doc_lines(&doc);
    // A select over a record with custom fields names them with a variant of their own.
    let custom = !patterns.is_empty();
    let (custom_variant, custom_str, custom_wire, custom_from) = if custom {
        let from_doc = doc_lines(&format!(
            "Selects the custom field `key` names: `{}::Custom(key.name())`.",
            e.name
        ));
        (
            quote! {
                /// One of the record's custom fields, by its wire name.
                Custom(::std::string::String),
            },
            quote!(Self::Custom(name) => name,),
            quote! {
                other if [#(#patterns),*].iter().any(|p| #rt::custom::matches_pattern(p, other)) => Self::Custom(other.to_owned()),
            },
            quote! {
                impl<T> ::core::convert::From<#rt::CustomField<T>> for #name {
                    #from_doc
                    fn from(key: #rt::CustomField<T>) -> Self {
                        Self::Custom(key.name().to_owned())
                    }
                }
            },
        )
    } else {
        (quote!(), quote!(), quote!(), quote!())
    };
    let unknown_doc = doc_lines(if custom {
        "Reads a wire value; a custom field's name becomes [`Self::Custom`], any other unknown value [`Self::Unknown`]."
    } else {
        "Reads a wire value; unknown values become [`Self::Unknown`]."
    });
    let from_wire = if e.case_insensitive {
        quote! {
            /// Reads a wire value in any letter case; unknown values become [`Self::Unknown`].
            pub fn from_wire(value: &str) -> Self {
                match value {
                    #(v if v.eq_ignore_ascii_case(#wires) => Self::#variants,)*
                    #custom_wire
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }
    } else {
        quote! {
            #unknown_doc
            pub fn from_wire(value: &str) -> Self {
                match value {
                    #(#wires => Self::#variants,)*
                    #custom_wire
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#docs #variants,)*
            #custom_variant
            /// A value this version of the spec does not know, kept as sent.
            Unknown(::std::string::String),
        }

        impl #name {
            /// The value as Bitrix24 spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #wires,)*
                    #custom_str
                    Self::Unknown(other) => other,
                }
            }

            #from_wire
        }

        impl #rt::wire::WireEnum for #name {
            fn as_str(&self) -> &str {
                #name::as_str(self)
            }
            fn from_wire(value: &str) -> Self {
                #name::from_wire(value)
            }
        }

        impl<'de> #rt::__private::serde::Deserialize<'de> for #name {
            fn deserialize<__D: #rt::__private::serde::Deserializer<'de>>(d: __D) -> ::core::result::Result<Self, __D::Error> {
                #rt::wire::deserialize_enum(d)
            }
        }

        impl #rt::__private::serde::Serialize for #name {
            fn serialize<__S: #rt::__private::serde::Serializer>(&self, s: __S) -> ::core::result::Result<__S::Ok, __S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        #custom_from
    }
}
