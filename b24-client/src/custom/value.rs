//! How custom field values are spelled on the wire, per Rust type: [`CustomValue`], and the
//! types of the portal's own custom field kinds (money, links to CRM records, files).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::wire::WireEnum;

/// A Rust type a custom field's values can be read as and written from.
///
/// Custom fields come in more spellings than the fields a spec describes: the same kind of
/// field is a JSON number in one method's answer and a numeric string in another's, a
/// yes/no field is `"1"`, `"Y"` or `true`. `from_custom` reads every spelling the portal
/// uses for the type; `to_custom` writes the one the portal reads back.
///
/// | Rust type | the portal's field type | read from | written as |
/// | --- | --- | --- | --- |
/// | `String` | `string`, `url`, `address`, `crm_status` | text; a number as its text | text |
/// | `i64` | `integer` | a whole number or a numeric string (`"12"`) | a number |
/// | `u64` | `enumeration` (item id), `employee` (user id), `iblock_element` | a non-negative whole number or numeric string | a number |
/// | `f64` | `double` | a number or a numeric string | a number |
/// | [`Decimal`] | `double`, amounts | a number or a numeric string, exactly | a string (`"19999.99"`) |
/// | `bool` | `boolean` | `true`/`false`, `"Y"`/`"N"`, `"1"`/`"0"`, `1`/`0` | `1`/`0` |
/// | `NaiveDate` | `date` | `"2024-07-23"`, an ATOM date-time (its date), `"23.07.2024"` | `"2024-07-23"` |
/// | `NaiveDateTime` | `datetime` | `"2024-07-23 08:08:50"`, ISO with `T`, ATOM (its local time) | `"2024-07-23 08:08:50"` |
/// | `DateTime<FixedOffset>` | `datetime` | ATOM, `"2026-03-02T09:30:00+01:00"` | ATOM |
/// | [`Money`] | `money` | `"100.50\|EUR"` | `"100.50\|EUR"` |
/// | [`CrmLink`] | `crm` | `"D_12"`, `"CO_5"`, `"T9c_3"`, or a bare id `"12"` | the same |
/// | [`CustomFile`] | `file` | `{"id", "showUrl", "downloadUrl"}` or `{"id", "url", "urlMachine"}` | `{"id", "showUrl", "downloadUrl"}` |
/// | `serde_json::Value` | any | anything | as it is |
/// | a generated enum | `enumeration` with its item ids as values | its wire value, as text or a number | text |
/// | `Vec<T>` | a multiple field of `T` | a list of `T` (a single `T` as a list of one) | a list |
///
/// A field holding `null`, `false`, `""` or `[]` has no value ([`is_none`](Self::is_none)),
/// except that `false` is a value of a `bool`.
pub trait CustomValue: Sized {
    /// Reads a value that is not "no value"; `Err` says what was expected and what was found.
    fn from_custom(value: &Value) -> Result<Self, String>;

    /// The value as the portal reads it back.
    fn to_custom(&self) -> Value;

    /// Whether `value` stands for "no value": `null`, `false`, `""` or `[]`.
    fn is_none(value: &Value) -> bool {
        is_none_marker(value)
    }
}

/// The portal's "no value" in a custom field: `null`, `false`, `""` or `[]`.
pub(super) fn is_none_marker(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(false) => true,
        Value::String(s) => s.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Bool(true) | Value::Number(_) | Value::Object(_) => false,
    }
}

/// "expected …, found …", showing plain values and describing the rest: a long text or an
/// object may be a link with the portal's credentials in it.
fn expected(what: &str, found: &Value) -> String {
    let found = match found {
        Value::String(s) if s.chars().count() <= 40 && !s.contains('/') => format!("{s:?}"),
        Value::String(_) => "a longer text".to_owned(),
        Value::Object(_) => "an object".to_owned(),
        Value::Array(_) => "a list".to_owned(),
        Value::Null | Value::Bool(_) | Value::Number(_) => found.to_string(),
    };
    format!("expected {what}, found {found}")
}

/// The text of a number or a string, trimmed, for the numeric readers.
fn numeric_text(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.trim().to_owned()),
        _ => None,
    }
}

impl CustomValue for String {
    fn from_custom(value: &Value) -> Result<Self, String> {
        match value {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            other => Err(expected("a text", other)),
        }
    }
    fn to_custom(&self) -> Value {
        Value::String(self.clone())
    }
}

