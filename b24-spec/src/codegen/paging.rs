//! `impl Paged` for a list method's request: its records, their ids, and how it pages.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::rust_type;
use crate::model::{Field, Spec, TypeKind, TypeRef};
use crate::names::ident;

/// `impl Paged for Request`, for a `paged` spec whose list the checks found; nothing else.
pub(super) fn paged_impl(
    spec: &Spec,
    request: &proc_macro2::Ident,
    rt: &TokenStream,
) -> TokenStream {
    let (Some(list), Some(record)) = (spec.list_type(), spec.record_type()) else {
        return quote!();
    };
    let item = rust_type(record, rt);
    let list_is_option = list.has_none();
    // The records out of the output: the output itself, or its field `items` names.
    let into_items = match &spec.paging.items {
        None if list_is_option => quote!(output.unwrap_or_default()),
        None => quote!(output),
        Some(items) => {
            let field = field_of(spec, &spec.result.ty, items);
            let take = match field {
                Some((field, optional)) => {
                    let name = ident(&field.rust);
                    if optional || list_is_option {
                        quote!(o.#name.unwrap_or_default())
                    } else {
                        quote!(o.#name)
                    }
                }
                None => quote!(::std::vec::Vec::new()),
            };
            if spec.result.ty.has_none() {
                quote!(output.map(|o| #take).unwrap_or_default())
            } else {
                quote!({
                    let o = output;
                    #take
                })
            }
        }
    };
    let json = quote!(#rt::__private::serde_json);
    let id_field = spec
        .paging
        .id
        .as_ref()
        .and_then(|id| field_of(spec, record, id));
    let item_id = id_field.map(|(field, optional)| {
        let name = ident(&field.rust);
        let body = match (&field.ty.kind, optional) {
            (TypeKind::Id, false) => quote!(::core::option::Option::Some(item.#name)),
            (TypeKind::Id, true) => quote!(item.#name),
            (_, false) => quote!(u64::try_from(item.#name).ok()),
            (_, true) => quote!(item.#name.and_then(|v| u64::try_from(v).ok())),
        };
        quote! {
            fn item_id(item: &Self::Item) -> ::core::option::Option<u64> {
                #body
            }
        }
    });

    let start = spec
        .params
        .iter()
        .find(|p| p.wire.eq_ignore_ascii_case("start"))
        .map_or("start", |p| p.wire.as_str());
    let mut paging = quote!(#rt::Paging::new().start(#start));
    if let Some(items) = &spec.paging.items {
        paging = quote!(#paging.items(#items));
    }
    if let Some(id) = &spec.paging.id {
        paging = quote!(#paging.id(#id));
        if let Some(select) = spec.record_select() {
            let select = &select.wire;
            paging = quote!(#paging.select(#select));
        }
    }
    if let Some(by_id) = &spec.paging.by_id
        && let Some(after) = spec.after_key()
    {
        let filter = &by_id.filter;
        let order = by_id.order.iter().map(|(name, value)| {
            let value = json_value(value, &json);
            quote!((#name.to_owned(), #value))
        });
        paging = quote! {
            #paging.by_id(#rt::ById::new(
                #filter,
                #after,
                #json::Map::from_iter([#(#order),*]),
            ))
        };
    }
    quote! {
        impl #rt::Paged for #request {
            type Item = #item;

            fn into_items(output: Self::Output) -> ::std::vec::Vec<Self::Item> {
                #into_items
            }

            #item_id

            fn paging() -> #rt::Paging {
                #paging
            }
        }
    }
}

/// The field `wire` of the object type `ty` names (the result, or a record), and whether
/// its Rust type is an `Option`.
fn field_of<'s>(spec: &'s Spec, ty: &TypeRef, wire: &str) -> Option<(&'s Field, bool)> {
    let TypeKind::Named(name) = &ty.kind else {
        return None;
    };
    let f = spec
        .find_type(name)?
        .fields
        .iter()
        .find(|f| f.wire == wire)?;
    Some((f, f.optional || f.ty.has_none()))
}

/// Tokens that build `value` as a `serde_json::Value` (`json` is the path of serde_json).
fn json_value(value: &serde_json::Value, json: &TokenStream) -> TokenStream {
    use serde_json::Value;
    match value {
        Value::Null => quote!(#json::Value::Null),
        Value::Bool(b) => quote!(#json::Value::Bool(#b)),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                quote!(#json::Value::from(#i))
            } else if let Some(u) = n.as_u64() {
                quote!(#json::Value::from(#u))
            } else {
                let f = n.as_f64().unwrap_or_default();
                quote!(#json::Value::from(#f))
            }
        }
        Value::String(s) => quote!(#json::Value::String(#s.to_owned())),
        Value::Array(items) => {
            let items = items.iter().map(|v| json_value(v, json));
            quote!(#json::Value::Array(::std::vec![#(#items),*]))
        }
        Value::Object(map) => {
            let entries = map.iter().map(|(k, v)| {
                let v = json_value(v, json);
                quote!((#k.to_owned(), #v))
            });
            quote!(#json::Value::Object(#json::Map::from_iter([#(#entries),*])))
        }
    }
}
