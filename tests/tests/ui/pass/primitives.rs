//! Every primitive type: how a parameter of each goes on the wire, and how a field of each is
//! read from what Bitrix24 sends.

b24_client::generate!(specs = "primitives", relative_to = file);

use b24_client::{Decimal, DisplayDateTime, DisplayFormat, Method, Response};
use chrono::{DateTime, NaiveDate};
use im_thing_update::{ImThingUpdateRequest, Thing};
use serde_json::json;

fn main() {
    let since = DateTime::parse_from_rfc3339("2026-03-02T09:30:00+01:00").unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let request = ImThingUpdateRequest::new()
        .name("Box")
        .count(-3)
        .ratio(0.25)
        // `impl Into<Decimal>`: whole numbers convert.
        .price(100)
        .public(false)
        .notify(true)
        .owner_id(5)
        .since(since)
        .local_since(day.and_hms_opt(9, 30, 0).unwrap())
        .day(day)
        // `impl Into<DisplayDateTime>`: a `NaiveDateTime` converts.
        .shown_at(day.and_hms_opt(17, 59, 0).unwrap())
        .fields(json!({ "UF_COLOR": "red" }))
        .tag_ids(vec![1, 2])
        .days(vec![day, day.succ_opt().unwrap()])
        .flags(vec![true, false]);
    assert_eq!(
        serde_json::Value::Object(request.params()),
        json!({
            "NAME": "Box",
            "COUNT": -3,
            "RATIO": 0.25,
            // Decimals as text, every digit kept.
            "PRICE": "100",
            "PUBLIC": false,
            "NOTIFY": "Y",
            "OWNER_ID": 5,
            "SINCE": "2026-03-02T09:30:00+01:00",
            "LOCAL_SINCE": "2026-03-02 09:30:00",
            "DAY": "2026-03-02",
            // Display date-times are sent in the ISO form.
            "SHOWN_AT": "2026-03-02T17:59:00",
            "FIELDS": { "UF_COLOR": "red" },
            "TAG_IDS": [1, 2],
            "DAYS": ["2026-03-02", "2026-03-03"],
            "FLAGS": ["Y", "N"],
        })
    );
    // Parameters left out are not sent at all (not as null).
    let partial = ImThingUpdateRequest::new().owner_id(7);
    assert_eq!(partial.owner_id, Some(7));
    assert_eq!(partial.name, None);
    assert_eq!(
        serde_json::Value::Object(partial.params()),
        json!({ "OWNER_ID": 7 })
    );
    // Without `read_only: true` a method is not safe to retry.
    assert_eq!(ImThingUpdateRequest::NAME, "im.thing.update");
    assert!(!ImThingUpdateRequest::READ_ONLY);

    // The spec's example response, as the whole envelope.
    let envelope = json!({
        "result": {
            "name": "Box",
            // Numbers as the numeric strings a PHP backend may send.
            "count": "-3",
            "ratio": "0.25",
            "price": "19999.99",
            "public": true,
            "notify": "Y",
            "owner_id": "5",
            "since": "2026-03-02T09:30:00+01:00",
            "local_since": "2026-03-02 09:30:00",
            "day": "2026-03-02",
            "shown_at": "12/11/2024 05:59:00 pm",
            "fields": { "UF_COLOR": "red", "UF_SIZE": [1, 2] },
            "tag_ids": [1, "2"],
            "days": ["2026-03-02", "2026-03-03"],
            "flags": ["Y", "N"]
        },
        "time": { "start": 1760000000.0, "finish": 1760000000.1 }
    });
    let response: Response<<ImThingUpdateRequest as Method>::Output> =
        serde_json::from_value(envelope).unwrap();
    let thing: Thing = response.result;
    assert_eq!(thing.name, "Box");
    assert_eq!(thing.count, -3_i64);
    assert_eq!(thing.ratio, 0.25_f64);
    let price: Decimal = thing.price;
    assert_eq!(price, Decimal::new(1_999_999, 2));
    let shown: DisplayDateTime = thing.shown_at;
    assert_eq!(shown.format(), DisplayFormat::MonthFirst12h);
    let at = NaiveDate::from_ymd_opt(2024, 12, 11).unwrap();
    assert_eq!(shown.at(), at.and_hms_opt(17, 59, 0).unwrap());
    assert!(thing.public);
    assert!(thing.notify);
    assert_eq!(thing.owner_id, 5_u64);
    assert_eq!(thing.since, since);
    assert_eq!(thing.local_since.to_string(), "2026-03-02 09:30:00");
    assert_eq!(thing.day, day);
    assert_eq!(thing.fields["UF_SIZE"], json!([1, 2]));
    assert_eq!(thing.tag_ids, vec![1, 2]);
    assert_eq!(thing.days[1].to_string(), "2026-03-03");
    assert_eq!(thing.flags, vec![true, false]);
    assert_eq!(response.time.and_then(|t| t.finish), Some(1760000000.1));

    // Serialized, numbers are numbers, a decimal is its exact text and a display date-time is
    // written in the format it came in, so it reads back the same.
    let mut value = serde_json::to_value(&thing).unwrap();
    assert_eq!(value["count"], json!(-3));
    assert_eq!(value["price"], json!("19999.99"));
    assert_eq!(value["shown_at"], json!("12/11/2024 05:59:00 pm"));
    assert_eq!(serde_json::from_value::<Thing>(value.clone()).unwrap(), thing);
    // A decimal also reads from a JSON number; a number from a JSON number.
    value["price"] = json!(19999.99);
    value["ratio"] = json!(0.25);
    assert_eq!(serde_json::from_value::<Thing>(value.clone()).unwrap(), thing);
    // Other regional formats keep theirs.
    value["shown_at"] = json!("11.12.2024 17:59:00");
    let dotted = serde_json::from_value::<Thing>(value.clone()).unwrap().shown_at;
    assert_eq!((dotted.at(), dotted.format()), (shown.at(), DisplayFormat::DayFirst));
    value["shown_at"] = json!("12/11/2024 05:59:00 pm");

    // `yn` also accepts real booleans; text that is no number is refused with the field's
    // path, and a date in the wrong format is refused.
    value["notify"] = json!(false);
    assert!(
        !serde_json::from_value::<Thing>(value.clone())
            .unwrap()
            .notify
    );
    value["count"] = json!("three");
    assert!(serde_json::from_value::<Thing>(value.clone()).is_err());
    value["count"] = json!(-3);
    value["price"] = json!("19 999,99");
    assert!(serde_json::from_value::<Thing>(value.clone()).is_err());
    value["price"] = json!("19999.99");
    value["day"] = json!("02.03.2026");
    let err = serde_json::from_value::<Thing>(value)
        .unwrap_err()
        .to_string();
    assert!(err.contains("YYYY-MM-DD"), "{err}");
}