impl CustomValue for i64 {
    fn from_custom(value: &Value) -> Result<Self, String> {
        if let Some(n) = value.as_i64() {
            return Ok(n);
        }
        if let Some(f) = value
            .as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e18)
        {
            return Ok(f as i64);
        }
        match value {
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
        .ok_or_else(|| expected("a whole number", value))
    }
    fn to_custom(&self) -> Value {
        Value::from(*self)
    }
}

impl CustomValue for u64 {
    fn from_custom(value: &Value) -> Result<Self, String> {
        match value {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
        .ok_or_else(|| expected("a non-negative whole number", value))
    }
    fn to_custom(&self) -> Value {
        Value::from(*self)
    }
}

impl CustomValue for f64 {
    fn from_custom(value: &Value) -> Result<Self, String> {
        match value {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok().filter(|f: &f64| f.is_finite()),
            _ => None,
        }
        .ok_or_else(|| expected("a number", value))
    }
    fn to_custom(&self) -> Value {
        Value::from(*self)
    }
}

impl CustomValue for Decimal {
    fn from_custom(value: &Value) -> Result<Self, String> {
        numeric_text(value)
            .and_then(|text| {
                Decimal::from_str(&text)
                    .or_else(|_| Decimal::from_scientific(&text))
                    .ok()
            })
            .ok_or_else(|| expected("a decimal number", value))
    }
    /// A string: exact, and PHP reads it as a number.
    fn to_custom(&self) -> Value {
        Value::String(self.to_string())
    }
}

impl CustomValue for bool {
    fn from_custom(value: &Value) -> Result<Self, String> {
        match value {
            Value::Bool(b) => Some(*b),
            Value::Number(n) => match n.as_u64() {
                Some(1) => Some(true),
                Some(0) => Some(false),
                _ => None,
            },
            Value::String(s) => match s.trim() {
                "Y" | "y" | "1" | "true" => Some(true),
                "N" | "n" | "0" | "false" => Some(false),
                _ => None,
            },
            _ => None,
        }
        .ok_or_else(|| expected("yes or no (\"Y\"/\"N\", \"1\"/\"0\", true/false)", value))
    }
    /// `1`/`0`: what the portal stores, so it is right in writes (PHP reads `0` as false,
    /// and `"N"` as true) and in filters (the column is a number).
    fn to_custom(&self) -> Value {
        Value::from(u8::from(*self))
    }
    /// `false` is a value; `null`, `""` and `[]` are not.
    fn is_none(value: &Value) -> bool {
        !matches!(value, Value::Bool(false)) && is_none_marker(value)
    }
}

impl CustomValue for NaiveDate {
    fn from_custom(value: &Value) -> Result<Self, String> {
        let Value::String(text) = value else {
            return Err(expected("a date", value));
        };
        let text = text.trim();
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .or_else(|| {
                DateTime::parse_from_rfc3339(text)
                    .ok()
                    .map(|d| d.date_naive())
            })
            .or_else(|| {
                text.get(..10)
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                    .filter(|_| text.len() > 10 && text.as_bytes()[10].is_ascii_whitespace())
            })
            .or_else(|| NaiveDate::parse_from_str(text, "%d.%m.%Y").ok())
            .ok_or_else(|| expected("a date such as \"2024-07-23\"", value))
    }
    fn to_custom(&self) -> Value {
        Value::from(self.format("%Y-%m-%d").to_string())
    }
}

impl CustomValue for NaiveDateTime {
    fn from_custom(value: &Value) -> Result<Self, String> {
        let Value::String(text) = value else {
            return Err(expected("a date-time", value));
        };
        let text = text.trim();
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
            .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f"))
            .ok()
            .or_else(|| {
                DateTime::parse_from_rfc3339(text)
                    .ok()
                    .map(|d| d.naive_local())
            })
            .ok_or_else(|| expected("a date-time such as \"2024-07-23 08:08:50\"", value))
    }
    fn to_custom(&self) -> Value {
        Value::from(self.format("%Y-%m-%d %H:%M:%S").to_string())
    }
}

impl CustomValue for DateTime<FixedOffset> {
    fn from_custom(value: &Value) -> Result<Self, String> {
        value
            .as_str()
            .and_then(|text| DateTime::parse_from_rfc3339(text.trim()).ok())
            .ok_or_else(|| {
                expected(
                    "an ATOM date-time such as \"2026-03-02T09:30:00+01:00\"",
                    value,
                )
            })
    }
    fn to_custom(&self) -> Value {
        Value::from(self.to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
    }
}

impl CustomValue for Value {
    fn from_custom(value: &Value) -> Result<Self, String> {
        Ok(value.clone())
    }
    fn to_custom(&self) -> Value {
        self.clone()
    }
}

/// The item ids of an `enumeration` field, named by an enum of your spec (`values:` with the
/// ids as wire values); an id the enum does not list is its `Unknown`.
impl<E: WireEnum> CustomValue for E {
    fn from_custom(value: &Value) -> Result<Self, String> {
        match value {
            Value::String(s) => Ok(E::from_wire(s)),
            Value::Number(n) => Ok(E::from_wire(&n.to_string())),
            other => Err(expected("a list item's value", other)),
        }
    }
    fn to_custom(&self) -> Value {
        Value::from(self.as_str())
    }
}

/// A multiple field: a list of values. A single value is read as a list of one.
impl<T: CustomValue> CustomValue for Vec<T> {
    fn from_custom(value: &Value) -> Result<Self, String> {
        match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| T::from_custom(item).map_err(|e| format!("item {i}: {e}")))
                .collect(),
            one => T::from_custom(one).map(|v| vec![v]),
        }
    }
    fn to_custom(&self) -> Value {
        Value::Array(self.iter().map(T::to_custom).collect())
    }
}

