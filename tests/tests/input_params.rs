//! Input types and `one_of_required` against the emulator over loopback HTTP, with specs of
//! this test's own (`tests/input_params/`): a card written with the generated builders reads
//! back typed; the emulator accepts what the builders, PHP forms and the sample generator send
//! and refuses unknown or missing fields; a request that meets no parameter of a group is
//! refused by the client before any HTTP, and by the emulator with the group's code.

b24_client::generate!(
    specs = "input_params",
    relative_to = file,
    client_trait = CardMethods
);

use b24_client::reqwest::header::CONTENT_TYPE;
use b24_client::{Client, Error, ErrorCode, RequestProblem};
use b24_emulator::{Emulator, Fixture, RunningEmulator};
use im_card_post::Attach;
use im_card_update::CardFields;
use serde_json::{Map, Value, json};
use types::{PhoneInput, PhoneKind};

mod support;

async fn start() -> (Emulator, RunningEmulator, Client) {
    let cards = (1..=3)
        .map(|id| json!({ "id": id }).as_object().unwrap().clone())
        .collect();
    let (emulator, running) = support::start(
        Emulator::builder()
            .specs(SPECS)
            .fixture(Fixture::builtin().with_collection("cards", cards))
            // The fields go under the card's `fields` key, which `im.card.get` answers.
            .handler("im.card.update", |call| {
                let id = call.param("ID").and_then(id_of);
                let fields = call.param("FIELDS").cloned().unwrap_or_default();
                let cards = call.fixture_mut().collection_mut("cards").unwrap();
                match cards.iter_mut().find(|c| c.get("id").and_then(id_of) == id) {
                    Some(card) => {
                        card.insert("fields".into(), fields);
                        Ok(json!(true))
                    }
                    None => Err(call.error("CARD_NOT_FOUND")),
                }
            }),
    )
    .await;
    let client = Client::webhook(&running.webhook_url()).expect("the webhook URL is valid");
    (emulator, running, client)
}

/// An id as a form (`"1"`) or JSON (`1`) sends it.
fn id_of(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| v.as_str()?.parse().ok())
}

