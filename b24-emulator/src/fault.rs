//! Fault injection: rules that make the emulator answer with an error, a broken response or
//! none at all, so code that handles Bitrix24's failures can be tested without a portal that
//! fails.

use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::Duration;

/// A rule that makes matching calls fail.
///
/// A rule names a method (or every method), what the call answers instead ([`FaultAnswer`]),
/// and optionally when: only after the first `n` matching calls ([`Fault::after`]) and/or with
/// a probability drawn from a seeded generator ([`Fault::probability`]), so runs repeat exactly.
/// Rules apply in the order given; the first that fires wins.
///
/// ```
/// use std::time::Duration;
/// use b24_emulator::{Emulator, Fault, FaultAnswer};
///
/// let emulator = Emulator::builder()
///     .fault(Fault::error("im.user.get", "ACCESS_DENIED").after(3))
///     .fault(Fault::everywhere(FaultAnswer::Html502).probability(0.1, 7))
///     .fault(Fault::new("im.user.get", FaultAnswer::Slow(Duration::from_secs(2))))
///     .fault("*:truncated:after=10".parse()?)
///     .build();
/// assert!(emulator.is_ok());
/// # Ok::<(), String>(())
/// ```
///
/// # Text form
///
/// `b24 serve --fault` and [`Fault::from_str`] read `METHOD:ANSWER[:OPTION…]`, where `METHOD`
/// is a method name or `*` for every method, and parts are separated by `:`:
///
/// | Part | Meaning |
/// | --- | --- |
/// | `error=CODE` | answer the error envelope of `CODE` ([`FaultAnswer::Error`]) |
/// | `500` | HTTP 500 `INTERNAL_SERVER_ERROR` ([`FaultAnswer::InternalServerError`]) |
/// | `html502` | an HTML 502 page, as a proxy in front of the portal sends ([`FaultAnswer::Html502`]) |
/// | `truncated` | the success JSON cut in half ([`FaultAnswer::TruncatedJson`]) |
/// | `reset` | close the connection without an answer ([`FaultAnswer::ConnectionReset`]) |
/// | `slow=DURATION` | answer normally after `DURATION` (`250ms`, `2s`, `1.5s`) ([`FaultAnswer::Slow`]) |
/// | `expire-token` | expire the caller's access token now ([`FaultAnswer::ExpireToken`]) |
/// | `after=N` | only calls after the `N`-th matching one |
/// | `p=P` | with probability `P` (0 to 1) |
/// | `seed=S` | the generator's seed for `p` (default 0) |
///
/// For example `im.user.get:error=ACCESS_DENIED:after=3` or `*:p=0.1:seed=7:html502`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// The method it applies to (case-insensitive), or every method.
    pub(crate) method: Option<String>,
    pub(crate) answer: FaultAnswer,
    /// Matching calls that pass before the rule can fire.
    pub(crate) after: u64,
    /// Probability in parts per billion (kept whole so rules stay `Eq`) and seed.
    pub(crate) chance: Option<(u32, u64)>,
}

/// What a faulty call answers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultAnswer {
    /// The error envelope of this code: a code the method's spec declares (with the spec's
    /// status and description) or a system code (with its documented status). An error the
    /// spec declares with an empty code is named by its `rust_name` (`NotFound`) and answers
    /// `{"error": "", "error_description": "<its description>"}`.
    Error {
        /// The code exactly as it is to be sent.
        code: String,
    },
    /// HTTP 500 with the `INTERNAL_SERVER_ERROR` envelope.
    InternalServerError,
    /// HTTP 502 with an HTML page instead of JSON, as a failing proxy in front of the portal
    /// answers.
    Html502,
    /// HTTP 200 with the success envelope cut off in the middle.
    TruncatedJson,
    /// The connection is closed (with a TCP reset) without any answer. Needs the server of
    /// [`Emulator::start`](crate::Emulator::start); a router mounted elsewhere answers
    /// [`FaultAnswer::InternalServerError`] instead.
    ConnectionReset,
    /// The normal answer, after this delay on the emulator's clock (tokio time, so a paused
    /// test runtime skips it).
    Slow(Duration),
    /// The caller's OAuth access token expires now: this call and later ones with the token
    /// answer HTTP 401 `expired_token` until the app refreshes it. Webhook calls answer
    /// `expired_token` once.
    ExpireToken,
}

impl Fault {
    /// Every call of `method` answers with error `code`.
    pub fn error(method: impl Into<String>, code: impl Into<String>) -> Self {
        Self::new(method, FaultAnswer::Error { code: code.into() })
    }

    /// Every call of every method answers with error `code`; it must be a system code or one
    /// that every spec declares.
    pub fn error_everywhere(code: impl Into<String>) -> Self {
        Self::everywhere(FaultAnswer::Error { code: code.into() })
    }

    /// Every call of `method` answers `answer`.
    pub fn new(method: impl Into<String>, answer: FaultAnswer) -> Self {
        Self {
            method: Some(method.into()),
            answer,
            after: 0,
            chance: None,
        }
    }

