//! The one module that reads YAML.
//!
//! Two parsers, each for what it does well:
//! - `serde_yaml` turns the text into a [`serde_yaml::Value`] (YAML 1.2 scalars, anchors and
//!   aliases with its own expansion limits, syntax errors with positions). It is deprecated
//!   upstream and silently keeps the last of duplicate mapping keys, so it stays behind this
//!   module.
//! - `yaml-rust2`'s event parser, which keeps source markers, builds a [`SpanIndex`]: the
//!   position of every key and value by key path, and the duplicate keys serde_yaml would hide.
//!   Checks that run long after parsing use it to point at the offending node.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::diag::{Position, Problem};
use crate::path::KeyPath;
use crate::syntax;

/// Largest spec file we accept; real specs are a few KiB.
pub const MAX_SPEC_BYTES: usize = 1 << 20;

/// A parsed spec document with the positions of its nodes.
#[derive(Debug)]
pub struct Document {
    pub value: serde_yaml::Value,
    pub spans: SpanIndex,
}

/// Where each node of a document is.
#[derive(Debug, Default)]
pub struct SpanIndex {
    nodes: HashMap<KeyPath, NodeSpan>,
}

#[derive(Debug, Clone, Copy)]
struct NodeSpan {
    /// The key's position, for nodes that are mapping values.
    key: Option<Position>,
    value: Position,
}

impl SpanIndex {
    /// The path of the leftmost node that starts (with its key, for a mapping value) on `line`.
    fn path_on_line(&self, line: usize) -> Option<KeyPath> {
        self.nodes
            .iter()
            .map(|(path, span)| (span.key.unwrap_or(span.value), path))
            .filter(|(at, _)| at.line == line)
            .min_by_key(|(at, path)| (at.column, path.segments().len()))
            .map(|(_, path)| path.clone())
    }

    /// The position of the node at `path`, or of its closest located ancestor.
    pub fn locate(&self, path: &KeyPath, at_key: bool) -> Position {
        let mut segments = path.segments().to_vec();
        loop {
            if let Some(span) = self.nodes.get(&KeyPath::from_segments(segments.clone())) {
                return match (at_key, span.key) {
                    (true, Some(key)) => key,
                    _ => span.value,
                };
            }
            if segments.pop().is_none() {
                return Position { line: 1, column: 1 };
            }
        }
    }
}

