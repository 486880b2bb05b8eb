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
use crate::model::{
    EnumDef, ErrorDef, MapKeys, Param, ResultChoice, Spec, TypeDef, TypeKind, TypeRef,
};
use crate::names::{ident, pascal_case};

mod filter;

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
    let shared_items = items::shared(&set.shared, &set.shared_enums, &set.specs);
    let shared = if shared_items.is_empty() {
        quote!()
    } else {
        let module = ident(crate::SHARED_MODULE);
        let defs = shared_items.iter().map(|item| match item.def {
            Def::Object(t) => type_def(t, rt),
            Def::Enum(e) => enum_def(e, rt),
            // Only object types and enums are shared.
            Def::Request
            | Def::Call
            | Def::Error
            | Def::ResultChoice(_)
            | Def::Filter(..)
            | Def::FilterCmp(_) => quote!(),
        });
        quote! {
            /// Types that several methods share, from the type libraries of the spec set;
            /// each is generated once.
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

/// `new(…)`'s arguments: the required parameters, as their setters take them.
fn new_args(spec: &Spec, rt: &TokenStream) -> Vec<TokenStream> {
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
fn request_def(spec: &Spec, items: &MethodItems<'_>, rt: &TokenStream) -> TokenStream {
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
fn call_def(spec: &Spec, items: &MethodItems<'_>, rt: &TokenStream) -> TokenStream {
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

fn client_fn_decl(spec: &Spec, items: &MethodItems<'_>, rt: &TokenStream) -> TokenStream {
    let (name, args, call, doc) = client_fn_parts(spec, items, rt);
    quote! {
        #doc
        fn #name(&self, #(#args),*) -> #call<'_>;
    }
}

fn client_fn(spec: &Spec, items: &MethodItems<'_>, rt: &TokenStream, public: bool) -> TokenStream {
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

fn client_fn_parts(
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
            let ty = match &p.ty.kind {
                TypeKind::String if !p.ty.has_none() => setter_type(&p.ty, rt),
                _ => qualified_type(&p.ty, rt, &module),
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

/// "`user` (also granted by `user_brief`, `user_basic`)", or just "`im`".
fn scopes_doc(spec: &Spec) -> String {
    let quoted = |s: &str| format!("`{s}`");
    let mut doc = quoted(&spec.scope);
    if !spec.other_scopes.is_empty() {
        let others: Vec<String> = spec.other_scopes.iter().map(|s| quoted(s)).collect();
        doc.push_str(&format!(" (also granted by {})", others.join(", ")));
    }
    doc
}

fn module_docs(spec: &Spec, items: &MethodItems<'_>) -> String {
    let mut doc = format!("{}\n\n", sentence(&spec.summary));
    if let Some(d) = &spec.description {
        doc.push_str(d.trim());
        doc.push_str("\n\n");
    }
    doc.push_str(&format!(
        "- REST method: `{}`\n- Scope: {}\n- Who may call it: {}\n- Safe to retry: {}\n- Official documentation: <{}>\n",
        spec.method,
        scopes_doc(spec),
        spec.access,
        if spec.read_only { "yes, it only reads" } else { "no, it changes data" },
        spec.docs
    ));
    if !spec.params.is_empty() {
        doc.push_str("\n# Parameters\n\n");
        for p in &spec.params {
            doc.push_str(&format!(
                "- `{}`{}: {}\n",
                p.wire,
                if p.required { " (required)" } else { "" },
                p.doc.trim()
            ));
        }
    }
    doc.push_str("\n# Result\n\n");
    match &spec.result.by_param {
        Some(choice) => doc.push_str(&format!(
            "`{}`, one variant per shape chosen by `{}`",
            items.result(),
            choice.param
        )),
        None => doc.push_str(&format!("`{}`", type_label(&spec.result.ty))),
    }
    match (&spec.result.doc, &spec.result.by_param) {
        (Some(d), Some(_)) => doc.push_str(&format!(": {}", lower_first(d.trim()))),
        (Some(d), None) => doc.push_str(&format!(": {}", d.trim())),
        (None, _) => {}
    }
    doc.push('\n');
    if !spec.errors.is_empty() {
        doc.push_str("\n# Errors\n\n");
        for e in &spec.errors {
            let status = e.status.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
            doc.push_str(&format!("- `{}`{status}: {}\n", e.code, e.doc.trim()));
        }
        doc.push_str("\nAny call can also fail with a system error, see `SystemError`.\n");
    }
    doc
}

/// The result's type in words, for the module's docs (`list of User`).
fn type_label(ty: &TypeRef) -> String {
    let base = match &ty.kind {
        TypeKind::Named(n) => n.clone(),
        TypeKind::Enum(e) => e.name.clone(),
        TypeKind::Filter(f) => f.name.clone(),
        TypeKind::Array(items) => format!("list of {}", type_label(items)),
        TypeKind::Map { keys, values } => {
            format!("map of {} to {}", keys.as_str(), type_label(values))
        }
        TypeKind::String => "string".to_owned(),
        TypeKind::Integer => "integer".to_owned(),
        TypeKind::Number => "number".to_owned(),
        TypeKind::Boolean => "boolean".to_owned(),
        TypeKind::Yn => "yn".to_owned(),
        TypeKind::Id => "id".to_owned(),
        TypeKind::Datetime => "datetime".to_owned(),
        TypeKind::NaiveDatetime => "naive_datetime".to_owned(),
        TypeKind::Date => "date".to_owned(),
        TypeKind::Json => "json".to_owned(),
    };
    if ty.or_false {
        format!("{base} or false")
    } else {
        base
    }
}

fn param_doc(p: &Param) -> String {
    let mut doc = format!("`{}`: {}", p.wire, sentence(&p.doc));
    if let Some(default) = &p.default {
        doc.push_str(&format!(" Defaults to `{default}` when left out."));
    }
    if let Some(min) = p.ty.min_items {
        doc.push_str(&format!(
            " The portal refuses fewer than {min} item{}.",
            if min == 1 { "" } else { "s" }
        ));
    }
    doc
}

fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '!', '?']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

fn doc_lines(text: &str) -> TokenStream {
    let lines = doc_text(text)
        .into_iter()
        .map(|l| if l.is_empty() { l } else { format!(" {l}") });
    quote!(#(#[doc = #lines])*)
}

/// Spec text as rustdoc lines in which no code block is Rust: rustdoc would compile an
/// indented line or an unlabelled fence as a doctest and break the user's `cargo test`.
fn doc_text(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_indented = false;
    let mut in_fence = false;
    for line in text.trim_end().lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            let label = trimmed.trim_start_matches('`').trim();
            out.push(if !in_fence && label.is_empty() {
                "```text".to_owned()
            } else {
                trimmed.to_owned()
            });
            in_fence = !in_fence;
            continue;
        }
        let indented = !in_fence && line.starts_with("    ") && !trimmed.is_empty();
        if indented && !in_indented {
            out.push("```text".to_owned());
        } else if !indented && in_indented {
            out.push("```".to_owned());
        }
        in_indented = indented;
        out.push(if indented {
            trimmed.to_owned()
        } else {
            line.to_owned()
        });
    }
    if in_indented || in_fence {
        out.push("```".to_owned());
    }
    out
}
/// The Rust type a value decodes to, including the `Option` for "no value" markers.
fn rust_type(ty: &TypeRef, rt: &TokenStream) -> TokenStream {
    let inner = base_type(ty, rt);
    if ty.has_none() {
        quote!(::core::option::Option<#inner>)
    } else {
        inner
    }
}

fn base_type(ty: &TypeRef, rt: &TokenStream) -> TokenStream {
    match &ty.kind {
        TypeKind::String => quote!(::std::string::String),
        TypeKind::Integer => quote!(i64),
        TypeKind::Number => quote!(f64),
        TypeKind::Boolean | TypeKind::Yn => quote!(bool),
        TypeKind::Id => quote!(u64),
        TypeKind::Datetime => {
            quote!(#rt::__private::chrono::DateTime<#rt::__private::chrono::FixedOffset>)
        }
        TypeKind::NaiveDatetime => quote!(#rt::__private::chrono::NaiveDateTime),
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
    }
}

/// `rust_type` as seen from outside the method's module: enums are `module::Enum`.
fn qualified_type(ty: &TypeRef, rt: &TokenStream, module: &proc_macro2::Ident) -> TokenStream {
    let inner = match &ty.kind {
        TypeKind::Enum(EnumDef { name, .. })
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
        // Types of the runtime and the standard library, and (never in a parameter, which
        // the checks refuse) object types.
        TypeKind::String
        | TypeKind::Integer
        | TypeKind::Number
        | TypeKind::Boolean
        | TypeKind::Yn
        | TypeKind::Id
        | TypeKind::Datetime
        | TypeKind::NaiveDatetime
        | TypeKind::Date
        | TypeKind::Json
        | TypeKind::Named(_) => base_type(ty, rt),
    };
    if ty.has_none() {
        quote!(::core::option::Option<#inner>)
    } else {
        inner
    }
}

/// What a setter takes: owned strings are accepted as `impl Into<String>`.
fn setter_type(ty: &TypeRef, rt: &TokenStream) -> TokenStream {
    match ty.kind {
        TypeKind::String if !ty.has_none() => {
            quote!(impl ::core::convert::Into<::std::string::String>)
        }
        _ => rust_type(ty, rt),
    }
}

fn setter_conversion(ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty.kind {
        TypeKind::String if !ty.has_none() => quote!(#value.into()),
        _ => value,
    }
}

/// A JSON value for a parameter, in the encoding Bitrix24 expects (`Y`/`N` for `yn`).
fn encode_value(ty: &TypeRef, value: TokenStream, rt: &TokenStream) -> TokenStream {
    let adapter = adapter(ty, rt).unwrap_or_else(|| {
        let base = base_type(ty, rt);
        quote!(#rt::wire::Plain<#base>)
    });
    quote!(<#adapter as #rt::wire::Encode>::encode(#value))
}

/// The wire adapter for types whose JSON form differs from serde's default for the Rust type;
/// `None` when serde's derive already does the right thing.
fn adapter(ty: &TypeRef, rt: &TokenStream) -> Option<TokenStream> {
    let inner = match &ty.kind {
        TypeKind::Yn => Some(quote!(#rt::wire::Yn)),
        TypeKind::Id => Some(quote!(#rt::wire::Id)),
        TypeKind::Datetime => Some(quote!(#rt::wire::Atom)),
        TypeKind::NaiveDatetime => Some(quote!(#rt::wire::NaiveDateTime)),
        TypeKind::Date => Some(quote!(#rt::wire::Date)),
        TypeKind::Array(items) => adapter(items, rt).map(|a| quote!(#rt::wire::List<#a>)),
        // A filter builder encodes itself (see `codegen::filter`).
        TypeKind::Filter(f) => {
            let name = ident(&f.name);
            Some(quote!(#name))
        }
        // Always: serde's own map would refuse PHP's `[]` for an empty object.
        TypeKind::Map { keys, values } => {
            let key = map_key_adapter(*keys, rt);
            let value = adapter_or_plain(values, rt);
            Some(quote!(#rt::wire::Map<#key, #value>))
        }
        // serde's own form: text, numbers, booleans and any JSON as they are; enums and
        // object types through their derives.
        TypeKind::String
        | TypeKind::Integer
        | TypeKind::Number
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

fn type_def(t: &TypeDef, rt: &TokenStream) -> TokenStream {
    let name = ident(&t.name);
    let doc = doc_lines(
        &t.doc
            .clone()
            .unwrap_or_else(|| format!("The `{}` object.", t.name)),
    );
    let serde_crate = format!("{}::__private::serde", compact(rt));
    let fields = t.fields.iter().map(|f| {
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
        // Quirky wire forms go through an adapter both ways, so a serialized value reads back.
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
        quote! {
            #doc
            #[serde(#(#attrs),*)]
            pub #fname: #ty,
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #rt::__private::serde::Deserialize, #rt::__private::serde::Serialize)]
        #[serde(crate = #serde_crate)]
        pub struct #name {
            #(#fields)*
        }
    }
}

fn field_doc(f: &crate::model::Field) -> String {
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

fn enum_def(e: &EnumDef, rt: &TokenStream) -> TokenStream {
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
    if let Some(of) = &e.select_of {
        doc.push_str(&format!(
            "Field names of `{of}` for `select`, with the masks `*` (every field) and `UF_*` (every custom field); `Unknown` names any other field, such as a custom `UF_USR_…` one."
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
    let from_wire = if e.case_insensitive {
        quote! {
            /// Reads a wire value in any letter case; unknown values become [`Self::Unknown`].
            pub fn from_wire(value: &str) -> Self {
                match value {
                    #(v if v.eq_ignore_ascii_case(#wires) => Self::#variants,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }
    } else {
        quote! {
            /// Reads a wire value; unknown values become [`Self::Unknown`].
            pub fn from_wire(value: &str) -> Self {
                match value {
                    #(#wires => Self::#variants,)*
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
            /// A value this version of the spec does not know, kept as sent.
            Unknown(::std::string::String),
        }

        impl #name {
            /// The value as Bitrix24 spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #wires,)*
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
    }
}

fn error_enum(spec: &Spec, name: &proc_macro2::Ident, rt: &TokenStream) -> TokenStream {
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

fn error_doc(e: &ErrorDef) -> TokenStream {
    let status = e.status.map(|s| format!(", HTTP {s}")).unwrap_or_default();
    doc_lines(&format!("`{}`{status}: {}", e.code, sentence(&e.doc)))
}

/// `<Adapter as wire::Decode>::decode` and the like: a function serde calls for a field.
fn adapter_fn(adapter: &TokenStream, rt: &TokenStream, tr: &str, function: &str) -> String {
    format!(
        "<{} as {}::wire::{tr}>::{function}",
        compact(adapter),
        compact(rt)
    )
}

/// Tokens as a path string without the spaces `to_string` puts around `::` and `<`.
fn compact(tokens: &TokenStream) -> String {
    tokens
        .to_string()
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
}

// --- result shapes: maps and results chosen by a parameter ---------------------------------

/// The Rust type of a map key.
fn map_key_type(keys: MapKeys) -> TokenStream {
    match keys {
        MapKeys::Id => quote!(u64),
        MapKeys::Integer => quote!(i64),
        MapKeys::String => quote!(::std::string::String),
    }
}

/// The wire adapter of a map key (`wire::Key`).
fn map_key_adapter(keys: MapKeys, rt: &TokenStream) -> TokenStream {
    match keys {
        MapKeys::Id => quote!(#rt::wire::Id),
        MapKeys::Integer => quote!(#rt::wire::Plain<i64>),
        MapKeys::String => quote!(#rt::wire::Plain<::std::string::String>),
    }
}

/// The adapter that reads and writes a value of `ty`: its own, or serde's (`Plain`).
fn adapter_or_plain(ty: &TypeRef, rt: &TokenStream) -> TokenStream {
    adapter(ty, rt).unwrap_or_else(|| {
        let rust = rust_type(ty, rt);
        quote!(#rt::wire::Plain<#rust>)
    })
}

/// `Method::Output`: the result's type, or the enum of its shapes.
fn output_type(spec: &Spec, items: &MethodItems<'_>, rt: &TokenStream) -> TokenStream {
    match &spec.result.by_param {
        Some(_) => {
            let name = ident(items.result());
            quote!(#name)
        }
        None => rust_type(&spec.result.ty, rt),
    }
}

/// `Method::decode_output`: the result's adapter, or, when a parameter chooses the shape, a
/// `match` on the request's value of it.
fn decode_output_fn(spec: &Spec, items: &MethodItems<'_>, rt: &TokenStream) -> TokenStream {
    let body = match result_choice_match(spec, items, rt) {
        Some(body) => body,
        None => {
            let a = adapter_or_plain(&spec.result.ty, rt);
            quote!(<#a as #rt::wire::Decode>::decode(d))
        }
    };
    quote! {
        fn decode_output<'de, __D: #rt::__private::serde::Deserializer<'de>>(&self, d: __D) -> ::core::result::Result<Self::Output, __D::Error> {
            #body
        }
    }
}

/// The `match` that decodes a parameter-chosen result; `None` without `by_param`.
fn result_choice_match(
    spec: &Spec,
    items: &MethodItems<'_>,
    rt: &TokenStream,
) -> Option<TokenStream> {
    let choice = spec.result.by_param.as_ref()?;
    let result = ident(items.result());
    let param = spec.params.iter().find(|p| p.wire == choice.param)?;
    let field = ident(&param.rust);
    let is_string = param.ty.kind == TypeKind::String;
    let scrutinee = match (is_string, param.required) {
        (true, true) => quote!(self.#field.as_str()),
        (true, false) => quote!(self.#field.as_deref()),
        (false, _) => quote!(&self.#field),
    };
    // The case the portal uses when the parameter is left out (its `default`).
    let absent = crate::conform::result_case(spec, &serde_json::Map::new())
        .and_then(|(_, case)| case.when.clone());
    let arms = choice.cases.iter().filter_map(|case| {
        let when = case.when.as_deref()?;
        let value = case_literal(param, when)?;
        let pattern = match (param.required, absent.as_deref() == Some(when)) {
            (true, _) => value,
            (false, false) => quote!(::core::option::Option::Some(#value)),
            (false, true) => {
                quote!(::core::option::Option::Some(#value) | ::core::option::Option::None)
            }
        };
        let variant = ident(&pascal_case(&case.variant));
        let a = adapter_or_plain(&case.ty, rt);
        Some(quote!(#pattern => <#a as #rt::wire::Decode>::decode(d).map(#result::#variant),))
    });
    let otherwise = ident(&pascal_case(&choice.otherwise.variant));
    let a = adapter_or_plain(&choice.otherwise.ty, rt);
    // With both values of a `yn` or `boolean` listed (and the parameter required, or its
    // default among them), nothing is left for `otherwise`; the arm stays for the type's sake.
    let two_valued = matches!(param.ty.kind, TypeKind::Yn | TypeKind::Boolean);
    let listed = |v: &[&str]| {
        v.iter()
            .all(|v| choice.cases.iter().any(|c| c.when.as_deref() == Some(*v)))
    };
    let covered = two_valued
        && (listed(&["Y", "N"]) || listed(&["true", "false"]))
        && (param.required || absent.is_some());
    let allow = covered.then(|| quote!(#[allow(unreachable_patterns)]));
    Some(quote! {
        match #scrutinee {
            #(#arms)*
            #allow
            _ => <#a as #rt::wire::Decode>::decode(d).map(#result::#otherwise),
        }
    })
}

/// A case value as a Rust pattern for the parameter's field (`"array"`, `true`, `5`,
/// `Kind::List`); `None` for a value the checks refuse.
fn case_literal(param: &Param, when: &str) -> Option<TokenStream> {
    Some(match &param.ty.kind {
        TypeKind::String => quote!(#when),
        TypeKind::Yn => match when {
            "Y" => quote!(true),
            "N" => quote!(false),
            _ => return None,
        },
        TypeKind::Boolean => match when {
            "true" => quote!(true),
            "false" => quote!(false),
            _ => return None,
        },
        TypeKind::Integer => {
            let n = proc_macro2::Literal::i64_unsuffixed(when.parse().ok()?);
            quote!(#n)
        }
        TypeKind::Id => {
            let n = proc_macro2::Literal::u64_unsuffixed(when.parse().ok()?);
            quote!(#n)
        }
        TypeKind::Enum(e) => {
            let value = e.values.iter().find(|v| v.wire == when)?;
            let name = ident(&e.name);
            let variant = ident(&pascal_case(&value.name));
            quote!(#name::#variant)
        }
        // Cannot choose a result (see `conform::can_choose_result`).
        TypeKind::Number
        | TypeKind::Datetime
        | TypeKind::NaiveDatetime
        | TypeKind::Date
        | TypeKind::Json
        | TypeKind::Array(_)
        | TypeKind::Map { .. }
        | TypeKind::Named(_)
        | TypeKind::Filter(_) => return None,
    })
}

/// The enum of a parameter-chosen result: a variant per case, serialized as the case's value.
fn result_enum(spec: &Spec, choice: &ResultChoice, name: &str, rt: &TokenStream) -> TokenStream {
    let name = ident(name);
    let absent = crate::conform::result_case(spec, &serde_json::Map::new())
        .and_then(|(_, case)| case.when.clone());
    let param = &choice.param;
    let cases: Vec<_> = choice.cases.iter().chain([&choice.otherwise]).collect();
    let variants: Vec<_> = cases
        .iter()
        .map(|c| ident(&pascal_case(&c.variant)))
        .collect();
    let types = cases.iter().map(|c| rust_type(&c.ty, rt));
    let adapters = cases.iter().map(|c| adapter_or_plain(&c.ty, rt));
    let docs = cases.iter().map(|c| {
        let when = match &c.when {
            Some(w) if absent.as_deref() == Some(w.as_str()) => {
                format!("`{param}` is `{w}` or left out")
            }
            Some(w) => format!("`{param}` is `{w}`"),
            None if absent.is_some() => format!("`{param}` has any other value"),
            None => format!("`{param}` has any other value or is left out"),
        };
        let text = match &c.doc {
            Some(d) => format!("{when}: {}", lower_first(&sentence(d))),
            None => format!("{when}."),
        };
        doc_lines(&text)
    });
    let doc = doc_lines(&format!(
        "The `result` of `{}`, whose shape depends on the request's `{param}`.{}\n\n`decode_output` picks the variant from the request that was sent; serializing writes the inner value in its wire form.",
        spec.method,
        spec.result
            .doc
            .as_deref()
            .map(|d| format!(" {}", sentence(d)))
            .unwrap_or_default()
    ));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#docs #variants(#types),)*
        }

        impl #rt::__private::serde::Serialize for #name {
            fn serialize<__S: #rt::__private::serde::Serializer>(&self, s: __S) -> ::core::result::Result<__S::Ok, __S::Error> {
                match self {
                    #(Self::#variants(value) => <#adapters as #rt::wire::Encode>::serialize(value, s),)*
                }
            }
        }
    }
}

/// `The profiles` → `the profiles`, to follow a colon; `ID list` stays as it is.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain([second]).chain(chars).collect()
        }
        _ => text.to_owned(),
    }
}

/// How many sample results the contract tests decode per result shape.
pub const SAMPLES_PER_SHAPE: usize = 4;

/// Tests that the documented example decodes (into the case its parameters select), that
/// sample results in every wire spelling the spec allows decode too, and that each reads back
/// the same after serializing.
fn contract_test(spec: &Spec, items: &MethodItems<'_>, rt: &TokenStream) -> TokenStream {
    let json = quote!(#rt::__private::serde_json);
    // One (decode, encode) pair per result shape: `decode` reads `value`, `encode` writes
    // `decoded` back to JSON.
    let shape = |case: Option<&crate::model::ResultCase>| match case {
        Some(case) => {
            let name = ident(items.result());
            let variant = ident(&pascal_case(&case.variant));
            let a = adapter_or_plain(&case.ty, rt);
            (
                quote!(<#a as #rt::wire::Decode>::decode(value).map(#name::#variant)),
                quote!(#json::to_value(&decoded).expect("serializes")),
            )
        }
        None => {
            let a = adapter_or_plain(&spec.result.ty, rt);
            (
                quote!(<#a as #rt::wire::Decode>::decode(value)),
                quote!(<#a as #rt::wire::Encode>::encode(&decoded)),
            )
        }
    };

    let example = spec.example.as_ref().map(|example| {
        let text = example.response.to_string();
        let case = crate::conform::result_case(spec, &example.params).map(|(_, case)| case);
        let (decode, encode) = shape(case);
        quote! {
            /// The spec's documented response decodes into the generated result type (for
            /// the example's parameters), and what it decodes to serializes back to a value
            /// that decodes the same.
            #[test]
            fn documented_example_decodes() {
                let decode = |value: &#json::Value| #decode;
                let response: #json::Value =
                    #json::from_str(#text).expect("the example is JSON");
                let decoded = decode(&response["result"]).expect("the documented example decodes");
                let again = #encode;
                let twice = decode(&again).expect("serialized form decodes");
                assert_eq!(decoded, twice);
            }
        }
    });

    let cases: Vec<Option<&crate::model::ResultCase>> = match &spec.result.by_param {
        Some(choice) => choice
            .cases
            .iter()
            .chain(std::iter::once(&choice.otherwise))
            .map(Some)
            .collect(),
        None => vec![None],
    };
    let sample_checks = cases.into_iter().map(|case| {
        let ty = case.map_or(&spec.result.ty, |c| &c.ty);
        let seed = crate::sample::seed_for(&spec.method, case.map_or("", |c| &c.variant));
        let samples = crate::sample::results(spec, ty, SAMPLES_PER_SHAPE, seed)
            .into_iter()
            .map(|v| v.to_string());
        let (decode, encode) = shape(case);
        quote! {
            let decode = |value: &#json::Value| #decode;
            for text in [#(#samples),*] {
                let value: #json::Value = #json::from_str(text).expect("a sample is JSON");
                let decoded = decode(&value).unwrap_or_else(|e| panic!("{text}: {e}"));
                let again = #encode;
                let twice = decode(&again).unwrap_or_else(|e| panic!("{again} (from {text}): {e}"));
                assert_eq!(decoded, twice, "{text}");
            }
        }
    });

    quote! {
        #[cfg(test)]
        mod contract {
            #[allow(unused_imports)]
            use super::*;

            #example

            /// Results in the spellings the spec allows (ids as numbers or strings, each
            /// "no value" marker, `[]` for an empty map, optional fields left out, keys the
            /// spec does not list, …), made from the spec's types when this code was
            /// generated, decode and read back the same after serializing.
            #[test]
            fn sample_results_decode() {
                #({ #sample_checks })*
            }
        }
    }
}
