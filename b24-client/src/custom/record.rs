//! Reading and writing record types that keep custom fields: the declared fields go through
//! the code serde derives for them, the keys matching the type's patterns into its
//! [`CustomFields`]. Generated code implements [`CustomRecord`] and calls
//! [`deserialize_record`] and [`serialize_record`]; nothing else needs them.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, StrDeserializer};
use serde::de::{DeserializeSeed, MapAccess, Visitor};
use serde::ser::Error as _;
use serde::{Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::CustomFields;

/// A record type with custom fields (implemented by generated types).
pub trait CustomRecord: Sized {
    /// The type's name, for "expected" messages.
    const NAME: &'static str;
    /// The patterns of the keys kept as custom fields: `UF_CRM_*` (a prefix) or an exact name.
    const PATTERNS: &'static [&'static str];
    /// Declared fields whose names match a pattern: they stay declared fields.
    const DECLARED: &'static [&'static str];

    /// Reads the declared fields (as serde derives it); custom fields are left empty.
    fn deserialize_declared<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;

    /// Writes the declared fields (as serde derives it), without the custom ones.
    fn serialize_declared<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error>;

    /// The record's custom fields.
    fn custom_fields(&self) -> &CustomFields;

    /// The record's custom fields, to fill in.
    fn custom_fields_mut(&mut self) -> &mut CustomFields;
}

/// Whether `key` matches `pattern`: a prefix followed by `*` (`UF_CRM_*` matches `UF_CRM_17`
/// but not `UF_CRM_` itself), or an exact name.
pub fn matches_pattern(pattern: &str, key: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => key.len() > prefix.len() && key.starts_with(prefix),
        None => key == pattern,
    }
}

/// Reads a `T` from an object: its declared fields, and every other key matching one of its
/// patterns, in order, into its custom fields. Keys matching none are ignored as serde
/// ignores them. Errors keep their path (`result.OPPORTUNITY`): the declared fields read from
/// the same map, one key at a time.
pub fn deserialize_record<'de, T: CustomRecord, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    d.deserialize_map(RecordVisitor::<T>(PhantomData))
}

/// Writes `value`: its declared fields, then its custom fields in order (a custom field named
/// like a declared one is not written twice).
pub fn serialize_record<T: CustomRecord, S: Serializer>(
    value: &T,
    s: S,
) -> Result<S::Ok, S::Error> {
    let declared = value
        .serialize_declared(serde_json::value::Serializer)
        .map_err(S::Error::custom)?;
    let Value::Object(mut map) = declared else {
        return Err(S::Error::custom(format!(
            "`{}` did not serialize as an object",
            T::NAME
        )));
    };
    for (name, v) in value.custom_fields() {
        if !map.contains_key(name) {
            map.insert(name.clone(), v.clone());
        }
    }
    map.serialize(s)
}

struct RecordVisitor<T>(PhantomData<T>);

impl<'de, T: CustomRecord> Visitor<'de> for RecordVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a `{}` object", T::NAME)
    }

    fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<T, M::Error> {
        let mut custom = CustomFields::new();
        let mut value = T::deserialize_declared(MapAccessDeserializer::new(Split::<T, M> {
            inner: map,
            custom: &mut custom,
            record: PhantomData,
        }))?;
        *value.custom_fields_mut() = custom;
        Ok(value)
    }
}

/// The record's map as its declared fields see it: custom keys are taken out on the way.
struct Split<'c, T, M> {
    inner: M,
    custom: &'c mut CustomFields,
    record: PhantomData<T>,
}

