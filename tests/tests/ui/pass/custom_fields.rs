//! Custom fields: a record type with `custom_fields` patterns keeps the keys matching them in
//! order and writes them back; a user's set file types them; selects and filters take them,
//! from typed keys; and the emulator filters on them and selects them from fixture records.

b24_client::generate!(specs = "custom_fields", relative_to = file);

use b24_client::{Cmp, CrmLink, CustomField, CustomFields, Decimal, Method, Money};
use b24_emulator::{Emulator, Fixture};
use crm_thing_list::{CrmThingListExact, CrmThingListFilter, CrmThingListRequest};
use serde_json::{Value, json};
use types::{Deal, DealField, MyDealFields, MyDealFieldsColour};

const ANSWER: &str = r#"{
    "ID": "410",
    "TITLE": "New Deal",
    "UF_CRM_1721244482250": "Hello world!",
    "NOT_A_PATTERN": "ignored as before",
    "UF_CRM_STAGE": "declared",
    "PARENT_ID_1220": "22",
    "UF_CRM_17": "1000.50",
    "UF_CRM_18": 7,
    "UF_CRM_19": "1",
    "UF_CRM_20": "2024-08-30T02:00:00+02:00",
    "UF_CRM_21": "46",
    "UF_CRM_22": "300|RUB",
    "UF_CRM_23": ["D_10", "CO_5"],
    "UF_CRM_24": {"id": 37375, "showUrl": "/show", "downloadUrl": "/get?auth=secret"},
    "UF_CRM_25": false
}"#;

