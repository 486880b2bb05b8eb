//! Dates and times in the portal's regional display format (`display_datetime` in specs).

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDateTime;

/// A regional display format of date and time, as a portal's language settings choose it.
///
/// The separators tell them apart: `/` is month first, `.` day first, `-` year first. Every
/// part has its leading zeros, as the portal writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DisplayFormat {
    /// `12/11/2024 05:59:00 pm`: month first, 12-hour clock with `am`/`pm` (English portals).
    MonthFirst12h,
    /// `12/11/2024 05:59:00 PM`: as [`MonthFirst12h`](Self::MonthFirst12h), `AM`/`PM`.
    MonthFirst12hUpper,
    /// `12/11/2024 17:59:00`: month first, 24-hour clock.
    MonthFirst24h,
    /// `11.12.2024 17:59:00`: day first (most European portals).
    DayFirst,
    /// `2024-12-11 17:59:00`: year first.
    YearFirst,
}

impl DisplayFormat {
    /// Every format, in the order they are tried.
    pub const ALL: [DisplayFormat; 5] = [
        DisplayFormat::MonthFirst12h,
        DisplayFormat::MonthFirst12hUpper,
        DisplayFormat::MonthFirst24h,
        DisplayFormat::DayFirst,
        DisplayFormat::YearFirst,
    ];

    /// The format as a `chrono` format string.
    pub fn pattern(self) -> &'static str {
        match self {
            DisplayFormat::MonthFirst12h => "%m/%d/%Y %I:%M:%S %P",
            DisplayFormat::MonthFirst12hUpper => "%m/%d/%Y %I:%M:%S %p",
            DisplayFormat::MonthFirst24h => "%m/%d/%Y %H:%M:%S",
            DisplayFormat::DayFirst => "%d.%m.%Y %H:%M:%S",
            DisplayFormat::YearFirst => "%Y-%m-%d %H:%M:%S",
        }
    }
}

/// A date and time as the portal displays it (`12/11/2024 05:59:00 pm`, `11.12.2024
/// 17:59:00`, `2024-12-11 17:59:00`), in the portal's time zone: the date-time and the
/// [`DisplayFormat`] it came in, so it is written back exactly as it was read.
///
/// Equal values have the same date-time and the same format; compare [`at`](Self::at) for the
/// date-time alone. Requests send the ISO form (`2024-12-11T17:59:00`).
///
/// ```
/// use b24_client::{DisplayDateTime, DisplayFormat};
///
/// let at: DisplayDateTime = "12/11/2024 05:59:00 pm".parse().unwrap();
/// assert_eq!(at.format(), DisplayFormat::MonthFirst12h);
/// assert_eq!(at.at().to_string(), "2024-12-11 17:59:00");
/// assert_eq!(at.to_string(), "12/11/2024 05:59:00 pm");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DisplayDateTime {
    at: NaiveDateTime,
    format: DisplayFormat,
}

impl DisplayDateTime {
    /// `at`, to be written in `format` (seconds; any fraction is dropped when written).
    pub fn new(at: NaiveDateTime, format: DisplayFormat) -> Self {
        Self { at, format }
    }

    /// The date and time, in the portal's time zone.
    pub fn at(&self) -> NaiveDateTime {
        self.at
    }

    /// The format it is written in.
    pub fn format(&self) -> DisplayFormat {
        self.format
    }
}

/// A date-time of your own, written year first (`2024-12-11 17:59:00`).
impl From<NaiveDateTime> for DisplayDateTime {
    fn from(at: NaiveDateTime) -> Self {
        Self::new(at, DisplayFormat::YearFirst)
    }
}

impl fmt::Display for DisplayDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.at.format(self.format.pattern()))
    }
}

/// A text that is none of the [`DisplayFormat`]s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseDisplayDateTimeError(String);

impl fmt::Display for ParseDisplayDateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "date-time {:?} is not in a display format such as `12/11/2024 05:59:00 pm`, `11.12.2024 17:59:00` or `2024-12-11 17:59:00`",
            self.0
        )
    }
}

impl std::error::Error for ParseDisplayDateTimeError {}

impl FromStr for DisplayDateTime {
    type Err = ParseDisplayDateTimeError;

    /// Reads any [`DisplayFormat`], each exactly as the portal writes it (leading zeros
    /// included), so the value is written back as the same text.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        DisplayFormat::ALL
            .into_iter()
            .find_map(|format| {
                let at = NaiveDateTime::parse_from_str(text, format.pattern()).ok()?;
                let value = Self::new(at, format);
                // chrono reads a missing leading zero or either case of `am`; only the exact
                // spelling of a format is that format.
                (value.to_string() == text).then_some(value)
            })
            .ok_or_else(|| ParseDisplayDateTimeError(text.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_reads_back_as_written() {
        for (text, format) in [
            ("12/11/2024 05:59:00 pm", DisplayFormat::MonthFirst12h),
            ("11/04/2015 05:50:43 PM", DisplayFormat::MonthFirst12hUpper),
            ("12/11/2024 12:00:00 am", DisplayFormat::MonthFirst12h),
            ("04/17/2025 19:40:48", DisplayFormat::MonthFirst24h),
            ("11.12.2024 17:59:00", DisplayFormat::DayFirst),
            ("2024-12-11 17:59:00", DisplayFormat::YearFirst),
        ] {
            let value: DisplayDateTime = text.parse().unwrap();
            assert_eq!(value.format(), format, "{text}");
            assert_eq!(value.to_string(), text);
        }
        let pm: DisplayDateTime = "12/11/2024 05:59:00 pm".parse().unwrap();
        let dotted: DisplayDateTime = "11.12.2024 17:59:00".parse().unwrap();
        assert_eq!(pm.at(), dotted.at());
        assert_ne!(pm, dotted);
        let midnight: DisplayDateTime = "12/11/2024 12:00:00 am".parse().unwrap();
        assert_eq!(midnight.at().to_string(), "2024-12-11 00:00:00");
    }

    #[test]
    fn other_spellings_are_refused() {
        for text in [
            "",
            "12/11/2024",
            "2024-12-11T17:59:00",
            "1/5/2024 05:59:00 pm",
            "12/11/2024 5:59:00 pm",
            "12/11/2024 05:59:00 Pm",
            "12/11/2024 17:59:00 pm",
            "13/11/2024 05:59:00 pm",
            "31.02.2024 10:00:00",
            " 11.12.2024 17:59:00",
            "11.12.2024 17:59",
        ] {
            let e = text.parse::<DisplayDateTime>().unwrap_err();
            assert!(e.to_string().contains(&format!("{text:?}")), "{e}");
        }
    }
}