/// An amount with its currency: a `money` field, `"100.50|EUR"` on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Money {
    /// The amount, exactly as sent.
    pub amount: Decimal,
    /// The currency's code (`EUR`, `RUB`).
    pub currency: String,
}

impl Money {
    /// `amount` of `currency`.
    pub fn new(amount: Decimal, currency: impl Into<String>) -> Self {
        Self {
            amount,
            currency: currency.into(),
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}|{}", self.amount, self.currency)
    }
}

impl FromStr for Money {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let (amount, currency) = text
            .split_once('|')
            .ok_or_else(|| format!("{text:?} is not an amount and a currency (`100.50|EUR`)"))?;
        let amount = Decimal::from_str(amount.trim())
            .map_err(|_| format!("{amount:?} is not an amount (in {text:?})"))?;
        let currency = currency.trim();
        if currency.is_empty() || !currency.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(format!("{currency:?} is not a currency code (in {text:?})"));
        }
        Ok(Self::new(amount, currency))
    }
}

impl CustomValue for Money {
    fn from_custom(value: &Value) -> Result<Self, String> {
        match value {
            Value::String(text) => text.parse(),
            other => Err(expected(
                "an amount and a currency such as \"100.50|EUR\"",
                other,
            )),
        }
    }
    fn to_custom(&self) -> Value {
        Value::String(self.to_string())
    }
}

/// A link to a CRM record: a `crm` field, `"D_12"` on the wire (a deal), `"CO_5"` (a
/// company), `"T9c_3"` (an item of the smart process whose short code is `T9c`), or a bare
/// id `"12"` when the field links to one kind of record only.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CrmLink {
    /// The short code of the record's kind (`L`, `D`, `C`, `CO`, `T9c`, …); `None` for a
    /// bare id.
    pub kind: Option<String>,
    /// The record's id.
    pub id: u64,
}

impl fmt::Display for CrmLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Some(kind) => write!(f, "{kind}_{}", self.id),
            None => write!(f, "{}", self.id),
        }
    }
}

impl FromStr for CrmLink {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let bad = || format!("{text:?} is not a link to a CRM record such as \"D_12\"");
        match text.rsplit_once('_') {
            Some((kind, id))
                if !kind.is_empty() && kind.chars().all(|c| c.is_ascii_alphanumeric()) =>
            {
                Ok(Self {
                    kind: Some(kind.to_owned()),
                    id: id.parse().map_err(|_| bad())?,
                })
            }
            Some(_) => Err(bad()),
            None => Ok(Self {
                kind: None,
                id: text.parse().map_err(|_| bad())?,
            }),
        }
    }
}

impl CustomValue for CrmLink {
    fn from_custom(value: &Value) -> Result<Self, String> {
        match value {
            Value::String(text) => text.parse(),
            Value::Number(n) => n.to_string().parse(),
            other => Err(expected("a link to a CRM record such as \"D_12\"", other)),
        }
    }
    fn to_custom(&self) -> Value {
        Value::String(self.to_string())
    }
}