fn params(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

/// The code, description and status of an error answer.
fn api_error<C: ErrorCode>(e: Error<C>) -> (String, String, u16) {
    match e {
        Error::Api(api) => (api.code.code().to_owned(), api.description, api.status),
        other => panic!("expected an error answer, got {other:?}"),
    }
}

#[tokio::test]
async fn a_card_written_with_builders_reads_back_typed() {
    let (_emulator, running, client) = start().await;
    let begin = chrono::DateTime::parse_from_rfc3339("2026-03-02T09:30:00+01:00").unwrap();
    let fields = CardFields::new("Deal")
        .opened(true)
        .begindate(begin)
        .assigned_by_id(5)
        .phone([
            PhoneInput::new("555-0100").value_type(PhoneKind::Work),
            PhoneInput::new("555-0101"),
        ]);
    assert!(client.im_card_update(1, fields).send().await.unwrap());

    let card = client.im_card_get(1).send().await.unwrap();
    let written = card.fields.expect("the card has the fields just written");
    assert_eq!(written.title, "Deal");
    assert_eq!(written.opened, Some(true));
    assert_eq!(written.begindate, Some(begin));
    assert_eq!(written.assigned_by_id, Some(5));
    let phones: Vec<(String, Option<PhoneKind>)> = written
        .phone
        .unwrap()
        .into_iter()
        .map(|p| (p.value, p.value_type))
        .collect();
    assert_eq!(
        phones,
        [
            ("555-0100".to_owned(), Some(PhoneKind::Work)),
            ("555-0101".to_owned(), None)
        ]
    );
    // What was sent, as the emulator keeps it: the wire form.
    let raw = client
        .call_raw_read_only("im.card.get", params(json!({ "ID": 1 })))
        .await
        .unwrap();
    assert_eq!(
        raw.result["fields"],
        json!({
            "TITLE": "Deal",
            "OPENED": "Y",
            "BEGINDATE": "2026-03-02T09:30:00+01:00",
            "ASSIGNED_BY_ID": 5,
            "PHONE": [
                { "VALUE": "555-0100", "VALUE_TYPE": "WORK" },
                { "VALUE": "555-0101" }
            ]
        })
    );
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_emulator_reads_input_objects_from_php_forms() {
    let (_emulator, running, client) = start().await;
    let answer = b24_client::reqwest::Client::new()
        .post(format!("{}im.card.update", running.webhook_url()))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("ID=2&FIELDS[TITLE]=Form&FIELDS[OPENED]=N&FIELDS[ASSIGNED_BY_ID]=7&FIELDS[PHONE][0][VALUE]=1&FIELDS[PHONE][0][VALUE_TYPE]=MOBILE&FIELDS[UF_CRM_17]=x")
        .send()
        .await
        .unwrap();
    let status = answer.status().as_u16();
    let body = answer.text().await.unwrap();
    assert_eq!(status, 200, "{body}");
    let written = client.im_card_get(2).send().await.unwrap().fields.unwrap();
    assert_eq!(written.title, "Form");
    assert_eq!(written.opened, Some(false));
    assert_eq!(written.assigned_by_id, Some(7));
    assert_eq!(
        written.phone.unwrap()[0].value_type,
        Some(PhoneKind::Mobile)
    );
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_emulator_accepts_every_sample_and_refuses_unknown_or_missing_fields() {
    let (emulator, running, client) = start().await;
    let spec = emulator.method("im.card.update").unwrap().clone();
    let ty = &spec.params.iter().find(|p| p.wire == "FIELDS").unwrap().ty;
    let samples = b24_spec::sample::requests(&spec, ty, 16, 11);
    assert_eq!(samples.len(), 16);
    for sample in samples {
        let sent = params(json!({ "ID": 3, "FIELDS": sample }));
        let answer = client.call_raw("im.card.update", sent).await;
        assert_eq!(answer.map(|r| r.result).ok(), Some(json!(true)), "{sample}");
    }

    for (fields, path, message) in [
        (
            json!({ "TITLE": "x", "OPENNED": "Y" }),
            "FIELDS.OPENNED",
            "`OPENNED` is not a field of `CardFields` (did you mean `OPENED`?)",
        ),
        (
            json!({ "OPENED": "Y" }),
            "FIELDS.TITLE",
            "field `TITLE` of `CardFields` is required, but missing",
        ),
        (
            json!({ "TITLE": "x", "PHONE": [{ "VALUE_TYPE": "WORK" }] }),
            "FIELDS.PHONE[0].VALUE",
            "field `VALUE` of `PhoneInput` is required, but missing",
        ),
    ] {
        let sent = params(json!({ "ID": 1, "FIELDS": fields }));
        let e = client.call_raw("im.card.update", sent).await.unwrap_err();
        assert_eq!(
            api_error(e),
            (
                "INVALID_ARG_VALUE".to_owned(),
                format!("invalid value of `{path}`: {message}"),
                400
            )
        );
    }
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_request_without_message_or_attach_is_refused_before_sending() {
    let (emulator, running, client) = start().await;
    // The typed client sends nothing.
    let e = client.im_card_post("chat5").send().await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidRequest {
                method: "im.card.post",
                problem: RequestProblem::MissingOneOf(["MESSAGE", "ATTACH"])
            }
        ),
        "{e:?}"
    );
    assert_eq!(emulator.requests("im.card.post"), 0);

    // Either parameter meets the group.
    let id = client.im_card_post("chat5").message("Hi").send().await;
    assert_eq!(id.unwrap(), 34239);
    let attach = Attach::new([json!({ "MESSAGE": "Hi" })]).color("#29619b");
    let id = client.im_card_post("chat5").attach(attach).send().await;
    assert_eq!(id.unwrap(), 34239);
    assert_eq!(emulator.requests("im.card.post"), 2);

    // Sent anyway, the emulator answers the documented code.
    let sent = params(json!({ "DIALOG_ID": "chat5" }));
    let e = client.call_raw("im.card.post", sent).await.unwrap_err();
    assert_eq!(
        api_error(e),
        (
            "MESSAGE_EMPTY".to_owned(),
            "Message can't be empty".to_owned(),
            400
        )
    );
    running.shutdown().await.unwrap();
}