    /// Every call of every method answers `answer`. Rules for every method also apply to the
    /// `batch` request itself.
    pub fn everywhere(answer: FaultAnswer) -> Self {
        Self {
            method: None,
            answer,
            after: 0,
            chance: None,
        }
    }

    /// The same rule, limited to `method`.
    #[must_use]
    pub fn for_method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into());
        self
    }

    /// The same rule, firing only for calls after the `n`-th matching one (the first `n` pass).
    #[must_use]
    pub fn after(mut self, n: u64) -> Self {
        self.after = n;
        self
    }

    /// The same rule, firing with probability `p` (clamped to 0..=1) per matching call, drawn
    /// from a generator seeded with `seed`: the same calls in the same order fail the same way
    /// on every run.
    #[must_use]
    pub fn probability(mut self, p: f64, seed: u64) -> Self {
        let p = if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) };
        self.chance = Some(((p * 1e9).round() as u32, seed));
        self
    }

    /// The method the rule names, as given; `None` for every method.
    pub fn method(&self) -> Option<&str> {
        self.method.as_deref()
    }

    /// What matching calls answer.
    pub fn answer(&self) -> &FaultAnswer {
        &self.answer
    }

    /// Whether the rule applies to calls of `method` (already lower case, without `.json`).
    pub(crate) fn applies_to(&self, method: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.to_ascii_lowercase().trim_end_matches(".json") == method)
    }
}

impl FromStr for Fault {
    type Err = String;

    /// Reads the text form described on [`Fault`].
    fn from_str(rule: &str) -> Result<Self, Self::Err> {
        let mut parts = rule.split(':').map(str::trim);
        let method = match parts.next() {
            Some("*") => None,
            Some(m) if !m.is_empty() && !m.contains('=') => Some(m.to_owned()),
            _ => return Err(format!("fault `{rule}`: start with a method name or `*`")),
        };
        let mut answer = None;
        let (mut after, mut p, mut seed) = (0, None, 0);
        for part in parts {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            let number_error = |what: &str| format!("fault `{rule}`: `{part}` needs {what}");
            let new = match key.to_ascii_lowercase().as_str() {
                "error" if !value.is_empty() => Some(FaultAnswer::Error {
                    code: value.to_owned(),
                }),
                "500" | "internal" => Some(FaultAnswer::InternalServerError),
                "html502" | "502" => Some(FaultAnswer::Html502),
                "truncated" => Some(FaultAnswer::TruncatedJson),
                "reset" => Some(FaultAnswer::ConnectionReset),
                "expire-token" | "expire_token" => Some(FaultAnswer::ExpireToken),
                "slow" => Some(FaultAnswer::Slow(
                    parse_duration(value).ok_or_else(|| number_error("a duration like 2s"))?,
                )),
                "after" => {
                    after = value.parse().map_err(|_| number_error("a whole number"))?;
                    None
                }
                "p" => {
                    let v: f64 = value.parse().map_err(|_| number_error("a number"))?;
                    if !(0.0..=1.0).contains(&v) {
                        return Err(number_error("a probability from 0 to 1"));
                    }
                    p = Some(v);
                    None
                }
                "seed" => {
                    seed = value.parse().map_err(|_| number_error("a whole number"))?;
                    None
                }
                _ => {
                    return Err(format!(
                        "fault `{rule}`: unknown part `{part}`; use error=CODE, 500, html502, \
                         truncated, reset, slow=DURATION, expire-token, after=N, p=P or seed=S"
                    ));
                }
            };
            if let Some(new) = new {
                if answer.is_some() {
                    return Err(format!("fault `{rule}`: give only one answer"));
                }
                answer = Some(new);
            }
        }
        let answer = answer.ok_or_else(|| {
            format!(
                "fault `{rule}`: say what to answer: error=CODE, 500, html502, truncated, reset, \
                 slow=DURATION or expire-token"
            )
        })?;
        let mut fault = Self {
            method,
            answer,
            after,
            chance: None,
        };
        if let Some(p) = p {
            fault = fault.probability(p, seed);
        }
        Ok(fault)
    }
}

impl fmt::Display for Fault {
    /// The text form, which [`Fault::from_str`] reads back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.method.as_deref().unwrap_or("*"))?;
        match &self.answer {
            FaultAnswer::Error { code } => write!(f, ":error={code}")?,
            FaultAnswer::InternalServerError => f.write_str(":500")?,
            FaultAnswer::Html502 => f.write_str(":html502")?,
            FaultAnswer::TruncatedJson => f.write_str(":truncated")?,
            FaultAnswer::ConnectionReset => f.write_str(":reset")?,
            FaultAnswer::Slow(d) => write!(f, ":slow={}ms", d.as_millis())?,
            FaultAnswer::ExpireToken => f.write_str(":expire-token")?,
        }
        if self.after > 0 {
            write!(f, ":after={}", self.after)?;
        }
        if let Some((ppb, seed)) = self.chance {
            write!(f, ":p={}:seed={seed}", f64::from(ppb) / 1e9)?;
        }
        Ok(())
    }
}