/// A file in a `file` field, as the portal describes it: its id and links to see and to
/// download it. The links can carry the portal's credentials, so `Debug` does not show
/// them; do not log them.
///
/// `crm.deal.get` and the other `crm.*.get` methods send `showUrl` and `downloadUrl`,
/// `crm.item.get` sends `url` and `urlMachine`; both are read.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CustomFile {
    /// The file's id.
    pub id: u64,
    /// The link to see the file (`showUrl`, or `url`).
    pub show_url: Option<String>,
    /// The link to download it (`downloadUrl`, or `urlMachine`).
    pub download_url: Option<String>,
}

impl fmt::Debug for CustomFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hidden = |url: &Option<String>| url.as_ref().map(|_| "…");
        f.debug_struct("CustomFile")
            .field("id", &self.id)
            .field("show_url", &hidden(&self.show_url))
            .field("download_url", &hidden(&self.download_url))
            .finish()
    }
}

impl CustomValue for CustomFile {
    fn from_custom(value: &Value) -> Result<Self, String> {
        let Value::Object(obj) = value else {
            return Err(expected("a file object with an `id`", value));
        };
        let id = obj
            .get("id")
            .and_then(|id| u64::from_custom(id).ok())
            .ok_or_else(|| "expected a file object with a numeric `id`".to_owned())?;
        let text = |keys: [&str; 2]| {
            keys.iter()
                .find_map(|k| obj.get(*k).and_then(Value::as_str).map(str::to_owned))
        };
        Ok(Self {
            id,
            show_url: text(["showUrl", "url"]),
            download_url: text(["downloadUrl", "urlMachine"]),
        })
    }
    fn to_custom(&self) -> Value {
        let mut obj = Map::new();
        obj.insert("id".into(), Value::from(self.id));
        if let Some(url) = &self.show_url {
            obj.insert("showUrl".into(), Value::from(url.as_str()));
        }
        if let Some(url) = &self.download_url {
            obj.insert("downloadUrl".into(), Value::from(url.as_str()));
        }
        Value::Object(obj)
    }
}

