//! Rust code from checked specs.
//!
//! The output is meant to read as if written by hand: one module per method with the request
//! type and its builder, the response types, and the error enum, each with rustdoc from the
//! spec. Generated code names the runtime through [`Options::runtime`] only, so the same output
//! works inside `b24-client` and in a user's crate.

use proc_macro2::TokenStream;
use quote::quote;

use crate::SpecSet;
use crate::items::{self, Def, MethodItems};
use crate::model::Spec;
use crate::names::ident;

mod builder;
mod contract;
mod docs;
mod enums;
mod errors;
mod filter;
mod input;
mod paging;
mod request;
mod result;
mod sets;
mod types;

pub use contract::SAMPLES_PER_SHAPE;
use contract::contract_test;
use docs::{doc_lines, module_docs};
use enums::enum_def;
use errors::error_enum;
use input::input_def;
use request::{call_def, client_fn, client_fn_decl, request_def};
use result::result_enum;
use types::type_def;

/// How generated methods attach to the runtime's `Client`.
#[derive(Debug, Clone)]
pub enum ClientMethods {
    /// `impl Client { fn im_user_get(&self) … }`; only possible inside the runtime crate.
    Inherent,
    /// An extension trait with this name, implemented for `Client`, for users' own crates.
    Trait(String),
}

/// Code generation settings.
#[derive(Debug, Clone)]
pub struct Options {
    /// Path of the runtime crate (`::b24_client`).
    pub runtime: TokenStream,
    pub client_methods: ClientMethods,
    /// Emit `include_str!` of each spec file so the compiler rebuilds when one changes, and
    /// expose the sources as `SPECS`.
    pub embed_sources: bool,
    /// Compile each method only with the Cargo feature named after its `scope` (`im`, `user`,
    /// …), so a crate that needs one scope compiles only that scope. The generating crate must
    /// declare a feature per scope (rustc's `unexpected_cfgs` lint names a missing one).
    pub scope_features: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            runtime: quote!(::b24_client),
            client_methods: ClientMethods::Trait("SpecMethods".into()),
            embed_sources: true,
            scope_features: false,
        }
    }
}

/// Generates the code for a whole set of specs.
pub fn generate(set: &SpecSet, options: &Options) -> TokenStream {
    let rt = &options.runtime;
    let gate = |spec: &Spec| {
        if options.scope_features {
            let scope = &spec.scope;
            quote!(#[cfg(feature = #scope)])
        } else {
            quote!()
        }
    };
    let methods: Vec<(&Spec, MethodItems<'_>)> =
        set.specs.iter().map(|s| (s, items::method(s))).collect();
    let modules = methods.iter().map(|(spec, items)| {
        let gate = gate(spec);
        let module = method_module(spec, items, rt);
        quote!(#gate #module)
    });
    let inherent = matches!(options.client_methods, ClientMethods::Inherent);
    let client_fns: Vec<TokenStream> = methods
        .iter()
        .map(|(s, items)| {
            let gate = gate(s);
            let f = client_fn(s, items, rt, inherent);
            quote!(#gate #f)
        })
        .collect();
    let client = match &options.client_methods {
        ClientMethods::Inherent => quote! {
            impl #rt::Client {
                #(#client_fns)*
            }
        },
        ClientMethods::Trait(name) => {
            let name = ident(name);
            let decls = methods.iter().map(|(s, items)| {
                let gate = gate(s);
                let d = client_fn_decl(s, items, rt);
                quote!(#gate #d)
            });
            quote! {
                /// Typed methods generated from this crate's specs, callable on a `Client`.
                pub trait #name {
                    #(#decls)*
                }
                impl #name for #rt::Client {
                    #(#client_fns)*
                }
            }
        }
    };
    let sources = if options.embed_sources {
        let entries = set.files.iter().zip(&set.relative).map(|(abs, rel)| {
            let abs = abs.to_string_lossy();
            quote!(#rt::SpecSource { path: #rel, text: include_str!(#abs) })
        });
        quote! {
            /// The spec files these methods were generated from, as they were at build time.
            pub const SPECS: &[#rt::SpecSource] = &[#(#entries),*];
        }
    } else {
        quote!()
    };
    let shared_items = items::shared(&set.shared, &set.shared_enums, &set.sets, &set.specs);
    let shared = if shared_items.is_empty() {
        quote!()
    } else {
        let module = ident(crate::SHARED_MODULE);
        let defs = shared_items.iter().map(|item| match item.def {
            Def::Object(t) => type_def(t, rt),
            Def::Input(t) => input_def(t, rt),
            Def::Enum(e) => enum_def(e, rt),
            Def::CustomFieldSet(set) => sets::set_def(set, rt),
            // Only object types, enums and custom field sets are shared.
            Def::Request
            | Def::Call
            | Def::Error
            | Def::ResultChoice(_)
            | Def::Filter(..)
            | Def::FilterCmp(_) => quote!(),
        });
        quote! {
            /// Types that several methods share, from the type libraries of the spec set, and
            /// its custom field sets; each is generated once.
            pub mod #module {
                #(#defs)*
            }
        }
    };
    quote! {
        #shared
        #(#modules)*
        #client
        #sources
    }
}

/// Generated code for one spec, formatted, as `b24 spec expand` prints it.
pub fn expand(set: &SpecSet, options: &Options) -> String {
    let tokens = generate(set, options);
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        // Unparseable output would be a generator bug; show the raw tokens rather than nothing.
        Err(_) => tokens.to_string(),
    }
}

/// A method's module: its items, in the order [`items::method`] lists them, and the contract
/// tests.
fn method_module(spec: &Spec, items: &MethodItems<'_>, rt: &TokenStream) -> TokenStream {
    let module = ident(&items.module);
    let module_doc = doc_lines(&module_docs(spec, items));
    // The library types this method uses, re-exported so `im_user_get::User` works whether
    // `User` is the spec's own type or a shared one.
    let uses_shared = if items.reexports.is_empty() {
        quote!()
    } else {
        let shared = ident(crate::SHARED_MODULE);
        let names = items.reexports.iter().map(|n| ident(n));
        quote! {
            pub use super::#shared::{#(#names),*};
        }
    };
    let defs = items.own.iter().map(|item| match item.def {
        Def::Request => request_def(spec, items, rt),
        Def::Call => call_def(spec, items, rt),
        Def::Object(t) => type_def(t, rt),
        Def::Input(t) => input_def(t, rt),
        Def::Enum(e) => enum_def(e, rt),
        Def::FilterCmp(f) => filter::cmp_def(f, &item.name, rt),
        Def::Filter(f, param) => filter::filter_def(
            f,
            param.map_or("", |p| p.wire.as_str()),
            &spec.method,
            items.cmp_of(f),
            rt,
        ),
        Def::ResultChoice(choice) => result_enum(spec, choice, &item.name, rt),
        Def::Error => error_enum(spec, &ident(&item.name), rt),
        // Sets are generated in the shared module only.
        Def::CustomFieldSet(_) => quote!(),
    });
    // The documented example must decode with the generated types in `cargo test` too, not
    // only in the compile-time check (which follows the same rules by other code).
    let contract = contract_test(spec, items, rt);
    quote! {
        #module_doc
        pub mod #module {
            #uses_shared
            #(#defs)*
            #contract
        }
    }
}
