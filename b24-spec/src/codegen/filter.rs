//! Filter builders (`type: filter`) and the comparison types of those that accept only some
//! operators.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_lines, sentence};
use super::types::{adapter, base_type, compact, encode_value, rust_type};
use crate::model::{FilterDef, FilterField, FilterOp, TypeKind, TypeRef};
use crate::names::ident;

/// Variant, constructor and what it means, per comparison (as in the runtime's `Cmp`).
fn comparison(op: FilterOp) -> (&'static str, &'static str, &'static str) {
    match op {
        FilterOp::Eq => ("Eq", "eq", "Equal to `value`: the bare field name."),
        FilterOp::NotEq | FilterOp::Not => ("Ne", "ne", "Not equal to `value`: `!=`."),
        FilterOp::Gt => ("Gt", "gt", "Greater than `value`: `>`."),
        FilterOp::Ge => ("Ge", "ge", "Greater than or equal to `value`: `>=`."),
        FilterOp::Lt => ("Lt", "lt", "Less than `value`: `<`."),
        FilterOp::Le => ("Le", "le", "Less than or equal to `value`: `<=`."),
        FilterOp::In => ("In", "one_of", "Equal to one of `values`: `@`."),
        FilterOp::NotIn => ("NotIn", "none_of", "Equal to none of `values`: `!@`."),
        FilterOp::Like => ("Like", "like", "Contains the text `value`: `%`."),
        FilterOp::NotLike => (
            "NotLike",
            "not_like",
            "Does not contain the text `value`: `!%`.",
        ),
        FilterOp::Pattern | FilterOp::PatternAlt => (
            "Pattern",
            "pattern",
            "Matches `value`, in which `%` stands for any text: `=%`.",
        ),
        FilterOp::NotPattern | FilterOp::NotPatternAlt => (
            "NotPattern",
            "not_pattern",
            "Does not match `value` (with `%` wildcards): `!=%`.",
        ),
    }
}

/// `{Filter}Cmp<T>` (named `name`): the runtime's `Cmp` narrowed to the comparisons the filter
/// accepts, so an operator the method does not take does not compile.
pub(super) fn cmp_def(def: &FilterDef, name: &str, rt: &TokenStream) -> TokenStream {
    let ident_name = ident(name);
    let ops = def.comparisons();
    let prefixes: Vec<String> = ops
        .iter()
        .filter(|o| **o != FilterOp::Eq)
        .map(|o| format!("`{}`", o.prefix()))
        .collect();
    let doc = doc_lines(&format!(
        "A condition of [`{}`]: equality or {}, the comparisons the method accepts. It converts into [`Cmp`]({rt}::Cmp).",
        def.name,
        prefixes.join(", "),
        rt = compact(rt)
    ));
    let variants = ops.iter().map(|op| {
        let (variant, _, what) = comparison(*op);
        let variant = ident(variant);
        let doc = doc_lines(what);
        if op.takes_list() {
            quote!(#doc #variant(::std::vec::Vec<T>),)
        } else {
            quote!(#doc #variant(T),)
        }
    });
    let constructors = ops.iter().map(|op| {
        let (variant, function, what) = comparison(*op);
        let variant = ident(variant);
        let function = ident(function);
        let doc = doc_lines(what);
        if op.takes_list() {
            quote! {
                #doc
                pub fn #function(values: impl ::core::iter::IntoIterator<Item = T>) -> Self {
                    Self::#variant(values.into_iter().collect())
                }
            }
        } else {
            quote! {
                #doc
                pub fn #function(value: T) -> Self {
                    Self::#variant(value)
                }
            }
        }
    });
    let arms = ops.iter().map(|op| {
        let variant = ident(comparison(*op).0);
        quote!(#ident_name::#variant(v) => #rt::Cmp::#variant(v),)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #ident_name<T> {
            #(#variants)*
        }

        impl<T> #ident_name<T> {
            #(#constructors)*
        }

        impl<T> ::core::convert::From<#ident_name<T>> for #rt::Cmp<T> {
            fn from(condition: #ident_name<T>) -> Self {
                match condition {
                    #(#arms)*
                }
            }
        }
    }
}

