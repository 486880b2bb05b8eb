//! `generate!`: typed Bitrix24 methods from YAML specs, at compile time.
//!
//! A thin shim: arguments are parsed here, everything else (loading, checking, generating)
//! happens in `b24-spec`, which the CLI shares. Problems never panic; each becomes a
//! `compile_error!` naming the spec file, line, column and key path.

use proc_macro::TokenStream;
use proc_macro2::Span;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, LitStr, Token};

use b24_spec::codegen::{ClientMethods, Options};

/// See `b24_client::generate!`.
#[proc_macro]
pub fn generate(input: TokenStream) -> TokenStream {
    match run(input.into()) {
        Ok(tokens) | Err(tokens) => tokens.into(),
    }
}

fn run(
    input: proc_macro2::TokenStream,
) -> Result<proc_macro2::TokenStream, proc_macro2::TokenStream> {
    let args: Args = syn::parse2(input).map_err(|e| e.to_compile_error())?;
    let (root, rel) = resolve(&args)?;
    let root = root.to_string_lossy().into_owned();
    let set = b24_spec::load_path(std::path::Path::new(&root), &rel).map_err(|diags| {
        let errors = diags.iter().map(|d| {
            let message = d.to_string();
            quote!(::core::compile_error!(#message);)
        });
        // Even when specs are broken, touch every file so fixing one triggers a rebuild.
        let tracked = tracked_files(&root, &rel);
        quote!(#(#errors)* #tracked)
    })?;
    let options = Options {
        runtime: quote!(::b24_client),
        client_methods: args.client_methods,
        embed_sources: true,
        scope_features: args.scope_features,
    };
    Ok(b24_spec::codegen::generate(&set, &options))
}

/// The crate root and the spec path relative to it.
///
/// `specs` is relative to `CARGO_MANIFEST_DIR`; with `relative_to = file` it is relative to the
/// invoking source file, like `include_str!` (used by tests whose crate is generated elsewhere,
/// such as trybuild's), and the crate root is the closest directory with a `Cargo.toml`.
fn resolve(args: &Args) -> Result<(std::path::PathBuf, String), proc_macro2::TokenStream> {
    let error = |message: &str| syn::Error::new(args.specs.span(), message).to_compile_error();
    if !args.relative_to_file {
        let root = std::env::var_os("CARGO_MANIFEST_DIR")
            .ok_or_else(|| error("CARGO_MANIFEST_DIR is not set; build with cargo"))?;
        return Ok((root.into(), args.specs.value()));
    }
    let source = proc_macro::Span::call_site().local_file().ok_or_else(|| {
        error("`relative_to = file` needs a macro call from a source file on disk")
    })?;
    let source = std::fs::canonicalize(&source).unwrap_or(source);
    let target = source.parent().unwrap_or(&source).join(args.specs.value());
    let root = target
        .ancestors()
        .skip(1)
        .find(|dir| dir.join("Cargo.toml").is_file())
        .ok_or_else(|| error("no Cargo.toml above the spec path"))?
        .to_owned();
    let rel = target
        .strip_prefix(&root)
        .map_err(|_| error("spec path is outside its crate"))?
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    Ok((root, rel))
}

/// `include_bytes!` of every YAML file under the spec path, so Cargo rebuilds when one changes.
fn tracked_files(root: &str, rel: &str) -> proc_macro2::TokenStream {
    let files = b24_spec::spec_files(std::path::Path::new(root), rel);
    let files = files.iter().map(|f| f.to_string_lossy().into_owned());
    quote!(#(const _: &[u8] = include_bytes!(#files);)*)
}

struct Args {
    specs: LitStr,
    client_methods: ClientMethods,
    relative_to_file: bool,
    scope_features: bool,
}

impl Parse for Args {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut specs = None;
        let mut client_methods = ClientMethods::Trait("SpecMethods".into());
        let mut relative_to_file = false;
        let mut scope_features = false;
        let pairs = Punctuated::<Arg, Token![,]>::parse_terminated(input)?;
        for arg in pairs {
            match arg.key.to_string().as_str() {
                "specs" => specs = Some(lit_str(&arg)?),
                "client_trait" => {
                    client_methods = ClientMethods::Trait(ident_value(&arg)?.to_string())
                }
                // Only `b24-client` itself can add inherent methods to `Client`.
                "client_methods" if ident_value(&arg)? == "inherent" => {
                    client_methods = ClientMethods::Inherent;
                }
                "scope_features" => match &arg.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Bool(b),
                        ..
                    }) => scope_features = b.value,
                    other => {
                        return Err(syn::Error::new_spanned(
                            other,
                            "`scope_features` is `true` or `false`",
                        ));
                    }
                },
                "relative_to" => match ident_value(&arg)?.to_string().as_str() {
                    "file" => relative_to_file = true,
                    "manifest" => relative_to_file = false,
                    _ => {
                        return Err(syn::Error::new_spanned(
                            &arg.value,
                            "`relative_to` is `manifest` (the default) or `file`",
                        ));
                    }
                },
                other => {
                    return Err(syn::Error::new(
                        arg.key.span(),
                        format!(
                            "unknown argument `{other}`; expected `specs = \"DIR\"`, `client_trait = Name` or `relative_to = file`"
                        ),
                    ));
                }
            }
        }
        let specs = specs.ok_or_else(|| {
            syn::Error::new(
                Span::call_site(),
                "missing `specs = \"DIR\"`: the spec directory relative to Cargo.toml",
            )
        })?;
        Ok(Self {
            specs,
            client_methods,
            relative_to_file,
            scope_features,
        })
    }
}

struct Arg {
    key: Ident,
    value: syn::Expr,
}

impl Parse for Arg {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key = input.parse()?;
        input.parse::<Token![=]>()?;
        Ok(Self {
            key,
            value: input.parse()?,
        })
    }
}

fn lit_str(arg: &Arg) -> syn::Result<LitStr> {
    match &arg.value {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Ok(s.clone()),
        other => Err(syn::Error::new_spanned(
            other,
            format!("`{}` takes a string literal", arg.key),
        )),
    }
}

fn ident_value(arg: &Arg) -> syn::Result<Ident> {
    match &arg.value {
        syn::Expr::Path(p) if p.path.get_ident().is_some() => Ok(p
            .path
            .get_ident()
            .cloned()
            .unwrap_or_else(|| arg.key.clone())),
        other => Err(syn::Error::new_spanned(
            other,
            format!("`{}` takes a name", arg.key),
        )),
    }
}
