//! Properties of the wire adapters that generated types use for Bitrix24's quirks: whatever
//! JSON arrives, an adapter answers with a value or an error (never a panic), and every value
//! an adapter writes reads back as the same value, which is what lets a decoded response be
//! serialized, stored and read again.

use b24_client::wire::{
    Atom, Date, Decimal, Decode, Encode, Id, Integer, List, Map, NaiveDateTime, NoneIf, Number,
    Opt, Plain, Regional, Yn,
};
use b24_client::{DisplayDateTime, DisplayFormat};
use chrono::{DateTime, FixedOffset, NaiveDate};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use serde_json::Value;

fn decode<A: Decode>(value: &Value) -> Result<A::Out, serde_json::Error> {
    A::decode(value.clone())
}

/// Writes with `A`, then reads back with `A`, through JSON text as on the wire.
fn round_trip<A: Decode + Encode<Out = <A as Decode>::Out>>(
    value: &<A as Decode>::Out,
) -> <A as Decode>::Out {
    let text = A::encode(value).to_string();
    let mut de = serde_json::Deserializer::from_str(&text);
    A::decode(&mut de).unwrap_or_else(|e| panic!("{text} does not read back: {e}"))
}

/// As [`round_trip`], writing the result form (what a serialized result holds).
fn result_round_trip<A: Decode + Encode<Out = <A as Decode>::Out>>(
    value: &<A as Decode>::Out,
) -> <A as Decode>::Out {
    let text = A::encode_result(value).to_string();
    let mut de = serde_json::Deserializer::from_str(&text);
    A::decode(&mut de).unwrap_or_else(|e| panic!("{text} does not read back: {e}"))
}

/// Exact decimals: up to 28 digits, any scale that fits.
fn decimal() -> impl Strategy<Value = b24_client::Decimal> {
    (any::<i64>(), 0u32..=12).prop_map(|(units, scale)| b24_client::Decimal::new(units, scale))
}

/// Numbers of up to 15 significant digits, as JSON writes them: serde_json (without its
/// `float_roundtrip` feature) reads those exactly, and may read a longer text one bit off,
/// for any `f64`.
fn short_number() -> impl Strategy<Value = f64> {
    (-999_999_999_999_999_i64..=999_999_999_999_999, 0u32..=6).prop_map(|(digits, scale)| {
        b24_client::Decimal::new(digits, scale)
            .to_string()
            .parse()
            .unwrap()
    })
}

fn display() -> impl Strategy<Value = DisplayDateTime> {
    (naive(), prop::sample::select(DisplayFormat::ALL.to_vec()))
        .prop_map(|(at, format)| DisplayDateTime::new(at, format))
}

fn from_text<A: Decode>(text: &str) -> Result<A::Out, serde_json::Error> {
    A::decode(&mut serde_json::Deserializer::from_str(text))
}

