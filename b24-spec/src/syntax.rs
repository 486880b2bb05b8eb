//! YAML syntax errors explained as the mistakes that cause them.
//!
//! The parsers say where they gave up, in the grammar's words ("mapping values are not
//! allowed in this context"). The mistake is often elsewhere (a line above indented wrongly)
//! or not about the grammar at all (a tab, text that needs quotes). Each rule here looks at
//! the text around the reported position; when the text shows a known mistake, the rule says
//! which line holds it and how to fix it. When none applies, the parser's own words are shown.

use crate::diag::Position;
use crate::model::PRIMITIVES;
use crate::parse::is_option_key;

/// A syntax error restated: where the mistake is, what it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Explained {
    pub position: Position,
    /// A line whose key path (or, failing that, whose enclosing key's path) names the place.
    pub path_line: usize,
    pub message: String,
    pub help: String,
}

/// Explains the parser error `parser_message`, reported at `at` in `src`, if the text around
/// it shows a mistake we know.
pub(crate) fn explain(src: &str, at: Position, parser_message: &str) -> Option<Explained> {
    let text = Text::new(src);
    if at.line == 0 || at.line > text.lines.len() + 1 {
        return None;
    }
    tab(&text, at, parser_message)
        .or_else(|| unclosed_quote(&text, at, parser_message))
        .or_else(|| flow_mapping(&text, at, parser_message))
        .or_else(|| colon(&text, at, parser_message))
        .or_else(|| no_key(&text, at, parser_message))
        .or_else(|| cannot_start(&text, at, parser_message))
}

/// For a line the span parser did not reach: the closest line above it that is indented less
/// (the key it is under), and the key on the line itself, if it has one.
pub(crate) fn enclosing(src: &str, line: usize) -> Option<(usize, Option<String>)> {
    let text = Text::new(src);
    let own = text.line(line);
    if leading_tab(own).is_some() {
        return None;
    }
    let parent = (1..line)
        .rev()
        .find(|&n| is_content(text.line(n)) && indent(text.line(n)) < indent(own))?;
    Some((parent, key_of(own)))
}

/// The message and help for a tab that indents `line` (1-based) of `src`.
pub(crate) fn tab_problem(src: &str, line: usize) -> (String, String) {
    let text = Text::new(src);
    let above = text
        .previous_content(line)
        .filter(|&n| leading_tab(text.line(n)).is_none())
        .and_then(|n| {
            let l = text.line(n);
            let key = key_of(l)?;
            Some(if opens_block(l) {
                format!(
                    ": with {} it goes under `{key}:` on line {n}",
                    spaces(indent(l) + step(&text))
                )
            } else {
                format!(
                    ": with {} it lines up with `{key}:` on line {n}",
                    spaces(indent(l))
                )
            })
        })
        .unwrap_or_default();
    (
        format!("line {line} is indented with a tab; YAML does not allow tabs for indentation"),
        format!("indent it with spaces instead{above}"),
    )
}

/// "1 space", "4 spaces".
fn spaces(n: usize) -> String {
    if n == 1 {
        "1 space".to_owned()
    } else {
        format!("{n} spaces")
    }
}

/// The spec's text as lines of characters (columns count characters, as the parsers do).
struct Text<'a> {
    src: &'a str,
    lines: Vec<Vec<char>>,
}

impl<'a> Text<'a> {
    fn new(src: &'a str) -> Self {
        Self {
            src,
            lines: src
                .lines()
                .map(|l| l.trim_end_matches('\r').chars().collect())
                .collect(),
        }
    }

    /// Line `n` (1-based); empty past the end.
    fn line(&self, n: usize) -> &[char] {
        n.checked_sub(1)
            .and_then(|i| self.lines.get(i))
            .map_or(&[], Vec::as_slice)
    }

    /// The last line before `n` with something other than blanks or a comment.
    fn previous_content(&self, n: usize) -> Option<usize> {
        (1..n).rev().find(|&i| is_content(self.line(i)))
    }
}

