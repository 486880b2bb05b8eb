//! The request type and its builder, the call builder, and the `Client` methods that start a call.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_lines, param_doc};
use super::result::{decode_output_fn, output_type};
use super::types::{
    converts, encode_value, qualified_type, rust_type, setter_conversion, setter_type,
};
use crate::items::MethodItems;
use crate::model::{Spec, TypeKind};
use crate::names::ident;

/// `new(…)`'s arguments: the required parameters, as their setters take them.
pub(super) fn new_args(spec: &Spec, rt: &TokenStream) -> Vec<TokenStream> {
    spec.params
        .iter()
        .filter(|p| p.required)
        .map(|p| {
            let name = ident(&p.rust);
            let ty = setter_type(&p.ty, rt);
            quote!(#name: #ty)
        })
        .collect()
}

/// The request type, its builder and its `Method` impl.
pub(super) fn request_def(spec: &Spec, items: &MethodItems<'_>, rt: &TokenStream) -> TokenStream {
    let module = &items.module;
    let request = ident(items.request());
    let error = ident(items.error());
    let method = &spec.method;
    let read_only = spec.read_only;
    let paged = spec.paged;
    let output = output_type(spec, items, rt);
    let fields = spec.params.iter().map(|p| {
        let name = ident(&p.rust);
        let ty = rust_type(&p.ty, rt);
        let doc = doc_lines(&param_doc(p));
        if p.required {
            quote!(#doc pub #name: #ty,)
        } else {
            quote!(#doc pub #name: ::core::option::Option<#ty>,)
        }
    });
    let new_args = new_args(spec, rt);
    let new_inits = spec.params.iter().map(|p| {
        let name = ident(&p.rust);
        if p.required {
            let value = setter_conversion(&p.ty, quote!(#name));
            quote!(#name: #value,)
        } else {
            quote!(#name: ::core::option::Option::None,)
        }
    });
    let setters = spec.params.iter().map(|p| {
        let name = ident(&p.rust);
        let ty = setter_type(&p.ty, rt);
        let value = setter_conversion(&p.ty, quote!(value));
        let doc = doc_lines(&param_doc(p));
        let assign = if p.required {
            quote!(#value)
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
    });
    let encode = spec.params.iter().map(|p| {
        let name = ident(&p.rust);
        let wire = &p.wire;
        if p.required {
            let value = encode_value(&p.ty, quote!(&self.#name), rt);
            quote!(params.insert(#wire.to_owned(), #value);)
        } else {
            let value = encode_value(&p.ty, quote!(value), rt);
            quote! {
                if let ::core::option::Option::Some(value) = &self.#name {
                    params.insert(#wire.to_owned(), #value);
                }
            }
        }
    });
    let request_doc = doc_lines(&format!(
        "Parameters of [`{method}`]({}).\n\nBuild it with [`{request}::new`] and the setters, then send it with `Client::call`, or start from `Client::{module}`.",
        spec.docs
    ));
    let new_doc = doc_lines(&if new_args.is_empty() {
        "A request with every optional parameter left out.".to_owned()
    } else {
        "A request with its required parameters; optional ones are left out.".to_owned()
    });
    // The result's own quirks (an id as a string, `false` for none) need its adapter, and a
    // result chosen by a parameter looks at the request.
    let decode_output = decode_output_fn(spec, items, rt);
    // `paged` adds (or finds) the integer `start` param; `Client::call_all` sets it per page.
    let start_param = spec
        .params
        .iter()
        .find(|p| spec.paged && p.wire.eq_ignore_ascii_case("start"));
    let set_start = start_param.map(|p| {
        let name = ident(&p.rust);
        let value = if p.required {
            quote!(start as i64)
        } else {
            quote!(::core::option::Option::Some(start as i64))
        };
        quote! {
            fn set_start(&mut self, start: u64) {
                self.#name = #value;
            }
        }
    });
    let derive_default = if new_args.is_empty() {
        quote!(Default,)
    } else {
        quote!()
    };
    quote! {
        #request_doc
        #[derive(Debug, Clone, PartialEq, #derive_default)]
        pub struct #request {
            #(#fields)*
        }

        impl #request {
            #new_doc
            #[must_use]
            #[allow(clippy::new_without_default)]
            pub fn new(#(#new_args),*) -> Self {
                Self { #(#new_inits)* }
            }
            #(#setters)*
        }

        impl #rt::Method for #request {
            const NAME: &'static str = #method;
            const READ_ONLY: bool = #read_only;
            const PAGED: bool = #paged;
            type Output = #output;
            type Error = #error;

            fn params(&self) -> #rt::__private::serde_json::Map<::std::string::String, #rt::__private::serde_json::Value> {
                #[allow(unused_mut)]
                let mut params = #rt::__private::serde_json::Map::new();
                #(#encode)*
                params
            }
            #decode_output
            #set_start
        }
    }
}

/// The call builder: a request bound to a client.
pub(super) fn call_def(spec: &Spec, items: &MethodItems<'_>, rt: &TokenStream) -> TokenStream {
    let module = &items.module;
    let request = ident(items.request());
    let call = ident(items.call());
    let error = ident(items.error());
    let output = output_type(spec, items, rt);
    let new_args = new_args(spec, rt);
    let required_names = spec
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| ident(&p.rust));
    let call_setters = spec.params.iter().map(|p| {
        let name = ident(&p.rust);
        let ty = setter_type(&p.ty, rt);
        let doc = doc_lines(&param_doc(p));
        quote! {
            #doc
            #[must_use]
            pub fn #name(mut self, value: #ty) -> Self {
                self.request = self.request.#name(value);
                self
            }
        }
    });
    let call_doc = doc_lines(&format!(
        "A [`{request}`] bound to a client: set parameters, then [`send`]({call}::send) it."
    ));
    let send_all = spec.paged.then(|| {
        let item = match &spec.result.ty.kind {
            TypeKind::Array(items) => rust_type(items, rt),
            _ => quote!(#rt::__private::serde_json::Value),
        };
        quote! {
            /// Sends the request page after page and returns every record of the list.
            pub async fn send_all(self) -> ::core::result::Result<::std::vec::Vec<#item>, #rt::Error<#error>> {
                self.client.call_all(&self.request).await
            }
        }
    });
    let start_doc = doc_lines(&format!(
        "Starts a call; `Client::{module}` is the usual way in."
    ));
    quote! {
        #call_doc
        #[derive(Debug, Clone)]
        #[must_use = "a call does nothing until it is sent"]
        pub struct #call<'a> {
            client: &'a #rt::Client,
            request: #request,
        }

        impl<'a> #call<'a> {
            #start_doc
            pub fn new(client: &'a #rt::Client, #(#new_args),*) -> Self {
                Self { client, request: #request::new(#(#required_names),*) }
            }
            #(#call_setters)*

            /// Sends the request and returns its `result`.
            pub async fn send(self) -> ::core::result::Result<#output, #rt::Error<#error>> {
                self.client.call(&self.request).await
            }

            /// Sends the request and returns the whole response: `result` with `time`,
            /// and `total`/`next` for lists.
            pub async fn send_full(self) -> ::core::result::Result<#rt::Response<#output>, #rt::Error<#error>> {
                self.client.call_full(&self.request).await
            }

            #send_all

            /// The request built so far, e.g. to put into a batch.
            pub fn into_request(self) -> #request {
                self.request
            }
        }
    }
}

pub(super) fn client_fn_decl(
    spec: &Spec,
    items: &MethodItems<'_>,
    rt: &TokenStream,
) -> TokenStream {
    let (name, args, call, doc) = client_fn_parts(spec, items, rt);
    quote! {
        #doc
        fn #name(&self, #(#args),*) -> #call<'_>;
    }
}

pub(super) fn client_fn(
    spec: &Spec,
    items: &MethodItems<'_>,
    rt: &TokenStream,
    public: bool,
) -> TokenStream {
    let (name, args, call, doc) = client_fn_parts(spec, items, rt);
    let arg_names = spec
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| ident(&p.rust));
    let vis = if public { quote!(pub) } else { quote!() };
    quote! {
        #doc
        #vis fn #name(&self, #(#args),*) -> #call<'_> {
            #call::new(self, #(#arg_names),*)
        }
    }
}

pub(super) fn client_fn_parts(
    spec: &Spec,
    items: &MethodItems<'_>,
    rt: &TokenStream,
) -> (
    proc_macro2::Ident,
    Vec<TokenStream>,
    TokenStream,
    TokenStream,
) {
    let module = ident(&items.module);
    let call = ident(items.call());
    let args = spec
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| {
            let name = ident(&p.rust);
            // Outside the method's module, its enums need the module path.
            let ty = if converts(&p.ty) {
                setter_type(&p.ty, rt)
            } else {
                qualified_type(&p.ty, rt, &module)
            };
            quote!(#name: #ty)
        })
        .collect();
    let doc = doc_lines(&format!(
        "`{}`: {}\n\nSee [`{module}`]({module}) for parameters, result and errors, and <{}>.",
        spec.method, spec.summary, spec.docs
    ));
    (module.clone(), args, quote!(#module::#call), doc)
}
