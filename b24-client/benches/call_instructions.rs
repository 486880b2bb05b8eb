//! The call overhead counted in instructions instead of time: `scripts/bench-call-instructions.sh`
//! runs this program under valgrind's callgrind, which counts the instructions executed inside
//! `bare_calls` and inside `full_calls` (everything they run: client, loopback server,
//! `reqwest`, `hyper`, on one thread). Unlike time, the count does not move with the load of a
//! shared machine, so the ratio of the two is repeatable run to run. It leaves out what the
//! kernel does (the loopback sockets), which is the same for both.
//!
//! The calls are those of `benches/call_overhead.rs`: our full call path (limiter, retry loop,
//! operating-time accounting, envelope, typed decode of `im.user.get`'s documented answer)
//! against a bare `reqwest` POST whose body is parsed into a `serde_json::Value`. Run without
//! valgrind (`cargo bench --bench call_instructions`), it makes the same calls and prints their
//! wall time, as a check that it works.

mod support;

use std::time::Instant;

use support::Setup;

/// Calls counted per variant.
const CALLS: usize = 2_000;
/// Calls of each variant before counting: connections opened, lazy statics set.
const WARM_UP: usize = 200;

/// Counted by callgrind (`--toggle-collect=*bare_calls*`).
#[inline(never)]
fn bare_calls(s: &Setup, n: usize) {
    for _ in 0..n {
        s.bare();
    }
}

/// Counted by callgrind (`--toggle-collect=*full_calls*`).
#[inline(never)]
fn full_calls(s: &Setup, n: usize) {
    for _ in 0..n {
        s.full();
    }
}

fn main() {
    // One thread: the server, the client and the connection tasks all run inside the
    // functions callgrind counts. (`cargo bench` passes `--bench`; no argument is read.)
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let s = Setup::new(runtime);
    for _ in 0..WARM_UP {
        s.bare();
        s.full();
    }
    let began = Instant::now();
    bare_calls(&s, CALLS);
    let bare = began.elapsed();
    let began = Instant::now();
    full_calls(&s, CALLS);
    let full = began.elapsed();
    println!(
        "{CALLS} calls each: bare POST + Value {:.1} µs a call, full call path {:.1} µs a call \
         (wall time; the instruction counts come from scripts/bench-call-instructions.sh)",
        bare.as_secs_f64() * 1e6 / CALLS as f64,
        full.as_secs_f64() * 1e6 / CALLS as f64,
    );
}
