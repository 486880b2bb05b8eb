//! Fixture data: named collections of JSON records the emulator answers from.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// One record of a collection: a JSON object, in exactly the shape the portal sends.
pub type Record = Map<String, Value>;

/// The built-in fixture: users 1 (an administrator, the default caller) and 5 (the user of the
/// documented `im.user.get` example).
const BUILTIN_JSON: &str = include_str!("../fixtures/default.json");
/// The built-in CRM and task records: deals, contacts, companies, leads, smart-process items,
/// statuses and tasks, each with the definitions of its custom fields (`deals_userfields`, …).
const BUILTIN_CRM_JSON: &str = include_str!("../fixtures/crm.json");
/// The built-in calendar events (`calendar_events`), in the shape `calendar.event.get` answers.
const BUILTIN_CALENDAR_JSON: &str = include_str!("../fixtures/calendar.json");

/// Named collections of records, e.g. `users`.
///
/// A spec's `emulator:` section names the collection its results come from. In JSON a fixture
/// is an object of arrays of objects:
///
/// ```
/// let fixture = b24_emulator::Fixture::from_json_str(r#"{ "users": [ { "id": 1 } ] }"#)?;
/// assert_eq!(fixture.collection("users").map(<[_]>::len), Some(1));
/// # Ok::<(), b24_emulator::FixtureError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fixture {
    collections: BTreeMap<String, Vec<Record>>,
    /// The next id to give a new record, by collection, once one was given: ids are never
    /// given twice, even after the record with the highest id is deleted.
    next_ids: BTreeMap<String, u64>,
}

impl Fixture {
    /// The fixture shipped with the crate, which the emulator uses unless told otherwise.
    pub fn builtin() -> Self {
        // The shipped files are checked by this crate's tests, so they always parse.
        let crm = Self::from_json_str(BUILTIN_CRM_JSON).unwrap_or_default();
        let calendar = Self::from_json_str(BUILTIN_CALENDAR_JSON).unwrap_or_default();
        Self::from_json_str(BUILTIN_JSON)
            .unwrap_or_default()
            .overlay(crm)
            .overlay(calendar)
    }

    /// A fixture without any collection.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Reads a fixture from JSON text: `{"collection": [{…record…}, …], …}`.
    pub fn from_json_str(text: &str) -> Result<Self, FixtureError> {
        let value: Value = serde_json::from_str(text).map_err(FixtureError::Json)?;
        Self::from_value(value)
    }

    /// Reads a fixture from a JSON value of the same shape as [`Fixture::from_json_str`].
    pub fn from_value(value: Value) -> Result<Self, FixtureError> {
        let Value::Object(top) = value else {
            return Err(FixtureError::NotAnObject);
        };
        let mut fixture = Self::empty();
        for (name, records) in top {
            let Value::Array(items) = records else {
                return Err(FixtureError::NotAList { collection: name });
            };
            let mut out = Vec::with_capacity(items.len());
            for (index, item) in items.into_iter().enumerate() {
                match item {
                    Value::Object(record) => out.push(record),
                    _ => {
                        return Err(FixtureError::NotARecord {
                            collection: name,
                            index,
                        });
                    }
                }
            }
            fixture.collections.insert(name, out);
        }
        Ok(fixture)
    }

    /// This fixture with collection `name` set to `records`, replacing any collection of that
    /// name, e.g. to add your own data to [`Fixture::builtin`].
    #[must_use]
    pub fn with_collection(mut self, name: impl Into<String>, records: Vec<Record>) -> Self {
        self.collections.insert(name.into(), records);
        self
    }

    /// This fixture with every collection of `other` added, replacing collections of the same
    /// name: `Fixture::builtin().overlay(mine)` keeps the built-in data you do not replace.
    #[must_use]
    pub fn overlay(mut self, other: Fixture) -> Self {
        self.collections.extend(other.collections);
        self
    }

