//! The request rate limit: calls wait for a slot in the portal's leaky bucket before they are
//! sent, instead of being refused with HTTP 503 `QUERY_LIMIT_EXCEEDED`.
//!
//! Facts: <https://apidocs.bitrix24.com/limits.html>. Every HTTP request adds one to a counter
//! that drains `per_second` a second; a request that would take it past `burst` is refused.
//! That is the generic cell rate algorithm (GCRA) with an emission interval of
//! `1 / per_second` and a tolerance of `burst - 1` intervals, which is what [`LocalLimiter`]
//! runs.
//!
//! Why not `governor`: its GCRA can run on tokio's paused clock (its `Clock` and `Reference`
//! traits can be implemented for `tokio::time::Instant`), but it lacks two things this limiter
//! needs. It cannot mark the bucket full when the portal says it is (its state is private),
//! and its tolerance is a whole number of requests, so it cannot keep the small time margin
//! that absorbs network jitter: without it, a request that happens to travel faster than the
//! first one of a burst arrives "early" and is refused, costing a whole slot. The algorithm is
//! twenty lines; the state is one instant.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// The portal's plan, which sets its request rate limit: a leaky bucket that holds `burst`
/// requests and drains `per_second` a second.
///
/// ```
/// use b24_client::Plan;
///
/// assert_eq!((Plan::Standard.per_second(), Plan::Standard.burst()), (Some(2), Some(50)));
/// assert_eq!((Plan::Enterprise.per_second(), Plan::Enterprise.burst()), (Some(5), Some(250)));
/// assert_eq!("2/50".parse::<Plan>(), Ok(Plan::Custom { per_second: 2, burst: 50 }));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Plan {
    /// Every plan but Enterprise: drains 2 requests a second, holds 50.
    #[default]
    Standard,
    /// Enterprise: drains 5 requests a second, holds 250.
    Enterprise,
    /// Your own numbers.
    Custom {
        /// Requests the counter loses per second.
        per_second: u32,
        /// Requests the counter holds before refusing.
        burst: u32,
    },
    /// No rate limit at all (an on-premise portal without one).
    Unlimited,
}

impl Plan {
    /// How many requests the counter loses per second; `None` without a limit.
    pub fn per_second(self) -> Option<u32> {
        match self {
            Self::Standard => Some(2),
            Self::Enterprise => Some(5),
            Self::Custom { per_second, .. } => Some(per_second),
            Self::Unlimited => None,
        }
    }

    /// How many requests the counter holds; `None` without a limit.
    pub fn burst(self) -> Option<u32> {
        match self {
            Self::Standard => Some(50),
            Self::Enterprise => Some(250),
            Self::Custom { burst, .. } => Some(burst),
            Self::Unlimited => None,
        }
    }
}

impl std::str::FromStr for Plan {
    type Err = String;

    /// `standard`, `enterprise`, `unlimited`, or `PER_SECOND/BURST` such as `2/50`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "standard" => Ok(Self::Standard),
            "enterprise" => Ok(Self::Enterprise),
            "unlimited" | "none" => Ok(Self::Unlimited),
            other => {
                let parsed = other
                    .split_once('/')
                    .and_then(|(rate, burst)| Some((rate.parse().ok()?, burst.parse().ok()?)));
                parsed
                    .map(|(per_second, burst)| Self::Custom { per_second, burst })
                    .ok_or_else(|| {
                        format!(
                            "unknown plan `{s}`: use standard, enterprise, unlimited or \
                             PER_SECOND/BURST such as 2/50"
                        )
                    })
            }
        }
    }
}

/// Where a portal's request budget is kept. [`LocalLimiter`] keeps it in this process; a
/// limiter shared by several processes (in Redis, say) implements this trait and is given to
/// [`ClientBuilder::limiter`](crate::ClientBuilder::limiter), without changes anywhere else.
///
/// Implementations count every request they grant a slot, as the portal does.
pub trait RateLimiter: Send + Sync + 'static {
    /// Reserves the next free slot for one request and says how long to wait for it, or, when
    /// that slot is more than `max_wait` away, reserves nothing and says how far away it is.
    fn reserve(
        &self,
        max_wait: Duration,
    ) -> impl Future<Output = Result<Duration, Duration>> + Send;

    /// The portal answered `QUERY_LIMIT_EXCEEDED`: its bucket is full now, whatever this
    /// limiter thought.
    fn mark_full(&self) -> impl Future<Output = ()> + Send;
}

