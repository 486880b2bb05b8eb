//! Memory of idle clients, one per portal, as a marketplace application serving thousands of
//! portals holds them: live heap bytes, counted by a global allocator, before and after
//! building 10,000 clients that share one connection pool, and a few hundred that each build
//! their own (the default of `Client::webhook`), for comparison. Nothing is sent.
//!
//! `cargo bench -p b24-client --bench idle_clients`; figures in `docs/BENCHMARKS.md`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicIsize, Ordering};

use b24_client::{Client, MemoryTokenStore, OAuthApp, Tokens};

/// The system allocator, counting live bytes.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Live heap bytes per item of what `make` builds, `n` times, all kept alive.
fn bytes_each<T>(n: usize, mut make: impl FnMut(usize) -> T) -> f64 {
    let before = LIVE.load(Ordering::Relaxed);
    let kept: Vec<T> = (0..n).map(&mut make).collect();
    let after = LIVE.load(Ordering::Relaxed);
    black_box(&kept);
    (after - before) as f64 / n as f64
}

fn main() {
    const PORTALS: usize = 10_000;
    // One pool for every portal, as such an application would share it.
    let http = b24_client::reqwest::Client::new();
    let webhook = bytes_each(PORTALS, |i| {
        Client::builder()
            .webhook(&format!(
                "https://portal{i}.bitrix24.com/rest/1/abcdef{i:010}/"
            ))
            .http_client(http.clone())
            .build()
            .unwrap()
    });
    let app = OAuthApp::new("app.573ad8a0346747.09223434", "client-secret");
    let oauth = bytes_each(PORTALS, |i| {
        let tokens = Tokens::new(format!("access{i:026}"), format!("refresh{i:025}"));
        Client::builder()
            .oauth_app(
                &format!("https://portal{i}.bitrix24.com"),
                app.clone(),
                MemoryTokenStore::new(tokens),
            )
            .http_client(http.clone())
            .build()
            .unwrap()
    });
    const OWN: usize = 200;
    let own_pool = bytes_each(OWN, |i| {
        Client::webhook(&format!(
            "https://portal{i}.bitrix24.com/rest/1/abcdef{i:010}/"
        ))
        .unwrap()
    });
    println!("idle clients, live heap bytes per portal:");
    println!(
        "  {PORTALS} webhook clients, shared pool:        {webhook:>9.0} B each, {:.1} MiB in all",
        webhook * PORTALS as f64 / 1048576.0
    );
    println!(
        "  {PORTALS} OAuth app clients (tokens in memory), shared pool: {oauth:>9.0} B each, {:.1} MiB in all",
        oauth * PORTALS as f64 / 1048576.0
    );
    println!("  {OWN} webhook clients, each its own pool:     {own_pool:>9.0} B each");
}