fn is_content(line: &[char]) -> bool {
    let rest: String = line.iter().skip_while(|c| c.is_whitespace()).collect();
    !rest.is_empty() && !rest.starts_with('#')
}

/// Where a tab is in the leading whitespace of a line.
fn leading_tab(line: &[char]) -> Option<usize> {
    line.iter()
        .take_while(|c| c.is_whitespace())
        .position(|&c| c == '\t')
}

/// Leading spaces (a tab ends the count).
fn indent(line: &[char]) -> usize {
    line.iter().take_while(|&&c| c == ' ').count()
}

/// `key` of a `key: value` or `key:` line (also after `- `), when the key is plain text.
fn key_of(line: &[char]) -> Option<String> {
    let s: String = line.iter().collect();
    let s = s.trim_start();
    let s = s.strip_prefix("- ").unwrap_or(s).trim_start();
    if s.starts_with(['"', '\'', '[', '{', '#', '-', '?', '|', '>', '&', '*', '!']) {
        return None;
    }
    let end = s
        .find(": ")
        .or_else(|| s.ends_with(':').then(|| s.len() - 1))?;
    let key = &s[..end];
    (!key.is_empty() && !key.contains(" #")).then(|| key.to_owned())
}

/// The value after `key: ` on a line, without a trailing comment, if there is one.
fn value_of(line: &[char]) -> Option<String> {
    let s: String = line.iter().collect();
    let s = s.trim_start();
    let s = s.strip_prefix("- ").unwrap_or(s);
    let start = s.find(": ")? + 2;
    let value = s[start..].trim();
    let value = value.find(" #").map_or(value, |i| value[..i].trim_end());
    (!value.is_empty()).then(|| value.to_owned())
}

/// Whether a line is `key:` with nothing after it: the key's value is on the lines below.
fn opens_block(line: &[char]) -> bool {
    let s: String = line.iter().collect();
    let s = s.trim_end();
    let s = s.find(" #").map_or(s, |i| s[..i].trim_end());
    key_of(line).is_some() && s.ends_with(':')
}

/// Whether a line is `key: |` or `key: >`: the text below it is the value.
fn opens_text(line: &[char]) -> bool {
    value_of(line).is_some_and(|v| {
        v.starts_with(['|', '>'])
            && v[1..]
                .chars()
                .all(|c| matches!(c, '+' | '-') || c.is_ascii_digit())
    })
}

/// `text` as a double-quoted YAML string.
fn double_quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `text` quoted so that YAML reads it back unchanged: in double quotes, or in single quotes
/// when it has double quotes of its own.
fn quoted(text: &str) -> String {
    if text.contains('"') {
        format!("'{}'", text.replace('\'', "''"))
    } else {
        double_quoted(text)
    }
}

/// `key: "value"` as a fix to show, for a value that needs quotes (in backquotes unless it
/// has some of its own).
fn quote_fix(key: &str, value: &str) -> String {
    let fix = format!("{key}: {}", quoted(value));
    if fix.contains('`') {
        fix
    } else {
        format!("`{fix}`")
    }
}

/// How a character is named in a message: in backquotes, unless it is one.
fn shown(c: char) -> String {
    if c == '`' {
        "a backquote".to_owned()
    } else {
        format!("`{c}`")
    }
}

/// The value of `key` at `position` is text that needs quotes, for the reason `why`.
fn needs_quotes(position: Position, key: &str, value: &str, why: &str) -> Explained {
    Explained {
        position,
        path_line: position.line,
        message: format!("the value of `{key}` {why}"),
        help: format!("quote the value: {}", quote_fix(key, value)),
    }
}

fn at(line: usize, column: usize) -> Position {
    Position { line, column }
}

