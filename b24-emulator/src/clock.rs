//! Time in the emulator: a virtual clock, the `time` block of answers, and per-method operating
//! time.
//!
//! Every instant comes from [`tokio::time::Instant`], so a test on a paused runtime
//! (`#[tokio::test(start_paused = true)]` with `tokio::time::advance`) drives rate limits,
//! operating time and token expiry without waiting. Unix timestamps in answers are the wall-clock
//! time the emulator was built at plus the tokio time elapsed since.
//!
//! Operating time follows <https://apidocs.bitrix24.com/limits.html>: each method's execution time
//! is summed in one-minute baskets, per application or webhook; a basket opens at the first call
//! after the previous one's minute is over and leaves the sum 10 minutes after it opened
//! (`operating_reset_at` is when the oldest basket leaves). A call is refused with
//! `OPERATION_TIME_LIMIT` when the sum already exceeds the limit before it runs.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value, json};
use tokio::time::Instant;

/// How long a basket's time counts.
pub(crate) const WINDOW: Duration = Duration::from_secs(600);
/// How long a basket collects time.
const BASKET: Duration = Duration::from_secs(60);

/// The emulator's clock: tokio time, anchored to a wall-clock start.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clock {
    origin: Instant,
    wall_origin: SystemTime,
}

impl Clock {
    /// A clock whose current tokio instant shows as `wall_origin`.
    pub fn new(wall_origin: SystemTime) -> Self {
        Self {
            origin: Instant::now(),
            wall_origin,
        }
    }

    /// The current instant (virtual on a paused tokio runtime).
    pub fn now(&self) -> Instant {
        Instant::now()
    }

    /// The wall-clock time of `at`.
    pub fn wall(&self, at: Instant) -> SystemTime {
        let elapsed = at.saturating_duration_since(self.origin);
        self.wall_origin
            .checked_add(elapsed)
            .unwrap_or(self.wall_origin)
    }

    /// Unix time of `at`, with fractions of a second.
    pub fn unix(&self, at: Instant) -> f64 {
        unix_seconds(self.wall(at))
    }

    /// The `time` block of a call that started at `start` and took `processing`, finishing at
    /// `finish`.
    pub fn block(
        &self,
        start: Instant,
        finish: Instant,
        processing: Duration,
        operating: Option<Operating>,
    ) -> TimeBlock {
        let start_wall = self.wall(start);
        let finish_wall = self.wall(finish.max(start));
        let (start_s, finish_s) = (unix_seconds(start_wall), unix_seconds(finish_wall));
        TimeBlock {
            start: start_s,
            finish: finish_s,
            duration: finish_s - start_s,
            processing: processing.as_secs_f64(),
            date_start: atom(start_wall),
            date_finish: atom(finish_wall),
            operating: operating.map(|o| {
                (
                    o.used.as_secs_f64(),
                    unix_seconds(self.wall(o.reset_at)).floor() as u64,
                )
            }),
        }
    }
}

/// Everything the `time` block reports for one call.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TimeBlock {
    pub start: f64,
    pub finish: f64,
    pub duration: f64,
    pub processing: f64,
    pub date_start: String,
    pub date_finish: String,
    /// `operating` and `operating_reset_at`, for calls that count towards operating time.
    pub operating: Option<(f64, u64)>,
}

impl TimeBlock {
    pub fn to_json(&self) -> Value {
        let mut block = json!({
            "start": self.start,
            "finish": self.finish,
            "duration": self.duration,
            "processing": self.processing,
            "date_start": self.date_start,
            "date_finish": self.date_finish,
        });
        if let (Some((used, reset_at)), Value::Object(map)) = (self.operating, &mut block) {
            map.insert("operating_reset_at".into(), Value::from(reset_at));
            map.insert("operating".into(), Value::from(used));
        }
        block
    }
}

/// A method's operating time after a call, for the `time` block.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Operating {
    /// Time accumulated in the live baskets.
    pub used: Duration,
    /// When the oldest live basket stops counting.
    pub reset_at: Instant,
}

/// Operating time per caller (application or webhook) and method.
#[derive(Debug)]
pub(crate) struct Meter {
    limit: Duration,
    baskets: Mutex<HashMap<(String, String), VecDeque<Basket>>>,
}

#[derive(Debug, Clone, Copy)]
struct Basket {
    opened: Instant,
    used: Duration,
}

impl Meter {
    pub fn new(limit: Duration) -> Self {
        Self {
            limit,
            baskets: Mutex::default(),
        }
    }