/// `value` with every text under a key that names a link (`url`, `showUrl`, `urlMachine`,
/// `downloadUrl`, any key ending in `url` in any case) replaced by `"…"`, at any depth.
pub(super) fn without_links(value: &Value) -> Value {
    match value {
        Value::Object(obj) => Value::Object(
            obj.iter()
                .map(|(k, v)| {
                    let link = k.to_ascii_lowercase().ends_with("url")
                        || k.eq_ignore_ascii_case("urlMachine");
                    let shown = if link && v.is_string() {
                        Value::from("…")
                    } else {
                        without_links(v)
                    };
                    (k.clone(), shown)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_links).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read<T: CustomValue>(v: Value) -> Result<T, String> {
        T::from_custom(&v)
    }

    #[test]
    fn numbers_in_every_spelling() {
        assert_eq!(read::<i64>(json!(5)), Ok(5));
        assert_eq!(read::<i64>(json!(" -12 ")), Ok(-12));
        assert_eq!(read::<i64>(json!(3.0)), Ok(3));
        assert!(read::<i64>(json!(3.5)).is_err());
        assert_eq!(read::<u64>(json!("267")), Ok(267));
        assert!(read::<u64>(json!(-1)).is_err());
        assert_eq!(read::<f64>(json!("9999.9")), Ok(9999.9));
        assert_eq!(read::<f64>(json!(1111.1)), Ok(1111.1));
        assert!(read::<f64>(json!("NaN")).is_err());
        let exact: Decimal = read(json!("19999.99")).unwrap();
        assert_eq!(exact.to_string(), "19999.99");
        assert_eq!(
            read::<Decimal>(json!(1111.1)).unwrap().to_string(),
            "1111.1"
        );
        assert_eq!(read::<Decimal>(json!("1e3")).unwrap().to_string(), "1000");
        assert_eq!(exact.to_custom(), json!("19999.99"));
        assert_eq!(read::<String>(json!(42)), Ok("42".into()));
    }

    #[test]
    fn yes_and_no_in_every_spelling() {
        for yes in [json!(true), json!("Y"), json!("1"), json!(1), json!("y")] {
            assert_eq!(read::<bool>(yes.clone()), Ok(true), "{yes}");
        }
        for no in [json!(false), json!("N"), json!("0"), json!(0)] {
            assert_eq!(read::<bool>(no.clone()), Ok(false), "{no}");
        }
        assert!(read::<bool>(json!("maybe")).is_err());
        assert_eq!((true.to_custom(), false.to_custom()), (json!(1), json!(0)));
        assert!(!bool::is_none(&json!(false)) && bool::is_none(&json!("")));
    }

    #[test]
    fn dates_in_every_spelling() {
        let day = NaiveDate::from_ymd_opt(2024, 7, 23).unwrap();
        for text in [
            "2024-07-23",
            "2024-07-23T00:00:00+03:00",
            "2024-07-23 08:00:00",
            "23.07.2024",
        ] {
            assert_eq!(read::<NaiveDate>(json!(text)), Ok(day), "{text}");
        }
        assert!(read::<NaiveDate>(json!("2024-07-23x")).is_err());
        assert_eq!(day.to_custom(), json!("2024-07-23"));
        let at: NaiveDateTime = read(json!("2024-07-23T08:08:50+02:00")).unwrap();
        assert_eq!(at.to_custom(), json!("2024-07-23 08:08:50"));
        assert_eq!(read::<NaiveDateTime>(json!("2024-07-23 08:08:50")), Ok(at));
        let atom: DateTime<FixedOffset> = read(json!("2026-03-02T09:30:00+01:00")).unwrap();
        assert_eq!(atom.to_custom(), json!("2026-03-02T09:30:00+01:00"));
    }

    #[test]
    fn money_links_and_files() {
        let money: Money = read(json!("300|RUB")).unwrap();
        assert_eq!(
            (money.amount.to_string(), money.currency.as_str()),
            ("300".into(), "RUB")
        );
        assert_eq!(
            read::<Money>(json!("100.50|EUR")).unwrap().to_custom(),
            json!("100.50|EUR")
        );
        for bad in [json!("300"), json!("x|EUR"), json!("5|"), json!(5)] {
            assert!(read::<Money>(bad.clone()).is_err(), "{bad}");
        }
        let link: CrmLink = read(json!("CO_5")).unwrap();
        assert_eq!((link.kind.as_deref(), link.id), (Some("CO"), 5));
        assert_eq!(
            read::<CrmLink>(json!("T9c_3")).unwrap().to_custom(),
            json!("T9c_3")
        );
        assert_eq!(
            read::<CrmLink>(json!(22)).unwrap(),
            CrmLink { kind: None, id: 22 }
        );
        assert!(read::<CrmLink>(json!("D_x")).is_err());
        assert!(read::<CrmLink>(json!("_5")).is_err());
        let links: Vec<CrmLink> = read(json!(["L_4", "D_10"])).unwrap();
        assert_eq!(links.to_custom(), json!(["L_4", "D_10"]));
        let file: CustomFile =
            read(json!({"id": 37375, "showUrl": "/show?x", "downloadUrl": "/get?auth=secret"}))
                .unwrap();
        assert_eq!(file.id, 37375);
        assert!(!format!("{file:?}").contains("secret"));
        let item_file: CustomFile =
            read(json!({"id": "7", "url": "/a", "urlMachine": "/rest/1/secret/x"})).unwrap();
        assert_eq!(
            (
                item_file.show_url.as_deref(),
                item_file.download_url.as_deref()
            ),
            (Some("/a"), Some("/rest/1/secret/x"))
        );
        assert!(read::<CustomFile>(json!({"url": "/a"})).is_err());
    }

    #[test]
    fn lists_read_each_item_and_a_single_value() {
        assert_eq!(read::<Vec<i64>>(json!(["1", 2])), Ok(vec![1, 2]));
        assert_eq!(read::<Vec<i64>>(json!("3")), Ok(vec![3]));
        assert_eq!(
            read::<Vec<i64>>(json!([1, "x"])),
            Err("item 1: expected a whole number, found \"x\"".into())
        );
    }

    #[test]
    fn errors_show_plain_values_but_not_links_or_objects() {
        let e = read::<i64>(json!("https://x.bitrix24.com/rest/1/secret/")).unwrap_err();
        assert!(!e.contains("secret"), "{e}");
        let e = read::<i64>(json!({"urlMachine": "secret"})).unwrap_err();
        assert_eq!(e, "expected a whole number, found an object");
    }
}
