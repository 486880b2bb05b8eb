//! The error enum of a method.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_lines, sentence};
use super::types::compact;
use crate::model::{ErrorDef, Spec};
use crate::names::ident;

pub(super) fn error_enum(spec: &Spec, name: &proc_macro2::Ident, rt: &TokenStream) -> TokenStream {
    let variants: Vec<_> = spec.errors.iter().map(|e| ident(&e.variant)).collect();
    let codes: Vec<_> = spec.errors.iter().map(|e| e.code.as_str()).collect();
    let docs = spec.errors.iter().map(error_doc);
    let doc = doc_lines(&format!(
        "Error codes of `{}`.\n\nA code the method documents gets its own variant, even when the same code is also a system code (such as `ACCESS_DENIED`); [`ErrorCode::system`]({rt}::ErrorCode::system) still recognises it. Other system codes are in `System`, anything else is kept in `Other`, exactly as sent.",
        spec.method,
        rt = compact(rt)
    ));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#docs #variants,)*
            /// A system error that any method can return.
            System(#rt::SystemError),
            /// A code neither the spec nor the system list knows, kept as sent.
            Other(::std::string::String),
        }

        impl #rt::ErrorCode for #name {
            fn from_code(code: &str) -> Self {
                match code {
                    #(#codes => Self::#variants,)*
                    other => match #rt::SystemError::from_code(other) {
                        ::core::option::Option::Some(system) => Self::System(system),
                        ::core::option::Option::None => Self::Other(other.to_owned()),
                    },
                }
            }

            fn code(&self) -> &str {
                match self {
                    #(Self::#variants => #codes,)*
                    Self::System(system) => system.code(),
                    Self::Other(other) => other,
                }
            }
        }

        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(#rt::ErrorCode::code(self))
            }
        }
    }
}

pub(super) fn error_doc(e: &ErrorDef) -> TokenStream {
    let status = e.status.map(|s| format!(", HTTP {s}")).unwrap_or_default();
    let message = e
        .message
        .as_ref()
        .map(|m| format!(" The portal's description: {m:?}."))
        .unwrap_or_default();
    doc_lines(&format!(
        "`{}`{status}: {}{message}",
        e.code,
        sentence(&e.doc)
    ))
}