/// `NoneIf<A>` with every marker declared reads `text` as `None` if it is a marker, and
/// otherwise exactly as `A` reads it; `Err` says how they differ.
fn passes_through<A: Decode>(text: &str, marker: bool) -> Result<(), String>
where
    A::Out: PartialEq + std::fmt::Debug,
{
    let checked = from_text::<NoneIf<A, true, true, true, true, true>>(text);
    let alone = from_text::<A>(text);
    match (checked, alone) {
        (Ok(None), _) if marker => Ok(()),
        (Ok(Some(a)), Ok(b)) if !marker && a == b => Ok(()),
        (Err(_), Err(_)) if !marker => Ok(()),
        (checked, alone) => Err(format!(
            "{text}: with the marker check {checked:?}, alone {alone:?}"
        )),
    }
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "\\PC{0,24}".prop_map(Value::from),
        "[0-9 +-]{0,21}".prop_map(Value::from),
        "[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}([+-][0-9]{2}:[0-9]{2})?"
            .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map("[0-9a-z-]{0,4}", inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Date-times as Bitrix24 writes them: whole seconds, offsets in whole minutes, years 1-9999.
fn atom() -> impl Strategy<Value = DateTime<FixedOffset>> {
    let first = NaiveDate::from_ymd_opt(1, 1, 2)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let last = NaiveDate::from_ymd_opt(9999, 12, 30)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    (
        first.and_utc().timestamp()..last.and_utc().timestamp(),
        -(23 * 60 + 59)..=(23 * 60 + 59),
    )
        .prop_map(|(seconds, offset_minutes)| {
            let offset = FixedOffset::east_opt(offset_minutes * 60).unwrap();
            DateTime::from_timestamp(seconds, 0)
                .unwrap()
                .with_timezone(&offset)
        })
}

fn naive() -> impl Strategy<Value = chrono::NaiveDateTime> {
    atom().prop_map(|t| t.naive_local())
}

type Nothing = NoneIf<Plain<String>, true, true, true, true, true>;

proptest! {
    // The same cases on every run unless PROPTEST_RNG_SEED says otherwise.
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(0xb24),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_json_gets_a_value_or_an_error(value in any_json()) {
        // Each read either succeeds or returns an error; a panic fails the property.
        let _ = decode::<Id>(&value);
        let _ = decode::<Yn>(&value);
        let _ = decode::<Atom>(&value);
        let _ = decode::<NaiveDateTime>(&value);
        let _ = decode::<Date>(&value);
        let _ = decode::<Integer>(&value);
        let _ = decode::<Number>(&value);
        let _ = decode::<Decimal>(&value);
        let _ = decode::<Regional>(&value);
        let _ = decode::<List<Id>>(&value);
        let _ = decode::<Map<Id, Yn>>(&value);
        let _ = decode::<Map<Plain<i64>, List<NaiveDateTime>>>(&value);
        let _ = decode::<Map<Plain<String>, Opt<Atom>>>(&value);
        let _ = decode::<Opt<Map<Id, Id>>>(&value);
        let _ = decode::<NoneIf<Id, true, true, true, true, true>>(&value);
        let _ = decode::<NoneIf<List<Date>, false, true, false, true, false>>(&value);
        let _ = decode::<Nothing>(&value);
    }

    #[test]
    fn ids_read_from_numbers_and_numeric_strings(id in any::<u64>(), pad in " {0,2}") {
        prop_assert_eq!(decode::<Id>(&Value::from(id)).unwrap(), id);
        prop_assert_eq!(decode::<Id>(&Value::from(format!("{pad}{id}{pad}"))).unwrap(), id);
        prop_assert_eq!(round_trip::<Id>(&id), id);
    }

    #[test]
    fn numbers_read_from_numbers_and_numeric_strings(
        n in any::<i64>(),
        x in short_number(),
        d in decimal(),
        pad in " {0,2}",
    ) {
        prop_assert_eq!(decode::<Integer>(&Value::from(n)).unwrap(), n);
        prop_assert_eq!(decode::<Integer>(&Value::from(format!("{pad}{n}{pad}"))).unwrap(), n);
        prop_assert_eq!(round_trip::<Integer>(&n), n);
        prop_assert_eq!(decode::<Number>(&Value::from(x)).unwrap(), x);
        prop_assert_eq!(decode::<Number>(&Value::from(x.to_string())).unwrap(), x);
        prop_assert_eq!(round_trip::<Number>(&x), x);
        // Exact both ways: the same digits, the same scale.
        let back = round_trip::<Decimal>(&d);
        prop_assert_eq!((back, back.scale()), (d, d.scale()));
        prop_assert_eq!(decode::<Decimal>(&Value::from(format!("{pad}{d}"))).unwrap(), d);
        // A JSON number reads as the decimal it is written as.
        prop_assert_eq!(
            from_text::<Decimal>(&x.to_string()).unwrap(),
            x.to_string().parse::<b24_client::Decimal>().unwrap()
        );
    }

    #[test]
    fn display_datetimes_read_back_exactly(at in display()) {
        // A result is written back in its own format; a request in ISO, read as a date-time.
        let text = at.to_string();
        prop_assert_eq!(text.parse::<DisplayDateTime>().unwrap(), at);
        prop_assert_eq!(result_round_trip::<Regional>(&at), at);
        prop_assert_eq!(Regional::encode_result(&at), Value::from(text));
        let iso = Regional::encode(&at);
        let sent = chrono::NaiveDateTime::parse_from_str(iso.as_str().unwrap(), "%Y-%m-%dT%H:%M:%S");
        prop_assert_eq!(sent.unwrap(), at.at());
    }

    #[test]
    fn scalars_read_back_what_they_write(
        yes in any::<bool>(),
        at in atom(),
        naive in naive(),
    ) {
        prop_assert_eq!(round_trip::<Yn>(&yes), yes);
        // Same instant and same offset: an ATOM string keeps the portal's offset.
        let back = round_trip::<Atom>(&at);
        prop_assert_eq!((back, back.offset()), (at, at.offset()));
        prop_assert_eq!(round_trip::<NaiveDateTime>(&naive), naive);
        prop_assert_eq!(round_trip::<Date>(&naive.date()), naive.date());
    }

    #[test]
    fn containers_read_back_what_they_write(
        ids in prop::collection::vec(any::<u64>(), 0..6),
        by_id in prop::collection::btree_map(any::<u64>(), any::<bool>(), 0..6),
        by_int in prop::collection::btree_map(any::<i64>(), prop::collection::vec(naive(), 0..3), 0..4),
        by_text in prop::collection::btree_map("\\PC{0,6}", prop::option::of(atom()), 0..4),
        maybe in prop::option::of(prop::collection::btree_map(any::<u64>(), any::<u64>(), 0..4)),
    ) {
        prop_assert_eq!(round_trip::<List<Id>>(&ids), ids);
        prop_assert_eq!(round_trip::<Map<Id, Yn>>(&by_id), by_id);
        prop_assert_eq!(round_trip::<Map<Plain<i64>, List<NaiveDateTime>>>(&by_int), by_int);
        prop_assert_eq!(round_trip::<Map<Plain<String>, Opt<Atom>>>(&by_text), by_text);
        prop_assert_eq!(round_trip::<Opt<Map<Id, Id>>>(&maybe), maybe);
    }

    /// Checking for a marker changes nothing else: read from JSON text as on the wire, a value
    /// that is no marker decodes (or fails) as the inner adapter alone would decode it.
    #[test]
    fn marker_checks_pass_other_values_through(value in any_json()) {
        let text = value.to_string();
        let marker = matches!(&value, Value::Bool(false) | Value::Null)
            || value.as_str() == Some("")
            || value.as_object().is_some_and(|o| o.is_empty())
            || value.as_array().is_some_and(|a| a.is_empty());
        prop_assert_eq!(passes_through::<Plain<Value>>(&text, marker), Ok(()));
        prop_assert_eq!(passes_through::<Id>(&text, marker), Ok(()));
        prop_assert_eq!(passes_through::<List<Id>>(&text, marker), Ok(()));
        prop_assert_eq!(passes_through::<Map<Id, Yn>>(&text, marker), Ok(()));
        prop_assert_eq!(passes_through::<Map<Plain<String>, Plain<Value>>>(&text, marker), Ok(()));
    }

    /// `None` is written as a marker the field declares and reads back as `None`; a value
    /// reads back as itself unless it is spelled like a declared marker.
    #[test]
    fn none_markers_read_back(
        text in prop::option::of("\\PC{0,6}"),
        dates in prop::option::of(prop::collection::vec(naive().prop_map(|t| t.date()), 0..3)),
        id in prop::option::of(any::<u64>()),
    ) {
        let expected_text = text.clone().filter(|t| !t.is_empty());
        prop_assert_eq!(round_trip::<Nothing>(&text), expected_text);
        let expected_dates = dates.clone().filter(|d| !d.is_empty());
        prop_assert_eq!(
            round_trip::<NoneIf<List<Date>, false, true, false, false, true>>(&dates),
            expected_dates
        );
        prop_assert_eq!(round_trip::<NoneIf<Id, true, false, false>>(&id), id);
        prop_assert_eq!(round_trip::<NoneIf<Id, false, false, true>>(&id), id);
    }
}
