//! The client against a real loopback server that misbehaves the way proxies and moved
//! portals do: redirects and error pages that echo the URL. Credentials must stay home.

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::any;
use b24_client::{AnyErrorCode, Client, Error};

const CODE: &str = "abcdef1234567890qwerty";

/// Serves `app` on 127.0.0.1 and returns its base URL.
async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

fn webhook(base: &str) -> Client {
    Client::webhook(&format!("{base}/rest/1/{CODE}/")).unwrap()
}

#[tokio::test]
async fn redirects_are_not_followed_and_name_only_the_new_host() {
    for status in [
        StatusCode::MOVED_PERMANENTLY,
        StatusCode::FOUND,
        StatusCode::TEMPORARY_REDIRECT,
        StatusCode::PERMANENT_REDIRECT,
    ] {
        let app = Router::new().fallback(any(move |uri: axum::http::Uri| async move {
            let location = format!("https://new-portal.example.com{uri}");
            (status, [(header::LOCATION, location)]).into_response()
        }));
        let base = serve(app).await;
        let e = webhook(&base)
            .call_raw("im.user.get", Default::default())
            .await
            .unwrap_err();
        match &e {
            Error::Moved { status: s, host } => {
                assert_eq!(*s, status.as_u16());
                assert_eq!(host.as_deref(), Some("new-portal.example.com"));
            }
            other => panic!("expected Moved, got {other:?}"),
        }
        let text = format!("{e} {e:?}");
        assert!(!text.contains(CODE), "{text}");
        assert!(text.contains("new-portal.example.com"), "{text}");
    }
}

#[tokio::test]
async fn requests_carry_no_referer_and_the_token_only_in_the_body() {
    let app = Router::new().fallback(any(
        |uri: axum::http::Uri, headers: HeaderMap, body: String| async move {
            let result = serde_json::json!({
                "referer": headers.contains_key(header::REFERER),
                "path": uri.path(),
                "body": body,
            });
            axum::Json(serde_json::json!({ "result": result }))
        },
    ));
    let base = serve(app).await;
    let client = Client::oauth(&base, "oauth-token-secret").unwrap();
    let r = client
        .call_raw("im.user.get", Default::default())
        .await
        .unwrap();
    assert_eq!(r.result["referer"], false);
    assert_eq!(r.result["path"], "/rest/im.user.get");
    let sent: serde_json::Value = serde_json::from_str(r.result["body"].as_str().unwrap()).unwrap();
    assert_eq!(sent["auth"], "oauth-token-secret");
}

#[tokio::test]
async fn error_pages_that_echo_the_url_are_redacted_wherever_the_cut_falls() {
    // The code starts near the 200-character snippet limit, so cutting before redacting
    // would leave part of it.
    let app = Router::new().fallback(any(|uri: axum::http::Uri| async move {
        let page = format!("<html>{}{uri}</html>", "x".repeat(183));
        (StatusCode::BAD_GATEWAY, page)
    }));
    let base = serve(app).await;
    let e = webhook(&base)
        .call_raw("im.user.get", Default::default())
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::<AnyErrorCode>::UnexpectedResponse { status: 502, .. }
        ),
        "{e:?}"
    );
    let text = format!("{e} {e:?}");
    for part in [CODE, &CODE[..8]] {
        assert!(!text.contains(part), "{part} leaked: {text}");
    }
}

#[tokio::test]
async fn an_empty_body_and_an_odd_time_block_are_told_apart() {
    let app = Router::new()
        .route(
            "/rest/1/{code}/empty",
            any(|| async { (StatusCode::OK, "") }),
        )
        .route(
            "/rest/1/{code}/odd.time",
            any(|| async {
                axum::Json(serde_json::json!({ "result": 5, "time": { "start": "soon" } }))
            }),
        );
    let base = serve(app).await;
    let client = webhook(&base);
    let e = client
        .call_raw("empty", Default::default())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("the body is empty"), "{e}");
    // `time` is informational: an odd one does not fail the call.
    let r = client
        .call_raw("odd.time", Default::default())
        .await
        .unwrap();
    assert_eq!((r.result, r.time), (serde_json::json!(5), None));
}

#[test]
fn portal_hosts_are_read_as_a_url_parser_reads_them() {
    let url = format!("https://evil.example\\.bitrix24.com/rest/1/{CODE}/");
    // Either refused, or the portal shown is the host requests really go to.
    if let Ok(c) = Client::webhook(&url) {
        assert!(!c.portal().contains('\\'), "{}", c.portal());
        assert!(!c.portal().contains("bitrix24.com"), "{}", c.portal());
    }
}
