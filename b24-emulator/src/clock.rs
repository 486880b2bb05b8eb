//! The `time` block of success answers, with real timestamps and per-method operating time.
//!
//! Bitrix24 accounts the time each method spends over a 10-minute window (see
//! <https://apidocs.bitrix24.com/limits.html>); `operating` is what the method used in the
//! current window and `operating_reset_at` when that window ends.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

/// Length of the operating-time window.
const WINDOW: Duration = Duration::from_secs(600);

/// When a request arrived, on both the wall clock (for the envelope) and the monotonic clock
/// (for durations that cannot go backwards).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Started {
    wall: SystemTime,
    mono: Instant,
}

impl Started {
    pub fn now() -> Self {
        Self {
            wall: SystemTime::now(),
            mono: Instant::now(),
        }
    }
}

/// Everything the `time` block reports for one request.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TimeBlock {
    start: f64,
    finish: f64,
    duration: f64,
    processing: f64,
    date_start: String,
    date_finish: String,
    operating_reset_at: u64,
    operating: f64,
}

impl TimeBlock {
    pub fn to_json(&self) -> Value {
        json!({
            "start": self.start,
            "finish": self.finish,
            "duration": self.duration,
            "processing": self.processing,
            "date_start": self.date_start,
            "date_finish": self.date_finish,
            "operating_reset_at": self.operating_reset_at,
            "operating": self.operating,
        })
    }
}

/// Operating time per method, over the current window of each.
#[derive(Debug, Default)]
pub(crate) struct Meter {
    windows: Mutex<HashMap<String, Window>>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    /// Unix second at which the window ends.
    reset_at: u64,
    /// Seconds of processing accumulated in the window.
    used: f64,
}

impl Meter {
    /// Records a finished request of `method` and builds its `time` block.
    pub fn finish(&self, method: &str, started: Started) -> TimeBlock {
        let processing = started.mono.elapsed();
        let finish_wall = started.wall + processing;
        let start = unix_seconds(started.wall);
        let finish = unix_seconds(finish_wall);
        let processing = processing.as_secs_f64();

        let (reset_at, operating) = {
            // A poisoned lock only means another request panicked mid-update; the numbers in
            // it are still usable.
            let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
            let now = start as u64;
            let window = windows.entry(method.to_owned()).or_insert(Window {
                reset_at: now + WINDOW.as_secs(),
                used: 0.0,
            });
            if now >= window.reset_at {
                *window = Window {
                    reset_at: now + WINDOW.as_secs(),
                    used: 0.0,
                };
            }
            window.used += processing;
            (window.reset_at, window.used)
        };

        TimeBlock {
            start,
            finish,
            duration: finish - start,
            processing,
            date_start: atom(started.wall),
            date_finish: atom(finish_wall),
            operating_reset_at: reset_at,
            operating,
        }
    }
}

fn unix_seconds(t: SystemTime) -> f64 {
    t.duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64()
}

/// ATOM format, `2026-03-02T09:30:00+00:00`, as the portal writes `date_start`.
fn atom(t: SystemTime) -> String {
    DateTime::<Utc>::from(t).to_rfc3339_opts(SecondsFormat::Secs, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_consistent_and_operating_time_accumulates_per_method() {
        let meter = Meter::default();
        let first = meter.finish("a.b", Started::now());
        assert!(first.finish >= first.start);
        assert!((first.duration - (first.finish - first.start)).abs() < 1e-9);
        assert!(first.operating_reset_at >= first.start as u64 + 599);
        assert!(DateTime::parse_from_rfc3339(&first.date_start).is_ok());
        assert!(
            first.date_finish.ends_with("+00:00"),
            "{}",
            first.date_finish
        );

        let second = meter.finish("a.b", Started::now());
        assert_eq!(second.operating_reset_at, first.operating_reset_at);
        assert!(second.operating >= first.operating + second.processing - 1e-9);

        let other = meter.finish("c.d", Started::now());
        assert!((other.operating - other.processing).abs() < 1e-9);
    }

    #[test]
    fn an_expired_window_starts_over() {
        let meter = Meter::default();
        meter.windows.lock().unwrap().insert(
            "a.b".into(),
            Window {
                reset_at: 1,
                used: 99.0,
            },
        );
        let block = meter.finish("a.b", Started::now());
        assert!(block.operating < 99.0);
        assert!(block.operating_reset_at > 1);
    }
}