/// A boxed future, for calling a [`RateLimiter`] through `dyn`.
pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// [`RateLimiter`] in a form that can be stored as `Arc<dyn …>`.
pub(crate) trait DynLimiter: Send + Sync {
    fn dyn_reserve(&self, max_wait: Duration) -> BoxFuture<'_, Result<Duration, Duration>>;
    fn dyn_mark_full(&self) -> BoxFuture<'_, ()>;
}

impl<L: RateLimiter> DynLimiter for L {
    fn dyn_reserve(&self, max_wait: Duration) -> BoxFuture<'_, Result<Duration, Duration>> {
        Box::pin(RateLimiter::reserve(self, max_wait))
    }
    fn dyn_mark_full(&self) -> BoxFuture<'_, ()> {
        Box::pin(RateLimiter::mark_full(self))
    }
}

/// Margin kept below the portal's tolerance, so that requests arriving a little earlier than
/// the first of their burst (a pooled connection is faster than a new one) still fit.
pub const DEFAULT_JITTER_MARGIN: Duration = Duration::from_millis(100);

/// The leaky bucket of one portal, in this process: GCRA on tokio time (so a paused test
/// runtime drives it). Its state is one instant; clones of a [`Client`](crate::Client) share
/// it.
pub struct LocalLimiter {
    /// Time the bucket needs to drain one request.
    interval: Duration,
    /// How far ahead of now the theoretical arrival time may run: `burst - 1` intervals
    /// less the jitter margin.
    tolerance: Duration,
    /// How far ahead of now the theoretical arrival time is when the bucket is full: `burst`
    /// intervals.
    full: Duration,
    /// The theoretical arrival time of the next request (GCRA's TAT).
    next: Mutex<Option<Instant>>,
}

impl LocalLimiter {
    /// A bucket for `plan`, keeping [`DEFAULT_JITTER_MARGIN`]; `None` for
    /// [`Plan::Unlimited`] (or a plan that drains nothing).
    pub fn new(plan: Plan) -> Option<Self> {
        Self::with_margin(plan, DEFAULT_JITTER_MARGIN)
    }

    /// A bucket for `plan` that keeps `margin` below the portal's tolerance.
    pub fn with_margin(plan: Plan, margin: Duration) -> Option<Self> {
        let (rate, burst) = (plan.per_second()?, plan.burst()?);
        if rate == 0 {
            return None;
        }
        // Rounded up: a slot a nanosecond early, repeated a thousand times, is a refusal.
        let interval = Duration::from_nanos(1_000_000_000u64.div_ceil(u64::from(rate)));
        let tolerance = (interval * burst.saturating_sub(1)).saturating_sub(margin);
        Some(Self {
            interval,
            tolerance,
            full: interval * burst,
            next: Mutex::new(None),
        })
    }

    /// Reserves a slot at or after `now`: `Ok(wait)`, or `Err(wait)` without reserving when
    /// the wait would exceed `max_wait`.
    fn reserve_at(&self, now: Instant, max_wait: Duration) -> Result<Duration, Duration> {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        let tat = next.map_or(now, |t| t.max(now));
        // The request may go once the TAT is no more than the tolerance ahead of it.
        let at = tat.checked_sub(self.tolerance).map_or(now, |t| t.max(now));
        let wait = at - now;
        if wait > max_wait {
            return Err(wait);
        }
        *next = Some(tat + self.interval);
        Ok(wait)
    }

    /// After a refusal at `now`: the next request goes one interval (plus the margin) later.
    fn mark_full_at(&self, now: Instant) {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        let full = now + self.full;
        *next = Some(next.map_or(full, |t| t.max(full)));
    }
}

impl RateLimiter for LocalLimiter {
    async fn reserve(&self, max_wait: Duration) -> Result<Duration, Duration> {
        self.reserve_at(Instant::now(), max_wait)
    }

    async fn mark_full(&self) {
        self.mark_full_at(Instant::now());
    }
}

