//! Diagnostics: what went wrong in a spec, where, and how to fix it.
//!
//! Problems are collected in a [`Ctxt`] while a spec is read and checked, so one build reports
//! every mistake of every spec at once instead of stopping at the first one.

use std::fmt;

use crate::path::KeyPath;

/// A 1-based line and column in a spec file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// One problem found in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Spec path as the user wrote it, relative to the crate that generates from it.
    pub file: String,
    /// Where in the file; `None` only when the file could not be read at all.
    pub position: Option<Position>,
    /// Key path of the offending node, e.g. `types.User.fields.idle.type`.
    pub key_path: KeyPath,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when we can say.
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(p) = self.position {
            write!(f, ":{}:{}", p.line, p.column)?;
        }
        if !self.key_path.is_root() {
            write!(f, ": `{}`", self.key_path)?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// A problem before it is located: the loader resolves `key_path` to a position later, once,
/// against the span index of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub key_path: KeyPath,
    /// Point at the key itself rather than its value (for unknown and duplicate keys).
    pub at_key: bool,
    pub message: String,
    pub help: Option<String>,
    /// A position known up front (syntax errors), overriding the key path lookup.
    pub position: Option<Position>,
}

/// Accumulates problems for one spec file.
#[derive(Debug, Default)]
pub(crate) struct Ctxt {
    problems: Vec<Problem>,
    /// Keys already suggested for a misspelled key (`sumary` → `summary`), by mapping path:
    /// saying that the suggested key is also missing would be the same mistake twice.
    suggested: Vec<(KeyPath, String)>,
    /// Names defined in type libraries that were not loaded with the spec, with their files:
    /// an unknown name found there is explained as such.
    not_loaded: Vec<(String, String)>,
    not_loaded_reported: bool,
}

impl Ctxt {
    pub fn new() -> Self {
        Self::default()
    }

    /// A problem with the value at `path`.
    pub fn error(&mut self, path: &KeyPath, message: impl Into<String>) -> &mut Problem {
        self.push(path, false, message)
    }

    /// A problem with the key at `path` itself (unknown, duplicate, badly named).
    pub fn key_error(&mut self, path: &KeyPath, message: impl Into<String>) -> &mut Problem {
        self.push(path, true, message)
    }

    fn push(&mut self, path: &KeyPath, at_key: bool, message: impl Into<String>) -> &mut Problem {
        self.problems.push(Problem {
            key_path: path.clone(),
            at_key,
            message: message.into(),
            help: None,
            position: None,
        });
        self.problems.last_mut().expect("just pushed")
    }

    /// Records that `key` was suggested for a misspelled key in the mapping at `path`.
    pub fn note_suggestion(&mut self, path: &KeyPath, key: &str) {
        self.suggested.push((path.clone(), key.to_owned()));
    }

    /// Whether `key` was already suggested for a misspelling in the mapping at `path`.
    pub fn was_suggested(&self, path: &KeyPath, key: &str) -> bool {
        self.suggested.iter().any(|(p, k)| p == path && k == key)
    }

    /// Records the names that type libraries not loaded with the spec define, by file.
    pub fn libraries_not_loaded(&mut self, names: &[(String, String)]) {
        self.not_loaded = names.to_vec();
    }

    /// Whether the unknown type `name` (at `path`, called `what`: "unknown type") is defined
    /// by a type library not loaded with the spec. One library left out is one mistake, so
    /// only the first such name is reported, with the library's file and how to load it.
    pub fn library_not_loaded(&mut self, path: &KeyPath, what: &str, name: &str) -> bool {
        let Some((_, file)) = self.not_loaded.iter().find(|(n, _)| n == name) else {
            return false;
        };
        if !self.not_loaded_reported {
            let message = format!(
                "{what} `{name}`: it is defined in the type library `{file}`, which is not loaded with this spec"
            );
            self.error(path, message).help("load the spec together with its type libraries: name a directory that holds both (`specs = \"specs\"` in `generate!`, `b24 spec check specs`); other uses of library types in this spec are not reported one by one");
            self.not_loaded_reported = true;
        }
        true
    }

    pub fn has_errors(&self) -> bool {
        !self.problems.is_empty()
    }

    pub fn into_problems(self) -> Vec<Problem> {
        self.problems
    }
}

impl Problem {
    /// Adds a "how to fix" line.
    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }
}

/// Suggests the closest candidate to a misspelled name, if one is close enough to be a typo.
pub(crate) fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wrong_lower = wrong.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&wrong_lower, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len().max(wrong.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance; specs are small, so the quadratic version is plenty.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let keys = ["method", "scope", "params", "result"];
        assert_eq!(did_you_mean("parms", keys), Some("params"));
        assert_eq!(did_you_mean("Scope", keys), Some("scope"));
        assert_eq!(did_you_mean("totally_else", keys), None);
    }
}