fn main() {
    // An input type with patterns sends its custom fields after its own fields, in the order
    // set: typed by a set's key (a yes/no field as the portal reads it) or raw.
    let fields = crm_thing_add::DealFields::new()
        .title("Boiler")
        .custom(MyDealFields::APPROVED, true)
        .custom(MyDealFields::VISITS, 3)
        .custom_raw("PARENT_ID_1220", json!(22));
    assert_eq!(fields.custom.len(), 3);
    let params = crm_thing_add::CrmThingAddRequest::new(fields).params();
    let sent = &params["fields"];
    let keys: Vec<&str> = sent.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["TITLE", "UF_CRM_19", "UF_CRM_18", "PARENT_ID_1220"]);
    assert_eq!(sent["UF_CRM_18"], json!(3));
    assert_eq!(sent["PARENT_ID_1220"], json!(22));

    // Keys matching a pattern are kept in the order sent, values as sent; a declared field
    // matching one stays a field; other keys are ignored.
    let deal: Deal = serde_json::from_str(ANSWER).unwrap();
    assert_eq!(deal.id, 410);
    assert_eq!(deal.uf_crm_stage.as_deref(), Some("declared"));
    let names: Vec<&str> = deal.custom.iter().map(|(k, _)| k).collect();
    assert_eq!(
        names,
        [
            "UF_CRM_1721244482250",
            "PARENT_ID_1220",
            "UF_CRM_17",
            "UF_CRM_18",
            "UF_CRM_19",
            "UF_CRM_20",
            "UF_CRM_21",
            "UF_CRM_22",
            "UF_CRM_23",
            "UF_CRM_24",
            "UF_CRM_25"
        ]
    );
    assert_eq!(deal.custom.raw("UF_CRM_17"), Some(&json!("1000.50")));
    assert!(!deal.custom.contains("NOT_A_PATTERN"));
    // Written back: the declared fields, then the custom ones, unchanged.
    let written = serde_json::to_value(&deal).unwrap();
    let mut expected: Value = serde_json::from_str(ANSWER).unwrap();
    expected.as_object_mut().unwrap().remove("NOT_A_PATTERN");
    expected["ID"] = json!(410);
    assert_eq!(written, expected);
    assert_eq!(serde_json::from_value::<Deal>(written).unwrap(), deal);

    // The set file types them.
    let mine = MyDealFields::read(&deal.custom).unwrap();
    assert_eq!(mine.greeting.as_deref(), Some("Hello world!"));
    assert_eq!(mine.budget, Some(1000.5));
    assert_eq!(mine.visits, Some(7));
    assert_eq!(mine.approved, Some(true));
    assert_eq!(mine.due, chrono::NaiveDate::from_ymd_opt(2024, 8, 30));
    assert_eq!(mine.colour, Some(MyDealFieldsColour::Green));
    assert_eq!(mine.price, Some(Money::new(Decimal::new(300, 0), "RUB")));
    assert_eq!(
        mine.links,
        Some(vec![
            CrmLink { kind: Some("D".into()), id: 10 },
            CrmLink { kind: Some("CO".into()), id: 5 }
        ])
    );
    assert_eq!(mine.contract.as_ref().map(|f| f.id), Some(37375));
    assert!(!format!("{mine:?}").contains("secret"));
    assert_eq!(mine.tags, None);
    assert_eq!(mine.project, Some(22));
    // One typed key per field, for ad-hoc reads too.
    assert_eq!(deal.custom.get(MyDealFields::VISITS).unwrap(), Some(7));
    assert_eq!(deal.custom.get_as::<Money>("UF_CRM_22").unwrap().unwrap().currency, "RUB");
    let wrong = deal.custom.get_as::<i64>("UF_CRM_1721244482250").unwrap_err();
    assert_eq!(wrong.name, "UF_CRM_1721244482250");

    // Written back: set values in the portal's spelling, `None` taken out.
    let mut custom = CustomFields::new();
    MyDealFields {
        budget: Some(12.5),
        approved: Some(false),
        colour: Some(MyDealFieldsColour::Red),
        links: Some(vec![CrmLink { kind: Some("L".into()), id: 4 }]),
        ..MyDealFields::default()
    }
    .write(&mut custom);
    assert_eq!(
        Value::Object(custom.clone().into()),
        json!({"UF_CRM_17": 12.5, "UF_CRM_19": 0, "UF_CRM_21": "45", "UF_CRM_23": ["L_4"]})
    );
    let mut back = MyDealFields::read(&custom).unwrap();
    back.budget = None;
    back.write(&mut custom);
    assert!(!custom.contains("UF_CRM_17"));

    // Selects name custom fields by a typed key; filters take conditions on them.
    const RATING: CustomField<i64> = CustomField::new("UF_CRM_RATING");
    assert_eq!(DealField::from(MyDealFields::BUDGET), DealField::Custom("UF_CRM_17".into()));
    assert_eq!(DealField::from_wire("UF_CRM_9"), DealField::Custom("UF_CRM_9".into()));
    assert_eq!(DealField::from_wire("OTHER"), DealField::Unknown("OTHER".into()));
    assert_eq!(DealField::Custom("UF_CRM_9".into()).as_str(), "UF_CRM_9");
    let request = CrmThingListRequest::new()
        .filter(
            CrmThingListFilter::new()
                .id(Cmp::ge(1))
                .custom(MyDealFields::BUDGET, Cmp::gt(100))
                .custom(MyDealFields::COLOUR, Cmp::one_of([MyDealFieldsColour::Red]))
                .custom(RATING, Cmp::ne(3)),
        )
        .exact(CrmThingListExact::new().custom(MyDealFields::APPROVED, true))
        .select(vec![DealField::Id, MyDealFields::BUDGET.into(), DealField::AllCustom]);
    assert_eq!(
        Value::Object(request.params()),
        json!({
            "FILTER": {">=ID": 1, ">UF_CRM_17": 100.0, "@UF_CRM_21": ["45"], "!=UF_CRM_RATING": 3},
            "EXACT": {"UF_CRM_19": 1},
            "select": ["ID", "UF_CRM_17", "UF_*"]
        })
    );

    // The emulator keeps custom fields of its records, filters on them and selects them.
    let deals = json!([
        {"ID": 1, "TITLE": "small", "UF_CRM_17": 50, "UF_CRM_21": "45", "PARENT_ID_1220": "3"},
        {"ID": 2, "TITLE": "large", "UF_CRM_17": "2000", "UF_CRM_21": "46", "PARENT_ID_1220": "3"},
        {"ID": 3, "TITLE": "none", "UF_CRM_17": "", "UF_CRM_21": false}
    ]);
    let records = deals
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_object().unwrap().clone())
        .collect();
    let fixture = Fixture::builtin().with_collection("deals", records);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let running = Emulator::builder()
            .specs(SPECS)
            .fixture(fixture)
            .build()
            .unwrap()
            .start("127.0.0.1:0")
            .await
            .unwrap();
        let client = b24_client::Client::webhook(&running.webhook_url()).unwrap();
        let found = client
            .crm_thing_list()
            .filter(CrmThingListFilter::new().custom(MyDealFields::BUDGET, Cmp::gt(100)))
            .select(vec![DealField::Id, MyDealFields::COLOUR.into()])
            .send()
            .await
            .unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].id, found[0].title.as_deref()), (2, None));
        let names: Vec<&str> = found[0].custom.iter().map(|(k, _)| k).collect();
        assert_eq!(names, ["UF_CRM_21"]);
        let colour = MyDealFields::read(&found[0].custom).unwrap().colour;
        assert_eq!(colour, Some(MyDealFieldsColour::Green));
        // By a custom field's exact value, with every field answered.
        let project = client
            .crm_thing_list()
            .filter(CrmThingListFilter::new().custom(MyDealFields::PROJECT, Cmp::eq(3u64)))
            .send()
            .await
            .unwrap();
        assert_eq!(project.iter().map(|d| d.id).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(project[0].custom.get(MyDealFields::BUDGET).unwrap(), Some(50.0));
        let one = client.crm_thing_get(3).send().await.unwrap();
        assert_eq!(MyDealFields::read(&one.custom).unwrap(), MyDealFields::default());
        assert_eq!(one.custom.len(), 2);
        running.shutdown().await.unwrap();
    });
}
