//! Custom field sets: a struct with one typed value per custom field of a user's portal, its
//! typed keys, and `read`/`write` over a record's `CustomFields`.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_lines, sentence};
use super::types::{base_type, compact};
use crate::model::{CustomFieldDef, CustomFieldSet, CustomFieldType};
use crate::names::ident;

/// The Rust type of one value of a custom field (a list of them for a multiple field).
fn value_type(f: &CustomFieldDef, rt: &TokenStream) -> TokenStream {
    let one = match &f.ty {
        // Single values (the checks allow no others): the spec type's own Rust type, read
        // in the custom fields' spellings by its `CustomValue`.
        CustomFieldType::Spec(ty) => base_type(ty, rt),
        CustomFieldType::Money => quote!(#rt::Money),
        CustomFieldType::CrmLink => quote!(#rt::CrmLink),
        CustomFieldType::File => quote!(#rt::CustomFile),
    };
    if f.multiple {
        quote!(::std::vec::Vec<#one>)
    } else {
        one
    }
}

/// The name of a field's typed key: its Rust name in upper case (`budget` → `BUDGET`).
pub(crate) fn key_name(f: &CustomFieldDef) -> String {
    f.rust.to_ascii_uppercase()
}

pub(super) fn set_def(set: &CustomFieldSet, rt: &TokenStream) -> TokenStream {
    let name = ident(&set.name);
    let rt_text = compact(rt);
    let mut doc = match &set.doc {
        Some(d) => format!("{}\n\n", sentence(d)),
        None => String::new(),
    };
    doc.push_str(&format!(
        "Custom fields of a portal, from `{}`: [`read`](Self::read) takes them from a record's [`CustomFields`]({rt_text}::CustomFields), [`write`](Self::write) puts them back, and each field has a typed key, a constant named like it in upper case, for [`CustomFields::get`]({rt_text}::CustomFields::get), filters and selects.",
        set.file
    ));
    let doc = doc_lines(&doc);
    let fields = set.fields.iter().map(|f| {
        let fname = ident(&f.rust);
        let ty = value_type(f, rt);
        let what = f
            .doc
            .as_deref()
            .map(|d| format!(" {}", sentence(d)))
            .unwrap_or_default();
        let doc = doc_lines(&format!(
            "`{}`{}.{what} `None` when the record does not have it or it is empty.",
            f.wire,
            if f.multiple { ", a list" } else { "" }
        ));
        quote!(#doc pub #fname: ::core::option::Option<#ty>,)
    });
    let keys = set.fields.iter().map(|f| {
        let key = ident(&key_name(f));
        let ty = value_type(f, rt);
        let wire = &f.wire;
        let doc = doc_lines(&format!("The typed key of `{wire}`."));
        quote! {
            #doc
            pub const #key: #rt::CustomField<#ty> = #rt::CustomField::new(#wire);
        }
    });
    let reads = set.fields.iter().map(|f| {
        let fname = ident(&f.rust);
        let key = ident(&key_name(f));
        quote!(#fname: custom.get(Self::#key)?,)
    });
    let writes = set.fields.iter().map(|f| {
        let fname = ident(&f.rust);
        let key = ident(&key_name(f));
        quote!(custom.set_or_remove(Self::#key, ::core::clone::Clone::clone(&self.#fname));)
    });
    let write_doc = doc_lines(&format!(
        "Writes every field of the set into `custom`: a `Some` value is set, a `None` one taken out, so an update leaves the portal's value alone (to empty a field, [`clear`]({rt_text}::CustomFields::clear) it)."
    ));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #(#keys)*

            /// Reads every field of the set from a record's custom fields; a field the record
            /// does not have, or holds empty, is `None`.
            ///
            /// # Errors
            ///
            /// A value that is not of its field's type, naming the field.
            pub fn read(custom: &#rt::CustomFields) -> ::core::result::Result<Self, #rt::CustomFieldError> {
                ::core::result::Result::Ok(Self {
                    #(#reads)*
                })
            }

            #write_doc
            pub fn write(&self, custom: &mut #rt::CustomFields) {
                #(#writes)*
            }
        }
    }
}
