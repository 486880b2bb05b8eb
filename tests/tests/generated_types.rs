//! The `im.user.get` types that `b24-client` ships, used the way an application uses them:
//! decoding what the portal sends, encoding parameters, and reading error codes.

use b24_client::im_user_get::*;
use b24_client::{ErrorCode, Method, Response, SystemError};
use serde_json::json;

/// The `result` of the documented example in `specs/im/im.user.get.yaml`, verbatim.
fn documented_result() -> serde_json::Value {
    json!({
        "id": 5,
        "active": true,
        "name": "John Smith",
        "first_name": "John",
        "last_name": "Smith",
        "work_position": "Manager",
        "color": "#048bd0",
        "avatar": "https://example.bitrix24.com/upload/main/avatar.png",
        "avatar_hr": "https://example.bitrix24.com/upload/main/avatar_hr.png",
        "gender": "M",
        "birthday": "",
        "extranet": false,
        "network": false,
        "bot": false,
        "connector": false,
        "external_auth_id": "default",
        "status": "online",
        "idle": false,
        "last_activity_date": "2026-03-02T09:30:00+01:00",
        "mobile_last_date": false,
        "desktop_last_date": false,
        "absent": false,
        "departments": [10],
        "phones": {
            "work_phone": "+11234567890",
            "personal_mobile": "+11234567890",
            "inner_phone": "21"
        },
        "website": "example.com",
        "email": "user@example.com",
        "bot_data": null,
        "type": "user"
    })
}

fn decode(value: serde_json::Value) -> User {
    serde_json::from_value(value).expect("decodes as User")
}

