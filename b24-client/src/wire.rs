//! How Bitrix24 spells values on the wire, and adapters that read and write them.
//!
//! Generated code names an adapter per field (`#[serde(deserialize_with = ...)]`) when the JSON
//! form differs from what serde does for the Rust type: ids as numbers or numeric strings,
//! `Y`/`N` booleans, numbers as numeric strings, exact decimals, `false`/`""`/`null`/`{}`/`[]`
//! for "no value", objects keyed by id that PHP sends as `[]` when empty, and Bitrix24's date
//! formats.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{
    DeserializeOwned, DeserializeSeed, Error as _, IgnoredAny, IntoDeserializer, MapAccess,
    SeqAccess, Visitor,
};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

pub use crate::query::http_build_query;

/// Reads one wire representation into a Rust value.
pub trait Decode {
    /// The Rust type produced.
    type Out;
    /// Reads the value from any serde deserializer.
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self::Out, D::Error>;
}

/// Writes a Rust value in its wire representation (for request parameters).
pub trait Encode {
    /// The Rust type consumed.
    type Out;
    /// The JSON value to send in a request.
    fn encode(value: &Self::Out) -> Value;

    /// The JSON value as the portal writes it in a result, so a serialized result reads back
    /// as it was received. The same as [`encode`](Self::encode) except where a request takes
    /// another form than an answer gives ([`Regional`]: answers use the portal's display
    /// format, requests ISO); adapters that hold others pass it on to them.
    fn encode_result(value: &Self::Out) -> Value {
        Self::encode(value)
    }

    /// Serializes the value in its result form ([`encode_result`](Self::encode_result)), so
    /// serialized results read back unchanged (used as `#[serde(serialize_with = ...)]` by
    /// generated types).
    fn serialize<S: serde::Serializer>(value: &Self::Out, s: S) -> Result<S::Ok, S::Error> {
        Self::encode_result(value).serialize(s)
    }
}

/// A string-valued enum with an `Unknown(String)` fallback (implemented by generated enums).
pub trait WireEnum: Sized {
    /// The value as Bitrix24 spells it.
    fn as_str(&self) -> &str;
    /// Reads a wire value; unknown ones are kept, not rejected.
    fn from_wire(value: &str) -> Self;
}

/// Deserializes a generated enum from its wire string.
pub fn deserialize_enum<'de, D: Deserializer<'de>, E: WireEnum>(d: D) -> Result<E, D::Error> {
    struct V<E>(PhantomData<E>);
    impl<E: WireEnum> Visitor<'_> for V<E> {
        type Value = E;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<Er: serde::de::Error>(self, v: &str) -> Result<E, Er> {
            Ok(E::from_wire(v))
        }
    }
    d.deserialize_str(V(PhantomData))
}

/// serde's own representation, unchanged.
pub struct Plain<T>(PhantomData<T>);

impl<T: DeserializeOwned> Decode for Plain<T> {
    type Out = T;
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        // Owned data only: decoders read input of any lifetime, and `NoneIf` buffers a list's
        // first item.
        T::deserialize(d)
    }
}

impl<T: Serialize> Encode for Plain<T> {
    type Out = T;
    fn encode(value: &T) -> Value {
        serde_json::to_value(value).unwrap_or(Value::Null)
    }
}

/// An id: a JSON number (`5`) or a numeric string (`"5"`), as `user.*` and `im.*` differ.
pub struct Id;

impl Decode for Id {
    type Out = u64;
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = u64;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an id (a non-negative number or a numeric string)")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<u64, E> {
                Ok(v)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u64, E> {
                u64::try_from(v).map_err(|_| E::custom(format!("id {v} is negative")))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<u64, E> {
                if v >= 0.0 && v.fract() == 0.0 && v < u64::MAX as f64 {
                    Ok(v as u64)
                } else {
                    Err(E::custom(format!(
                        "id {v} is not a whole non-negative number"
                    )))
                }
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<u64, E> {
                v.trim()
                    .parse()
                    .map_err(|_| E::custom(format!("id {v:?} is not a number")))
            }
        }
        d.deserialize_any(V)
    }
}

impl Encode for Id {
    type Out = u64;
    fn encode(value: &u64) -> Value {
        Value::from(*value)
    }
}

/// `"Y"`/`"N"` on the wire, `bool` in Rust; real booleans are accepted too.
pub struct Yn;

