//! Issue 11's round trip: a deal with custom fields, money as an exact decimal and a list of
//! phone numbers goes through `crm.deal.add` → `crm.deal.get` → `crm.deal.list` (a filter on a
//! custom field, that field selected, ordered by two keys), typed end to end, against the
//! emulator over loopback HTTP; and a contact's `PHONE` multi-field list round-trips through
//! `crm.contact.add` → `crm.contact.get`.
//!
//! The deal's custom fields are typed by a custom field set of the test's own
//! (`crm_round_trip/our-deal-fields.yaml`), as a user types their portal's.

b24_client::generate!(specs = "crm_round_trip", relative_to = file);

use b24_client::crm_deal_list::{CrmDealListFilter, CrmDealListFilterCmp};
use b24_client::types::{ContactFields, DealField, DealFields, MultiFieldInput};
use b24_client::{Client, Decimal, Method, Order};
use b24_emulator::{Emulator, Fixture};
use serde_json::json;
use types::OurDealFields;

mod support;

fn money(text: &str) -> Decimal {
    text.parse().expect("a decimal")
}

#[tokio::test]
async fn a_deal_with_custom_fields_money_and_phones_round_trips_typed() {
    let (emulator, running) = support::start(Emulator::builder().fixture(Fixture::builtin())).await;
    let client = Client::webhook(&running.webhook_url()).expect("the webhook URL is valid");

    // Add: money as an exact decimal, sent as text; custom fields by typed keys.
    let phones = vec!["+49 30 1234567".to_owned(), "+49 171 7654321".to_owned()];
    let fields = DealFields::new()
        .title("Boiler service")
        .stage_id("PREPARATION")
        .currency_id("EUR")
        .opportunity(money("19999.99"))
        .custom(OurDealFields::BUDGET, money("25000.50"))
        .custom(OurDealFields::DELIVERY_ADDRESS, "Hauptstr. 1, Berlin")
        .custom(OurDealFields::PHONES, phones.clone());
    let add = b24_client::crm_deal_add::CrmDealAddRequest::new(fields.clone());
    let sent = add.params();
    assert_eq!(sent["fields"]["OPPORTUNITY"], json!("19999.99"));
    assert_eq!(sent["fields"]["UF_CRM_1721244999001"], json!(phones));
    let id = client.crm_deal_add(fields).send().await.unwrap();
    assert_eq!(emulator.requests("crm.deal.add"), 1);

    // Get: every field typed, the custom ones kept and read back by the same keys.
    let deal = client.crm_deal_get(id).send().await.unwrap();
    assert_eq!(deal.id, id);
    assert_eq!(deal.title.as_deref(), Some("Boiler service"));
    assert_eq!(deal.opportunity, Some(money("19999.99")));
    let ours = OurDealFields::read(&deal.custom).unwrap();
    assert_eq!(ours.budget, Some(money("25000.50")));
    assert_eq!(
        ours.delivery_address.as_deref(),
        Some("Hauptstr. 1, Berlin")
    );
    assert_eq!(ours.phones, Some(phones.clone()));
    // Written back, the record is what was read.
    let again: b24_client::types::Deal =
        serde_json::from_value(serde_json::to_value(&deal).unwrap()).unwrap();
    assert_eq!(again, deal);

    // List: a filter on the custom field, that field selected, two sort keys.
    let threshold = money("1000");
    let found = client
        .crm_deal_list()
        .filter(
            CrmDealListFilter::new()
                .custom(OurDealFields::BUDGET, CrmDealListFilterCmp::gt(threshold)),
        )
        .select(vec![
            DealField::Id,
            DealField::StageId,
            DealField::Opportunity,
            OurDealFields::BUDGET.into(),
        ])
        .order(
            Order::new()
                .asc(DealField::StageId)
                .desc(DealField::Opportunity),
        )
        .send()
        .await
        .unwrap();
    assert!(found.iter().any(|d| d.id == id), "the new deal is found");
    for d in &found {
        let budget = d.custom.get(OurDealFields::BUDGET).unwrap();
        assert!(budget.is_some_and(|b| b > threshold), "{d:?}");
        // Only what was selected (and the always-answered id) comes back.
        assert_eq!(d.title, None, "{d:?}");
        assert_eq!(d.custom.len(), 1, "{d:?}");
    }
    let keys: Vec<(Option<String>, Option<Decimal>)> = found
        .iter()
        .map(|d| (d.stage_id.clone(), d.opportunity))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    assert_eq!(keys, sorted, "ordered by stage, then by amount descending");
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_contacts_phone_list_round_trips_typed() {
    let (_emulator, running) =
        support::start(Emulator::builder().fixture(Fixture::builtin())).await;
    let client = Client::webhook(&running.webhook_url()).expect("the webhook URL is valid");
    let fields = ContactFields::new()
        .name("Anna")
        .last_name("Schmidt")
        .phone([
            MultiFieldInput::new()
                .value("+49 30 1234567")
                .value_type("WORK"),
            MultiFieldInput::new()
                .value("+49 171 7654321")
                .value_type("MOBILE"),
        ]);
    let id = client.crm_contact_add(fields).send().await.unwrap();
    let contact = client.crm_contact_get(id).send().await.unwrap();
    let phones: Vec<(String, Option<String>)> = contact
        .phone
        .unwrap_or_default()
        .into_iter()
        .map(|p| (p.value, p.value_type))
        .collect();
    assert_eq!(
        phones,
        [
            ("+49 30 1234567".into(), Some("WORK".into())),
            ("+49 171 7654321".into(), Some("MOBILE".into())),
        ]
    );
    running.shutdown().await.unwrap();
}
