//! Custom fields: the keys every portal adds to its records (`UF_CRM_…` on deals, `ufCrm…_…`
//! on `crm.item`, `PARENT_ID_…` links to smart processes).
//!
//! A record type whose spec declares `custom_fields:` patterns keeps every key of the answer
//! that matches one of them (and is not a declared field) in its `custom` field, a
//! [`CustomFields`]: the keys in the order the portal sent them, each value exactly as sent.
//! Serializing the record writes them back, so a record read from the portal and written out
//! again has its custom fields unchanged.
//!
//! Values are read with a typed key, a [`CustomField<T>`]: the field's wire name and the Rust
//! type its values are read as ([`CustomValue`] says how, in every spelling the portal uses).
//! A spec file of your own can list your portal's fields with their types and names; the
//! macro turns it into a struct with one typed key per field (see `docs/spec-format.md`,
//! "Custom fields").
//!
//! ```
//! use b24_client::{CustomField, CustomFields, Money};
//!
//! const GREETING: CustomField<String> = CustomField::new("UF_CRM_1721244482250");
//! const BUDGET: CustomField<Money> = CustomField::new("UF_CRM_17");
//!
//! let mut custom = CustomFields::new();
//! custom.set_raw("UF_CRM_1721244482250", "Hello world!".into());
//! custom.set_raw("UF_CRM_17", "100.50|EUR".into());
//! custom.set_raw("UF_CRM_18", false.into()); // the portal's "no value"
//!
//! assert_eq!(custom.get(GREETING)?.as_deref(), Some("Hello world!"));
//! let budget = custom.get(BUDGET)?.unwrap();
//! assert_eq!((budget.amount.to_string().as_str(), budget.currency.as_str()), ("100.50", "EUR"));
//! assert_eq!(custom.get_as::<String>("UF_CRM_18")?, None);
//! # Ok::<(), b24_client::CustomFieldError>(())
//! ```

mod record;
mod value;

use std::fmt;
use std::marker::PhantomData;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

pub use record::{CustomRecord, deserialize_record, matches_pattern, serialize_record};
pub use value::{CrmLink, CustomFile, CustomValue, Money};

/// The custom fields of one record: wire name → value exactly as the portal sent it, in the
/// order it sent them.
///
/// Read a value with a typed key ([`get`](Self::get)), by name and type
/// ([`get_as`](Self::get_as)) or raw ([`raw`](Self::raw)); write one typed
/// ([`set`](Self::set)) or raw ([`set_raw`](Self::set_raw)). `Debug` hides the links of file
/// fields, which can carry the portal's access tokens.
#[derive(Clone, Default, PartialEq)]
pub struct CustomFields(Map<String, Value>);

impl CustomFields {
    /// No custom fields.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many fields there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether the field `name` is there (with any value, "no value" markers included).
    pub fn contains(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// The value of `name` exactly as sent.
    pub fn raw(&self, name: &str) -> Option<&Value> {
        self.0.get(name)
    }

    /// The value of the field `key` names, read as `T`. `Ok(None)` when the record does not
    /// have the field or it holds the portal's "no value" (`null`, `false`, `""` or `[]`;
    /// for a `bool`, `false` is a value); an error, naming the field, when the value is not
    /// a `T` in any spelling [`CustomValue`] reads.
    pub fn get<T: CustomValue>(&self, key: CustomField<T>) -> Result<Option<T>, CustomFieldError> {
        self.get_as(key.name())
    }

    /// [`get`](Self::get) for a field named at run time: `custom.get_as::<f64>("UF_CRM_17")`.
    pub fn get_as<T: CustomValue>(&self, name: &str) -> Result<Option<T>, CustomFieldError> {
        match self.0.get(name) {
            None => Ok(None),
            Some(value) if T::is_none(value) => Ok(None),
            Some(value) => T::from_custom(value)
                .map(Some)
                .map_err(|message| CustomFieldError {
                    name: name.to_owned(),
                    message,
                }),
        }
    }

    /// Sets the field `key` names to `value`, written as `T` writes it (see [`CustomValue`]).
    /// A field already there keeps its place; a new one goes last.
    pub fn set<T: CustomValue>(&mut self, key: CustomField<T>, value: impl Into<T>) {
        self.0
            .insert(key.name().to_owned(), value.into().to_custom());
    }

    /// [`set`](Self::set)s the field to `Some` value, or takes it out for `None` (as
    /// generated custom field sets write their fields).
    pub fn set_or_remove<T: CustomValue>(&mut self, key: CustomField<T>, value: Option<T>) {
        match value {
            Some(value) => self.set(key, value),
            None => {
                self.remove(key.name());
            }
        }
    }

    /// Sets `name` to `value` as it is.
    pub fn set_raw(&mut self, name: impl Into<String>, value: Value) {
        self.0.insert(name.into(), value);
    }

    /// Sets the field `key` names to `""`, which the portal reads as "no value": sent in an
    /// update, it empties the field.
    pub fn clear<T>(&mut self, key: CustomField<T>) {
        self.0
            .insert(key.name().to_owned(), Value::String(String::new()));
    }

    /// Takes the field `name` out, keeping the order of the others; an update without it
    /// leaves the portal's value alone.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        self.0.shift_remove(name)
    }

    /// The fields in order: wire name and value as sent.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The fields as a JSON object, in order.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.0
    }

    /// Every field whose value is none of the "no value" markers, in order.
    pub fn filled(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.iter().filter(|(_, v)| !value::is_none_marker(v))
    }
}

impl From<Map<String, Value>> for CustomFields {
    fn from(map: Map<String, Value>) -> Self {
        Self(map)
    }
}

impl From<CustomFields> for Map<String, Value> {
    fn from(fields: CustomFields) -> Self {
        fields.0
    }
}