    /// Whether `who` may call `method` at `now`: not when the live baskets already exceed the
    /// limit.
    pub fn admits(&self, who: &str, method: &str, now: Instant) -> bool {
        let mut all = self.baskets.lock().unwrap_or_else(|e| e.into_inner());
        match all.get_mut(&(who.to_owned(), method.to_owned())) {
            Some(baskets) => {
                prune(baskets, now);
                sum(baskets) <= self.limit
            }
            None => true,
        }
    }

    /// Adds a call of `method` by `who` that started at `at` and took `processing`.
    pub fn record(&self, who: &str, method: &str, at: Instant, processing: Duration) -> Operating {
        let mut all = self.baskets.lock().unwrap_or_else(|e| e.into_inner());
        let baskets = all.entry((who.to_owned(), method.to_owned())).or_default();
        prune(baskets, at);
        match baskets.back_mut() {
            Some(last) if at < last.opened + BASKET => {
                last.used = last.used.saturating_add(processing);
            }
            _ => baskets.push_back(Basket {
                opened: at,
                used: processing,
            }),
        }
        Operating {
            used: sum(baskets),
            // There is at least the basket just used.
            reset_at: baskets.front().map_or(at, |b| b.opened) + WINDOW,
        }
    }
}

fn prune(baskets: &mut VecDeque<Basket>, now: Instant) {
    while baskets.front().is_some_and(|b| b.opened + WINDOW <= now) {
        baskets.pop_front();
    }
}

fn sum(baskets: &VecDeque<Basket>) -> Duration {
    baskets
        .iter()
        .fold(Duration::ZERO, |sum, b| sum.saturating_add(b.used))
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

/// A map encoded the way PHP's `json_encode` encodes an array: `[]` when empty, a list when the
/// keys are `0, 1, 2, …`, an object otherwise. Batch answers are built like this.
pub(crate) fn php_array(entries: Vec<(String, Value)>) -> Value {
    let sequential = entries
        .iter()
        .enumerate()
        .all(|(i, (k, _))| k == &i.to_string());
    if sequential {
        Value::Array(entries.into_iter().map(|(_, v)| v).collect())
    } else {
        Value::Object(entries.into_iter().collect::<Map<String, Value>>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn blocks_follow_the_virtual_clock() {
        let clock = Clock::new(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
        let start = clock.now();
        tokio::time::advance(Duration::from_secs(90)).await;
        let at = clock.now();
        let block = clock.block(
            at,
            at + Duration::from_millis(250),
            Duration::from_millis(250),
            None,
        );
        assert_eq!(block.start, 1_700_000_090.0);
        assert_eq!(block.finish, 1_700_000_090.25);
        assert_eq!(block.duration, 0.25);
        assert_eq!(block.date_start, "2023-11-14T22:14:50+00:00");
        assert!(block.to_json().get("operating").is_none());
        assert_eq!(clock.unix(start), 1_700_000_000.0);
    }

    #[tokio::test(start_paused = true)]
    async fn operating_time_sums_baskets_and_forgets_old_ones() {
        let meter = Meter::new(Duration::from_secs(10));
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let op = meter.record("app", "a.b", t0, ms(4000));
        assert_eq!((op.used, op.reset_at), (ms(4000), t0 + WINDOW));
        // Same minute: same basket.
        let op = meter.record("app", "a.b", t0 + ms(59_000), ms(4000));
        assert_eq!((op.used, op.reset_at), (ms(8000), t0 + WINDOW));
        // Next minute: a new basket; the reset time stays that of the oldest.
        let op = meter.record("app", "a.b", t0 + ms(61_000), ms(3000));
        assert_eq!((op.used, op.reset_at), (ms(11_000), t0 + WINDOW));
        assert!(!meter.admits("app", "a.b", t0 + ms(62_000)));
        assert!(meter.admits("app", "c.d", t0 + ms(62_000)));
        assert!(meter.admits("hook", "a.b", t0 + ms(62_000)));
        // The first basket leaves; the second still counts.
        assert!(meter.admits("app", "a.b", t0 + WINDOW));
        let op = meter.record("app", "a.b", t0 + WINDOW, ms(1000));
        assert_eq!(op.used, ms(4000));
        assert_eq!(op.reset_at, t0 + ms(61_000) + WINDOW);
    }

    #[test]
    fn php_arrays() {
        assert_eq!(php_array(vec![]), json!([]));
        assert_eq!(
            php_array(vec![("0".into(), json!(1)), ("1".into(), json!(2))]),
            json!([1, 2])
        );
        assert_eq!(php_array(vec![("1".into(), json!(2))]), json!({"1": 2}));
    }
}