/// A tab where YAML reads indentation: in the leading whitespace of the reported line, or of
/// the nearest line above with one when the parser names a tab.
fn tab(text: &Text, pos: Position, parser_message: &str) -> Option<Explained> {
    let leading_tab = |n: usize| leading_tab(text.line(n));
    let (line, column) = match leading_tab(pos.line) {
        Some(i) => (pos.line, i + 1),
        None if parser_message.contains("tab") => {
            let line = (1..pos.line).rev().find(|&n| leading_tab(n).is_some())?;
            (line, leading_tab(line)? + 1)
        }
        None => {
            // `key:<tab>value`: some YAML parsers refuse a tab after `:`.
            let l = text.line(pos.line);
            let colon = (1..l.len()).find(|&i| l[i - 1] == ':' && l[i] == '\t')?;
            return Some(Explained {
                position: at(pos.line, colon + 1),
                path_line: pos.line,
                message: "a tab follows `:`; YAML parsers do not all accept a tab there".into(),
                help: "write a space after `:`".into(),
            });
        }
    };
    let (message, help) = tab_problem(text.src, line);
    Some(Explained {
        position: at(line, column),
        path_line: line,
        message,
        help,
    })
}

/// A quote that is never closed (the text runs to the end of the file), or closed only by a
/// quote on a later line.
fn unclosed_quote(text: &Text, pos: Position, parser_message: &str) -> Option<Explained> {
    let quote_help = |q: char| {
        if q == '"' {
            "end the text with `\"` on the same line; write a `\"` inside the text as `\\\"`, or quote the whole text with `'` instead"
        } else {
            "end the text with `'` on the same line; write a `'` inside the text as `''`, or quote the whole text with `\"` instead"
        }
    };
    if let Some(start) = context_mark(parser_message, "while scanning a quoted scalar") {
        let q = *text.line(start.line).get(start.column.checked_sub(1)?)?;
        return Some(Explained {
            position: start,
            path_line: start.line,
            message: format!(
                "the `{q}` that starts this text is never closed, so the text runs to the end of the file"
            ),
            help: quote_help(q).to_owned(),
        });
    }
    // `doc: "Id of the thing` … `doc: "Name"` on a later line: the first quote ends at the
    // first quote of the later line, and the parser stops just after it.
    if !parser_message.starts_with("did not find expected key") {
        return None;
    }
    let line = text.line(pos.line);
    let q = *line.get(pos.column.checked_sub(2)?)?;
    if q != '"' && q != '\'' {
        return None;
    }
    let count = |l: &[char]| l.iter().filter(|&&c| c == q).count();
    let before = &line[..pos.column - 1];
    if count(before) % 2 == 0 {
        return None;
    }
    let opener = (1..pos.line)
        .rev()
        .take_while(|&n| n + 20 > pos.line)
        .find(|&n| count(text.line(n)) % 2 == 1)?;
    let column = text.line(opener).iter().rposition(|&c| c == q)? + 1;
    Some(Explained {
        position: at(opener, column),
        path_line: opener,
        message: format!(
            "the `{q}` that starts this text is not closed on its line, so the text runs on to the `{q}` at line {}, column {}",
            pos.line,
            pos.column - 1
        ),
        help: quote_help(q).to_owned(),
    })
}

