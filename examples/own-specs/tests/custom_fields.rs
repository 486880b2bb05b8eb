//! A custom field set of this crate's own (`specs/my-portal/staff.yaml`) types the custom
//! fields a shipped method returns: `user.get`'s `PortalUser` keeps its undeclared `UF_` keys,
//! and `StaffFields` reads and writes ours.

use b24_client::types::{PortalUser, PortalUserField};
use b24_client::user_get::UserGetFilter;
use b24_client::{Client, Cmp, CustomFields};
use b24_emulator::{Emulator, Fixture};
use b24_example_own_specs::types::StaffFields;
use serde_json::json;

/// The built-in fixture, with our custom fields filled in for user 5.
fn fixture() -> Fixture {
    let builtin = Fixture::builtin();
    let users = builtin
        .collection("portal_users")
        .unwrap()
        .iter()
        .map(|user| {
            let mut user = user.clone();
            if user["ID"] == "5" {
                user.insert("UF_USR_1712345678901".into(), json!("B-1042"));
                user.insert(
                    "UF_USR_1712345678902".into(),
                    json!("2025-11-20T00:00:00+01:00"),
                );
                user.insert("UF_USR_1712345678903".into(), json!("1"));
                user.insert("UF_USR_1712345678904".into(), json!(["en", "de"]));
            } else {
                user.insert("UF_USR_1712345678901".into(), json!(""));
            }
            user
        })
        .collect();
    builtin.with_collection("portal_users", users)
}

#[tokio::test]
async fn our_custom_fields_are_read_typed_from_a_shipped_method() {
    let running = Emulator::builder()
        .specs(b24_example_own_specs::SPECS)
        .fixture(fixture())
        .build()
        .unwrap()
        .start("127.0.0.1:0")
        .await
        .unwrap();
    let client = Client::webhook(&running.webhook_url()).unwrap();

    let users: Vec<PortalUser> = client
        .user_get()
        .filter(UserGetFilter::new().id(Cmp::eq(5)))
        .send()
        .await
        .unwrap();
    let staff = StaffFields::read(&users[0].custom).unwrap();
    assert_eq!(staff.badge.as_deref(), Some("B-1042"));
    assert_eq!(
        staff.trained_on,
        chrono::NaiveDate::from_ymd_opt(2025, 11, 20)
    );
    assert_eq!(staff.first_aider, Some(true));
    assert_eq!(
        staff.languages,
        Some(vec!["en".to_owned(), "de".to_owned()])
    );

    // Selecting one custom field by its typed key answers it and the id only.
    let badges = client
        .user_get()
        .select(vec![PortalUserField::Id, StaffFields::BADGE.into()])
        .send()
        .await
        .unwrap();
    assert!(
        badges
            .iter()
            .all(|u| u.custom.len() == 1 && u.name.is_none())
    );
    let with_badge: Vec<u64> = badges
        .iter()
        .filter(|u| StaffFields::read(&u.custom).unwrap().badge.is_some())
        .map(|u| u.id)
        .collect();
    assert_eq!(with_badge, [5]);

    // `user.get`'s filter takes custom fields: by a typed key and a condition of its type.
    let trained = client
        .user_get()
        .filter(UserGetFilter::new().custom(StaffFields::FIRST_AIDER, Cmp::eq(true)))
        .send()
        .await
        .unwrap();
    assert_eq!(trained.iter().map(|u| u.id).collect::<Vec<_>>(), [5]);

    // A record serializes with its custom fields, so it can be stored and read back.
    let stored = serde_json::to_string(&users[0]).unwrap();
    let again: PortalUser = serde_json::from_str(&stored).unwrap();
    assert_eq!(again, users[0]);

    // Written back for an update: set fields in the portal's spelling, the rest left out.
    let mut update = CustomFields::new();
    StaffFields {
        first_aider: Some(false),
        ..StaffFields::default()
    }
    .write(&mut update);
    assert_eq!(
        serde_json::to_value(&update).unwrap(),
        json!({"UF_USR_1712345678903": 0})
    );
    running.shutdown().await.unwrap();
}