/// `250ms`, `2s`, `1.5s`, `1m`; a bare number is seconds.
fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => text.split_at(i),
        None => (text, "s"),
    };
    let n: f64 = number
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite() && *n >= 0.0)?;
    let seconds = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        _ => return None,
    };
    Duration::try_from_secs_f64(seconds).ok()
}

/// The rules with their counters and generators, as the server applies them.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    rules: Vec<(Fault, Mutex<Run>)>,
}

#[derive(Debug)]
struct Run {
    seen: u64,
    rng: SplitMix64,
}

impl Faults {
    pub fn new(rules: Vec<Fault>) -> Self {
        Self {
            rules: rules
                .into_iter()
                .map(|f| {
                    let seed = f.chance.map_or(0, |(_, seed)| seed);
                    (
                        f,
                        Mutex::new(Run {
                            seen: 0,
                            rng: SplitMix64(seed),
                        }),
                    )
                })
                .collect(),
        }
    }

    /// The answer for this call of `method` (lower case): every matching rule counts the call
    /// (and draws, when it has a probability), and the first that fires wins.
    pub fn pick(&self, method: &str) -> Option<FaultAnswer> {
        let mut fired = None;
        for (fault, run) in &self.rules {
            if !fault.applies_to(method) {
                continue;
            }
            let mut run = run.lock().unwrap_or_else(|e| e.into_inner());
            run.seen += 1;
            if run.seen <= fault.after {
                continue;
            }
            let fires = match fault.chance {
                Some((ppb, _)) => run.rng.below_billion() < u64::from(ppb),
                None => true,
            };
            if fires && fired.is_none() {
                fired = Some(fault.answer.clone());
            }
        }
        fired
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny generator whose sequence is fixed forever, so
/// seeded faults and issued tokens repeat on every run and every version of this crate.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..1_000_000_000`.
    fn below_billion(&mut self) -> u64 {
        self.next_u64() % 1_000_000_000
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_parse_and_print() {
        let f: Fault = "im.user.get:error=ACCESS_DENIED:after=3".parse().unwrap();
        assert_eq!(f, Fault::error("im.user.get", "ACCESS_DENIED").after(3));
        let f: Fault = "*:p=0.1:seed=7:html502".parse().unwrap();
        assert_eq!(
            f,
            Fault::everywhere(FaultAnswer::Html502).probability(0.1, 7)
        );
        assert_eq!(f.to_string(), "*:html502:p=0.1:seed=7");
        let f: Fault = "a.b:slow=250ms".parse().unwrap();
        assert_eq!(f.answer(), &FaultAnswer::Slow(Duration::from_millis(250)));
        assert_eq!(f.to_string().parse::<Fault>(), Ok(f));
        for (text, answer) in [
            ("*:500", FaultAnswer::InternalServerError),
            ("*:truncated", FaultAnswer::TruncatedJson),
            ("*:reset", FaultAnswer::ConnectionReset),
            ("*:expire-token", FaultAnswer::ExpireToken),
            (
                "*:slow=1.5s",
                FaultAnswer::Slow(Duration::from_millis(1500)),
            ),
        ] {
            assert_eq!(text.parse::<Fault>().unwrap().answer, answer, "{text}");
        }
        for bad in [
            "",
            "im.user.get",
            ":500",
            "*:500:html502",
            "*:p=2:500",
            "*:after=x:500",
            "*:slow=fast",
            "*:boom",
        ] {
            assert!(bad.parse::<Fault>().is_err(), "{bad}");
        }
    }

    #[test]
    fn after_and_probability_are_deterministic() {
        let faults = Faults::new(vec![Fault::error("a.b", "X").after(2)]);
        let fired: Vec<bool> = (0..4).map(|_| faults.pick("a.b").is_some()).collect();
        assert_eq!(fired, [false, false, true, true]);
        assert_eq!(faults.pick("c.d"), None);

        let run = || {
            let faults = Faults::new(vec![
                Fault::everywhere(FaultAnswer::Html502).probability(0.3, 7),
            ]);
            (0..1000)
                .map(|_| faults.pick("a.b").is_some())
                .collect::<Vec<_>>()
        };
        let first = run();
        assert_eq!(first, run());
        let count = first.iter().filter(|f| **f).count();
        assert!((250..350).contains(&count), "{count}");
    }

    #[test]
    fn the_first_rule_that_fires_wins_and_every_rule_counts() {
        let faults = Faults::new(vec![
            Fault::error("a.b", "FIRST").after(1),
            Fault::error_everywhere("SECOND"),
        ]);
        let code = |a: Option<FaultAnswer>| match a {
            Some(FaultAnswer::Error { code }) => code,
            other => panic!("{other:?}"),
        };
        assert_eq!(code(faults.pick("a.b")), "SECOND");
        assert_eq!(code(faults.pick("a.b")), "FIRST");
    }
}
