//! The generated client against the emulator over real loopback HTTP: the success path with
//! both kinds of auth, and every error `im.user.get` can answer with, each arriving as the
//! right variant with its exact code, description and status; errors with an empty code
//! arrive as the variant their description names.

use b24_client::im_user_get::{ImUserGetError, User};
use b24_client::{Client, Error, ErrorCode, RetryPolicy, SystemError};
use b24_emulator::{Emulator, Fault};

mod support;
use support::serve as start;

// A method whose errors have an empty code and are told apart by their description.
b24_client::generate!(specs = "specs/described_errors", relative_to = file);

/// The shipped spec of `im.user.get`, loaded with the rest of the set, since its types live in
/// a type library.
fn shipped_im_user_get() -> b24_spec::Spec {
    b24_emulator::load_specs(b24_client::SPECS)
        .unwrap()
        .into_iter()
        .find(|s| s.method == "im.user.get")
        .unwrap()
}

/// The documented example result, from the spec shipped in `b24-client`.
fn documented_user() -> User {
    let spec = shipped_im_user_get();
    let result = spec.example.unwrap().response["result"].clone();
    serde_json::from_value(result).unwrap()
}

fn api_error(e: Error<ImUserGetError>) -> b24_client::ApiError<ImUserGetError> {
    match e {
        Error::Api(api) => api,
        other => panic!("expected an error envelope, got {other}"),
    }
}

#[tokio::test]
async fn webhook_and_oauth_calls_return_the_documented_user() {
    let (running, client) = start(Emulator::builder()).await;
    let full = client
        .im_user_get()
        .id(5)
        .avatar_hr(true)
        .send_full()
        .await
        .unwrap();
    assert_eq!(full.result, documented_user());
    let time = full.time.expect("every answer has a time block");
    assert!(time.start.is_some() && time.finish.is_some() && time.duration.is_some());
    assert!(
        time.date_start.is_some() && time.operating_reset_at.is_some() && time.operating.is_some()
    );

    let app = Client::oauth(&running.base_url(), running.access_token()).unwrap();
    assert_eq!(
        app.im_user_get().id(5).send().await.unwrap(),
        documented_user()
    );
    // Without ID the portal answers with the caller (user 1 for the default webhook).
    assert_eq!(client.im_user_get().send().await.unwrap().id, 1);
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn errors_from_the_method_logic_arrive_typed() {
    let (running, client) = start(Emulator::builder()).await;

    let e = api_error(client.im_user_get().id(0).send().await.unwrap_err());
    assert_eq!((e.code.clone(), e.status), (ImUserGetError::IdEmpty, 400));
    assert_eq!(e.code.code(), "ID_EMPTY");
    assert!(e.to_string().starts_with("ID_EMPTY: "), "{e}");

    let e = api_error(client.im_user_get().id(424242).send().await.unwrap_err());
    assert_eq!(e.code, ImUserGetError::UserNotExists);
    assert!(!e.description.is_empty());

    let wrong_code = running
        .webhook_url()
        .replace("b24emulatorcode", "wrongcode");
    let e = api_error(
        Client::webhook(&wrong_code)
            .unwrap()
            .im_user_get()
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(e.code, ImUserGetError::System(SystemError::NoAuthFound));
    assert_eq!(e.status, 401);
    assert!(!e.to_string().contains("wrongcode"));

    let e = api_error(
        Client::oauth(&running.base_url(), "not-a-token")
            .unwrap()
            .im_user_get()
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(e.code.system(), Some(SystemError::NoAuthFound));
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn every_declared_and_system_error_round_trips_with_its_status() {
    let spec = shipped_im_user_get();
    let mut cases: Vec<(String, u16)> = spec
        .errors
        .iter()
        .map(|e| {
            let status = e
                .status
                .or_else(|| SystemError::from_code(&e.code).map(SystemError::status))
                .unwrap_or(400);
            (e.code.clone(), status)
        })
        .collect();
    for system in SystemError::ALL {
        if !cases.iter().any(|(code, _)| code == system.code()) {
            cases.push((system.code().to_owned(), system.status()));
        }
    }
    assert!(cases.len() >= 18, "{} cases", cases.len());

    for (code, status) in cases {
        let (running, client) =
            start(Emulator::builder().fault(Fault::error("im.user.get", &code))).await;
        // Each code as it arrives: one attempt (the runtime's retries have tests of their
        // own, tests/runtime_faults.rs).
        let client = client.with_retry(RetryPolicy::never());
        let e = api_error(client.im_user_get().id(5).send().await.unwrap_err());
        assert_eq!(e.code.code(), code, "code kept exactly, case included");
        assert_eq!(e.status, status, "{code}");
        assert_eq!(e.code.system(), SystemError::from_code(&code), "{code}");
        let expected = match code.as_str() {
            "ID_EMPTY" => ImUserGetError::IdEmpty,
            "USER_NOT_EXISTS" => ImUserGetError::UserNotExists,
            // Declared by the method, so it gets the method's variant; still a system code.
            "ACCESS_DENIED" => ImUserGetError::AccessDenied,
            other => ImUserGetError::System(SystemError::from_code(other).unwrap()),
        };
        assert_eq!(e.code, expected);
        assert!(!e.description.is_empty(), "{code}");
        running.shutdown().await.unwrap();
    }
}

#[tokio::test]
async fn an_unreachable_portal_is_a_transport_error_without_the_secret() {
    // Bind and drop a listener to get a port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // One attempt: a refused connection is retried by default, with waits in real time.
    let client = Client::webhook(&format!("http://127.0.0.1:{port}/rest/1/topsecret123/"))
        .unwrap()
        .with_retry(RetryPolicy::never());
    let e = client.im_user_get().send().await.unwrap_err();
    assert!(matches!(e, Error::Transport(_)), "{e:?}");
    assert!(!e.to_string().contains("topsecret123"), "{e}");
    assert!(!format!("{e:?}").contains("topsecret123"), "{e:?}");
}

#[tokio::test]
async fn errors_with_an_empty_code_arrive_as_the_variant_of_their_description() {
    use test_deal_get::{TestDealGetError, TestDealGetRequest};
    let spec = b24_spec::load_str(
        "test.deal.get.yaml",
        include_str!("specs/described_errors/test.deal.get.yaml"),
    )
    .unwrap();
    let (running, client) = start(
        Emulator::builder()
            .spec(spec)
            .fault(Fault::error("test.deal.get", "NoReadAccess").after(2)),
    )
    .await;
    let client = client.with_retry(RetryPolicy::never());
    let call = |id: u64| {
        let client = client.clone();
        async move {
            match client.call(&TestDealGetRequest::new(id)).await {
                Err(Error::Api(api)) => api,
                other => panic!("expected an error envelope, got {other:?}"),
            }
        }
    };
    // `not_found:` of the emulator section; the client reads the description into the variant.
    let e = call(999).await;
    assert_eq!(e.code, TestDealGetError::NotFound);
    assert_eq!(
        (e.code.code(), e.description.as_str(), e.status),
        ("", "Not found", 400)
    );
    assert_eq!(e.to_string(), "(no error code): Not found (HTTP 400)");
    // A found record is no error: the fault below comes third.
    assert!(client.call(&TestDealGetRequest::new(1)).await.is_ok());
    let e = call(1).await;
    assert_eq!(e.code, TestDealGetError::NoReadAccess);
    assert_eq!(e.description, "Access denied");
    running.shutdown().await.unwrap();
}
