//! The error enum: one variant per documented code, `System` for the codes any method can
//! return, `Other` for anything else, and codes kept exactly as sent.

b24_client::generate!(specs = "error_codes", relative_to = file);

use b24_client::{ErrorCode, Method, SystemError};
use im_thing_delete::{ImThingDeleteError as E, ImThingDeleteRequest};

fn main() {
    assert_eq!(E::from_code("ID_EMPTY"), E::IdEmpty);
    assert_eq!(E::from_code("THING_NOT_FOUND"), E::ThingNotFound);
    // A lower-case code gets a PascalCase variant and keeps its spelling.
    let locked = E::from_code("thing_locked");
    assert_eq!(locked, E::ThingLocked);
    assert_eq!(locked.code(), "thing_locked");
    assert_eq!(locked.to_string(), "thing_locked");
    assert_eq!(
        E::from_code("THING_LOCKED"),
        E::Other("THING_LOCKED".into())
    );

    // Documented by the method and also a system code: the method's variant, and `system()`
    // still tells what it is system-wide.
    let denied = E::from_code("ACCESS_DENIED");
    assert_eq!(denied, E::AccessDenied);
    assert_eq!(denied.system(), Some(SystemError::AccessDenied));

    // A system code the method does not document.
    let limit = E::from_code("QUERY_LIMIT_EXCEEDED");
    assert_eq!(limit, E::System(SystemError::QueryLimitExceeded));
    assert_eq!(limit.code(), "QUERY_LIMIT_EXCEEDED");
    assert!(limit.system().is_some_and(SystemError::is_transient));

    // Anything else is kept as sent, even the empty code.
    assert_eq!(
        E::from_code("NEW_CODE_2027"),
        E::Other("NEW_CODE_2027".into())
    );
    assert_eq!(E::from_code("NEW_CODE_2027").system(), None);
    assert_eq!(E::from_code("").code(), "");

    // Every variant's code reads back to the same variant.
    for code in [
        "ID_EMPTY",
        "THING_NOT_FOUND",
        "ACCESS_DENIED",
        "thing_locked",
        "expired_token",
    ] {
        assert_eq!(E::from_code(code).code(), code);
    }

    let _: fn() -> <ImThingDeleteRequest as Method>::Error = || E::IdEmpty;
    assert_eq!(
        serde_json::Value::Object(ImThingDeleteRequest::new(3).params()),
        serde_json::json!({ "ID": 3 })
    );
}
