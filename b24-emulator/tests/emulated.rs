//! Every shipped method answering from the built-in fixture over plain HTTP: lookups, filters,
//! paging, shapes chosen by parameters, related lists, and writes that later reads see.

mod common;

use std::time::{Duration, SystemTime};

use b24_emulator::{Emulator, Fixture, Plan, Record};
use common::{get, http, parts, post_json, start};
use serde_json::{Value, json};

/// POSTs a form-urlencoded body, the way PHP clients send filters.
async fn post_form(url: &str, body: &str) -> (u16, Value) {
    let response = http()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    parts(response).await
}

fn ok(answer: &(u16, Value)) -> &Value {
    assert_eq!(answer.0, 200, "{}", answer.1);
    &answer.1["result"]
}

fn error(answer: &(u16, Value)) -> (u16, &str) {
    (answer.0, answer.1["error"].as_str().unwrap_or_default())
}

fn ids(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|r| r[key].to_string().trim_matches('"').to_owned())
        .collect()
}

#[tokio::test]
async fn messenger_users_by_id_by_caller_and_by_list() {
    let running = start(Emulator::builder()).await;
    let hook = running.webhook_url();
    let peter = post_json(&format!("{hook}im.user.get"), &json!({"ID": 7})).await;
    assert_eq!(ok(&peter)["name"], "Peter Johnson");
    assert_eq!(ok(&peter)["departments"], json!([7, 12]));
    let me = get(&format!("{hook}im.user.get")).await;
    assert_eq!(ok(&me)["id"], 1);
    let nobody = post_json(&format!("{hook}im.user.get"), &json!({"ID": 99})).await;
    assert_eq!(error(&nobody), (400, "USER_NOT_EXISTS"));

    // Unknown ids are left out; the default shape is an object keyed by id.
    let keyed = get(&format!("{hook}im.user.list.get?ID[]=5&ID[]=7&ID[]=99")).await;
    let keyed = ok(&keyed).as_object().unwrap();
    assert_eq!(keyed.keys().collect::<Vec<_>>(), ["5", "7"]);
    assert_eq!(keyed["7"]["first_name"], "Peter");
    let list = get(&format!(
        "{hook}im.user.list.get?ID[]=7&ID[]=5&RESULT_TYPE=array"
    ))
    .await;
    assert_eq!(ids(ok(&list), "id"), ["5", "7"]);
    let none = get(&format!("{hook}im.user.list.get?ID[]=99")).await;
    assert_eq!(ok(&none), &json!([]), "an empty PHP array");
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn departments_and_their_employees() {
    let running = start(Emulator::builder()).await;
    let hook = running.webhook_url();
    let ids_only = post_json(
        &format!("{hook}im.department.employees.get"),
        &json!({"ID": [7, 3, 42]}),
    )
    .await;
    assert_eq!(ok(&ids_only), &json!({"7": [4, 7], "3": [6], "42": []}));
    let full = post_json(
        &format!("{hook}im.department.employees.get"),
        &json!({"ID": ["12"], "USER_DATA": "Y"}),
    )
    .await;
    let twelve = &ok(&full)["12"];
    assert_eq!(ids(twelve, "name"), ["Peter Johnson", "Olga Petrova"]);

    let plain = get(&format!("{hook}im.department.get?ID[]=7")).await;
    assert_eq!(ok(&plain)[0]["manager_user_id"], 4);
    assert!(ok(&plain)[0].get("manager_user_data").is_none());
    let joined = get(&format!(
        "{hook}im.department.get?ID[]=7&ID[]=3&USER_DATA=Y"
    ))
    .await;
    let heads: Vec<&Value> = ok(&joined)
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["manager_user_data"]["name"])
        .collect();
    assert_eq!(heads, [&json!("Maria Brown"), &json!("Emily Clark")]);
    assert_eq!(
        ok(&joined)[1]["full_name"],
        "Development Department / Example Company"
    );
    running.shutdown().await.unwrap();

    // Extranet users (9) and bots (11) may not use either method.
    let running = start(
        Emulator::builder()
            .webhook(9, "extranet")
            .webhook(11, "bot")
            .webhook(5, "five"),
    )
    .await;
    let base = running.base_url();
    for (hook, refused) in [("9/extranet", true), ("11/bot", true), ("5/five", false)] {
        for method in ["im.department.get", "im.department.employees.get"] {
            let answer = get(&format!("{base}/rest/{hook}/{method}?ID[]=7")).await;
            if refused {
                assert_eq!(error(&answer), (403, "ACCESS_ERROR"), "{hook} {method}");
            } else {
                assert_eq!(answer.0, 200, "{hook} {method}: {}", answer.1);
            }
        }
    }
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn department_get_filters_sorts_and_pages() {
    let running = start(Emulator::builder()).await;
    let hook = running.webhook_url();
    let children = get(&format!(
        "{hook}department.get?PARENT=1&sort=NAME&order=DESC"
    ))
    .await;
    assert_eq!(
        ids(ok(&children), "NAME"),
        [
            "Sales Department",
            "Finance Department",
            "Development Department"
        ]
    );
    assert_eq!(children.1["total"], 3);
    let headed = get(&format!("{hook}department.get?UF_HEAD=4")).await;
    assert_eq!(ids(ok(&headed), "ID"), ["7", "12"]);
    let named = post_json(
        &format!("{hook}department.get"),
        &json!({"NAME": "Support Team"}),
    )
    .await;
    assert_eq!(ids(ok(&named), "ID"), ["12"]);
    running.shutdown().await.unwrap();

    // 120 departments: pages of 50, with `next` and `total`.
    let many: Vec<Record> = (1..=120)
        .map(|i| {
            json!({"ID": i.to_string(), "NAME": format!("Team {i}"), "SORT": 500, "PARENT": "1"})
                .as_object()
                .unwrap()
                .clone()
        })
        .collect();
    let running =
        start(Emulator::builder().fixture(Fixture::builtin().with_collection("departments", many)))
            .await;
    let hook = running.webhook_url();
    let first = get(&format!("{hook}department.get?PARENT=1")).await;
    assert_eq!(
        (first.1["total"].clone(), first.1["next"].clone()),
        (json!(120), json!(50))
    );
    let last = get(&format!("{hook}department.get?PARENT=1&start=100")).await;
    assert_eq!(
        ids(ok(&last), "ID").first().map(String::as_str),
        Some("101")
    );
    assert_eq!(ok(&last).as_array().unwrap().len(), 20);
    assert!(last.1.get("next").is_none(), "{}", last.1);
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn user_get_and_search_take_php_filters() {
    let running = start(Emulator::builder()).await;
    let hook = running.webhook_url();
    let from5 = post_form(&format!("{hook}user.get"), "FILTER%5B%3E%3DID%5D=5").await;
    assert_eq!(ids(ok(&from5), "ID"), ["5", "6", "7", "8", "9"]);
    assert!(
        ok(&from5)[0].get("ADMIN").is_none(),
        "ADMIN is profile-only"
    );
    let cases = [
        ("FILTER[%NAME]=ar", vec!["6"]),
        ("FILTER[@ID][]=1&FILTER[@ID][]=9", vec!["1", "9"]),
        ("FILTER[!ACTIVE]=true", vec!["8"]),
        ("FILTER[USER_TYPE]=extranet", vec!["9"]),
        ("FILTER[<ID]=5&FILTER[!ID]=1", vec!["4"]),
        ("UF_DEPARTMENT=7", vec!["4", "7"]),
        (
            "FILTER[UF_DEPARTMENT]=12&SORT=NAME&ORDER=desc",
            vec!["7", "8"],
        ),
    ];
    for (query, expected) in cases {
        let found = get(&format!("{hook}user.get?{query}")).await;
        assert_eq!(ids(ok(&found), "ID"), expected, "{query}");
        assert_eq!(found.1["total"], expected.len(), "{query}");
    }
    let search = post_json(
        &format!("{hook}user.search"),
        &json!({"FILTER": {"LAST_NAME": "Brown"}}),
    )
    .await;
    assert_eq!(ids(ok(&search), "ID"), ["6"]);
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn user_search_finds_text_in_any_name_field() {
    let running = start(Emulator::builder()).await;
    let hook = running.webhook_url();
    let cases = [
        // The start of a word of the given name, family name or job title, without case.
        ("FILTER[FIND]=jo", vec!["5", "7"]),
        ("FILTER[FIND]=SMITH", vec!["5"]),
        ("FILTER[FIND]=engineer", vec!["8"]),
        ("FILTER[FIND]=dev", vec!["4", "7"]),
        // A text with a space matches the start of a field ("Head of Development").
        ("FILTER[FIND]=head%20of%20d", vec!["4"]),
        ("FILTER[FIND]=o&UF_DEPARTMENT=12", vec!["8"]),
        // Text inside a word is not found: `son` of Johnson, `ar` of Clark, Maria and Carter.
        ("FILTER[FIND]=son", vec![]),
        ("FILTER[FIND]=ar", vec![]),
        ("FILTER[FIND]=nobody", vec![]),
        // An empty text starts every field.
        ("FILTER[FIND]=", vec!["1", "4", "5", "6", "7", "8", "9"]),
    ];
    for (query, expected) in cases {
        let found = post_form(&format!("{hook}user.search"), query).await;
        assert_eq!(ids(ok(&found), "ID"), expected, "{query}");
    }
    // user.get declares no `FIND` in its filter: the key is refused as unknown.
    let plain = post_form(&format!("{hook}user.get"), "FILTER[FIND]=ar").await;
    assert_eq!(plain.0, 400, "{}", plain.1);
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn select_answers_only_the_selected_fields() {
    let running = start(Emulator::builder()).await;
    let hook = running.webhook_url();
    let keys = |answer: &(u16, Value)| -> Vec<String> {
        ok(answer)[0].as_object().unwrap().keys().cloned().collect()
    };
    // `ID` is always answered, selected or not.
    let two = post_form(
        &format!("{hook}user.get"),
        "FILTER[ID]=4&select[]=WORK_POSITION&select[]=NAME",
    )
    .await;
    assert_eq!(keys(&two), ["ID", "NAME", "WORK_POSITION"]);
    let custom = post_json(
        &format!("{hook}user.search"),
        &json!({"FILTER": {"NAME": "Emily"}, "select": ["UF_*", "EMAIL"]}),
    )
    .await;
    assert_eq!(
        keys(&custom),
        [
            "ID",
            "EMAIL",
            "UF_PHONE_INNER",
            "UF_EMPLOYMENT_DATE",
            "UF_DEPARTMENT"
        ]
    );
    let all = post_json(
        &format!("{hook}user.get"),
        &json!({"FILTER": {"ID": 4}, "select": ["*"]}),
    )
    .await;
    assert!(
        keys(&all).iter().all(|k| !k.starts_with("UF_")),
        "{:?}",
        keys(&all)
    );
    assert!(keys(&all).contains(&"LAST_LOGIN".to_owned()));
    // Without `select` (or with an empty one) every field comes.
    let every = post_json(
        &format!("{hook}user.get"),
        &json!({"FILTER": {"ID": 4}, "select": []}),
    )
    .await;
    assert!(
        keys(&every).contains(&"UF_DEPARTMENT".to_owned())
            && keys(&every).contains(&"NAME".to_owned())
    );
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn custom_fields_are_filtered_and_selected_like_other_fields() {
    // `PortalUser` keeps every `UF_` key it does not declare: the portal's own profile fields.
    let builtin = Fixture::builtin();
    let users: Vec<Record> = builtin
        .collection("portal_users")
        .unwrap()
        .iter()
        .map(|user| {
            let mut user = user.clone();
            let badge = match user["ID"].as_str() {
                Some("4") => json!("B-4"),
                Some("5") => json!("B-5"),
                _ => json!(""),
            };
            user.insert("UF_USR_1700000000001".into(), badge);
            user
        })
        .collect();
    let running =
        start(Emulator::builder().fixture(builtin.with_collection("portal_users", users))).await;
    let hook = running.webhook_url();
    let keys = |answer: &(u16, Value)| -> Vec<Vec<String>> {
        ok(answer)
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_object().unwrap().keys().cloned().collect())
            .collect()
    };
    // By a condition on the custom field, answering only it (and `ID`), from a PHP form.
    let badges = post_form(
        &format!("{hook}user.get"),
        "FILTER[%UF_USR_1700000000001]=b-&select[]=UF_USR_1700000000001",
    )
    .await;
    assert_eq!(ids(ok(&badges), "ID"), ["4", "5"]);
    assert_eq!(keys(&badges)[0], ["ID", "UF_USR_1700000000001"]);
    let one = post_json(
        &format!("{hook}user.get"),
        &json!({"FILTER": {"UF_USR_1700000000001": "B-5"}, "select": ["ID", "UF_*"]}),
    )
    .await;
    assert_eq!(ids(ok(&one), "ID"), ["5"]);
    assert_eq!(ok(&one)[0]["UF_USR_1700000000001"], "B-5");
    // A name no pattern of `PortalUser` matches is refused, in `select` and in `FILTER`.
    let bad = post_json(
        &format!("{hook}user.get"),
        &json!({"select": ["ID", "USR_BADGE"]}),
    )
    .await;
    assert_eq!(error(&bad), (400, "INVALID_ARG_VALUE"));
    assert!(
        bad.1["error_description"]
            .as_str()
            .unwrap()
            .contains("a custom field (UF_*)"),
        "{}",
        bad.1
    );
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn user_get_refuses_non_object_filters() {
    let running = start(Emulator::builder()).await;
    let hook = running.webhook_url();
    let bad = post_json(&format!("{hook}user.get"), &json!({"FILTER": "ID=5"})).await;
    assert_eq!(error(&bad), (400, "INVALID_ARG_VALUE"));
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_caller_s_own_records() {
    let running = start(Emulator::builder().webhook(1, "one").webhook(5, "five")).await;
    let base = running.base_url();
    let (one, five) = (
        format!("{base}/rest/1/one/"),
        format!("{base}/rest/5/five/"),
    );
    let current = get(&format!("{five}user.current")).await;
    assert_eq!(
        (&ok(&current)["ID"], &ok(&current)["NAME"]),
        (&json!("5"), &json!("John"))
    );
    let profile = get(&format!("{one}profile")).await;
    assert_eq!(
        ok(&profile),
        &json!({"ID": "1", "ADMIN": true, "NAME": "Alex", "LAST_NAME": "Morgan",
                "PERSONAL_GENDER": "", "TIME_ZONE": ""})
    );
    let counters = get(&format!("{one}im.counters.get")).await;
    assert_eq!(ok(&counters)["TYPE"]["ALL"], 7);
    assert_eq!(ok(&counters)["DIALOG"], json!({"5": 1}));
    let quiet = get(&format!("{five}im.counters.get")).await;
    assert_eq!(ok(&quiet)["CHAT"], json!([]));
    let recent = get(&format!("{five}im.recent.get")).await;
    assert_eq!(ids(ok(&recent), "id"), ["1", "chat2935"]);
    assert!(
        ok(&recent)[0].get("user_id").is_none(),
        "the owner is fixture-only"
    );
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn recent_conversations_follow_the_skip_switches() {
    let running = start(Emulator::builder().webhook(1, "one")).await;
    let hook = running.webhook_url();
    let cases = [
        ("", vec!["chat3010", "chat2935", "5", "chat1435"]),
        ("SKIP_CHAT=Y", vec!["5"]),
        ("SKIP_DIALOG=Y", vec!["chat3010", "chat2935", "chat1435"]),
        ("SKIP_OPENLINES=Y", vec!["chat2935", "5", "chat1435"]),
        ("ONLY_OPENLINES=Y", vec!["chat3010"]),
        (
            "SKIP_OPENLINES=Y&SKIP_DIALOG=Y",
            vec!["chat2935", "chat1435"],
        ),
        // `N` is the same as leaving a switch out.
        (
            "SKIP_CHAT=N&ONLY_OPENLINES=N",
            vec!["chat3010", "chat2935", "5", "chat1435"],
        ),
    ];
    for (query, expected) in cases {
        let recent = get(&format!("{hook}im.recent.get?{query}")).await;
        assert_eq!(ids(ok(&recent), "id"), expected, "{query}");
    }
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn chats_by_entity_by_dialog_id_and_their_members() {
    let running = start(Emulator::builder()).await;
    let hook = running.webhook_url();
    let found = get(&format!(
        "{hook}im.chat.get?ENTITY_TYPE=CRM&ENTITY_ID=DEAL%7C1663"
    ))
    .await;
    assert_eq!(ok(&found), &json!({"ID": 1435}));
    let missing = get(&format!(
        "{hook}im.chat.get?ENTITY_TYPE=CRM&ENTITY_ID=DEAL%7C1"
    ))
    .await;
    assert_eq!(ok(&missing), &Value::Null);
    let dialog = get(&format!("{hook}im.dialog.get?DIALOG_ID=chat2935")).await;
    assert_eq!(ok(&dialog)["name"], "Sales team");
    let unknown = get(&format!("{hook}im.dialog.get?DIALOG_ID=chat1")).await;
    assert_eq!(error(&unknown), (403, "ACCESS_ERROR"));
    let members = get(&format!("{hook}im.chat.user.list?CHAT_ID=1451")).await;
    assert_eq!(ok(&members), &json!([4, 1, 7, 6]));
    let empty = get(&format!("{hook}im.chat.user.list?CHAT_ID=77")).await;
    assert_eq!(ok(&empty), &json!([]));
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn calendar_events_by_kind_owner_and_section() {
    let running = start(Emulator::builder()).await;
    let hook = running.webhook_url();
    let url = format!("{hook}calendar.event.get");
    let both = json!({"type": "user", "ownerId": 1, "section": [21, 44]});
    assert_eq!(ids(ok(&post_json(&url, &both).await), "ID"), ["101", "103"]);
    let one = json!({"type": "user", "ownerId": "1", "section": ["44"]});
    assert_eq!(ids(ok(&post_json(&url, &one).await), "ID"), ["103"]);
    let company = json!({"type": "company_calendar", "ownerId": 0});
    assert_eq!(ids(ok(&post_json(&url, &company).await), "ID"), ["105"]);
    let other = json!({"type": "group", "ownerId": 1});
    assert_eq!(ok(&post_json(&url, &other).await), &json!([]));
    running.shutdown().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn writes_are_seen_by_later_reads() {
    let started = SystemTime::UNIX_EPOCH + Duration::from_secs(1_772_449_200); // 2026-03-02T11:00Z
    let emulator = Emulator::builder()
        .plan(Plan::Unlimited)
        .start_time(started)
        .webhook(5, "five")
        .build()
        .unwrap();
    let running = emulator.start("127.0.0.1:0").await.unwrap();
    let hook = running.webhook_url();
    assert_eq!(
        ok(&get(&format!("{hook}im.user.status.get")).await),
        "online"
    );
    let set = post_json(
        &format!("{hook}im.user.status.set"),
        &json!({"STATUS": "dnd"}),
    )
    .await;
    assert_eq!(ok(&set), &json!(true));
    assert_eq!(ok(&get(&format!("{hook}im.user.status.get")).await), "dnd");
    let me = get(&format!("{hook}im.user.get?ID=5")).await;
    assert_eq!(ok(&me)["status"], "dnd");
    let bad = post_json(
        &format!("{hook}im.user.status.set"),
        &json!({"STATUS": "busy"}),
    )
    .await;
    assert_eq!(error(&bad), (400, "STATUS_ERROR"));

    tokio::time::advance(Duration::from_secs(3600)).await;
    let idle = get(&format!("{hook}im.user.status.idle.start?AGO=5")).await;
    assert_eq!(ok(&idle), &json!(true));
    let me = get(&format!("{hook}im.user.get")).await;
    assert_eq!(ok(&me)["idle"], "2026-03-02T11:55:00+00:00");
    // Without AGO the spec's default (10 minutes) applies.
    get(&format!("{hook}im.user.status.idle.start")).await;
    assert_eq!(
        emulator.fixture().collection("users").unwrap()[2]["idle"],
        "2026-03-02T11:50:00+00:00"
    );
    get(&format!("{hook}im.user.status.idle.end")).await;
    let me = get(&format!("{hook}im.user.get")).await;
    assert_eq!(ok(&me)["idle"], false);
    // Other users and other emulators are untouched.
    assert_eq!(
        ok(&get(&format!("{hook}im.user.get?ID=1")).await)["status"],
        "online"
    );
    assert_eq!(
        Fixture::builtin().collection("users").unwrap()[2]["status"],
        "online"
    );
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn each_documented_example_is_answered_from_the_fixture() {
    // More methods than the standard plan's burst of 50: the limit is not what is tested here.
    let running = start(Emulator::builder().plan(Plan::Unlimited)).await;
    let hook = running.webhook_url();
    let emulator = Emulator::builder().build().unwrap();
    let mut emulated = 0;
    for spec in emulator.methods() {
        assert!(
            spec.emulator.is_some(),
            "{} has no `emulator:` section",
            spec.method
        );
        let Some(example) = &spec.example else {
            continue;
        };
        let answer = post_json(
            &format!("{hook}{}", spec.method),
            &Value::Object(example.params.clone()),
        )
        .await;
        assert_eq!(answer.0, 200, "{}: {}", spec.method, answer.1);
        emulated += 1;
    }
    assert_eq!(
        emulated,
        emulator.methods().count(),
        "every shipped spec has an example"
    );
    running.shutdown().await.unwrap();
}
