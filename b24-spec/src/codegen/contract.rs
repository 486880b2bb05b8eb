//! Contract tests generated into each method's module.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::adapter_or_plain;
use crate::items::MethodItems;
use crate::model::Spec;
use crate::names::{ident, pascal_case};

/// How many sample results the contract tests decode per result shape.
pub const SAMPLES_PER_SHAPE: usize = 4;

/// Tests that the documented example decodes (into the case its parameters select), that
/// sample results in every wire spelling the spec allows decode too, and that each reads back
/// the same after serializing.
pub(super) fn contract_test(spec: &Spec, items: &MethodItems<'_>, rt: &TokenStream) -> TokenStream {
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
