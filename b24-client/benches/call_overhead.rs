//! What the client's call path costs over the least a caller could do: our full call (rate
//! limiter, retry loop, operating-time accounting, envelope, typed decode) against a bare
//! `reqwest` POST whose body is parsed into a `serde_json::Value`, both against the same
//! loopback server, in the same run, through the same connection pool.
//!
//! Two measurements: criterion's, one variant after the other; and an interleaved one, which
//! times rounds of each in turn (alternating which goes first) and reports the median of the
//! rounds' ratios, so that a machine whose load changes during the run moves both sides of
//! each ratio alike. `call_instructions.rs` counts instructions instead. Figures and how to
//! read them: `docs/BENCHMARKS.md`.

mod support;

use std::time::{Duration, Instant};

use criterion::Criterion;

use support::Setup;

/// Rounds of the interleaved measurement, and calls of each variant per round.
const ROUNDS: usize = 61;
const CALLS_PER_ROUND: usize = 100;

fn setup() -> Setup {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    Setup::new(runtime)
}

fn call_overhead(c: &mut Criterion, s: &Setup) {
    let mut group = c.benchmark_group("call im.user.get over loopback");
    group.sample_size(200);
    group.bench_function("bare reqwest POST + serde_json::Value", |b| {
        b.iter(|| s.bare())
    });
    group.bench_function("b24-client full call path, typed", |b| b.iter(|| s.full()));
    group.finish();
}

fn time(n: usize, f: impl Fn()) -> Duration {
    let began = Instant::now();
    for _ in 0..n {
        f();
    }
    began.elapsed()
}

/// Rounds of `CALLS_PER_ROUND` calls of each variant in turn; prints the median ratio and the
/// spread of the rounds.
fn interleaved(s: &Setup) {
    for _ in 0..CALLS_PER_ROUND {
        s.bare();
        s.full();
    }
    let mut ratios = Vec::with_capacity(ROUNDS);
    let (mut bare_total, mut full_total) = (Duration::ZERO, Duration::ZERO);
    for round in 0..ROUNDS {
        let (bare, full) = if round % 2 == 0 {
            let bare = time(CALLS_PER_ROUND, || s.bare());
            (bare, time(CALLS_PER_ROUND, || s.full()))
        } else {
            let full = time(CALLS_PER_ROUND, || s.full());
            (time(CALLS_PER_ROUND, || s.bare()), full)
        };
        bare_total += bare;
        full_total += full;
        ratios.push(full.as_secs_f64() / bare.as_secs_f64());
    }
    ratios.sort_by(f64::total_cmp);
    let at = |q: f64| ratios[((ratios.len() - 1) as f64 * q).round() as usize];
    let per_call = |d: Duration| d.as_secs_f64() * 1e6 / (ROUNDS * CALLS_PER_ROUND) as f64;
    println!(
        "interleaved, {ROUNDS} rounds of {CALLS_PER_ROUND} calls each: full / bare ratio median \
         {:.3}x (quartiles {:.3}x to {:.3}x, range {:.3}x to {:.3}x); mean call {:.1} µs bare, \
         {:.1} µs full",
        at(0.5),
        at(0.25),
        at(0.75),
        at(0.0),
        at(1.0),
        per_call(bare_total),
        per_call(full_total),
    );
}

fn main() {
    let s = setup();
    let mut c = Criterion::default().configure_from_args();
    call_overhead(&mut c, &s);
    c.final_summary();
    // Only when benchmarking (`cargo bench` passes `--bench`), not in a test run of benches.
    if std::env::args().any(|a| a == "--bench") {
        interleaved(&s);
    }
}