    /// Reads a fixture from YAML text of the same shape as [`Fixture::from_json_str`]
    /// (duplicate keys and YAML-only values are refused).
    pub fn from_yaml_str(file: &str, text: &str) -> Result<Self, FixtureError> {
        let value = b24_spec::load_yaml_value(file, text).map_err(|diagnostics| {
            FixtureError::Yaml(
                diagnostics
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        })?;
        Self::from_value(value)
    }

    /// Record `index` of collection `name`, to write to.
    pub(crate) fn record_mut(&mut self, name: &str, index: usize) -> Option<&mut Record> {
        self.collections.get_mut(name)?.get_mut(index)
    }

    /// The records of collection `name`, to change (see [`Emulator::edit_fixture`]): what a
    /// [handler](crate::EmulatorBuilder::handler) writes there, later calls read.
    ///
    /// [`Emulator::edit_fixture`]: crate::Emulator::edit_fixture
    pub fn collection_mut(&mut self, name: &str) -> Option<&mut Vec<Record>> {
        self.collections.get_mut(name)
    }

    /// A new id for a record of collection `name`, whose ids are in field `id_field`: one
    /// more than the highest id the collection holds or has given, so no id is given twice,
    /// as the portal's auto-increment keys. Ids compare as whole numbers (`5` and `"5"`);
    /// other values are skipped.
    pub fn next_id(&mut self, name: &str, id_field: &str) -> u64 {
        let highest = self
            .collection(name)
            .unwrap_or_default()
            .iter()
            .filter_map(|r| r.get(id_field).and_then(b24_spec::conform::integer_of))
            .filter_map(|id| u64::try_from(id).ok())
            .max()
            .unwrap_or(0);
        let given = self.next_ids.get(name).copied().unwrap_or(0);
        let id = highest.saturating_add(1).max(given);
        self.next_ids.insert(name.to_owned(), id.saturating_add(1));
        id
    }

    /// The records of collection `name`, if there is one.
    pub fn collection(&self, name: &str) -> Option<&[Record]> {
        self.collections.get(name).map(Vec::as_slice)
    }

    /// Every collection with its records, by name.
    pub fn collections(&self) -> impl Iterator<Item = (&str, &[Record])> {
        self.collections
            .iter()
            .map(|(name, records)| (name.as_str(), records.as_slice()))
    }
}

/// Fixture JSON that does not have the shape `{"name": [{…}, …]}`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FixtureError {
    /// The text is not JSON.
    #[error("the fixture is not valid JSON: {0}")]
    Json(#[source] serde_json::Error),
    /// The text is not YAML a fixture can be made of; the diagnostics say where.
    #[error("the fixture is not valid YAML:\n{0}")]
    Yaml(String),
    /// The top level is not an object of collections.
    #[error("the fixture must be a JSON object of collections, like {{\"users\": [ … ]}}")]
    NotAnObject,
    /// A collection is not a list.
    #[error("fixture collection `{collection}` must be a JSON array of records")]
    NotAList {
        /// Name of the collection.
        collection: String,
    },
    /// An item of a collection is not an object.
    #[error("record {index} of fixture collection `{collection}` must be a JSON object")]
    NotARecord {
        /// Name of the collection.
        collection: String,
        /// Position of the item in the collection, from 0.
        index: usize,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_fixture_parses_and_has_the_documented_users() {
        let builtin = Fixture::from_json_str(BUILTIN_JSON).expect("built-in fixture");
        let crm = Fixture::from_json_str(BUILTIN_CRM_JSON).expect("built-in CRM fixture");
        let calendar =
            Fixture::from_json_str(BUILTIN_CALENDAR_JSON).expect("built-in calendar fixture");
        assert_eq!(
            builtin
                .clone()
                .overlay(crm.clone())
                .overlay(calendar.clone()),
            Fixture::builtin()
        );
        // The three files name different collections.
        assert!(
            crm.collections()
                .all(|(name, _)| builtin.collection(name).is_none())
        );
        assert!(calendar.collections().all(|(name, _)| {
            builtin.collection(name).is_none() && crm.collection(name).is_none()
        }));
        let ids: Vec<_> = builtin
            .collection("users")
            .unwrap()
            .iter()
            .map(|u| u["id"].clone())
            .collect();
        assert_eq!(ids, [1, 4, 5, 6, 7, 8, 9, 11].map(Value::from));
    }

    #[test]
    fn malformed_fixtures_are_typed_errors() {
        assert!(matches!(
            Fixture::from_json_str("{"),
            Err(FixtureError::Json(_))
        ));
        assert!(matches!(
            Fixture::from_json_str("[]"),
            Err(FixtureError::NotAnObject)
        ));
        assert!(matches!(
            Fixture::from_json_str(r#"{"users": {}}"#),
            Err(FixtureError::NotAList { collection }) if collection == "users"
        ));
        let e = Fixture::from_json_str(r#"{"users": [{}, 7]}"#).unwrap_err();
        assert!(matches!(e, FixtureError::NotARecord { index: 1, .. }));
        assert_eq!(
            e.to_string(),
            "record 1 of fixture collection `users` must be a JSON object"
        );
    }

    #[test]
    fn yaml_fixtures_and_overlays() {
        let mine = Fixture::from_yaml_str(
            "mine.yaml",
            "# my users\nusers:\n  - id: 3\n    name: Ann\nextra: []\n",
        )
        .unwrap();
        assert_eq!(mine.collection("users").unwrap()[0]["name"], "Ann");
        let merged = Fixture::builtin().overlay(mine);
        assert_eq!(merged.collection("users").map(<[_]>::len), Some(1));
        assert_eq!(merged.collection("extra"), Some(&[][..]));
        assert_eq!(
            merged.collection("chats"),
            Fixture::builtin().collection("chats")
        );
        let e = Fixture::from_yaml_str("bad.yaml", "users:\n  - id: 1\n    id: 2\n").unwrap_err();
        assert!(matches!(e, FixtureError::Yaml(_)), "{e}");
        assert!(e.to_string().contains("bad.yaml:3:"), "{e}");
        assert!(matches!(
            Fixture::from_yaml_str("list.yaml", "- 1\n"),
            Err(FixtureError::NotAnObject)
        ));
    }

    #[test]
    fn the_crm_records_agree_with_their_statuses_and_custom_fields() {
        let f = Fixture::builtin();
        let statuses = f.collection("statuses").unwrap();
        let has_status = |entity: &str, id: &Value| {
            statuses
                .iter()
                .any(|s| s["ENTITY_ID"] == entity && &s["STATUS_ID"] == id)
        };
        for deal in f.collection("deals").unwrap() {
            let entity = match deal["CATEGORY_ID"].as_str() {
                Some("0") => "DEAL_STAGE".to_owned(),
                Some(c) => format!("DEAL_STAGE_{c}"),
                None => panic!("deal {} has no category", deal["ID"]),
            };
            assert!(has_status(&entity, &deal["STAGE_ID"]), "{}", deal["ID"]);
            assert!(has_status("DEAL_TYPE", &deal["TYPE_ID"]), "{}", deal["ID"]);
            assert!(has_status("SOURCE", &deal["SOURCE_ID"]), "{}", deal["ID"]);
        }
        for lead in f.collection("leads").unwrap() {
            assert!(has_status("STATUS", &lead["STATUS_ID"]), "{}", lead["ID"]);
        }
        for item in f.collection("items").unwrap() {
            let entity = format!(
                "DYNAMIC_{}_STAGE_{}",
                item["entityTypeId"], item["categoryId"]
            );
            assert!(has_status(&entity, &item["stageId"]), "{}", item["id"]);
        }
        // Every `UF_` key of a CRM record is a custom field its collection defines.
        for name in ["deals", "contacts", "companies", "leads"] {
            let defined: Vec<&Value> = f
                .collection(&format!("{name}_userfields"))
                .unwrap()
                .iter()
                .map(|d| &d["FIELD_NAME"])
                .collect();
            assert!(!defined.is_empty(), "{name}");
            for record in f.collection(name).unwrap() {
                for key in record.keys().filter(|k| k.starts_with("UF_")) {
                    assert!(
                        defined.contains(&&Value::from(key.as_str())),
                        "{name}: {key}"
                    );
                }
            }
        }
    }

    #[test]
    fn new_ids_are_never_given_twice() {
        let mut record = Record::new();
        record.insert("ID".into(), Value::from("41"));
        let mut f = Fixture::empty().with_collection("deals", vec![record]);
        assert_eq!(f.next_id("deals", "ID"), 42);
        assert_eq!(f.next_id("deals", "ID"), 43);
        // Removing the highest record does not give its id again.
        f.collection_mut("deals").unwrap().clear();
        assert_eq!(f.next_id("deals", "ID"), 44);
        assert_eq!(f.next_id("tasks", "id"), 1);
    }

    #[test]
    fn collections_can_be_added_and_replaced() {
        let mut record = Record::new();
        record.insert("id".into(), Value::from(3));
        let f = Fixture::empty()
            .with_collection("users", vec![])
            .with_collection("users", vec![record.clone()])
            .with_collection("deals", vec![]);
        assert_eq!(f.collection("users"), Some(&[record][..]));
        let names: Vec<_> = f.collections().map(|(n, _)| n).collect();
        assert_eq!(names, ["deals", "users"]);
        assert_eq!(f.collection("tasks"), None);
    }
}