impl Decode for Yn {
    type Out = bool;
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = bool;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("\"Y\" or \"N\"")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<bool, E> {
                Ok(v)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<bool, E> {
                match v {
                    "Y" | "y" => Ok(true),
                    "N" | "n" => Ok(false),
                    other => Err(E::custom(format!(
                        "expected \"Y\" or \"N\", found {other:?}"
                    ))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

impl Encode for Yn {
    type Out = bool;
    fn encode(value: &bool) -> Value {
        Value::from(if *value { "Y" } else { "N" })
    }
}

/// A whole number: a JSON number (`5`) or a numeric string (`"5"`, `"-180"`), since a PHP
/// backend may send any number as text. Written as a JSON number.
pub struct Integer;

impl Decode for Integer {
    type Out = i64;
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = i64;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an integer (a number or a numeric string)")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<i64, E> {
                Ok(v)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<i64, E> {
                i64::try_from(v).map_err(|_| E::custom(format!("integer {v} is too large")))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<i64, E> {
                v.trim()
                    .parse()
                    .map_err(|_| E::custom(format!("{v:?} is not an integer")))
            }
        }
        d.deserialize_any(V)
    }
}

impl Encode for Integer {
    type Out = i64;
    fn encode(value: &i64) -> Value {
        Value::from(*value)
    }
}

/// A number with a fraction: a JSON number (`0.25`) or a numeric string (`"0.25"`). Written
/// as a JSON number.
pub struct Number;

impl Decode for Number {
    type Out = f64;
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = f64;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number (or a numeric string)")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<f64, E> {
                Ok(v as f64)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<f64, E> {
                Ok(v as f64)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<f64, E> {
                Ok(v)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<f64, E> {
                v.trim()
                    .parse()
                    .ok()
                    .filter(|n: &f64| n.is_finite())
                    .ok_or_else(|| E::custom(format!("{v:?} is not a number")))
            }
        }
        d.deserialize_any(V)
    }
}

impl Encode for Number {
    type Out = f64;
    fn encode(value: &f64) -> Value {
        Value::from(*value)
    }
}

/// An exact decimal ([`Decimal`](crate::Decimal)), for money: read from a numeric string
/// (`"19999.99"`, exactly) or a JSON number (`19999.99`, `1000000`), written as a string, which
/// keeps every digit and which PHP reads as a number.
///
/// A JSON number with a fraction reaches the decoder as an `f64`; it is read as the shortest
/// decimal that is that `f64`, so `19999.99` is `19999.99`, exact up to 15 significant digits.
pub struct Decimal;

impl Decode for Decimal {
    type Out = rust_decimal::Decimal;
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<rust_decimal::Decimal, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = rust_decimal::Decimal;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a decimal (a numeric string or a number)")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(v.into())
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(v.into())
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
                decimal_of_f64(v)
                    .ok_or_else(|| E::custom(format!("{v} is outside the range of a decimal")))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                decimal_of_text(v.trim())
                    .ok_or_else(|| E::custom(format!("{v:?} is not a decimal number")))
            }
        }
        d.deserialize_any(V)
    }
}

impl Encode for Decimal {
    type Out = rust_decimal::Decimal;
    fn encode(value: &rust_decimal::Decimal) -> Value {
        Value::from(value.to_string())
    }
}

/// A decimal written as text: digits with an optional sign and fraction, exactly (no
/// rounding; too many digits is `None`). `rust_decimal` alone would also read `1_000`, which
/// is no number to PHP.
fn decimal_of_text(text: &str) -> Option<rust_decimal::Decimal> {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let plain = unsigned.bytes().any(|b| b.is_ascii_digit())
        && unsigned.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    plain
        .then(|| rust_decimal::Decimal::from_str_exact(text).ok())
        .flatten()
}

/// The shortest decimal that is `v` (`19999.99`, not its binary expansion).
fn decimal_of_f64(v: f64) -> Option<rust_decimal::Decimal> {
    // Rust prints the shortest text that reads back as the same `f64`, never in exponent
    // form; non-finite values print as words that are no decimal.
    decimal_of_text(&v.to_string())
}

/// A date and time in the portal's regional display format ([`DisplayDateTime`](
/// crate::DisplayDateTime): `12/11/2024 05:59:00 pm`, `11.12.2024 17:59:00`,
/// `2024-12-11 17:59:00`). A result keeps the format it came in and is serialized back in it;
/// a request sends the ISO form, `2024-12-11T17:59:00`.
pub struct Regional;

impl Decode for Regional {
    type Out = crate::DisplayDateTime;
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<crate::DisplayDateTime, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(D::Error::custom)
    }
}

