//! The request rate limit: one leaky bucket per portal, as described at
//! <https://apidocs.bitrix24.com/limits.html>.

use std::sync::Mutex;

use tokio::time::Instant;

/// The portal's plan, which sets its request rate limit (a leaky bucket): every HTTP request
/// adds one to a counter that drains at `per_second`; a request that would take the counter
/// past `burst` is refused with HTTP 503 `QUERY_LIMIT_EXCEEDED`.
///
/// ```
/// use b24_emulator::{Emulator, Plan};
///
/// assert_eq!((Plan::Standard.per_second(), Plan::Standard.burst()), (Some(2), Some(50)));
/// assert_eq!((Plan::Enterprise.per_second(), Plan::Enterprise.burst()), (Some(5), Some(250)));
/// let emulator = Emulator::builder().plan(Plan::Custom { per_second: 1, burst: 3 }).build();
/// assert!(emulator.is_ok());
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
    /// No rate limit at all.
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
