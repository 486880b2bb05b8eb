//! What the call-overhead benches share: a loopback server answering `im.user.get` with its
//! documented answer, and the two calls they compare.

use std::hint::black_box;

use axum::Router;
use axum::routing::post;
use b24_client::{Client, Plan};
use serde_json::Value;
use tokio::runtime::Runtime;

/// A server on loopback, a bare `reqwest` client and our `Client`, sharing one connection
/// pool, on `runtime`.
pub struct Setup {
    pub runtime: Runtime,
    http: b24_client::reqwest::Client,
    client: Client,
    url: String,
}

/// The documented answer of `im.user.get`, from the shipped spec.
fn answer() -> String {
    let pairs: Vec<(&str, &str)> = b24_client::SPECS.iter().map(|s| (s.path, s.text)).collect();
    let set = b24_spec::load_sources(&pairs).expect("the shipped specs load");
    let spec = set
        .specs
        .into_iter()
        .find(|s| s.method == "im.user.get")
        .expect("im.user.get is shipped");
    spec.example
        .expect("it has an example")
        .response
        .to_string()
}

impl Setup {
    /// Starts the server on `runtime`. The limiter is on, with a plan so generous it never
    /// waits: its bookkeeping is measured, not a wait.
    pub fn new(runtime: Runtime) -> Self {
        let body = answer();
        let base = runtime.block_on(async move {
            let app = Router::new().route(
                "/rest/1/benchcode/im.user.get",
                post(move || {
                    let body = body.clone();
                    async move { ([("content-type", "application/json")], body) }
                }),
            );
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            tokio::spawn(async move { axum::serve(listener, app).await });
            format!("http://{addr}")
        });
        let http = b24_client::reqwest::Client::new();
        let client = Client::builder()
            .webhook(&format!("{base}/rest/1/benchcode/"))
            .http_client(http.clone())
            .plan(Plan::Custom {
                per_second: 1_000_000_000,
                burst: 1_000_000,
            })
            .build()
            .unwrap();
        Self {
            runtime,
            http,
            client,
            url: format!("{base}/rest/1/benchcode/im.user.get"),
        }
    }

    /// The least a caller could do: POST, read the body, parse it into a `Value`.
    pub fn bare(&self) {
        self.runtime.block_on(async {
            let response = self
                .http
                .post(&self.url)
                .header("content-type", "application/json")
                .body(r#"{"ID":5}"#)
                .send()
                .await
                .unwrap();
            let bytes = response.bytes().await.unwrap();
            black_box(serde_json::from_slice::<Value>(&bytes).unwrap());
        });
    }

    /// Our full call path: limiter, retry loop, operating-time accounting, envelope, typed
    /// decode.
    pub fn full(&self) {
        self.runtime.block_on(async {
            black_box(self.client.im_user_get().id(5).send().await.unwrap());
        });
    }
}