impl fmt::Debug for LocalLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalLimiter")
            .field("interval", &self.interval)
            .field("tolerance", &self.tolerance)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOREVER: Duration = Duration::from_secs(1_000_000);

    /// Replays the portal's bucket (as the docs describe it and the emulator runs it) on the
    /// instants the limiter hands out: none may be refused.
    fn portal_admits(plan: Plan, arrivals: &[Duration]) -> bool {
        let (rate, burst) = (
            f64::from(plan.per_second().unwrap()),
            f64::from(plan.burst().unwrap()),
        );
        let (mut level, mut last) = (0.0f64, Duration::ZERO);
        arrivals.iter().all(|&t| {
            level = (level - (t - last).as_secs_f64() * rate).max(0.0);
            last = t;
            level += 1.0;
            level <= burst + 1e-9
        })
    }

    #[test]
    fn a_burst_then_one_slot_per_interval_and_the_portal_refuses_none() {
        let t0 = Instant::now();
        let limiter = LocalLimiter::new(Plan::Standard).unwrap();
        let mut arrivals = Vec::new();
        let mut now = t0;
        for _ in 0..200 {
            let wait = limiter.reserve_at(now, FOREVER).unwrap();
            now += wait;
            arrivals.push(now - t0);
        }
        // 49 at once (the margin keeps the 50th back by 100 ms), then one per 500 ms.
        assert_eq!(arrivals[48], Duration::ZERO);
        assert_eq!(arrivals[49], Duration::from_millis(100));
        assert_eq!(arrivals[50], Duration::from_millis(600));
        assert_eq!(arrivals[199], Duration::from_millis(100 + 150 * 500));
        assert!(portal_admits(Plan::Standard, &arrivals));
        // Without the margin, the limiter is exactly the portal's bucket.
        let exact = LocalLimiter::with_margin(Plan::Enterprise, Duration::ZERO).unwrap();
        let arrivals: Vec<Duration> = (0..1000)
            .map(|_| exact.reserve_at(t0, FOREVER).unwrap())
            .collect();
        assert_eq!(arrivals[249], Duration::ZERO);
        assert_eq!(arrivals[250], Duration::from_millis(200));
        assert!(portal_admits(Plan::Enterprise, &arrivals));
    }

    #[test]
    fn odd_rates_round_the_interval_up_so_slots_never_drift_early() {
        let plan = Plan::Custom {
            per_second: 3,
            burst: 1,
        };
        let limiter = LocalLimiter::with_margin(plan, Duration::ZERO).unwrap();
        let t0 = Instant::now();
        let arrivals: Vec<Duration> = (0..3000)
            .map(|_| limiter.reserve_at(t0, FOREVER).unwrap())
            .collect();
        assert!(portal_admits(plan, &arrivals));
        assert!(arrivals[2999] >= Duration::from_secs(999));
    }

    #[test]
    fn a_slot_beyond_the_wait_allowed_is_not_reserved() {
        let plan = Plan::Custom {
            per_second: 1,
            burst: 1,
        };
        let limiter = LocalLimiter::with_margin(plan, Duration::ZERO).unwrap();
        let t0 = Instant::now();
        assert_eq!(limiter.reserve_at(t0, Duration::ZERO), Ok(Duration::ZERO));
        assert_eq!(
            limiter.reserve_at(t0, Duration::from_millis(10)),
            Err(Duration::from_secs(1))
        );
        // Nothing was taken by the refusal.
        assert_eq!(limiter.reserve_at(t0, FOREVER), Ok(Duration::from_secs(1)));
    }

    #[test]
    fn a_full_bucket_reported_by_the_portal_pushes_the_next_slot_back() {
        let limiter = LocalLimiter::new(Plan::Standard).unwrap();
        let t0 = Instant::now();
        assert_eq!(limiter.reserve_at(t0, FOREVER), Ok(Duration::ZERO));
        limiter.mark_full_at(t0);
        // One interval to drain, plus the margin.
        assert_eq!(
            limiter.reserve_at(t0, FOREVER),
            Ok(Duration::from_millis(600))
        );
        // A later slot already reserved is not moved earlier.
        limiter.mark_full_at(t0);
        assert_eq!(
            limiter.reserve_at(t0, FOREVER),
            Ok(Duration::from_millis(1100))
        );
    }

    #[test]
    fn no_limiter_without_a_limit() {
        assert!(LocalLimiter::new(Plan::Unlimited).is_none());
        let zero = Plan::Custom {
            per_second: 0,
            burst: 3,
        };
        assert!(LocalLimiter::new(zero).is_none());
    }

    #[test]
    fn plans_parse() {
        assert_eq!("Enterprise".parse(), Ok(Plan::Enterprise));
        assert_eq!(
            "1/3".parse(),
            Ok(Plan::Custom {
                per_second: 1,
                burst: 3
            })
        );
        assert!("gold".parse::<Plan>().is_err());
    }
}
