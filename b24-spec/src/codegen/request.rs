//! The request type and its builder, the call builder, and the `Client` methods that start a call.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::builder::{Member, Members, Takes};
use super::docs::{doc_lines, one_of_doc, param_doc};
use super::paging::paged_impl;
use super::result::{decode_output_fn, output_type};
use super::types::{into_type, qualified_type, rust_type, setter_type};
use crate::items::MethodItems;
use crate::model::Spec;
use crate::names::ident;

/// The parameters as members of the request builder.
fn members(spec: &Spec) -> Members<'_> {
    Members {
        list: spec
            .params
            .iter()
            .map(|p| Member {
                wire: &p.wire,
                rust: &p.rust,
                ty: &p.ty,
                required: p.required,
                doc: param_doc(p),
            })
            .collect(),
        takes: Takes::Exact,
    }
}

/// `new(…)`'s arguments: the required parameters, as their setters take them.
pub(super) fn new_args(spec: &Spec, rt: &TokenStream) -> Vec<TokenStream> {
    members(spec).new_args(rt)
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
    let members = members(spec);
    let fields = members.fields(rt);
    let new_args = members.new_args(rt);
    let new_inits = members.new_inits();
    let setters = members.setters(rt);
    let encode = members.inserts(&format_ident!("params"), rt);
    let one_of = one_of_doc(spec);
    let request_doc = doc_lines(&format!(
        "Parameters of [`{method}`]({}).\n\nBuild it with [`{request}::new`] and the setters, then send it with `Client::call`, or start from `Client::{module}`.{one_of}",
        spec.docs
    ));
    let new_doc = doc_lines(&if new_args.is_empty() {
        format!("A request with every optional parameter left out.{one_of}")
    } else {
        format!("A request with its required parameters; optional ones are left out.{one_of}")
    });
    let check = check_fn(spec, rt);
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
    let paged_impl = if spec.paged {
        paged_impl(spec, &request, rt)
    } else {
        quote!()
    };
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
            #check
        }

        #paged_impl
    }
}

/// `Method::check` for a method with `one_of_required` groups: the first group none of whose
/// parameters is set. Without groups, the trait's default (nothing to check).
fn check_fn(spec: &Spec, rt: &TokenStream) -> Option<TokenStream> {
    if spec.one_of_required.is_empty() {
        return None;
    }
    let groups = spec.one_of_required.iter().map(|group| {
        let unset = group.params.iter().filter_map(|g| {
            let p = spec.params.iter().find(|p| p.wire == g.wire)?;
            let name = ident(&p.rust);
            Some(quote!(self.#name.is_none()))
        });
        let names = group.names();
        quote! {
            if #(#unset)&&* {
                return ::core::result::Result::Err(#rt::RequestProblem::MissingOneOf(&[#(#names),*]));
            }
        }
    });
    Some(quote! {
        fn check(&self) -> ::core::result::Result<(), #rt::RequestProblem> {
            #(#groups)*
            ::core::result::Result::Ok(())
        }
    })
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
    // Only for a list the checks found (`paged_impl` generates `Paged` for the same ones).
    let send_all = spec.record_type().map(|record| {
        let item = rust_type(record, rt);
        quote! {
            /// Sends the request page after page and returns every record of the list.
            pub async fn send_all(self) -> ::core::result::Result<::std::vec::Vec<#item>, #rt::Error<#error>> {
                self.client.call_all(&self.request).await
            }

            /// Every record of the list, as a stream: each page is one request, sent when the
            /// records before it have been taken, through the client's rate limit and
            /// retries. Stops at the first error, which it yields.
            pub fn stream(self) -> #rt::Records<#item, #error> {
                self.client.stream(&self.request)
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
            let ty = into_type(&p.ty, qualified_type(&p.ty, rt, &module));
            quote!(#name: #ty)
        })
        .collect();
    let doc = doc_lines(&format!(
        "`{}`: {}\n\nSee [`{module}`]({module}) for parameters, result and errors, and <{}>.",
        spec.method, spec.summary, spec.docs
    ));
    (module.clone(), args, quote!(#module::#call), doc)
}