impl<'de, T: CustomRecord, M: MapAccess<'de>> MapAccess<'de> for Split<'_, T, M> {
    type Error = M::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, M::Error> {
        loop {
            let Some(key) = self.inner.next_key_seed(KeyText)? else {
                return Ok(None);
            };
            let custom = T::PATTERNS.iter().any(|p| matches_pattern(p, &key))
                && !T::DECLARED.contains(&key.as_ref());
            if custom {
                let value: Value = self.inner.next_value()?;
                self.custom.set_raw(key.into_owned(), value);
                continue;
            }
            return match key {
                Cow::Borrowed(key) => seed.deserialize(BorrowedStrDeserializer::new(key)),
                Cow::Owned(key) => seed.deserialize(StrDeserializer::<M::Error>::new(&key)),
            }
            .map(Some);
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, M::Error> {
        self.inner.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// An object key as text, borrowed from the input when it can be.
struct KeyText;

impl<'de> DeserializeSeed<'de> for KeyText {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyText {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }
    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    /// What the generator writes for a record with `custom_fields: ["UF_CRM_*", "PARENT_ID_*"]`
    /// and a declared `UF_CRM_STAGE`.
    #[derive(Debug, Clone, PartialEq)]
    struct Deal {
        id: u64,
        stage: Option<String>,
        custom: CustomFields,
    }

    const _: () = {
        #[derive(Deserialize, Serialize)]
        #[serde(remote = "Deal")]
        struct Wire {
            #[serde(
                rename = "ID",
                deserialize_with = "<crate::wire::Id as crate::wire::Decode>::decode"
            )]
            id: u64,
            #[serde(
                rename = "UF_CRM_STAGE",
                default,
                skip_serializing_if = "Option::is_none"
            )]
            stage: Option<String>,
            #[serde(skip)]
            custom: CustomFields,
        }
        impl CustomRecord for Deal {
            const NAME: &'static str = "Deal";
            const PATTERNS: &'static [&'static str] = &["UF_CRM_*", "PARENT_ID_*"];
            const DECLARED: &'static [&'static str] = &["UF_CRM_STAGE"];
            fn deserialize_declared<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Wire::deserialize(d)
            }
            fn serialize_declared<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                Wire::serialize(self, s)
            }
            fn custom_fields(&self) -> &CustomFields {
                &self.custom
            }
            fn custom_fields_mut(&mut self) -> &mut CustomFields {
                &mut self.custom
            }
        }
        impl<'de> Deserialize<'de> for Deal {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                deserialize_record(d)
            }
        }
        impl Serialize for Deal {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                serialize_record(self, s)
            }
        }
    };

    const ANSWER: &str = r#"{
        "ID": "410",
        "UF_CRM_1721244482250": "Hello world!",
        "TITLE": "not declared, no pattern",
        "UF_CRM_STAGE": "declared",
        "PARENT_ID_1220": "22",
        "UF_CRM_": "the bare prefix is no custom field",
        "UF_CRM_17": "100|EUR"
    }"#;

    #[test]
    fn matching_keys_are_kept_in_order_and_written_back() {
        let deal: Deal = serde_json::from_str(ANSWER).unwrap();
        assert_eq!((deal.id, deal.stage.as_deref()), (410, Some("declared")));
        let names: Vec<&str> = deal.custom.iter().map(|(k, _)| k).collect();
        assert_eq!(
            names,
            ["UF_CRM_1721244482250", "PARENT_ID_1220", "UF_CRM_17"]
        );
        let written = serde_json::to_value(&deal).unwrap();
        assert_eq!(
            written,
            json!({
                "ID": 410,
                "UF_CRM_STAGE": "declared",
                "UF_CRM_1721244482250": "Hello world!",
                "PARENT_ID_1220": "22",
                "UF_CRM_17": "100|EUR"
            })
        );
        let again: Deal = serde_json::from_value(written).unwrap();
        assert_eq!(again, deal);
        // Reading from a `Value` (owned keys) gives the same.
        let from_value: Deal =
            serde_json::from_value(serde_json::from_str::<Value>(ANSWER).unwrap()).unwrap();
        assert_eq!(from_value, deal);
    }

    #[test]
    fn errors_of_declared_fields_keep_their_path() {
        let json = r#"{"UF_CRM_1": 1, "ID": "x"}"#;
        let mut d = serde_json::Deserializer::from_str(json);
        let e = serde_path_to_error::deserialize::<_, Deal>(&mut d).unwrap_err();
        assert_eq!(e.path().to_string(), "ID");
        let e = serde_json::from_str::<Deal>(r#"{"UF_CRM_1": 1}"#).unwrap_err();
        assert!(e.to_string().contains("missing field `ID`"), "{e}");
        let e = serde_json::from_str::<Deal>("[1]").unwrap_err();
        assert!(e.to_string().contains("a `Deal` object"), "{e}");
    }

    #[test]
    fn a_custom_field_named_like_a_declared_one_is_not_written_twice() {
        let mut deal: Deal = serde_json::from_str(r#"{"ID": 1}"#).unwrap();
        deal.custom.set_raw("ID", json!(99));
        assert_eq!(serde_json::to_value(&deal).unwrap(), json!({"ID": 1}));
    }

    #[test]
    fn patterns() {
        assert!(matches_pattern("UF_*", "UF_CRM_1"));
        assert!(!matches_pattern("UF_*", "UF_"));
        assert!(!matches_pattern("UF_*", "uf_crm"));
        assert!(matches_pattern("ufCrm*", "ufCrm5_17"));
        assert!(matches_pattern("UF_CRM_17", "UF_CRM_17"));
        assert!(!matches_pattern("UF_CRM_17", "UF_CRM_170"));
    }
}
