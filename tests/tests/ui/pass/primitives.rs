//! Every primitive type: how a parameter of each goes on the wire, and how a field of each is
//! read from what Bitrix24 sends.

b24_client::generate!(specs = "primitives", relative_to = file);

use b24_client::{Method, Response};
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
        .public(false)
        .notify(true)
        .owner_id(5)
        .since(since)
        .local_since(day.and_hms_opt(9, 30, 0).unwrap())
        .day(day)
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
            "PUBLIC": false,
            "NOTIFY": "Y",
            "OWNER_ID": 5,
            "SINCE": "2026-03-02T09:30:00+01:00",
            "LOCAL_SINCE": "2026-03-02 09:30:00",
            "DAY": "2026-03-02",
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
            "count": -3,
            "ratio": 0.25,
            "public": true,
            "notify": "Y",
            "owner_id": "5",
            "since": "2026-03-02T09:30:00+01:00",
            "local_since": "2026-03-02 09:30:00",
            "day": "2026-03-02",
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

    // `yn` also accepts real booleans; `integer` does not accept a numeric string (only `id`
    // does), and a date in the wrong format is refused.
    let mut value = serde_json::to_value(&thing).unwrap();
    value["notify"] = json!(false);
    assert!(
        !serde_json::from_value::<Thing>(value.clone())
            .unwrap()
            .notify
    );
    value["count"] = json!("-3");
    assert!(serde_json::from_value::<Thing>(value.clone()).is_err());
    value["count"] = json!(-3);
    value["day"] = json!("02.03.2026");
    let err = serde_json::from_value::<Thing>(value)
        .unwrap_err()
        .to_string();
    assert!(err.contains("YYYY-MM-DD"), "{err}");
}
