//! Fault rules: validated when the emulator is built, applied to matching calls only.

use b24_client::{Client, Error, ErrorCode, SystemError};
use b24_emulator::{Emulator, EmulatorError, Fault};

/// A second method, answered from its example, so rules can be seen to leave it alone.
fn other_method() -> b24_spec::Spec {
    b24_spec::load_str(
        "test.ping.yaml",
        "method: test.ping\nscope: test\nsummary: Ping\ndocs: https://example.com/ping\naccess: any user\n\
         result: integer\nexample:\n  response: { result: 7 }\n",
    )
    .unwrap()
}

#[test]
fn rules_must_name_a_served_method_and_a_code_it_can_answer() {
    let e = Emulator::builder()
        .fault(Fault::error("no.such.method", "ID_EMPTY"))
        .build()
        .unwrap_err();
    assert!(matches!(e, EmulatorError::FaultMethod { .. }), "{e}");
    let e = Emulator::builder()
        .fault(Fault::error("im.user.get", "NOT_A_CODE"))
        .build()
        .unwrap_err();
    assert!(matches!(e, EmulatorError::FaultCode { .. }), "{e}");
    assert!(e.to_string().contains("NOT_A_CODE"), "{e}");
    // A method's own code cannot apply everywhere: `test.ping` does not declare it.
    let e = Emulator::builder()
        .spec(other_method())
        .fault(Fault::error_everywhere("USER_NOT_EXISTS"))
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("test.ping"), "{e}");
    assert!(
        Emulator::builder()
            .spec(other_method())
            .fault(Fault::error_everywhere("QUERY_LIMIT_EXCEEDED"))
            .build()
            .is_ok()
    );
}

#[tokio::test]
async fn matching_calls_fail_and_other_calls_work() {
    let running = Emulator::builder()
        .spec(other_method())
        .fault(Fault::error_everywhere("expired_token").for_method("IM.USER.GET.json"))
        .build()
        .unwrap()
        .start("127.0.0.1:0")
        .await
        .unwrap();
    let client = Client::webhook(&running.webhook_url()).unwrap();
    match client.im_user_get().id(5).send().await.unwrap_err() {
        Error::Api(api) => {
            assert_eq!(api.code.code(), "expired_token");
            assert_eq!(api.code.system(), Some(SystemError::ExpiredToken));
            assert_eq!(
                (api.status, api.description.as_str()),
                (401, SystemError::ExpiredToken.description())
            );
        }
        other => panic!("expected an API error, got {other}"),
    }
    let ping = client
        .call_raw("test.ping", Default::default())
        .await
        .unwrap();
    assert_eq!(ping.result, 7);
    running.shutdown().await.unwrap();
}