#[test]
fn documented_example_decodes() {
    let user = decode(documented_result());
    assert_eq!(user.id, 5);
    assert!(user.active);
    assert_eq!(user.name, "John Smith");
    assert_eq!(user.work_position, "Manager");
    assert_eq!(user.gender, Gender::Male);
    // `""` is the "no birthday" marker (`or_empty`), `false` the "never" marker (`or_false`).
    assert_eq!(user.birthday, None);
    assert_eq!(user.idle, None);
    assert_eq!(
        user.last_activity_date.map(|d| d.to_rfc3339()),
        Some("2026-03-02T09:30:00+01:00".to_owned())
    );
    assert_eq!(user.departments, vec![10]);
    let phones = user.phones.expect("the example has phones");
    assert_eq!(phones.inner_phone.as_deref(), Some("21"));
    assert_eq!(user.bot_data, None);
    assert_eq!(user.r#type, "user");
}

#[test]
fn documented_envelope_decodes_with_its_time_block() {
    let envelope = json!({
        "result": documented_result(),
        "time": { "start": 1760000000.0, "duration": 0.2, "operating": 0 }
    });
    let response: Response<User> = serde_json::from_value(envelope).expect("decodes");
    assert_eq!(response.result.email, "user@example.com");
    assert_eq!(response.time.and_then(|t| t.duration), Some(0.2));
}

#[test]
fn quirky_variant_decodes() {
    let mut value = documented_result();
    value["id"] = json!("5");
    value["phones"] = json!(false);
    value["idle"] = json!("2026-03-02T10:15:00+03:00");
    value["gender"] = json!("X");
    value["birthday"] = json!("24-12");
    value["bot_data"] = json!({ "code": "helper" });
    let user = decode(value);
    assert_eq!(user.id, 5);
    assert_eq!(user.phones, None);
    let idle = user.idle.expect("idle is a date");
    assert_eq!(idle.to_rfc3339(), "2026-03-02T10:15:00+03:00");
    assert_eq!(idle.offset().local_minus_utc(), 3 * 3600);
    // A gender this spec does not know is kept, not refused.
    assert_eq!(user.gender, Gender::Unknown("X".to_owned()));
    assert_eq!(user.gender.as_str(), "X");
    assert_eq!(user.birthday.as_deref(), Some("24-12"));
    assert_eq!(user.bot_data, Some(json!({ "code": "helper" })));
}

#[test]
fn wrong_values_are_refused_with_the_field_named() {
    let mut value = documented_result();
    value["idle"] = json!("2026-03-02 10:15:00");
    let err = serde_json::from_value::<User>(value)
        .unwrap_err()
        .to_string();
    assert!(err.contains("ATOM"), "{err}");

    let mut value = documented_result();
    value["id"] = json!("five");
    let err = serde_json::from_value::<User>(value)
        .unwrap_err()
        .to_string();
    assert!(err.contains("five"), "{err}");

    let mut value = documented_result();
    value.as_object_mut().unwrap().remove("email");
    let err = serde_json::from_value::<User>(value)
        .unwrap_err()
        .to_string();
    assert!(err.contains("email"), "{err}");
}

#[test]
fn request_params_are_in_wire_form() {
    let request = ImUserGetRequest::new().id(5).avatar_hr(true);
    assert_eq!(
        serde_json::Value::Object(request.params()),
        json!({ "ID": 5, "AVATAR_HR": "Y" })
    );
    assert_eq!(
        serde_json::Value::Object(ImUserGetRequest::new().avatar_hr(false).params()),
        json!({ "AVATAR_HR": "N" })
    );
    assert!(ImUserGetRequest::new().params().is_empty());
    assert_eq!(ImUserGetRequest::NAME, "im.user.get");
    const { assert!(ImUserGetRequest::READ_ONLY) };
}

#[test]
fn error_codes_map_to_variants_and_back() {
    let method = ImUserGetError::from_code("USER_NOT_EXISTS");
    assert_eq!(method, ImUserGetError::UserNotExists);
    assert_eq!(method.code(), "USER_NOT_EXISTS");
    assert_eq!(method.system(), None);

    let system = ImUserGetError::from_code("expired_token");
    assert_eq!(system, ImUserGetError::System(SystemError::ExpiredToken));
    assert_eq!(system.code(), "expired_token");
    assert_eq!(system.to_string(), "expired_token");

    // Documented by the method and also a system code: the method's variant, and the
    // system meaning is still there.
    let both = ImUserGetError::from_code("ACCESS_DENIED");
    assert_eq!(both, ImUserGetError::AccessDenied);
    assert_eq!(both.system(), Some(SystemError::AccessDenied));
    assert_eq!(both.code(), "ACCESS_DENIED");

    let unknown = ImUserGetError::from_code("Some_New_Code");
    assert_eq!(unknown, ImUserGetError::Other("Some_New_Code".to_owned()));
    assert_eq!(unknown.code(), "Some_New_Code");
    // Codes are case-sensitive: a system code in the wrong case is not that system code.
    assert_eq!(
        ImUserGetError::from_code("EXPIRED_TOKEN"),
        ImUserGetError::Other("EXPIRED_TOKEN".to_owned())
    );
}

/// The documented user with a value in every field that has a "no value" marker.
fn user_with_every_value() -> User {
    let mut value = documented_result();
    value["birthday"] = json!("24-12");
    for key in ["idle", "mobile_last_date", "desktop_last_date", "absent"] {
        value[key] = json!("2026-03-02T10:15:00+03:00");
    }
    value["bot_data"] = json!({ "code": "helper" });
    decode(value)
}

#[test]
fn user_round_trips_through_json() {
    let user = user_with_every_value();
    let json = serde_json::to_value(&user).expect("serializes");
    // Keys are the wire names, not the Rust names (`type`, not `r#type`).
    assert_eq!(json["type"], "user");
    assert_eq!(json["gender"], "M");
    assert_eq!(decode(json), user);
}

/// `None` of an `or_false`/`or_empty` field is written back as its marker, so the documented
/// user, wire quirks and all, reads back unchanged and serializes to the documented JSON.
#[test]
fn user_with_no_value_markers_round_trips_through_json() {
    let user = decode(documented_result());
    assert_eq!(user.idle, None);
    assert_eq!(user.birthday, None);
    let json = serde_json::to_value(&user).expect("serializes");
    assert_eq!(json, documented_result());
    assert_eq!(decode(json), user);
}
