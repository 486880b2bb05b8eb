//! The method generated from this crate's spec works end to end, through the same `Client`.

use b24_client::{Client, Error, ErrorCode, Method, SystemError};
use b24_emulator::Emulator;
use b24_example_own_specs::RevisionMethods;
use b24_example_own_specs::im_revision_get::{ImRevisionGetError, ImRevisionGetRequest};

#[tokio::test]
async fn own_spec_method_is_served_and_decoded() {
    let running = Emulator::builder()
        .specs(b24_example_own_specs::SPECS)
        .build()
        .unwrap()
        .start("127.0.0.1:0")
        .await
        .unwrap();
    let client = Client::webhook(&running.webhook_url()).unwrap();

    let revisions = client.im_revision_get().send().await.unwrap();
    // The emulator answers a method without fixture data with the spec's documented example.
    assert_eq!(
        (revisions.rest, revisions.web, revisions.mobile),
        (32, 130, 22)
    );
    assert_eq!(revisions.im_revision_mobile, revisions.mobile);

    // Shipped methods keep working next to the crate's own.
    assert_eq!(client.im_user_get().id(5).send().await.unwrap().id, 5);

    let wrong = Client::webhook(&running.webhook_url().replace("/1/", "/2/")).unwrap();
    let err = wrong.im_revision_get().send().await.unwrap_err();
    match err {
        Error::Api(api) => {
            assert_eq!(
                api.code,
                ImRevisionGetError::System(SystemError::NoAuthFound)
            );
            assert_eq!(api.code.code(), "NO_AUTH_FOUND");
            assert_eq!(api.status, 401);
        }
        other => panic!("expected an API error, got {other}"),
    }
    running.shutdown().await.unwrap();
}

#[test]
fn the_generated_request_has_the_spec_facts() {
    assert_eq!(ImRevisionGetRequest::NAME, "im.revision.get");
    const { assert!(ImRevisionGetRequest::READ_ONLY) };
    assert!(ImRevisionGetRequest::new().params().is_empty());
    let paths: Vec<&str> = b24_example_own_specs::SPECS
        .iter()
        .map(|s| s.path)
        .collect();
    assert_eq!(
        paths,
        ["specs/im.revision.get.yaml", "specs/my-portal/staff.yaml"]
    );
}
