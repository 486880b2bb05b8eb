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
    let coded = spec.errors.iter().filter(|e| e.description().is_none());
    let (coded_codes, coded_variants): (Vec<_>, Vec<_>) =
        coded.map(|e| (e.code.as_str(), ident(&e.variant))).unzip();
    // `Display` writes the code, or for an error with an empty code its description.
    let display = if spec.errors.iter().any(|e| e.description().is_some()) {
        let shown = spec
            .errors
            .iter()
            .map(|e| e.description().unwrap_or(&e.code));
        quote! {
            match self {
                #(Self::#variants => f.write_str(#shown),)*
                Self::System(_) | Self::Other(_) => f.write_str(#rt::ErrorCode::code(self)),
            }
        }
    } else {
        quote!(f.write_str(#rt::ErrorCode::code(self)))
    };
    let docs = spec.errors.iter().map(error_doc);
    let doc = doc_lines(&format!(
        "Error codes of `{}`.\n\nA code the method documents gets its own variant, even when the same code is also a system code (such as `ACCESS_DENIED`); [`ErrorCode::system`]({rt}::ErrorCode::system) still recognises it. Other system codes are in `System`, anything else is kept in `Other`, exactly as sent.",
        spec.method,
        rt = compact(rt)
    ));
    let from_error = from_error(spec, rt);
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
                    #(#coded_codes => Self::#coded_variants,)*
                    other => match #rt::SystemError::from_code(other) {
                        ::core::option::Option::Some(system) => Self::System(system),
                        ::core::option::Option::None => Self::Other(other.to_owned()),
                    },
                }
            }

            #from_error

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
                #display
            }
        }
    }
}

/// `from_error` for a spec with errors identified by their description (code `""`): the
/// description picks the variant; without such errors the trait's default (`from_code`).
fn from_error(spec: &Spec, rt: &TokenStream) -> Option<TokenStream> {
    let (descriptions, variants): (Vec<_>, Vec<_>) = spec
        .errors
        .iter()
        .filter_map(|e| Some((e.description()?, ident(&e.variant))))
        .unzip();
    if descriptions.is_empty() {
        return None;
    }
    Some(quote! {
        fn from_error(code: &str, description: &str) -> Self {
            if code.is_empty() {
                #(
                    if #rt::__private::same_description(description, #descriptions) {
                        return Self::#variants;
                    }
                )*
            }
            <Self as #rt::ErrorCode>::from_code(code)
        }
    })
}

pub(super) fn error_doc(e: &ErrorDef) -> TokenStream {
    let status = e.status.map(|s| format!(", HTTP {s}")).unwrap_or_default();
    let what = match e.description() {
        Some(d) => format!("Empty code, described as {d:?}"),
        None => format!("`{}`", e.code),
    };
    let message = match (&e.message, e.description()) {
        (Some(m), None) => format!(" The portal's description: {m:?}."),
        _ => String::new(),
    };
    doc_lines(&format!("{what}{status}: {}{message}", sentence(&e.doc)))
}
