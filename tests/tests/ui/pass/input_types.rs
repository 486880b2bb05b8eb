//! Input types: object parameters built with generated builders (`new()` with the required
//! fields, a setter per field) and sent in wire form, nested in each other, in lists and maps,
//! shared from a type library; and `one_of_required`, checked before anything is sent.

b24_client::generate!(specs = "input_types", relative_to = file);

use std::collections::BTreeMap;

use b24_client::{Client, Error, Method, RequestProblem};
use chrono::TimeZone;
use im_thing_add::{
    Attach, Button, ButtonDisplay, ImThingAddError, ImThingAddRequest, Phone, PhoneKind,
    ThingFields, Utm,
};
use serde_json::{Value, json};

fn same_type<T>(_: &T, _: &T) {}

fn main() {
    let begin = chrono::DateTime::parse_from_rfc3339("2026-03-02T09:30:00+01:00").unwrap();
    let fields = ThingFields::new("Deal")
        .opened(true)
        .begindate(begin)
        .closedate(chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap())
        .assigned_by_id(5)
        .probability(40)
        // A list setter takes anything that becomes a `Vec`: an array here.
        .phone([
            Phone::new("555-0100").value_type(PhoneKind::Work),
            Phone::new("555-0101"),
        ])
        .utm(Utm::default().utm_source("mail"))
        .comment("First contact");
    let request = ImThingAddRequest::new("chat5", fields)
        .message("Hello")
        .keyboard(vec![
            Button::new("Open")
                .link("https://example.com")
                .display(ButtonDisplay::Line),
        ])
        .phones_by_label(BTreeMap::from([(
            "office".to_owned(),
            vec![Phone::new("555-0102")],
        )]));
    // Keys as the portal spells them, values in their wire form (yn as letters, ids as
    // numbers, dates as text), nested objects and lists as JSON, fields left out not sent.
    assert_eq!(
        Value::Object(request.params()),
        json!({
            "DIALOG_ID": "chat5",
            "FIELDS": {
                "TITLE": "Deal",
                "OPENED": "Y",
                "BEGINDATE": "2026-03-02T09:30:00+01:00",
                "CLOSEDATE": "2026-04-01",
                "ASSIGNED_BY_ID": 5,
                "PROBABILITY": 40,
                "PHONE": [
                    { "VALUE": "555-0100", "VALUE_TYPE": "WORK" },
                    { "VALUE": "555-0101" }
                ],
                "UTM": { "UTM_SOURCE": "mail" },
                "COMMENTS": "First contact"
            },
            "MESSAGE": "Hello",
            "KEYBOARD": [{ "TEXT": "Open", "LINK": "https://example.com", "DISPLAY": "LINE" }],
            "PHONES_BY_LABEL": { "office": [{ "VALUE": "555-0102" }] }
        })
    );

    // The builder's fields are public: required ones plain, the others `Option`.
    let title: &String = &request.fields.title;
    let phones: &Option<Vec<Phone>> = &request.fields.phone;
    assert_eq!((title.as_str(), phones.as_ref().map(Vec::len)), ("Deal", Some(2)));
    // `Default` when no field is required, and the same as `new()`.
    assert_eq!(Utm::default(), Utm::new());
    // A date-time setter takes any offset `chrono` converts, UTC included.
    let utc = chrono::Utc.with_ymd_and_hms(2026, 3, 2, 8, 30, 0).unwrap();
    let at = ThingFields::new("x").begindate(utc);
    assert_eq!(
        serde_json::to_value(&at).unwrap(),
        json!({ "TITLE": "x", "BEGINDATE": "2026-03-02T08:30:00+00:00" })
    );
    // An input object serializes to its wire form on its own too.
    assert_eq!(
        serde_json::to_value(Attach::new([json!({ "DELIMITER": {} })]).id(3)).unwrap(),
        json!({ "ID": 3, "BLOCKS": [{ "DELIMITER": {} }] })
    );

    // A library's input type and enum are one type in every module that uses them.
    same_type(&types::Phone::new("1"), &Phone::new("2"));
    same_type(&types::PhoneKind::Home, &PhoneKind::Mobile);

    // `one_of_required`: without MESSAGE or ATTACH the request is refused before sending.
    let bare = ImThingAddRequest::new("chat5", ThingFields::new("Deal"));
    assert_eq!(
        bare.check(),
        Err(RequestProblem::MissingOneOf(&["MESSAGE", "ATTACH"]))
    );
    assert_eq!(bare.clone().message("Hi").check(), Ok(()));
    let attach = Attach::new(vec![json!({ "MESSAGE": "Hi" })]);
    assert_eq!(bare.attach(attach).check(), Ok(()));
    let refused: Error<ImThingAddError> = Error::InvalidRequest {
        method: "im.thing.add",
        problem: RequestProblem::MissingOneOf(&["MESSAGE", "ATTACH"]),
    };
    assert_eq!(
        refused.to_string(),
        "not sent: `im.thing.add` needs at least one of the parameters `MESSAGE` or `ATTACH`, and none is set"
    );

    // The client method takes the required parameters, the builder of `FIELDS` among them.
    let client = Client::webhook("https://example.bitrix24.com/rest/1/abc123/").unwrap();
    let call = client
        .im_thing_add("chat5", ThingFields::new("Deal"))
        .message("Hi");
    assert_eq!(call.into_request().params()["FIELDS"], json!({ "TITLE": "Deal" }));
}