impl Encode for Regional {
    type Out = crate::DisplayDateTime;
    fn encode(value: &crate::DisplayDateTime) -> Value {
        Value::from(value.at().format("%Y-%m-%dT%H:%M:%S").to_string())
    }
    fn encode_result(value: &crate::DisplayDateTime) -> Value {
        Value::from(value.to_string())
    }
}

type Atomic = chrono::DateTime<chrono::FixedOffset>;

/// ATOM / RFC 3339 date and time: `2026-03-02T09:30:00+01:00`.
pub struct Atom;

impl Decode for Atom {
    type Out = Atomic;
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Atomic, D::Error> {
        let text = String::deserialize(d)?;
        chrono::DateTime::parse_from_rfc3339(&text)
            .map_err(|e| D::Error::custom(format!("date-time {text:?} is not ATOM/RFC 3339: {e}")))
    }
}

impl Encode for Atom {
    type Out = Atomic;
    fn encode(value: &Atomic) -> Value {
        Value::from(value.to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
    }
}

/// Date and time without an offset, `2024-07-23 08:08:50`, in the portal's time zone.
/// The ISO form with `T` is accepted too, so serialized values read back.
pub struct NaiveDateTime;

impl Decode for NaiveDateTime {
    type Out = chrono::NaiveDateTime;
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<chrono::NaiveDateTime, D::Error> {
        let text = String::deserialize(d)?;
        chrono::NaiveDateTime::parse_from_str(&text, "%Y-%m-%d %H:%M:%S")
            .or_else(|_| chrono::NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M:%S%.f"))
            .map_err(|_| {
                D::Error::custom(format!("date-time {text:?} is not `YYYY-MM-DD hh:mm:ss`"))
            })
    }
}

impl Encode for NaiveDateTime {
    type Out = chrono::NaiveDateTime;
    fn encode(value: &chrono::NaiveDateTime) -> Value {
        Value::from(value.format("%Y-%m-%d %H:%M:%S").to_string())
    }
}

/// A date, `YYYY-MM-DD`.
pub struct Date;

impl Decode for Date {
    type Out = chrono::NaiveDate;
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<chrono::NaiveDate, D::Error> {
        let text = String::deserialize(d)?;
        chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map_err(|_| D::Error::custom(format!("date {text:?} is not `YYYY-MM-DD`")))
    }
}

impl Encode for Date {
    type Out = chrono::NaiveDate;
    fn encode(value: &chrono::NaiveDate) -> Value {
        Value::from(value.format("%Y-%m-%d").to_string())
    }
}

/// Reads one value with adapter `A`, for `SeqAccess`/`MapAccess`.
struct Seed<A>(PhantomData<A>);

impl<'de, A: Decode> DeserializeSeed<'de> for Seed<A> {
    type Value = A::Out;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<A::Out, D::Error> {
        A::decode(d)
    }
}

/// A JSON array whose items use adapter `A`.
pub struct List<A>(PhantomData<A>);

impl<A: Decode> Decode for List<A> {
    type Out = Vec<A::Out>;
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<A::Out>, D::Error> {
        struct V<A>(PhantomData<A>);
        impl<'de, A: Decode> Visitor<'de> for V<A> {
            type Value = Vec<A::Out>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
                while let Some(item) = seq.next_element_seed(Seed::<A>(PhantomData))? {
                    out.push(item);
                }
                Ok(out)
            }
        }
        d.deserialize_seq(V::<A>(PhantomData))
    }
}

impl<A: Encode> Encode for List<A> {
    type Out = Vec<A::Out>;
    fn encode(value: &Vec<A::Out>) -> Value {
        Value::Array(value.iter().map(A::encode).collect())
    }
    fn encode_result(value: &Vec<A::Out>) -> Value {
        Value::Array(value.iter().map(A::encode_result).collect())
    }
}

/// `None` when the value is one of Bitrix24's "no value" markers: `false` (`FALSE`), `""`
/// (`EMPTY`), `null` (`NULL`), `{}` (`EMPTY_OBJECT`) or `[]` (`EMPTY_LIST`); otherwise the
/// value read by `A`.
pub struct NoneIf<
    A,
    const FALSE: bool,
    const EMPTY: bool,
    const NULL: bool,
    const EMPTY_OBJECT: bool = false,
    const EMPTY_LIST: bool = false,
>(PhantomData<A>);

impl<
    A: Decode,
    const FALSE: bool,
    const EMPTY: bool,
    const NULL: bool,
    const EMPTY_OBJECT: bool,
    const EMPTY_LIST: bool,
> Decode for NoneIf<A, FALSE, EMPTY, NULL, EMPTY_OBJECT, EMPTY_LIST>
{
    type Out = Option<A::Out>;
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Option<A::Out>, D::Error> {
        d.deserialize_any(MarkerVisitor::<
            A,
            FALSE,
            EMPTY,
            NULL,
            EMPTY_OBJECT,
            EMPTY_LIST,
        >(PhantomData))
    }
}

/// Recognises [`NoneIf`]'s markers as the value streams by and hands anything else to `A`
/// unbuffered, so `A`'s errors keep their path inside the value (`phones.work_phone`).
/// Only an empty object or list needs a look ahead: its first key or item is read and then
/// replayed.
struct MarkerVisitor<
    A,
    const FALSE: bool,
    const EMPTY: bool,
    const NULL: bool,
    const EMPTY_OBJECT: bool,
    const EMPTY_LIST: bool,
>(PhantomData<A>);

impl<
    'de,
    A: Decode,
    const FALSE: bool,
    const EMPTY: bool,
    const NULL: bool,
    const EMPTY_OBJECT: bool,
    const EMPTY_LIST: bool,
> Visitor<'de> for MarkerVisitor<A, FALSE, EMPTY, NULL, EMPTY_OBJECT, EMPTY_LIST>
{
    type Value = Option<A::Out>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value or a \"no value\" marker")
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
        if FALSE && !v {
            return Ok(None);
        }
        A::decode(v.into_deserializer()).map(Some)
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        A::decode(v.into_deserializer()).map(Some)
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        A::decode(v.into_deserializer()).map(Some)
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        A::decode(v.into_deserializer()).map(Some)
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if EMPTY && v.is_empty() {
            return Ok(None);
        }
        A::decode(v.into_deserializer()).map(Some)
    }
    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        if EMPTY && v.is_empty() {
            return Ok(None);
        }
        A::decode(BorrowedStrDeserializer::new(v)).map(Some)
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
        if EMPTY && v.is_empty() {
            return Ok(None);
        }
        A::decode(v.into_deserializer()).map(Some)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        if NULL {
            return Ok(None);
        }
        A::decode(().into_deserializer()).map(Some)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        self.visit_unit()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        A::decode(d).map(Some)
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        if !EMPTY_OBJECT {
            return A::decode(MapAccessDeserializer::new(map)).map(Some);
        }
        match map.next_key::<String>()? {
            None => Ok(None),
            Some(first) => A::decode(MapAccessDeserializer::new(FirstKeyAgain {
                first: Some(first),
                rest: map,
            }))
            .map(Some),
        }
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
        if !EMPTY_LIST {
            return A::decode(SeqAccessDeserializer::new(seq)).map(Some);
        }
        // An item cannot be handed back unread, so the first one is buffered; the rest stream.
        match seq.next_element::<Value>()? {
            None => Ok(None),
            Some(first) => A::decode(SeqAccessDeserializer::new(FirstItemAgain {
                first: Some(first),
                rest: seq,
            }))
            .map(Some),
        }
    }
}