/// `line L column C` named in a parser message after `context`.
fn context_mark(parser_message: &str, context: &str) -> Option<Position> {
    let rest = &parser_message[parser_message.find(context)? + context.len()..];
    let rest = rest.trim_start().strip_prefix("at line ")?;
    let (line, rest) = rest.split_once(" column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some(at(line.parse().ok()?, column.parse().ok()?))
}

/// Problems inside `{ … }`: a `#` that starts a comment, a `{` never closed, a `: ` in a
/// value.
fn flow_mapping(text: &Text, pos: Position, parser_message: &str) -> Option<Explained> {
    let start = context_mark(parser_message, "while parsing a flow mapping")?;
    let first = text.line(start.line);
    let from = start.column.saturating_sub(1).min(first.len());
    // ` #` after the `{`: everything after it is a comment, the closing `}` too.
    let opened = |l: &[char]| l.iter().filter(|&&c| c == '{').count();
    let closed = |l: &[char]| l.iter().filter(|&&c| c == '}').count();
    if let Some(hash) = (from.max(1)..first.len()).find(|&i| {
        first[i] == '#' && first[i - 1] == ' ' && opened(&first[..i]) > closed(&first[..i])
    }) {
        let (key, value) = flow_entry(first, hash)?;
        return Some(Explained {
            position: at(start.line, hash + 1),
            path_line: start.line,
            message: "` #` starts a comment, which hides the rest of the line, `}` included".into(),
            help: format!(
                "quote the text that contains `#`: {}",
                quote_fix(&key, &value)
            ),
        });
    }
    if pos.line > start.line
        && opened(first) > closed(first)
        && indent(text.line(pos.line)) <= indent(first)
    {
        return Some(Explained {
            position: start,
            path_line: start.line,
            message: "this `{` is never closed: the next lines are read as part of it".into(),
            help: "end the mapping with `}`".into(),
        });
    }
    let line = text.line(pos.line);
    if line.get(pos.column.checked_sub(1)?) == Some(&':') {
        let (key, value) = flow_entry(line, pos.column - 1)?;
        return Some(needs_quotes(
            pos,
            &key,
            &value,
            "contains `: `, which ends it inside `{ … }`",
        ));
    }
    None
}

/// The `key: value` entry of a flow mapping around column index `i` of `line`: the key before
/// `i`, and the whole value, up to the next `,` or `}` after `i`.
fn flow_entry(line: &[char], i: usize) -> Option<(String, String)> {
    let begin = line[..i]
        .iter()
        .rposition(|&c| c == ',' || c == '{')
        .map_or(0, |b| b + 1);
    let end = line[i..]
        .iter()
        .position(|&c| c == ',' || c == '}')
        .map_or(line.len(), |e| i + e);
    let entry: String = line[begin..end].iter().collect();
    let (key, value) = entry.split_once(": ")?;
    Some((key.trim().to_owned(), value.trim().to_owned()))
}

/// "mapping values are not allowed in this context": a `: ` where YAML cannot start a key.
/// Either text with `: ` in it, or a key indented deeper than the `key: value` line above.
fn colon(text: &Text, pos: Position, parser_message: &str) -> Option<Explained> {
    if !parser_message.starts_with("mapping values are not allowed") {
        return None;
    }
    let line = text.line(pos.line);
    if line.get(pos.column.checked_sub(1)?) != Some(&':') {
        return None;
    }
    let before: String = line[..pos.column - 1].iter().collect();
    // `doc: Id of the thing: a number`: the colon is inside the value, after the key's.
    let first_colon =
        (0..line.len()).find(|&i| line[i] == ':' && line.get(i + 1).is_none_or(|c| *c == ' '));
    if let (Some(key), Some(value)) = (key_of(line), value_of(line))
        && first_colon.is_some_and(|i| i + 1 < pos.column)
    {
        return Some(needs_quotes(
            pos,
            &key,
            &value,
            "contains `: `, which YAML reads as the start of another key",
        ));
    }
    let above = text.previous_content(pos.line)?;
    let (above_line, own) = (text.line(above), indent(line));
    let before = before.trim();
    let (key, above_key) = (
        before.strip_prefix("- ").unwrap_or(before).to_owned(),
        key_of(above_line)?,
    );
    if own <= indent(above_line) || value_of(above_line).is_none() {
        return None;
    }
    // `doc: Id of the thing,` / `  see also: the list`: text that goes on below its key.
    if key.contains(' ') {
        return Some(Explained {
            position: pos,
            path_line: above,
            message: format!(
                "this line goes on with the text of `{above_key}` (line {above}), and its `: ` makes YAML look for a key"
            ),
            help: format!(
                "put the whole text of `{above_key}` in quotes, or write it as a block: `{above_key}: |` with the text indented below"
            ),
        });
    }
    // `result:` / `id: 5` / `  name: John`: `id:` is the line out of place when the key
    // above it has no value and the same indentation.
    if let Some(opener) = text.previous_content(above)
        && opens_block(text.line(opener))
        && indent(text.line(opener)) == indent(above_line)
        && let Some(opener_key) = key_of(text.line(opener))
    {
        return Some(Explained {
            position: at(above, indent(above_line) + 1),
            path_line: above,
            message: format!(
                "`{above_key}:` is indented like `{opener_key}:` on line {opener}, so it is not inside `{opener_key}`, and the deeper line {} below it is read as part of its value",
                pos.line
            ),
            help: format!(
                "indent `{above_key}:` by {}, like `{key}:` on line {}",
                spaces(own),
                pos.line
            ),
        });
    }
    // `result: Thing` / `  doc: …`: an option meant for the type written on the line above.
    let nest = value_of(above_line)
        .filter(|v| {
            // `name` is an enum's option, but more often a field next to `id`.
            above_key != "type"
                && key != "name"
                && is_option_key(&key)
                && (PRIMITIVES.contains(&v.as_str())
                    || v.starts_with(|c: char| c.is_ascii_uppercase())
                        && v.chars().all(|c| c.is_ascii_alphanumeric()))
        })
        .map(|v| {
            format!(
                "; or, to give `{above_key}` a `{key}`, write `{above_key}:` alone on its line, with `type: {v}` and `{key}:` indented below it"
            )
        })
        .unwrap_or_default();
    Some(Explained {
        position: at(pos.line, own + 1),
        path_line: above,
        message: format!(
            "`{key}:` is indented deeper than `{above_key}:` on line {above}, so YAML reads it as more of the value of `{above_key}`"
        ),
        help: format!(
            "indent `{key}:` by {}, like `{above_key}:`{nest}",
            spaces(indent(above_line))
        ),
    })
}

/// "did not find expected key": a line that does not fit the mapping it is in: a list item,
/// a value with text after its closing bracket or quote, or an indentation that matches
/// no line above.
fn no_key(text: &Text, pos: Position, parser_message: &str) -> Option<Explained> {
    if !parser_message.starts_with("did not find expected key") {
        return None;
    }
    let line = text.line(pos.line);
    let own = indent(line);
    let trimmed: String = line.iter().skip(own).collect();
    let above = text.previous_content(pos.line)?;
    if trimmed == "-" || trimmed.starts_with("- ") {
        let above_key = key_of(text.line(above))?;
        return Some(Explained {
            position: at(pos.line, own + 1),
            path_line: above,
            message: format!(
                "a list item (`- …`) among the keys of a mapping (`{above_key}:` on line {above})"
            ),
            help: "remove the `- ` to write a key of that mapping; a list goes under a key of its own, with nothing after its `:`".into(),
        });
    }
    // `doc: [1] the thing`, `doc: "ID" of the thing`: the value ended at its bracket or quote.
    if pos.column > own + 1
        && let (Some(key), Some(value)) = (key_of(line), value_of(line))
        && let Some(open) = value.chars().next().filter(|c| "[{\"'".contains(*c))
    {
        let what = match open {
            '[' => "a list, which ends at its `]`",
            '{' => "a mapping, which ends at its `}`",
            _ => "quoted text, which ends at the closing quote",
        };
        return Some(needs_quotes(
            pos,
            &key,
            &value,
            &format!("starts with `{open}`, so YAML reads {what}; the text after it does not fit"),
        ));
    }
    // The indentations of the mappings the line could belong to, innermost first, with the
    // line that sets each.
    let mut levels: Vec<(usize, usize)> = Vec::new();
    for n in (1..pos.line).rev() {
        let l = text.line(n);
        if !is_content(l) {
            continue;
        }
        if levels.last().is_none_or(|&(i, _)| indent(l) < i) {
            levels.push((indent(l), n));
        }
        if indent(l) == 0 {
            break;
        }
    }
    if levels.iter().any(|&(i, _)| i == own) {
        return None;
    }
    let deeper = levels.iter().rev().find(|&&(i, _)| i > own).copied();
    let shallower = levels.iter().find(|&&(i, _)| i < own).copied();
    let (Some((deep, deep_line)), Some((shallow, shallow_line))) = (deeper, shallower) else {
        return None;
    };
    let what = key_of(line).map_or_else(|| "this line".to_owned(), |k| format!("`{k}:`"));
    // The text of `key: |` below its first line: all of it at least as deep as that line.
    if let Some(opener) = text.previous_content(first_of_block(text, deep_line, deep))
        && opens_text(text.line(opener))
    {
        let key = key_of(text.line(opener))?;
        return Some(Explained {
            position: at(pos.line, own + 1),
            path_line: opener,
            message: format!(
                "this line is indented less than the text of `{key}` (line {opener}) above it, and more than `{key}:` itself"
            ),
            help: format!(
                "indent every line of the text by at least {}, like its first line; or by {} to start a key next to `{key}:`",
                spaces(deep),
                indent(text.line(opener))
            ),
        });
    }
    // A mapping whose first key is indented deeper than the keys that follow it: the first
    // key set the mapping's indentation, so it is the line out of place.
    let start = first_of_block(text, deep_line, deep);
    let step = step(text);
    if let Some(opener) = text.previous_content(start)
        && indent(text.line(opener)) == shallow
        && opens_block(text.line(opener))
        && own == shallow + step
        && deep != shallow + step
        && (start..pos.line).all(|n| !is_content(text.line(n)) || indent(text.line(n)) >= deep)
        && let (Some(first_key), Some(opener_key)) =
            (key_of(text.line(start)), key_of(text.line(opener)))
    {
        return Some(Explained {
            position: at(start, deep + 1),
            path_line: start,
            message: format!(
                "`{first_key}:` starts the mapping of `{opener_key}` indented by {}, but {what} on line {} below is indented by {own}: the keys of one mapping line up",
                spaces(deep),
                pos.line
            ),
            help: format!(
                "indent `{first_key}:` (and any lines of its block) by {}, like {what} on line {}",
                spaces(own),
                pos.line
            ),
        });
    }
    let name = |n: usize, sep: &str| {
        key_of(text.line(n)).map_or_else(|| format!("line {n}"), |k| format!("`{k}:`{sep}line {n}"))
    };
    Some(Explained {
        position: at(pos.line, own + 1),
        path_line: shallow_line,
        message: format!(
            "{what} is indented by {}, which lines up with no key above it: the keys around it are indented by {deep} ({}) and {shallow} ({})",
            spaces(own),
            name(deep_line, ", "),
            name(shallow_line, ", "),
        ),
        help: format!(
            "indent it by {} to make it a key next to {}, or by {shallow} to make it a key next to {}",
            spaces(deep),
            name(deep_line, " on "),
            name(shallow_line, " on "),
        ),
    })
}

/// How many spaces the file indents a level by: the indentation of its first indented line.
fn step(text: &Text) -> usize {
    text.lines
        .iter()
        .filter(|l| is_content(l))
        .map(|l| indent(l))
        .find(|&i| i > 0)
        .unwrap_or(2)
}

/// The first line of the run of lines, ending at `line`, indented by at least `depth` whose
/// first line is indented by exactly `depth`: the start of the block `line` is in.
fn first_of_block(text: &Text, line: usize, depth: usize) -> usize {
    let mut first = line;
    for n in (1..line).rev() {
        let l = text.line(n);
        if !is_content(l) {
            continue;
        }
        if indent(l) < depth {
            break;
        }
        if indent(l) == depth {
            first = n;
        }
    }
    first
}

/// "found character that cannot start any token", and aliases: a plain value that starts with
/// a character YAML reserves (`` ` ``, `@`, `%`, `*`).
fn cannot_start(text: &Text, pos: Position, parser_message: &str) -> Option<Explained> {
    let line = text.line(pos.line);
    let (position, reserved) = if parser_message.starts_with("found character that cannot start") {
        (pos, *line.get(pos.column.checked_sub(1)?)?)
    } else if let Some(start) = context_mark(parser_message, "while scanning an alias")
        .or_else(|| parser_message.starts_with("unknown anchor").then_some(pos))
    {
        (start, '*')
    } else {
        return None;
    };
    if !"`@%*".contains(reserved) {
        return None;
    }
    let line = text.line(position.line);
    let (key, value) = (key_of(line)?, value_of(line)?);
    let meaning = match reserved {
        '*' => "`*` at the start of a value refers to an anchor (`*name`)",
        '%' => "`%` at the start of a value is reserved for directives",
        _ => "YAML reserves it at the start of a value",
    };
    Some(needs_quotes(
        position,
        &key,
        &value,
        &format!("starts with {}: {meaning}", shown(reserved)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explained(src: &str, line: usize, column: usize, parser_message: &str) -> Explained {
        explain(src, at(line, column), parser_message).expect("explained")
    }

    #[test]
    fn quotes_are_chosen_so_the_text_reads_back() {
        assert_eq!(quoted("Id: a number"), "\"Id: a number\"");
        assert_eq!(quoted("\"ID\" of it"), "'\"ID\" of it'");
        assert_eq!(quoted("it's \"x\""), "'it''s \"x\"'");
    }

    #[test]
    fn a_deeper_key_is_either_too_deep_or_the_line_above_too_shallow() {
        let deep = "result: Thing\n  doc: The thing\n";
        let e = explained(deep, 2, 6, "mapping values are not allowed in this context");
        assert_eq!(e.position, at(2, 3));
        assert!(e.help.contains("indent `doc:` by 0 spaces"), "{e:?}");
        assert!(
            e.help
                .contains("with `type: Thing` and `doc:` indented below it"),
            "{e:?}"
        );
        // A field next to another is not offered as an option of it.
        let sibling = "fields:\n  id: integer\n    name: string\n";
        let e = explained(
            sibling,
            3,
            9,
            "mapping values are not allowed in this context",
        );
        assert_eq!(e.help, "indent `name:` by 2 spaces, like `id:`");

        let shallow = "response:\n  result:\n  id: 5\n    name: John\n";
        let e = explained(
            shallow,
            4,
            9,
            "mapping values are not allowed in this context",
        );
        assert_eq!(e.position, at(3, 3));
        assert!(
            e.message.starts_with("`id:` is indented like `result:`"),
            "{e:?}"
        );
        assert!(e.help.contains("by 4 spaces"), "{e:?}");
    }

    #[test]
    fn a_key_between_two_indentations_names_both() {
        let src = "params:\n  ID:\n    type: integer\n   doc: Id\n";
        let e = explained(
            src,
            4,
            4,
            "did not find expected key, while parsing a block mapping at line 2 column 3",
        );
        assert_eq!(e.position, at(4, 4));
        assert!(e.message.contains("indented by 3 spaces"), "{e:?}");
        assert!(
            e.help.contains("by 4 spaces") && e.help.contains("by 2"),
            "{e:?}"
        );

        let first_too_deep =
            "params:\n  ID:\n    doc: a\n  NAME:\n      type: string\n    doc: b\n";
        let e = explained(
            first_too_deep,
            6,
            5,
            "did not find expected key, while parsing a block mapping at line 2 column 3",
        );
        assert_eq!(e.position, at(5, 7));
        assert!(e.help.starts_with("indent `type:`"), "{e:?}");
    }

    #[test]
    fn unknown_messages_are_left_alone() {
        assert_eq!(explain("a: b\n", at(1, 1), "something else"), None);
        assert_eq!(explain("", at(3, 1), "did not find expected key"), None);
    }
}
