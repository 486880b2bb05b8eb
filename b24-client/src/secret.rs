//! Credentials that never show themselves.

use std::fmt;

/// A webhook code or token: `Debug` prints `***`, and there is no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(pub String);

impl Secret {
    /// `text` with every occurrence of the secret replaced by `***` (an error page may echo
    /// the URL, and with it a webhook code).
    pub fn redact(&self, text: &str) -> String {
        if self.0.is_empty() {
            text.to_owned()
        } else {
            text.replace(&self.0, "***")
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"***\"")
    }
}
