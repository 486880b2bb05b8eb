//! What the generated types cost to decode a `result`, against the baseline of parsing the same
//! text into a `serde_json::Value` (what code without types does), in the same run.
//!
//! Time comes from criterion; memory from a counting allocator around one decode of each,
//! printed before the timings. Figures and how to read them: `docs/BENCHMARKS.md`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

use b24_client::Method;
use b24_client::im_user_get::ImUserGetRequest;
use b24_client::user_get::UserGetRequest;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::Value;

/// The system allocator, counting allocations and bytes asked for.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations and bytes one call of `f` asks for.
fn allocated<T>(f: impl FnOnce() -> T) -> (usize, usize) {
    let (a, b) = (
        ALLOCATIONS.load(Ordering::Relaxed),
        BYTES.load(Ordering::Relaxed),
    );
    black_box(f());
    (
        ALLOCATIONS.load(Ordering::Relaxed) - a,
        BYTES.load(Ordering::Relaxed) - b,
    )
}

/// The documented example `result` of `method`, from the specs the client was built from.
fn example_result(method: &str) -> Value {
    let pairs: Vec<(&str, &str)> = b24_client::SPECS.iter().map(|s| (s.path, s.text)).collect();
    let set = b24_spec::load_sources(&pairs).expect("the shipped specs load");
    let spec = set
        .specs
        .into_iter()
        .find(|s| s.method == method)
        .expect("a shipped method");
    spec.example.expect("an example").response["result"].clone()
}

/// `user.get`'s example record fifty times, with distinct ids: one full page; with
/// `custom`, each record also has five custom profile fields (`UF_USR_…`), which
/// `PortalUser` keeps in its `custom` field.
fn user_page(custom: bool) -> String {
    let record = example_result("user.get")[0].clone();
    let page: Vec<Value> = (1..=50)
        .map(|id| {
            let mut r = record.clone();
            r["ID"] = Value::from(id.to_string());
            if custom {
                r["UF_USR_1712345678901"] = Value::from(format!("B-{id}"));
                r["UF_USR_1712345678902"] = Value::from("2025-11-20T00:00:00+01:00");
                r["UF_USR_1712345678903"] = Value::from("1");
                r["UF_USR_1712345678904"] = serde_json::json!(["en", "de"]);
                r["UF_USR_1712345678905"] = Value::Bool(false);
            }
            r
        })
        .collect();
    Value::Array(page).to_string()
}

fn decode(c: &mut Criterion) {
    let one_user = example_result("im.user.get").to_string();
    let page = user_page(false);
    let custom_page = user_page(true);
    let im_user_get = ImUserGetRequest::new();
    let user_get = UserGetRequest::new();

    let typed_one = || {
        im_user_get
            .decode_output(&mut serde_json::Deserializer::from_str(black_box(
                &one_user,
            )))
            .unwrap()
    };
    let typed_page = || {
        user_get
            .decode_output(&mut serde_json::Deserializer::from_str(black_box(&page)))
            .unwrap()
    };
    // The same decoder, tracking the path to any field that fails so the error can name it.
    // `Client` did this for every answer; now it reads a result again this way only when the
    // plain read fails.
    let tracked_page = || {
        let mut track = serde_path_to_error::Track::new();
        let mut json = serde_json::Deserializer::from_str(black_box(&page));
        user_get
            .decode_output(serde_path_to_error::Deserializer::new(
                &mut json, &mut track,
            ))
            .unwrap()
    };
    let typed_custom_page = || {
        user_get
            .decode_output(&mut serde_json::Deserializer::from_str(black_box(
                &custom_page,
            )))
            .unwrap()
    };
    let value_one = || serde_json::from_str::<Value>(black_box(&one_user)).unwrap();
    let value_page = || serde_json::from_str::<Value>(black_box(&page)).unwrap();
    let value_custom_page = || serde_json::from_str::<Value>(black_box(&custom_page)).unwrap();

    for (name, typed, value) in [
        ("im.user.get", allocated(typed_one), allocated(value_one)),
        (
            "user.get page",
            allocated(typed_page),
            allocated(value_page),
        ),
        (
            "user.get page, error paths tracked",
            allocated(tracked_page),
            allocated(value_page),
        ),
        (
            "user.get page, 5 custom fields a record",
            allocated(typed_custom_page),
            allocated(value_custom_page),
        ),
    ] {
        println!(
            "memory {name}: typed {} allocations, {} bytes; Value {} allocations, {} bytes",
            typed.0, typed.1, value.0, value.1
        );
    }

    let mut group = c.benchmark_group("im.user.get result");
    group.throughput(Throughput::Bytes(one_user.len() as u64));
    group.bench_function("serde_json::Value (baseline)", |b| b.iter(value_one));
    group.bench_function("generated type", |b| b.iter(typed_one));
    group.finish();

    let mut group = c.benchmark_group("user.get result, 50 records");
    group.throughput(Throughput::Bytes(page.len() as u64));
    group.bench_function("serde_json::Value (baseline)", |b| b.iter(value_page));
    group.bench_function("generated type", |b| b.iter(typed_page));
    group.bench_function("generated type, error paths tracked", |b| {
        b.iter(tracked_page)
    });
    group.finish();

    let mut group = c.benchmark_group("user.get result, 50 records with 5 custom fields each");
    group.throughput(Throughput::Bytes(custom_page.len() as u64));
    group.bench_function("serde_json::Value (baseline)", |b| {
        b.iter(value_custom_page)
    });
    group.bench_function("generated type", |b| b.iter(typed_custom_page));
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