/// The builder of the filter `def`, the `param` of `method`; `restricted` names its own
/// comparisons type (see [`cmp_def`]), if it has one.
pub(super) fn filter_def(
    def: &FilterDef,
    param: &str,
    method: &str,
    restricted: Option<&str>,
    rt: &TokenStream,
) -> TokenStream {
    let name = ident(&def.name);
    let exact = def.operators.is_empty();
    let operators: Vec<String> = def
        .operators
        .iter()
        .map(|o| format!("`{}`", o.prefix()))
        .collect();
    let groups_doc = if def.logic {
        "\n\nConditions are combined with `AND`; [`any_of`](Self::any_of) adds a group whose conditions are combined with `OR`, and [`all_of`](Self::all_of) one combined with `AND`, nested as deep as needed."
    } else {
        ""
    };
    let doc = doc_lines(&if exact {
        format!(
            "The `{param}` filter of `{method}`: each field takes a plain value; the method accepts no operator prefixes.\n\nBuild it with [`{}::new`] and one method per field.{groups_doc}",
            def.name
        )
    } else {
        format!(
            "The `{param}` filter of `{method}`: each condition keeps only the records that meet it.\n\nBuild it with [`{}::new`] and one method per field, each taking a {cmp} of the field's type; call a method again to add another condition on the same field (`>=` and `<=` for a range). Two conditions with the same operator on one field are one key on the wire: the later one wins.{groups_doc}\n\nOperators the method accepts: {}.",
            def.name,
            operators.join(" "),
            cmp = match restricted {
                Some(n) => format!("[`{n}`]"),
                None => format!("[`Cmp`]({}::Cmp)", compact(rt)),
            }
        )
    });
    let fields = def.fields.iter().map(|f| {
        let fname = ident(&f.rust);
        let ty = rust_type(&f.ty, rt);
        let doc = doc_lines(&field_doc(f, exact));
        if exact {
            quote!(#doc pub #fname: ::core::option::Option<#ty>,)
        } else {
            quote!(#doc pub #fname: ::std::vec::Vec<#rt::Cmp<#ty>>,)
        }
    });
    let setters = def.fields.iter().map(|f| setter(f, exact, restricted, rt));
    let CustomConditions {
        field: custom_field,
        setter: custom_setter,
        insert: custom_insert,
    } = custom_conditions(def, exact, restricted, rt);
    let (groups_field, group_methods, encode_groups) = groups(def, rt);
    let inserts = def.fields.iter().map(|f| {
        let fname = ident(&f.rust);
        let wire = &f.wire;
        if exact {
            let value = encode_value(&f.ty, quote!(value), rt);
            quote! {
                if let ::core::option::Option::Some(value) = &filter.#fname {
                    out.push((#wire.to_owned(), #value));
                }
            }
        } else {
            let encode = encoder(&f.ty, rt);
            quote! {
                for condition in &filter.#fname {
                    out.push((condition.key(#wire), condition.encode(#encode)));
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct #name {
            #(#fields)*
            #custom_field
            #groups_field
        }

        impl #name {
            /// A filter without conditions; it keeps every record.
            #[must_use]
            pub fn new() -> Self {
                Self::default()
            }
            #(#setters)*
            #custom_setter
            #group_methods
        }

        impl #rt::wire::Encode for #name {
            type Out = Self;
            /// The filter object; two conditions with one key are one entry, the later.
            fn encode(filter: &Self) -> #rt::__private::serde_json::Value {
                /// Every condition as a key and value, in order, then each group under its index.
                fn members(filter: &#name) -> ::std::vec::Vec<(::std::string::String, #rt::__private::serde_json::Value)> {
                    let mut out = ::std::vec::Vec::new();
                    #(#inserts)*
                    #custom_insert
                    #encode_groups
                    out
                }
                #rt::__private::serde_json::Value::Object(members(filter).into_iter().collect())
            }
        }
    }
}

/// What a filter with `custom_fields` adds to its builder: the conditions on custom fields,
/// the method that adds one, and the code that writes them. Empty without `custom_fields`.
struct CustomConditions {
    field: TokenStream,
    setter: TokenStream,
    insert: TokenStream,
}

fn custom_conditions(
    def: &FilterDef,
    exact: bool,
    restricted: Option<&str>,
    rt: &TokenStream,
) -> CustomConditions {
    if def.custom_fields.is_empty() {
        return CustomConditions {
            field: quote!(),
            setter: quote!(),
            insert: quote!(),
        };
    }
    let json = quote!(#rt::__private::serde_json);
    let custom = ident(crate::check::CUSTOM);
    let patterns: Vec<String> = def
        .custom_fields
        .iter()
        .map(|p| format!("`{}`", p.pattern))
        .collect();
    let patterns = patterns.join(", ");
    let field_doc = doc_lines(&format!(
        "Conditions on custom fields (names matching {patterns}): each filter key with its value in wire form, in the order added."
    ));
    let setter = if exact {
        let doc = doc_lines(&format!(
            "Sets the custom field `key` names (a name matching {patterns}) in the filter; the value is written as the key's type writes it."
        ));
        quote! {
            #doc
            #[must_use]
            pub fn #custom<T: #rt::CustomValue, V: ::core::convert::Into<T>>(mut self, key: #rt::CustomField<T>, value: V) -> Self {
                let value: T = value.into();
                self.#custom.push((key.name().to_owned(), #rt::CustomValue::to_custom(&value)));
                self
            }
        }
    } else {
        let (cmp, shown, condition) = match restricted {
            Some(n) => {
                let n = ident(n);
                (quote!(#n), n.to_string(), quote!(#rt::Cmp::from(condition)))
            }
            None => (quote!(#rt::Cmp), "Cmp".to_owned(), quote!(condition)),
        };
        let doc = doc_lines(&format!(
            "Adds a condition on the custom field `key` names (a name matching {patterns}), e.g. `.{custom}(KEY, {shown}::eq(..))`; the value is written as the key's type writes it."
        ));
        quote! {
            #doc
            #[must_use]
            pub fn #custom<T: #rt::CustomValue, V: ::core::convert::Into<T>>(mut self, key: #rt::CustomField<T>, condition: #cmp<V>) -> Self {
                let condition: #rt::Cmp<T> = #condition.map(::core::convert::Into::into);
                self.#custom.push((
                    condition.key(key.name()),
                    condition.encode(<T as #rt::CustomValue>::to_custom),
                ));
                self
            }
        }
    };
    CustomConditions {
        field: quote!(#field_doc pub #custom: ::std::vec::Vec<(::std::string::String, #json::Value)>,),
        setter,
        insert: quote! {
            for (key, value) in &filter.#custom {
                out.push((key.clone(), value.clone()));
            }
        },
    }
}

/// For a filter with nested groups (`logic: true`): its `groups` field, the `any_of` and
/// `all_of` methods that add one, and the code that writes them under the next indices. Empty
/// for other filters.
fn groups(def: &FilterDef, rt: &TokenStream) -> (TokenStream, TokenStream, TokenStream) {
    if !def.logic {
        return (quote!(), quote!(), quote!());
    }
    let field = quote! {
        /// Nested groups of conditions, in the order added (see [`any_of`](Self::any_of) and
        /// [`all_of`](Self::all_of)); each is sent under the next index, `"0"`, `"1"`, ….
        pub groups: ::std::vec::Vec<#rt::Group<Self>>,
    };
    let methods = quote! {
        /// Adds a group that keeps the records meeting at least one of its conditions (`OR`):
        /// `group` adds them to an empty filter, each condition (and each group it adds) one
        /// alternative, even two on one key (`ID` 1 or `ID` 2). A group without conditions is
        /// not sent.
        #[must_use]
        pub fn any_of(mut self, group: impl ::core::ops::FnOnce(Self) -> Self) -> Self {
            self.groups.push(#rt::Group { logic: #rt::Logic::Or, filter: group(Self::new()) });
            self
        }

        /// Adds a group that keeps the records meeting all of its conditions (`AND`), e.g. one
        /// alternative of an [`any_of`](Self::any_of) made of several conditions.
        #[must_use]
        pub fn all_of(mut self, group: impl ::core::ops::FnOnce(Self) -> Self) -> Self {
            self.groups.push(#rt::Group { logic: #rt::Logic::And, filter: group(Self::new()) });
            self
        }
    };
    let encode = quote! {
        let groups = filter.groups.iter().filter_map(|group| group.encode(members));
        for (index, group) in groups.enumerate() {
            out.push((index.to_string(), group));
        }
    };
    (field, methods, encode)
}

fn field_doc(f: &FilterField, exact: bool) -> String {
    let how = if exact {
        "The value to look for; `None` leaves the field out."
    } else {
        "Its conditions, one entry each."
    };
    match &f.doc {
        Some(doc) => format!("`{}`: {} {how}", f.wire, sentence(doc)),
        None => format!("`{}`: {how}", f.wire),
    }
}

/// `<Adapter as Encode>::encode`: writes one value of the field in its wire form.
fn encoder(ty: &TypeRef, rt: &TokenStream) -> TokenStream {
    let adapter = adapter(ty, rt).unwrap_or_else(|| {
        let base = base_type(ty, rt);
        quote!(#rt::wire::Plain<#base>)
    });
    quote!(<#adapter as #rt::wire::Encode>::encode)
}

fn setter(f: &FilterField, exact: bool, restricted: Option<&str>, rt: &TokenStream) -> TokenStream {
    let fname = ident(&f.rust);
    let wire = &f.wire;
    let string = matches!(f.ty.kind, TypeKind::String);
    let what = f.doc.as_deref().map(sentence).unwrap_or_default();
    if exact {
        let doc = doc_lines(&format!("Sets `{wire}` in the filter. {what}"));
        let ty = rust_type(&f.ty, rt);
        let (arg, value) = if string {
            (
                quote!(impl ::core::convert::Into<::std::string::String>),
                quote!(value.into()),
            )
        } else {
            (ty, quote!(value))
        };
        quote! {
            #doc
            #[must_use]
            pub fn #fname(mut self, value: #arg) -> Self {
                self.#fname = ::core::option::Option::Some(#value);
                self
            }
        }
    } else {
        let (cmp, condition) = match restricted {
            Some(n) => {
                let n = ident(n);
                (quote!(#n), quote!(#rt::Cmp::from(condition)))
            }
            None => (quote!(#rt::Cmp), quote!(condition)),
        };
        let shown = restricted.unwrap_or("Cmp");
        let doc = doc_lines(&format!(
            "Adds a condition on `{wire}`, e.g. `{shown}::eq(..)`. {what}"
        ));
        let ty = rust_type(&f.ty, rt);
        if string {
            quote! {
                #doc
                #[must_use]
                pub fn #fname(mut self, condition: #cmp<impl ::core::convert::Into<::std::string::String>>) -> Self {
                    self.#fname.push(#condition.map(::core::convert::Into::into));
                    self
                }
            }
        } else {
            quote! {
                #doc
                #[must_use]
                pub fn #fname(mut self, condition: #cmp<#ty>) -> Self {
                    self.#fname.push(#condition);
                    self
                }
            }
        }
    }
}
