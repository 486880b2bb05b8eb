//! The request rate limit: one leaky bucket per portal, as described at
//! <https://apidocs.bitrix24.com/limits.html>.

use std::sync::Mutex;

use tokio::time::Instant;

/// The plans and their numbers are the client's: one definition for the bucket the portal
/// keeps and the one the client waits for.
pub use b24_client::Plan;

/// The counter of a leaky bucket. It drains continuously, so after one second at 2 per second
/// exactly two more requests fit.
#[derive(Debug)]
pub(crate) struct Bucket {
    plan: Plan,
    state: Mutex<(f64, Option<Instant>)>,
}

impl Bucket {
    pub fn new(plan: Plan) -> Self {
        Self {
            plan,
            state: Mutex::new((0.0, None)),
        }
    }

    /// Counts a request at `now`; `false` when the bucket is full (the request is then not
    /// counted).
    pub fn admit(&self, now: Instant) -> bool {
        let (Some(rate), Some(burst)) = (self.plan.per_second(), self.plan.burst()) else {
            return true;
        };
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (level, last) = &mut *state;
        if let Some(last) = *last {
            let drained = now.saturating_duration_since(last).as_secs_f64() * f64::from(rate);
            *level = (*level - drained).max(0.0);
        }
        *last = Some(now);
        // A tiny tolerance, so float rounding never refuses a request that exactly fits.
        if *level + 1.0 > f64::from(burst) + 1e-9 {
            return false;
        }
        *level += 1.0;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(start_paused = true)]
    async fn the_bucket_fills_and_drains() {
        let bucket = Bucket::new(Plan::Custom {
            per_second: 2,
            burst: 3,
        });
        let t = Instant::now();
        assert!((0..3).all(|_| bucket.admit(t)));
        assert!(!bucket.admit(t));
        let t = t + Duration::from_millis(500);
        assert!(bucket.admit(t));
        assert!(!bucket.admit(t));
        assert!(Bucket::new(Plan::Unlimited).admit(t));
    }
}