/// A map whose first key was already read (to tell `{}` from the rest); it is offered again.
struct FirstKeyAgain<M> {
    first: Option<String>,
    rest: M,
}

impl<'de, M: MapAccess<'de>> MapAccess<'de> for FirstKeyAgain<M> {
    type Error = M::Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, M::Error> {
        match self.first.take() {
            Some(key) => seed.deserialize(key.into_deserializer()).map(Some),
            None => self.rest.next_key_seed(seed),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, M::Error> {
        self.rest.next_value_seed(seed)
    }
    fn size_hint(&self) -> Option<usize> {
        self.rest.size_hint()
    }
}

/// A list whose first item was already read (to tell `[]` from the rest); it is offered again.
struct FirstItemAgain<S> {
    first: Option<Value>,
    rest: S,
}

impl<'de, S: SeqAccess<'de>> SeqAccess<'de> for FirstItemAgain<S> {
    type Error = S::Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, S::Error> {
        match self.first.take() {
            Some(item) => seed.deserialize(item).map(Some).map_err(S::Error::custom),
            None => self.rest.next_element_seed(seed),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        self.rest
            .size_hint()
            .map(|n| n + usize::from(self.first.is_some()))
    }
}

impl<
    A: Encode,
    const FALSE: bool,
    const EMPTY: bool,
    const NULL: bool,
    const EMPTY_OBJECT: bool,
    const EMPTY_LIST: bool,
> Encode for NoneIf<A, FALSE, EMPTY, NULL, EMPTY_OBJECT, EMPTY_LIST>
{
    type Out = Option<A::Out>;
    /// `None` is written as the first marker the field declares (in the order `false`, `""`,
    /// `{}`, `[]`, `null`), so it reads back as `None`. `null` comes last because an
    /// `optional` field reads it too, whatever else it declares.
    fn encode(value: &Option<A::Out>) -> Value {
        match value {
            Some(v) => A::encode(v),
            None => Self::marker(),
        }
    }
    fn encode_result(value: &Option<A::Out>) -> Value {
        match value {
            Some(v) => A::encode_result(v),
            None => Self::marker(),
        }
    }
}

impl<
    A,
    const FALSE: bool,
    const EMPTY: bool,
    const NULL: bool,
    const EMPTY_OBJECT: bool,
    const EMPTY_LIST: bool,
> NoneIf<A, FALSE, EMPTY, NULL, EMPTY_OBJECT, EMPTY_LIST>
{
    /// The marker `None` is written as.
    fn marker() -> Value {
        if FALSE {
            Value::Bool(false)
        } else if EMPTY {
            Value::String(String::new())
        } else if EMPTY_OBJECT {
            Value::Object(serde_json::Map::new())
        } else if EMPTY_LIST {
            Value::Array(Vec::new())
        } else {
            Value::Null
        }
    }
}

/// How the keys of a [`Map`] are spelled: JSON object keys are always text.
pub trait Key {
    /// The Rust key type; maps keep their keys in order.
    type Out: Ord;
    /// Reads a key; `Err` says what was expected.
    fn parse(key: &str) -> Result<Self::Out, String>;
    /// The key as an object key.
    fn write(key: &Self::Out) -> String;
}

/// Id keys: `"5"` is `5`.
impl Key for Id {
    type Out = u64;
    fn parse(key: &str) -> Result<u64, String> {
        key.trim()
            .parse()
            .map_err(|_| format!("map key {key:?} is not an id"))
    }
    fn write(key: &u64) -> String {
        key.to_string()
    }
}

/// Integer keys: `"-1"` is `-1`.
impl Key for Plain<i64> {
    type Out = i64;
    fn parse(key: &str) -> Result<i64, String> {
        key.trim()
            .parse()
            .map_err(|_| format!("map key {key:?} is not an integer"))
    }
    fn write(key: &i64) -> String {
        key.to_string()
    }
}

/// Text keys, kept as they are.
impl Key for Plain<String> {
    type Out = String;
    fn parse(key: &str) -> Result<String, String> {
        Ok(key.to_owned())
    }
    fn write(key: &String) -> String {
        key.clone()
    }
}

/// An object key as text: JSON keys are strings, other formats may give numbers (`5:`).
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = KeyText;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object key")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<KeyText, E> {
                Ok(KeyText(v.to_owned()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A JSON object used as a dictionary, keys read by `K` and values by `V`, kept in key order
/// in a `BTreeMap`. PHP sends an empty one as `[]` (an empty array), which reads as an empty
/// map; any other list is an error. An empty map is written as `{}`.
pub struct Map<K, V>(PhantomData<(K, V)>);

impl<K: Key, V: Decode> Decode for Map<K, V> {
    type Out = BTreeMap<K::Out, V::Out>;
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self::Out, D::Error> {
        struct Vis<K, V>(PhantomData<(K, V)>);
        impl<'de, K: Key, V: Decode> Visitor<'de> for Vis<K, V> {
            type Value = BTreeMap<K::Out, V::Out>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object (or [] for an empty one)")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let mut out = BTreeMap::new();
                while let Some(KeyText(key)) = map.next_key()? {
                    let key = K::parse(&key).map_err(M::Error::custom)?;
                    let value = map.next_value_seed(Seed::<V>(PhantomData))?;
                    out.insert(key, value);
                }
                Ok(out)
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
                if seq.next_element::<IgnoredAny>()?.is_some() {
                    return Err(S::Error::custom(
                        "expected an object, found a non-empty list (only an empty list stands for an empty object)",
                    ));
                }
                Ok(BTreeMap::new())
            }
        }
        d.deserialize_any(Vis::<K, V>(PhantomData))
    }
}

impl<K: Key, V: Encode> Encode for Map<K, V> {
    type Out = BTreeMap<K::Out, V::Out>;
    fn encode(value: &Self::Out) -> Value {
        Value::Object(
            value
                .iter()
                .map(|(k, v)| (K::write(k), V::encode(v)))
                .collect(),
        )
    }
    fn encode_result(value: &Self::Out) -> Value {
        Value::Object(
            value
                .iter()
                .map(|(k, v)| (K::write(k), V::encode_result(v)))
                .collect(),
        )
    }
}

/// A key that may be missing: `Some` of the value read by `A` (used with `#[serde(default)]`).
pub struct Opt<A>(PhantomData<A>);

impl<A: Decode> Decode for Opt<A> {
    type Out = Option<A::Out>;
    /// `null` is `None` too, as serde reads a plain `Option`, so every `optional` field treats
    /// `null` alike whatever its type.
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Option<A::Out>, D::Error> {
        struct V<A>(PhantomData<A>);
        impl<'de, A: Decode> Visitor<'de> for V<A> {
            type Value = Option<A::Out>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a value or null")
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                A::decode(d).map(Some)
            }
        }
        d.deserialize_option(V::<A>(PhantomData))
    }
}

impl<A: Encode> Encode for Opt<A> {
    type Out = Option<A::Out>;
    fn encode(value: &Option<A::Out>) -> Value {
        value.as_ref().map_or(Value::Null, A::encode)
    }
    fn encode_result(value: &Option<A::Out>) -> Value {
        value.as_ref().map_or(Value::Null, A::encode_result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode<A: Decode>(json: &str) -> Result<A::Out, serde_json::Error> {
        A::decode(&mut serde_json::Deserializer::from_str(json))
    }

    #[test]
    fn ids_arrive_as_numbers_or_numeric_strings() {
        assert_eq!(decode::<Id>("5").unwrap(), 5);
        assert_eq!(decode::<Id>("\"5\"").unwrap(), 5);
        assert!(
            decode::<Id>("\"five\"")
                .unwrap_err()
                .to_string()
                .contains("five")
        );
        assert!(decode::<Id>("-1").is_err());
    }

    #[test]
    fn yn_reads_letters_and_booleans_and_writes_letters() {
        assert!(decode::<Yn>("\"Y\"").unwrap());
        assert!(!decode::<Yn>("\"N\"").unwrap());
        assert!(decode::<Yn>("true").unwrap());
        assert!(decode::<Yn>("\"yes\"").is_err());
        assert_eq!(Yn::encode(&true), Value::from("Y"));
        assert_eq!(Yn::encode(&false), Value::from("N"));
    }

    #[test]
    fn none_markers_only_apply_when_declared() {
        type FalseAtom = NoneIf<Atom, true, false, false>;
        assert_eq!(decode::<FalseAtom>("false").unwrap(), None);
        let date = decode::<FalseAtom>("\"2026-03-02T09:30:00+01:00\"")
            .unwrap()
            .unwrap();
        assert_eq!(date.to_rfc3339(), "2026-03-02T09:30:00+01:00");
        assert!(decode::<FalseAtom>("null").is_err());
        assert!(decode::<FalseAtom>("true").is_err());
        type EmptyString = NoneIf<Plain<String>, false, true, false>;
        assert_eq!(decode::<EmptyString>("\"\"").unwrap(), None);
        assert_eq!(
            decode::<EmptyString>("\"x\"").unwrap().as_deref(),
            Some("x")
        );
    }

    #[test]
    fn none_is_written_back_as_the_declared_marker() {
        assert_eq!(
            NoneIf::<Atom, true, false, false>::encode(&None),
            Value::Bool(false)
        );
        assert_eq!(
            NoneIf::<Plain<String>, false, true, true>::encode(&None),
            Value::from("")
        );
        assert_eq!(NoneIf::<Id, false, false, true>::encode(&None), Value::Null);
        assert_eq!(
            NoneIf::<Yn, true, false, false>::encode(&Some(true)),
            Value::from("Y")
        );
    }

    #[test]
    fn dates_in_both_bitrix_formats() {
        let naive = decode::<NaiveDateTime>("\"2024-07-23 08:08:50\"").unwrap();
        assert_eq!(naive.to_string(), "2024-07-23 08:08:50");
        assert_eq!(
            decode::<NaiveDateTime>("\"2024-07-23T08:08:50\"").unwrap(),
            naive
        );
        assert_eq!(
            NaiveDateTime::encode(&naive),
            Value::from("2024-07-23 08:08:50")
        );
        assert!(decode::<Atom>("\"2024-07-23 08:08:50\"").is_err());
        assert_eq!(
            decode::<Date>("\"2024-07-23\"").unwrap().to_string(),
            "2024-07-23"
        );
    }

    #[test]
    fn optional_values_read_null_as_none() {
        assert_eq!(decode::<Opt<Id>>("null").unwrap(), None);
        assert_eq!(decode::<Opt<Id>>("\"7\"").unwrap(), Some(7));
        assert!(decode::<Opt<Id>>("\"x\"").is_err());
    }

    #[test]
    fn maps_read_php_empty_arrays_and_key_adapters() {
        type ById = Map<Id, Plain<i64>>;
        assert_eq!(decode::<ById>("[]").unwrap(), BTreeMap::new());
        assert_eq!(decode::<ById>("{}").unwrap(), BTreeMap::new());
        let counts = decode::<ById>(r#"{"547": 1, "12": 3}"#).unwrap();
        assert_eq!(counts, BTreeMap::from([(12, 3), (547, 1)]));
        let e = decode::<ById>(r#"{"x": 1}"#).unwrap_err().to_string();
        assert!(e.contains("\"x\" is not an id"), "{e}");
        assert!(decode::<ById>("[1]").is_err());
        assert!(decode::<ById>(r#"{"5": "a"}"#).is_err());
        assert_eq!(ById::encode(&BTreeMap::new()), serde_json::json!({}));
        assert_eq!(
            ById::encode(&counts),
            serde_json::json!({"12": 3, "547": 1})
        );
        type Flags = Map<Plain<String>, Yn>;
        let flags = decode::<Flags>(r#"{"a": "Y"}"#).unwrap();
        assert!(flags["a"]);
        assert_eq!(Flags::encode(&flags), serde_json::json!({"a": "Y"}));
        type Signed = Map<Plain<i64>, List<Id>>;
        assert_eq!(
            decode::<Signed>(r#"{"-1": ["2"]}"#).unwrap(),
            BTreeMap::from([(-1, vec![2])])
        );
    }

    #[test]
    fn empty_object_and_list_markers() {
        type Obj = NoneIf<NaiveDateTime, false, false, false, true, false>;
        assert_eq!(decode::<Obj>("{}").unwrap(), None);
        assert!(decode::<Obj>("[]").is_err());
        assert!(decode::<Obj>("\"2024-07-23 08:08:50\"").unwrap().is_some());
        assert_eq!(Obj::encode(&None), serde_json::json!({}));
        type Lst = NoneIf<Plain<String>, false, false, false, false, true>;
        assert_eq!(decode::<Lst>("[]").unwrap(), None);
        assert!(decode::<Lst>("{}").is_err());
        assert_eq!(Lst::encode(&None), serde_json::json!([]));
    }

    #[test]
    fn a_value_checked_for_a_marker_is_read_whole() {
        // The key or item read to tell `{}`/`[]` from a value is offered to `A` again.
        type ObjMap = NoneIf<Map<Id, Id>, false, false, false, true, false>;
        assert_eq!(
            decode::<ObjMap>(r#"{"1": "2", "3": 4}"#).unwrap(),
            Some(BTreeMap::from([(1, 2), (3, 4)]))
        );
        assert_eq!(decode::<ObjMap>("{}").unwrap(), None);
        let e = decode::<ObjMap>(r#"{"x": 1}"#).unwrap_err().to_string();
        assert!(e.contains("\"x\" is not an id"), "{e}");
        type Ids = NoneIf<List<Id>, false, false, false, false, true>;
        assert_eq!(
            decode::<Ids>(r#"[1, "2", 3]"#).unwrap(),
            Some(vec![1, 2, 3])
        );
        assert_eq!(decode::<Ids>("[]").unwrap(), None);
        assert!(decode::<Ids>(r#"["x", 2]"#).is_err());
        assert!(decode::<Ids>(r#"[1, "x"]"#).is_err());
        // Values that are no marker reach `A` as they are, whatever their JSON kind.
        type Any = NoneIf<Plain<Value>, true, true, true, true, true>;
        for json in ["true", "0", "-1", "1.5", "\"a\"", r#"{"a": [1]}"#, "[{}]"] {
            let value: Value = serde_json::from_str(json).unwrap();
            assert_eq!(decode::<Any>(json).unwrap(), Some(value), "{json}");
        }
        for marker in ["false", "\"\"", "null", "{}", "[]"] {
            assert_eq!(decode::<Any>(marker).unwrap(), None, "{marker}");
        }
        // Without the marker declared, `null` goes to `A`, which may refuse it.
        assert!(decode::<NoneIf<Id, true, false, false>>("null").is_err());
        assert_eq!(
            decode::<NoneIf<Plain<Value>, true, false, false>>("null").unwrap(),
            Some(Value::Null)
        );
    }

    #[test]
    fn numbers_arrive_as_numbers_or_numeric_strings() {
        assert_eq!(decode::<Integer>("99").unwrap(), 99);
        assert_eq!(decode::<Integer>("\"99\"").unwrap(), 99);
        assert_eq!(decode::<Integer>("\" -180 \"").unwrap(), -180);
        assert!(decode::<Integer>("\"5.5\"").is_err());
        assert!(decode::<Integer>("5.5").is_err());
        assert!(decode::<Integer>("18446744073709551615").is_err());
        assert!(decode::<Integer>("true").is_err());
        assert_eq!(Integer::encode(&-180), Value::from(-180));
        assert_eq!(decode::<Number>("0.25").unwrap(), 0.25);
        assert_eq!(decode::<Number>("\"0.25\"").unwrap(), 0.25);
        assert_eq!(decode::<Number>("-3").unwrap(), -3.0);
        for bad in ["\"NaN\"", "\"inf\"", "\"x\"", "null"] {
            assert!(decode::<Number>(bad).is_err(), "{bad}");
        }
        assert_eq!(Number::encode(&0.25), Value::from(0.25));
    }

    #[test]
    fn decimals_are_exact_and_sent_as_text() {
        let d = |text: &str| text.parse::<rust_decimal::Decimal>().unwrap();
        assert_eq!(decode::<Decimal>("\"19999.99\"").unwrap(), d("19999.99"));
        assert_eq!(decode::<Decimal>("19999.99").unwrap(), d("19999.99"));
        assert_eq!(decode::<Decimal>("1000000").unwrap(), d("1000000"));
        assert_eq!(decode::<Decimal>("-0.1").unwrap(), d("-0.1"));
        assert_eq!(
            decode::<Decimal>("18446744073709551615").unwrap(),
            u64::MAX.into()
        );
        // The scale is kept, so the text is sent back as it came.
        let hundred = decode::<Decimal>("\"100.00\"").unwrap();
        assert_eq!(Decimal::encode(&hundred), Value::from("100.00"));
        for bad in [
            "\"12,50\"",
            "\"1e5\"",
            "\"1_000\"",
            "\"-\"",
            "\".\"",
            "\"1.2.3\"",
            "\"\"",
            "1e30",
            "\"0.12345678901234567890123456789\"",
            "true",
        ] {
            assert!(decode::<Decimal>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn display_datetimes_keep_their_format_in_results_and_send_iso() {
        let at = decode::<Regional>("\"12/11/2024 05:59:00 pm\"").unwrap();
        assert_eq!(at.at().to_string(), "2024-12-11 17:59:00");
        assert_eq!(Regional::encode(&at), Value::from("2024-12-11T17:59:00"));
        assert_eq!(
            Regional::encode_result(&at),
            Value::from("12/11/2024 05:59:00 pm")
        );
        // Holders pass the result form on, so a serialized result reads back as received.
        let listed = vec![at];
        assert_eq!(
            List::<Regional>::encode_result(&listed),
            serde_json::json!(["12/11/2024 05:59:00 pm"])
        );
        assert_eq!(
            List::<Regional>::encode(&listed),
            serde_json::json!(["2024-12-11T17:59:00"])
        );
        type Maybe = NoneIf<Regional, false, true, false>;
        assert_eq!(Maybe::encode_result(&Some(at)), Value::from(at.to_string()));
        assert_eq!(Maybe::encode_result(&None), Value::from(""));
        assert_eq!(
            Opt::<Regional>::encode_result(&Some(at)),
            Value::from(at.to_string())
        );
        type ById = Map<Id, Regional>;
        let map = BTreeMap::from([(1, at)]);
        assert_eq!(
            ById::encode_result(&map),
            serde_json::json!({"1": "12/11/2024 05:59:00 pm"})
        );
        assert!(decode::<Regional>("\"2024-12-11T17:59:00\"").is_err());
    }

    #[test]
    fn lists_apply_the_item_adapter() {
        assert_eq!(decode::<List<Id>>("[1, \"2\"]").unwrap(), vec![1, 2]);
        assert_eq!(
            List::<Yn>::encode(&vec![true, false]),
            serde_json::json!(["Y", "N"])
        );
    }
}