/// Parses `src`, returning the document or every syntax and duplicate-key problem found.
pub fn parse(src: &str) -> Result<Document, Vec<Problem>> {
    if src.len() > MAX_SPEC_BYTES {
        return Err(vec![problem_at(
            KeyPath::root(),
            Position { line: 1, column: 1 },
            format!(
                "spec file is {} bytes, more than the {MAX_SPEC_BYTES} bytes a spec may have",
                src.len()
            ),
            Some("split the spec or remove the oversized example"),
        )]);
    }
    if src.trim().is_empty() {
        return Err(vec![problem_at(
            KeyPath::root(),
            Position { line: 1, column: 1 },
            "spec file is empty".into(),
            Some("start with `method: <name>`; see docs/spec-format.md"),
        )]);
    }

    if let Some(position) = too_deep(src) {
        return Err(vec![problem_at(
            KeyPath::root(),
            position,
            format!("spec nests `[`/`{{` more than {MAX_FLOW_DEPTH} levels deep"),
            Some("real specs nest a few levels; check for a runaway bracket"),
        )]);
    }

    let mut index = IndexBuilder::default();
    // The pull API, not `Parser::load`: `load` recurses once per nesting level and would
    // overflow the stack on a deeply nested document; pulling events is iterative.
    let mut parser = Parser::new_from_str(src);
    let located = loop {
        match parser.next_token() {
            Ok((Event::StreamEnd, _)) => break Ok(()),
            Ok((event, mark)) => index.on_event(event, mark),
            Err(e) => break Err(e),
        }
    };
    let mut problems = index.problems;
    // Tabs are usually all over a file indented with them: the first says what to fix.
    if let Some(at) = index.first_tab {
        let (message, help) = syntax::tab_problem(src, at.line);
        problems.push(problem_at(KeyPath::root(), at, message, Some(&help)));
    }
    if let Err(e) = located {
        // The span parser and serde_yaml agree on syntax errors in practice; report the
        // span parser's only when serde_yaml accepts the text, to avoid saying it twice.
        if serde_yaml::from_str::<serde_yaml::Value>(src).is_ok() {
            problems.push(syntax_problem(
                src,
                &index.spans,
                marker_position(*e.marker()),
                e.info(),
            ));
        }
    }

    if let Some(position) = index.second_document {
        problems.push(problem_at(
            KeyPath::root(),
            position,
            "a spec file holds one YAML document, but a second one starts here".into(),
            Some("remove the `---` line and what follows, or move it to a file of its own"),
        ));
        return Err(problems);
    }
    let value = match serde_yaml::from_str::<serde_yaml::Value>(src) {
        Ok(value) => value,
        // serde_yaml also refuses some duplicates, with less detail than we already gave.
        Err(_) if !problems.is_empty() => return Err(problems),
        Err(e) => {
            let position = e
                .location()
                .map(|l| Position {
                    line: l.line(),
                    column: l.column(),
                })
                .unwrap_or(Position { line: 1, column: 1 });
            problems.push(syntax_problem(
                src,
                &index.spans,
                position,
                &strip_location(&e.to_string(), position),
            ));
            return Err(problems);
        }
    };
    if value.is_null() && problems.is_empty() {
        problems.push(problem_at(
            KeyPath::root(),
            Position { line: 1, column: 1 },
            "spec file is empty".into(),
            Some("start with `method: <name>`; see docs/spec-format.md"),
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Document {
        value,
        spans: index.spans,
    })
}

/// Deepest `[`/`{` nesting accepted. Both YAML parsers take time quadratic in flow nesting,
/// so a runaway document is refused before either sees it.
const MAX_FLOW_DEPTH: usize = 100;

/// Where bracket nesting first exceeds [`MAX_FLOW_DEPTH`]. Brackets in strings and comments
/// count too: that can only over-count, and no real spec comes near the limit.
fn too_deep(src: &str) -> Option<Position> {
    let (mut depth, mut line, mut column) = (0usize, 1, 0);
    for c in src.chars() {
        column += 1;
        match c {
            '\n' => (line, column) = (line + 1, 0),
            '[' | '{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some(Position { line, column });
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// A syntax error, explained as the mistake behind it when the text shows one, else in the
/// parser's words.
fn syntax_problem(src: &str, spans: &SpanIndex, at: Position, parser_message: &str) -> Problem {
    match syntax::explain(src, at, parser_message) {
        Some(e) => problem_at(
            spans
                .path_on_line(e.path_line)
                .or_else(|| {
                    let (parent, key) = syntax::enclosing(src, e.path_line)?;
                    let path = spans.path_on_line(parent)?;
                    Some(key.map_or_else(|| path.clone(), |k| path.key(&k)))
                })
                .unwrap_or_default(),
            e.position,
            e.message,
            Some(&e.help),
        ),
        None => problem_at(
            KeyPath::root(),
            at,
            format!("YAML syntax error: {parser_message}"),
            Some("fix the YAML syntax at this position or on the line above"),
        ),
    }
}

fn problem_at(
    key_path: KeyPath,
    position: Position,
    message: String,
    help: Option<&str>,
) -> Problem {
    Problem {
        key_path,
        at_key: false,
        message,
        help: help.map(str::to_owned),
        position: Some(position),
    }
}

/// serde_yaml repeats the error position in the message (" at line L column C"); we print the
/// position ourselves, so that one occurrence goes. Other positions in the text (where a
/// flow mapping started, say) are kept: they help.
fn strip_location(message: &str, position: Position) -> String {
    let own = format!(" at line {} column {}", position.line, position.column);
    match message.find(&own) {
        Some(i) => format!("{}{}", &message[..i], &message[i + own.len()..]),
        None => message.to_owned(),
    }
}

fn marker_position(m: Marker) -> Position {
    // yaml-rust2 lines are 1-based, columns 0-based.
    Position {
        line: m.line().max(1),
        column: m.col() + 1,
    }
}

/// Receives located events and records spans, duplicate keys and tabs read into text,
/// without expanding aliases (so an alias bomb costs nothing here).
#[derive(Default)]
struct IndexBuilder {
    spans: SpanIndex,
    stack: Vec<Frame>,
    /// Duplicate keys (serde_yaml keeps the last one).
    problems: Vec<Problem>,
    /// Where a plain scalar first starts with a tab.
    first_tab: Option<Position>,
    /// Only the first document is a spec.
    documents: usize,
    /// Where a second document starts, if there is one (a spec is one document).
    second_document: Option<Position>,
}

enum Frame {
    Mapping {
        path: KeyPath,
        /// The key just read, waiting for its value.
        pending_key: Option<(String, Position)>,
        seen: HashMap<String, Position>,
        /// Set while a non-scalar key is being skipped.
        complex_key_depth: usize,
    },
    Sequence {
        path: KeyPath,
        next: usize,
    },
}

impl IndexBuilder {
    /// Path and key position for a node that starts now, advancing the parent.
    fn child_path(&mut self) -> Option<(KeyPath, Option<Position>)> {
        match self.stack.last_mut() {
            None => Some((KeyPath::root(), None)),
            Some(Frame::Sequence { path, next }) => {
                let p = path.index(*next);
                *next += 1;
                Some((p, None))
            }
            Some(Frame::Mapping {
                path, pending_key, ..
            }) => {
                let (key, key_pos) = pending_key.take()?;
                Some((path.key(&key), Some(key_pos)))
            }
        }
    }

    fn in_key_position(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame::Mapping {
                pending_key: None,
                ..
            })
        )
    }

    fn record(&mut self, path: KeyPath, key: Option<Position>, value: Position) {
        self.spans
            .nodes
            .entry(path)
            .or_insert(NodeSpan { key, value });
    }
}

impl MarkedEventReceiver for IndexBuilder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let pos = marker_position(mark);
        // Inside a non-scalar mapping key (which the model rejects anyway): skip its events.
        if let Some(Frame::Mapping {
            complex_key_depth,
            pending_key,
            ..
        }) = self.stack.last_mut()
            && *complex_key_depth > 0
        {
            match ev {
                Event::MappingStart(..) | Event::SequenceStart(..) => *complex_key_depth += 1,
                Event::MappingEnd | Event::SequenceEnd => *complex_key_depth -= 1,
                _ => {}
            }
            if *complex_key_depth == 0 {
                // The value that follows a complex key is recorded under a placeholder key.
                *pending_key = Some(("<complex key>".into(), pos));
            }
            return;
        }
        // A plain scalar cannot start with whitespace: a leading tab is a tab that indents
        // the line, which some parsers take into the text (`\tID_EMPTY` as a key).
        if let Event::Scalar(text, TScalarStyle::Plain, ..) = &ev
            && text.starts_with('\t')
            && self.documents <= 1
        {
            self.first_tab.get_or_insert(pos);
        }
        match ev {
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents == 2 {
                    self.second_document = Some(pos);
                }
            }
            _ if self.documents > 1 => {}
            Event::Scalar(text, ..) if self.in_key_position() => {
                if let Some(Frame::Mapping {
                    path,
                    pending_key,
                    seen,
                    ..
                }) = self.stack.last_mut()
                {
                    if let Some(first) = seen.get(&text) {
                        let key_path = path.key(&text);
                        self.problems.push(Problem {
                            message: format!(
                                "duplicate key `{text}` (first defined at line {}, column {})",
                                first.line, first.column
                            ),
                            help: Some(
                                "YAML would silently keep only the last one; remove or rename one of them"
                                    .into(),
                            ),
                            key_path,
                            at_key: true,
                            position: Some(pos),
                        });
                    } else {
                        seen.insert(text.clone(), pos);
                    }
                    // A block mapping's start marker points past its first key; the first key
                    // is where the mapping starts for a reader.
                    let first_key = seen.len() == 1 && pending_key.is_none();
                    let mapping = path.clone();
                    *pending_key = Some((text, pos));
                    if first_key
                        && let Some(span) = self.spans.nodes.get_mut(&mapping)
                        && span.value > pos
                    {
                        span.value = pos;
                    }
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) if self.in_key_position() => {
                if let Some(Frame::Mapping {
                    complex_key_depth, ..
                }) = self.stack.last_mut()
                {
                    *complex_key_depth = 1;
                }
            }
            Event::Alias(_) if self.in_key_position() => {
                if let Some(Frame::Mapping { pending_key, .. }) = self.stack.last_mut() {
                    *pending_key = Some(("<alias key>".into(), pos));
                }
            }
            Event::Scalar(..) | Event::Alias(_) => {
                if let Some((path, key)) = self.child_path() {
                    self.record(path, key, pos);
                }
            }
            Event::MappingStart(..) => {
                let (path, key) = self.child_path().unwrap_or_default();
                self.record(path.clone(), key, pos);
                self.stack.push(Frame::Mapping {
                    path,
                    pending_key: None,
                    seen: HashMap::new(),
                    complex_key_depth: 0,
                });
            }
            Event::SequenceStart(..) => {
                let (path, key) = self.child_path().unwrap_or_default();
                self.record(path.clone(), key, pos);
                self.stack.push(Frame::Sequence { path, next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_keys_and_values() {
        let doc =
            parse("method: a.b\ntypes:\n  User:\n    fields:\n      idle: { type: datetime }\n")
                .unwrap();
        let path = KeyPath::root()
            .key("types")
            .key("User")
            .key("fields")
            .key("idle")
            .key("type");
        assert_eq!(
            doc.spans.locate(&path, false),
            Position {
                line: 5,
                column: 21
            }
        );
        assert_eq!(
            doc.spans.locate(&path, true),
            Position {
                line: 5,
                column: 15
            }
        );
        // An unknown deeper path falls back to the closest ancestor.
        let deeper = path.key("nope");
        assert_eq!(
            doc.spans.locate(&deeper, false),
            Position {
                line: 5,
                column: 21
            }
        );
    }

    #[test]
    fn reports_every_duplicate_key_with_both_positions() {
        let problems = parse("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n").unwrap_err();
        let messages: Vec<_> = problems
            .iter()
            .map(|p| (p.key_path.to_string(), p.position))
            .collect();
        assert_eq!(
            messages,
            vec![
                ("b.c".to_owned(), Some(Position { line: 4, column: 3 })),
                ("a".to_owned(), Some(Position { line: 5, column: 1 })),
            ]
        );
        assert!(
            problems[0].message.contains("line 3, column 3"),
            "{}",
            problems[0].message
        );
    }

    #[test]
    fn syntax_errors_carry_a_position() {
        let problems = parse("method: [unclosed\n").unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].message.starts_with("YAML syntax error"),
            "{}",
            problems[0].message
        );
        assert!(problems[0].position.is_some());
    }

    #[test]
    fn alias_bombs_are_refused_quickly() {
        let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            src.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        // serde_yaml refuses to expand 10^12 nodes; the span index never expands aliases.
        let problems = parse(&src).unwrap_err();
        assert!(
            problems[0].message.contains("repetition limit"),
            "{}",
            problems[0].message
        );
    }

    #[test]
    fn runaway_flow_nesting_is_refused_where_it_goes_too_deep() {
        let src = format!("method: x\nresult: {}", "[".repeat(MAX_FLOW_DEPTH + 5));
        let problems = parse(&src).unwrap_err();
        assert_eq!(
            problems[0].position,
            Some(Position {
                line: 2,
                column: 9 + MAX_FLOW_DEPTH
            })
        );
        let fine = format!("a: {}{}\n", "[".repeat(20), "]".repeat(20));
        assert!(parse(&fine).is_ok());
    }

    #[test]
    fn empty_files_are_an_error() {
        let problems = parse("  \n# only a comment\n").unwrap_err();
        assert!(
            problems[0].message.contains("empty"),
            "{}",
            problems[0].message
        );
    }
}
