//! The success envelope: `result` plus timing and paging.

use serde::{Deserialize, Serialize};

/// A successful response: the decoded `result` and everything else the envelope carried.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Response<T> {
    /// The method's result.
    pub result: T,
    /// Timing and operating-time accounting, when the portal sent it.
    pub time: Option<Time>,
    /// Number of records in a list, for list methods.
    pub total: Option<u64>,
    /// `start` value of the next page, when there is one.
    pub next: Option<u64>,
}

/// The `time` block of a response. Which fields appear depends on the portal, so all are
/// optional; see <https://apidocs.bitrix24.com/api-reference/data-types.html#time>.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Time {
    /// Unix time the request started, with fractions of a second.
    #[serde(default)]
    pub start: Option<f64>,
    /// Unix time the request finished.
    #[serde(default)]
    pub finish: Option<f64>,
    /// `finish - start`, in seconds.
    #[serde(default)]
    pub duration: Option<f64>,
    /// Time spent processing the request, in seconds.
    #[serde(default)]
    pub processing: Option<f64>,
    /// `start` as a date string.
    #[serde(default)]
    pub date_start: Option<String>,
    /// `finish` as a date string.
    #[serde(default)]
    pub date_finish: Option<String>,
    /// Unix time when part of the method's operating-time budget is released.
    #[serde(default)]
    pub operating_reset_at: Option<f64>,
    /// Operating time this method has accumulated in the current window, in seconds.
    #[serde(default)]
    pub operating: Option<f64>,
}