impl FromIterator<(String, Value)> for CustomFields {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

impl<'a> IntoIterator for &'a CustomFields {
    type Item = (&'a String, &'a Value);
    type IntoIter = serde_json::map::Iter<'a>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl fmt::Debug for CustomFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(k, v)| (k, Shown(v))))
            .finish()
    }
}

/// A custom value in `Debug` output: JSON, with the links of file fields hidden.
struct Shown<'a>(&'a Value);

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", value::without_links(self.0))
    }
}

impl Serialize for CustomFields {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for CustomFields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Map::deserialize(d).map(Self)
    }
}

/// A typed key of a custom field: its wire name and the Rust type its values are read as.
///
/// ```
/// use b24_client::CustomField;
///
/// const RATING: CustomField<i64> = CustomField::new("UF_CRM_RATING");
/// assert_eq!(RATING.name(), "UF_CRM_RATING");
/// ```
///
/// The sets of custom fields generated from your own spec files have one such key per field
/// (`MyDealFields::BUDGET`). A key also goes where a name does: in a filter
/// (`.custom(MyDealFields::BUDGET, Cmp::gt(…))`) and in a `select` (`DealField::from(key)`).
pub struct CustomField<T> {
    name: &'static str,
    value: PhantomData<fn() -> T>,
}

impl<T> CustomField<T> {
    /// The key of the field called `name` on the wire (`UF_CRM_17`, `ufCrm5_17`).
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            value: PhantomData,
        }
    }

    /// The field's wire name.
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<T> Clone for CustomField<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for CustomField<T> {}

impl<T> PartialEq for CustomField<T> {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl<T> Eq for CustomField<T> {}

impl<T> std::hash::Hash for CustomField<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl<T> fmt::Debug for CustomField<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CustomField<{}>({:?})",
            std::any::type_name::<T>(),
            self.name
        )
    }
}

/// A custom field's value is not of the type it was read as.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("custom field `{name}`: {message}")]
pub struct CustomFieldError {
    /// The field's wire name.
    pub name: String,
    /// What was expected and what was found.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(v: Value) -> CustomFields {
        match v {
            Value::Object(map) => map.into(),
            other => panic!("{other}"),
        }
    }

    #[test]
    fn values_are_read_typed_or_raw_and_markers_are_none() {
        let custom = fields(json!({
            "UF_CRM_1": "Hello",
            "UF_CRM_2": "",
            "UF_CRM_3": false,
            "UF_CRM_4": null,
            "UF_CRM_5": [],
            "UF_CRM_6": "12",
            "UF_CRM_7": false,
        }));
        assert_eq!(
            custom.get_as::<String>("UF_CRM_1").unwrap().unwrap(),
            "Hello"
        );
        for empty in ["UF_CRM_2", "UF_CRM_3", "UF_CRM_4", "UF_CRM_5", "UF_NONE"] {
            assert_eq!(custom.get_as::<String>(empty).unwrap(), None, "{empty}");
        }
        assert_eq!(custom.get_as::<i64>("UF_CRM_6").unwrap(), Some(12));
        // A boolean's `false` is a value.
        assert_eq!(custom.get_as::<bool>("UF_CRM_7").unwrap(), Some(false));
        assert_eq!(custom.raw("UF_CRM_3"), Some(&json!(false)));
        let e = custom.get_as::<i64>("UF_CRM_1").unwrap_err();
        assert_eq!(e.name, "UF_CRM_1");
        assert_eq!(
            e.to_string(),
            "custom field `UF_CRM_1`: expected a whole number, found \"Hello\""
        );
    }

    #[test]
    fn writes_keep_the_order_and_typed_keys_write_the_wire_form() {
        const RATING: CustomField<i64> = CustomField::new("UF_CRM_2");
        const SEEN: CustomField<bool> = CustomField::new("UF_CRM_NEW");
        let mut custom = fields(json!({"UF_CRM_1": "a", "UF_CRM_2": "5", "UF_CRM_3": "c"}));
        custom.set(RATING, 7);
        custom.set(SEEN, true);
        custom.clear(CustomField::<String>::new("UF_CRM_1"));
        assert_eq!(custom.remove("UF_CRM_3"), Some(json!("c")));
        let names: Vec<&str> = custom.iter().map(|(k, _)| k).collect();
        assert_eq!(names, ["UF_CRM_1", "UF_CRM_2", "UF_CRM_NEW"]);
        assert_eq!(
            Value::Object(custom.clone().into()),
            json!({"UF_CRM_1": "", "UF_CRM_2": 7, "UF_CRM_NEW": 1})
        );
        assert_eq!(custom.get(RATING).unwrap(), Some(7));
        assert_eq!(custom.filled().count(), 2);
        assert_eq!(custom.len(), 3);
        assert!(custom.contains("UF_CRM_1") && !custom.is_empty());
    }

    #[test]
    fn debug_hides_the_links_of_files() {
        let custom = fields(json!({
            "UF_CRM_FILE": {"id": 5, "urlMachine": "https://x.bitrix24.com/rest/1/secretcode/download", "showUrl": "/show?auth=secret"},
            "UF_CRM_TEXT": "visible",
        }));
        let shown = format!("{custom:?}");
        assert!(!shown.contains("secret"), "{shown}");
        assert!(
            shown.contains("visible") && shown.contains("\"id\":5"),
            "{shown}"
        );
    }

    #[test]
    fn keys_are_copy_and_compare_by_name() {
        const A: CustomField<String> = CustomField::new("UF_A");
        let b = A;
        assert_eq!(A, b);
        assert_eq!(A.name(), "UF_A");
        assert!(format!("{A:?}").contains("UF_A"));
    }
}
