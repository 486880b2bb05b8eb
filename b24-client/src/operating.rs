//! Operating time: each method's accumulated execution time, as the portal reports it in every
//! answer's `time` block (`operating`, `operating_reset_at`), so a method is held back before
//! the portal would refuse it with HTTP 429 `OPERATION_TIME_LIMIT`.
//!
//! Facts: <https://apidocs.bitrix24.com/limits.html>. The portal sums a method's execution time
//! per application or webhook in one-minute baskets that count for 10 minutes, and blocks the
//! method while the sum exceeds the limit (480 s in the docs' example; the cloud's value is the
//! portal's configuration). `operating_reset_at` (a whole Unix second) is when the oldest
//! basket stops counting; the next basket opened at least a minute after it.
//!
//! The portal's clock is not ours, and a paused test runtime has no wall clock at all, so a
//! reset time is converted through the answer's own `time.start` / `time.finish`: "reset − start
//! seconds after we sent it", "reset − finish seconds after it arrived", whichever is later,
//! plus a second for the rounding of `operating_reset_at`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::response::Time;

/// The operating-time limit the docs use in their example, and the emulator's default.
pub const DEFAULT_OPERATING_LIMIT: Duration = Duration::from_secs(480);

/// How long a basket collects time: after a refusal with no reset time known, or once the
/// known one has passed, the next basket leaves at least this much later.
const BASKET: Duration = Duration::from_secs(60);

/// `operating_reset_at` is a whole second; the true reset may be up to a second later.
const RESOLUTION: Duration = Duration::from_secs(1);

/// What the portal last said about each method.
#[derive(Debug, Default)]
pub(crate) struct OperatingTime {
    methods: Mutex<HashMap<Box<str>, Method>>,
}

#[derive(Debug, Clone, Copy)]
struct Method {
    /// Accumulated time, in seconds; infinite after a refusal.
    used: f64,
    /// When the oldest basket stops counting, on our clock.
    reset_at: Instant,
}

impl OperatingTime {
    /// Records the `time` block of an answer to `method` that was sent at `sent` and arrived
    /// at `arrived`.
    pub fn observe(&self, method: &str, time: &Time, sent: Instant, arrived: Instant) {
        let (Some(used), Some(reset)) = (time.operating, time.operating_reset_at) else {
            return;
        };
        let after = |from: Instant, portal_time: Option<f64>| {
            let seconds = reset - portal_time?;
            Some(from + Duration::try_from_secs_f64(seconds.max(0.0)).ok()?)
        };
        let reset_at = match (after(sent, time.start), after(arrived, time.finish)) {
            (Some(a), Some(b)) => a.max(b),
            (Some(a), None) | (None, Some(a)) => a,
            // Without the portal's own time the reset cannot be placed; remember the use only.
            (None, None) => arrived,
        } + RESOLUTION;
        let mut methods = self.lock();
        methods.insert(method.into(), Method { used, reset_at });
    }

    /// When `method` may be called again, if the last answer showed it over `limit` and its
    /// oldest basket has not reset yet at `now`.
    pub fn hold(&self, method: &str, limit: Duration, now: Instant) -> Option<Instant> {
        let methods = self.lock();
        let m = methods.get(method)?;
        (m.used > limit.as_secs_f64() && m.reset_at > now).then_some(m.reset_at)
    }

    /// The portal refused `method` at `now` with `OPERATION_TIME_LIMIT`: it is held until the
    /// known reset time, or, when that has passed or is unknown, until the next basket can
    /// leave. Returns that instant.
    pub fn refused(&self, method: &str, now: Instant) -> Instant {
        let mut methods = self.lock();
        let reset_at = match methods.get(method) {
            Some(m) if m.reset_at > now => m.reset_at,
            _ => now + BASKET,
        };
        methods.insert(
            method.into(),
            Method {
                used: f64::INFINITY,
                reset_at,
            },
        );
        reset_at
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Box<str>, Method>> {
        self.methods.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(start: f64, finish: f64, used: f64, reset: f64) -> Time {
        Time {
            start: Some(start),
            finish: Some(finish),
            operating: Some(used),
            operating_reset_at: Some(reset),
            ..Time::default()
        }
    }

    const LIMIT: Duration = Duration::from_secs(480);

    #[test]
    fn a_method_over_the_limit_is_held_until_its_oldest_basket_resets() {
        let t = Instant::now();
        let op = OperatingTime::default();
        op.observe("a.b", &time(1000.0, 1000.5, 470.0, 1300.0), t, t);
        assert_eq!(op.hold("a.b", LIMIT, t), None, "under the limit");
        op.observe("a.b", &time(1000.0, 1000.5, 500.0, 1300.0), t, t);
        // Reset 300 s after the portal started the call, plus a second of rounding.
        let until = op.hold("a.b", LIMIT, t).unwrap();
        assert_eq!(until, t + Duration::from_secs(301));
        assert_eq!(op.hold("c.d", LIMIT, t), None, "other methods are free");
        assert_eq!(op.hold("a.b", LIMIT, until), None, "free once it resets");
    }

    #[test]
    fn the_later_of_the_two_conversions_wins() {
        let t = Instant::now();
        let op = OperatingTime::default();
        // The answer took 2 s on the portal but arrived 5 s after it was sent.
        let arrived = t + Duration::from_secs(5);
        op.observe("a.b", &time(1000.0, 1002.0, 500.0, 1100.0), t, arrived);
        let until = op.hold("a.b", LIMIT, t).unwrap();
        assert_eq!(until, arrived + Duration::from_secs(98 + 1));
    }

    #[test]
    fn a_refusal_holds_until_the_known_reset_or_the_next_basket() {
        let t = Instant::now();
        let op = OperatingTime::default();
        assert_eq!(op.refused("a.b", t), t + BASKET);
        assert_eq!(op.hold("a.b", LIMIT, t), Some(t + BASKET));
        op.observe("c.d", &time(1000.0, 1000.0, 10.0, 1030.0), t, t);
        assert_eq!(op.refused("c.d", t), t + Duration::from_secs(31));
        // Once the known reset has passed, the next basket.
        let later = t + Duration::from_secs(40);
        assert_eq!(op.refused("c.d", later), later + BASKET);
    }

    #[test]
    fn answers_without_operating_time_change_nothing() {
        let t = Instant::now();
        let op = OperatingTime::default();
        op.observe("a.b", &Time::default(), t, t);
        assert_eq!(op.hold("a.b", Duration::ZERO, t), None);
    }
}
