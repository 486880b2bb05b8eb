//! What the client's call path costs over the least a caller could do: our full call (rate
//! limiter, retry loop, operating-time accounting, envelope, typed decode) against a bare
//! `reqwest` POST whose body is parsed into a `serde_json::Value`, both against the same
//! loopback server, in the same run, through the same connection pool.
//!
//! The limiter is on, with a plan so generous it never waits: its bookkeeping is measured,
//! not a wait. Figures and how to read them: `docs/BENCHMARKS.md`.

use std::hint::black_box;

use axum::Router;
use axum::routing::post;
use b24_client::{Client, Plan};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::Value;

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

fn call_overhead(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
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
    let url = format!("{base}/rest/1/benchcode/im.user.get");
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

    let mut group = c.benchmark_group("call im.user.get over loopback");
    group.bench_function("bare reqwest POST + serde_json::Value", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let response = http
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(r#"{"ID":5}"#)
                    .send()
                    .await
                    .unwrap();
                let bytes = response.bytes().await.unwrap();
                black_box(serde_json::from_slice::<Value>(&bytes).unwrap())
            })
        });
    });
    group.bench_function("b24-client full call path, typed", |b| {
        b.iter(|| {
            runtime.block_on(async { black_box(client.im_user_get().id(5).send().await.unwrap()) })
        });
    });
    group.finish();
}

criterion_group!(benches, call_overhead);
criterion_main!(benches);
