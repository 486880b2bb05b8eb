//! The error enum: one variant per documented code, `System` for the codes any method can
//! return, `Other` for anything else, and codes kept exactly as sent; errors with an empty code
//! get their variant from their description.

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

    // An empty code: the description picks the variant, ignoring letter case, spaces around
    // it and a final `.`; its code stays empty and `Display` shows the description.
    assert_eq!(E::from_error("", "Not found"), E::NoSuchThing);
    assert_eq!(E::from_error("", " not found. "), E::NoSuchThing);
    assert_eq!(E::from_error("", "ACCESS DENIED"), E::NoDeleteAccess);
    assert_eq!(E::NoSuchThing.code(), "");
    assert_eq!(E::NoSuchThing.to_string(), "Not found");
    assert_eq!(E::NoDeleteAccess.to_string(), "Access denied.");
    assert_eq!(E::NoSuchThing.system(), None);
    // Another description, or the code alone, is `Other("")`; a code wins over a description.
    assert_eq!(E::from_error("", "Not found!"), E::Other(String::new()));
    assert_eq!(E::from_code(""), E::Other(String::new()));
    assert_eq!(E::from_error("ID_EMPTY", "Not found"), E::IdEmpty);
    assert_eq!(
        E::from_error("QUERY_LIMIT_EXCEEDED", ""),
        E::System(SystemError::QueryLimitExceeded)
    );
    assert_eq!(E::IdEmpty.to_string(), "ID_EMPTY");

    let _: fn() -> <ImThingDeleteRequest as Method>::Error = || E::IdEmpty;
    assert_eq!(
        serde_json::Value::Object(ImThingDeleteRequest::new(3).params()),
        serde_json::json!({ "ID": 3 })
    );
}
