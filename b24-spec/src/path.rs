//! Key paths: the address of a node inside a spec document, like `types.User.fields.idle`.

use std::fmt;

/// One step of a key path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// The address of a node from the document root.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyPath(Vec<Segment>);

impl KeyPath {
    pub fn root() -> Self {
        Self(Vec::new())
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// This path extended by a mapping key.
    pub fn key(&self, key: &str) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Key(key.to_owned()));
        Self(segments)
    }

    /// This path extended by a sequence index.
    pub fn index(&self, index: usize) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Index(index));
        Self(segments)
    }

    /// This path followed by `rest`.
    pub fn join(&self, rest: &KeyPath) -> Self {
        self.join_segments(&rest.0)
    }

    /// This path followed by `rest`.
    pub fn join_segments(&self, rest: &[Segment]) -> Self {
        let mut segments = self.0.clone();
        segments.extend(rest.iter().cloned());
        Self(segments)
    }

    pub fn segments(&self) -> &[Segment] {
        &self.0
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    // Quoted where it would not read as one key: empty, or with a `.`,
                    // a space or a quote in it (an error's description under `errors: "":`).
                    if k.is_empty() || k.contains(['.', '"']) || k.contains(char::is_whitespace) {
                        write!(f, "{k:?}")?;
                    } else {
                        f.write_str(k)?;
                    }
                }
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

impl KeyPath {
    pub(crate) fn from_segments(segments: Vec<Segment>) -> Self {
        Self(segments)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_that_would_not_read_as_one_are_quoted() {
        let path = KeyPath::root()
            .key("errors")
            .key("")
            .key("Not found.")
            .key("status");
        assert_eq!(path.to_string(), r#"errors.""."Not found.".status"#);
        let path = KeyPath::root()
            .key("types")
            .key("User")
            .index(2)
            .key("ID-EMPTY");
        assert_eq!(path.to_string(), "types.User[2].ID-EMPTY");
    }
}
