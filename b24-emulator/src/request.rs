//! Reading a call's parameters from the query string and the body, the ways clients send them:
//! a JSON object, or `application/x-www-form-urlencoded` pairs or `multipart/form-data` parts
//! with PHP-style keys (`FILTER[>ID]=5`, `ID[]=1&ID[]=2`, `ID[0]=1`, `a[b][c]=1`) that build
//! nested objects and lists.
//!
//! PHP has one array type for lists and objects. Values are kept the way PHP's `json_encode`
//! would show them: an array keyed `0`, `1`, … in that order is a list, however it was written
//! (`ID[]=1`, `ID[0]=1`, `{"ID": {"0": 1}}`); any other array is an object.

use std::borrow::Cow;

use axum::body::Bytes;
use axum::http::{HeaderMap, header};
use serde_json::{Map, Value};

use crate::clock::php_array;
use crate::envelope::Failure;

/// Name of the parameter that carries the OAuth access token.
const AUTH: &str = "auth";

/// A call's parameters, body over query string.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Params {
    map: Map<String, Value>,
}

impl Params {
    /// Reads the query string and the body. A value in the body wins over the same key in the
    /// query string, as the body is the more deliberate of the two.
    pub async fn read(
        headers: &HeaderMap,
        query: Option<&str>,
        body: Bytes,
    ) -> Result<Self, Failure> {
        let mut map = Map::new();
        if let Some(query) = query {
            map = php_pairs(query.as_bytes());
        }
        if !body.iter().all(u8::is_ascii_whitespace) {
            match media_type(headers).as_deref() {
                // Like PHP's `$_REQUEST`, a body key replaces the whole query-string key.
                Some("application/x-www-form-urlencoded") => map.extend(php_pairs(&body)),
                Some("multipart/form-data") => map.extend(multipart_pairs(headers, body).await?),
                // JSON is what b24 sends; other or missing types are read as JSON too, like
                // the portal reads a body it can decode whatever the header says.
                _ => json_object(&body, &mut map)?,
            }
        }
        map.values_mut().for_each(php_lists);
        Ok(Self { map })
    }

    /// Removes and returns the OAuth access token (`auth`), which is not a method parameter.
    pub fn take_auth(&mut self) -> Option<Value> {
        self.map.remove(AUTH)
    }

    /// The value of parameter `name`, matched case-insensitively as the portal does; an exact
    /// match wins over other spellings. JSON `null` counts as absent, as for PHP's `isset`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.map
            .get(name)
            .or_else(|| {
                self.map
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v)
            })
            .filter(|v| !v.is_null())
    }

    #[cfg(test)]
    pub fn from_map(map: Map<String, Value>) -> Self {
        Self { map }
    }

    /// Parameters from a query string such as a `batch` command carries.
    pub fn from_query(query: &str) -> Self {
        let mut map = php_pairs(query.as_bytes());
        map.values_mut().for_each(php_lists);
        Self { map }
    }

    /// Every parameter, by name.
    pub fn into_map(self) -> Map<String, Value> {
        self.map
    }

    /// Every parameter, as read.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.map
    }

    /// Every parameter, for substitution inside `batch` commands.
    pub fn map_mut(&mut self) -> &mut Map<String, Value> {
        &mut self.map
    }
}

/// `application/json; charset=utf-8` → `application/json`.
fn media_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let media = value.split(';').next()?.trim();
    Some(media.to_ascii_lowercase())
}

fn json_object(body: &[u8], map: &mut Map<String, Value>) -> Result<(), Failure> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Failure::bad_request(format!("the request body is not valid JSON: {e}")))?;
    match value {
        Value::Object(obj) => {
            map.extend(obj);
            Ok(())
        }
        // Positional parameters (`BX24.callMethod('task.commentitem.add', [123, {…}])`): PHP
        // reads the list as an array keyed 0, 1, …, which methods taking names ignore.
        Value::Array(items) => {
            map.extend(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| (i.to_string(), v)),
            );
            Ok(())
        }
        other => Err(Failure::bad_request(format!(
            "the JSON body must be an object of parameters (or a list of positional ones), \
             found {}",
            kind(&other)
        ))),
    }
}

/// Objects keyed `0`, `1`, … in that order, at any depth of `value`, become lists: PHP's arrays
/// as `json_encode` writes them.
fn php_lists(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(php_lists),
        // `{}` stays an object: PHP's empty array is `[]` and `{}` alike.
        Value::Object(map) if !map.is_empty() => {
            map.values_mut().for_each(php_lists);
            *value = php_array(std::mem::take(map).into_iter().collect());
        }
        _ => {}
    }
}

/// Deeper keys are dropped, as PHP drops them (`max_input_nesting_level`).
const MAX_KEY_DEPTH: usize = 64;

/// `key=value` pairs read the way PHP's `parse_str` reads them: `a[b][c]=1` builds nested
/// objects, `a[]=1` appends to a list, and a repeated key keeps its last value; integer keys
/// are array keys like any other (`a[1]=x&a[0]=y` is `{"a": {"1": "x", "0": "y"}}`, which
/// [`Params`] then shows as a list when the keys run 0, 1, … in order). A key with an unclosed
/// `[` is taken literally; pairs without a name (`=x`, `[a]=x`) or nested deeper than 64 levels
/// are dropped.
pub(crate) fn php_pairs(text: &[u8]) -> Map<String, Value> {
    php_map(url::form_urlencoded::parse(text))
}

/// Named values into parameters, PHP-style keys building nested values (see [`php_pairs`]).
fn php_map<'a>(
    pairs: impl IntoIterator<Item = (Cow<'a, str>, Cow<'a, str>)>,
) -> Map<String, Value> {
    let mut map = Map::new();
    for (key, value) in pairs {
        let value = Value::String(value.into_owned());
        match split_php_key(&key) {
            Some((_, path)) if path.len() > MAX_KEY_DEPTH => {}
            Some((base, path)) if !base.is_empty() => {
                let slot = map.entry(base.to_owned()).or_insert(Value::Null);
                put(slot, &path, value);
            }
            Some(_) => {}
            None if key.is_empty() => {}
            None => {
                map.insert(key.into_owned(), value);
            }
        }
    }
    map
}

/// The parts of a `multipart/form-data` body, read like form pairs: each part's `name` is a
/// PHP-style key and its content the value. File parts are refused rather than dropped: none
/// of the emulated methods takes a file, and a portal would not see them as parameters.
async fn multipart_pairs(headers: &HeaderMap, body: Bytes) -> Result<Map<String, Value>, Failure> {
    let bad =
        |e: multer::Error| Failure::bad_request(format!("the multipart body is malformed: {e}"));
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let boundary = multer::parse_boundary(content_type).map_err(bad)?;
    // A body that ends at a delimiter without the closing `--`, as the documented example
    // does, ends there for PHP: every part before it counts.
    let end = body.trim_ascii_end();
    let body = if end.ends_with(format!("--{boundary}").as_bytes()) {
        Bytes::from([end, b"--\r\n"].concat())
    } else {
        body
    };
    let body = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(body) });
    let mut parts = multer::Multipart::new(body, boundary);
    let mut pairs = Vec::new();
    while let Some(part) = parts.next_field().await.map_err(bad)? {
        let name = part.name().unwrap_or_default().to_owned();
        if let Some(file) = part.file_name() {
            return Err(Failure::bad_request(format!(
                "the multipart part `{name}` is a file (`{file}`); the emulator takes only text \
                 parts as parameters"
            )));
        }
        let value = part.text().await.map_err(bad)?;
        pairs.push((Cow::Owned(name), Cow::Owned(value)));
    }
    Ok(php_map(pairs))
}

/// `a[b][]` → `("a", [Some("b"), None])`; `None` for keys without a complete `[…]` part.
fn split_php_key(key: &str) -> Option<(&str, Vec<Option<&str>>)> {
    let open = key.find('[')?;
    let (base, mut rest) = key.split_at(open);
    let mut path = Vec::new();
    while let Some(inner) = rest.strip_prefix('[') {
        let close = inner.find(']')?;
        let segment = &inner[..close];
        path.push((!segment.is_empty()).then_some(segment));
        rest = &inner[close + 1..];
    }
    // PHP ignores anything after the last `]`.
    Some((base, path))
}

/// Stores `value` at `path` below `slot`, creating objects (named keys) and lists (`[]`).
fn put(slot: &mut Value, path: &[Option<&str>], value: Value) {
    let Some((segment, rest)) = path.split_first() else {
        *slot = value;
        return;
    };
    if !matches!(slot, Value::Array(_) | Value::Object(_)) {
        *slot = match segment {
            None => Value::Array(Vec::new()),
            Some(_) => Value::Object(Map::new()),
        };
    }
    // A named key in a list turns it into an object keyed by position, as PHP arrays are.
    if let (Some(_), Value::Array(items)) = (segment, &*slot) {
        let object = items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v.clone()))
            .collect();
        *slot = Value::Object(object);
    }
    let next = match (segment, slot) {
        (None, Value::Array(items)) => {
            items.push(Value::Null);
            items.last_mut()
        }
        (None, Value::Object(map)) => {
            // PHP appends at the largest integer key plus one.
            let index = map
                .keys()
                .filter_map(|k| k.parse::<u64>().ok())
                .max()
                .map_or(0, |m| m + 1)
                .to_string();
            Some(map.entry(index).or_insert(Value::Null))
        }
        (Some(key), Value::Object(map)) => Some(map.entry(*key).or_insert(Value::Null)),
        _ => None,
    };
    if let Some(next) = next {
        put(next, rest, value);
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use serde_json::json;

    fn headers(content_type: Option<&'static str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(ct) = content_type {
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
        }
        h
    }

    async fn read(
        headers: &HeaderMap,
        query: Option<&str>,
        body: &'static [u8],
    ) -> Result<Params, Failure> {
        Params::read(headers, query, Bytes::from_static(body)).await
    }

    #[tokio::test]
    async fn json_bodies_merge_over_the_query_string() {
        let p = read(
            &headers(Some("application/json; charset=utf-8")),
            Some("ID=1&AVATAR_HR=Y"),
            br#"{"ID": 5}"#,
        )
        .await
        .unwrap();
        assert_eq!(p.get("ID"), Some(&json!(5)));
        assert_eq!(p.get("avatar_hr"), Some(&json!("Y")));
    }

    #[tokio::test]
    async fn form_bodies_and_empty_bodies() {
        let p = read(
            &headers(Some("application/x-www-form-urlencoded")),
            None,
            b"ID=5&auth=tok+en%21",
        )
        .await
        .unwrap();
        assert_eq!(p.get("id"), Some(&json!("5")));
        let mut p = p;
        assert_eq!(p.take_auth(), Some(json!("tok en!")));
        assert_eq!(p.get("auth"), None);
        let empty = read(&headers(Some("application/json")), None, b" \n")
            .await
            .unwrap();
        assert_eq!(empty, Params::default());
    }

    /// The documented multipart example's shape: each part's name is a PHP-style key.
    #[tokio::test]
    async fn multipart_parts_read_like_form_pairs() {
        let body = b"--SomeBoundary\r\n\
            Content-Disposition: form-data; name=\"FILTER[>=ID]\"\r\n\r\n\
            5\r\n\
            --SomeBoundary\r\n\
            Content-Disposition: form-data; name=\"ID[]\"\r\n\r\n\
            1\r\n\
            --SomeBoundary\r\n\
            Content-Disposition: form-data; name=\"ID[]\"\r\n\r\n\
            2\r\n\
            --SomeBoundary\r\n\
            Content-Disposition: form-data; name=\"auth\"\r\n\r\n\
            tok en\r\n\
            --SomeBoundary--\r\n";
        let multipart = headers(Some("multipart/form-data; boundary=SomeBoundary"));
        let mut p = read(&multipart, Some("ID=9&X=1"), body).await.unwrap();
        assert_eq!(p.get("filter"), Some(&json!({">=ID": "5"})));
        assert_eq!(p.get("ID"), Some(&json!(["1", "2"])));
        assert_eq!(p.get("X"), Some(&json!("1")));
        assert_eq!(p.take_auth(), Some(json!("tok en")));

        // The documented example ends at a delimiter without the closing `--`.
        let unclosed = b"--SomeBoundary\r\n\
            Content-Disposition: form-data; name=\"fields[TITLE]\"\r\n\r\n\
            My company\r\n\
            --SomeBoundary";
        let p = read(&multipart, None, unclosed).await.unwrap();
        assert_eq!(p.get("fields"), Some(&json!({"TITLE": "My company"})));

        let file = b"--b\r\n\
            Content-Disposition: form-data; name=\"photo\"; filename=\"me.png\"\r\n\r\n\
            x\r\n\
            --b--\r\n";
        let e = read(
            &headers(Some("multipart/form-data; boundary=b")),
            None,
            file,
        )
        .await
        .unwrap_err();
        assert_eq!(e.status.as_u16(), 400);
        assert!(
            e.description.contains("`photo` is a file"),
            "{}",
            e.description
        );
    }

    #[test]
    fn exact_names_win_and_null_is_absent() {
        let p = Params::from_map(
            json!({"id": 1, "ID": 2, "X": null})
                .as_object()
                .unwrap()
                .clone(),
        );
        assert_eq!(p.get("ID"), Some(&json!(2)));
        assert_eq!(p.get("id"), Some(&json!(1)));
        assert_eq!(p.get("x"), None);
    }

    #[test]
    fn php_style_keys_build_nested_values() {
        let p = |text: &str| Value::Object(php_pairs(text.as_bytes()));
        assert_eq!(
            p("FILTER[%3EID]=5&FILTER[NAME]=a+b&ID[]=1&ID[]=2&a[b][c]=1"),
            json!({"FILTER": {">ID": "5", "NAME": "a b"}, "ID": ["1", "2"], "a": {"b": {"c": "1"}}})
        );
        assert_eq!(p("a[0]=x&a[1]=y"), json!({"a": {"0": "x", "1": "y"}}));
        let nested = format!("a{}=1&b=2", "[x]".repeat(MAX_KEY_DEPTH + 1));
        assert_eq!(p(&nested), json!({"b": "2"}));
        let deepest = format!("a{}=1", "[x]".repeat(MAX_KEY_DEPTH));
        assert_eq!(php_pairs(deepest.as_bytes()).len(), 1);
        assert_eq!(
            p("a[]=x&a[k]=y&a[]=z"),
            json!({"a": {"0": "x", "k": "y", "1": "z"}})
        );
        assert_eq!(p("a[5]=x&a[]=y"), json!({"a": {"5": "x", "6": "y"}}));
        assert_eq!(
            p("a[][n]=1&a[][n]=2"),
            json!({"a": [{"n": "1"}, {"n": "2"}]})
        );
        assert_eq!(p("a=1&a[b]=2"), json!({"a": {"b": "2"}}));
        assert_eq!(p("a[b]=2&a=1"), json!({"a": "1"}));
        assert_eq!(
            p("a[b=1&[x]=2&=3&c[d]e=4"),
            json!({"a[b": "1", "c": {"d": "4"}})
        );
    }

    /// PHP's arrays as `json_encode` shows them, whichever way a client wrote them.
    #[tokio::test]
    async fn integer_keys_in_order_make_lists() {
        let form = headers(Some("application/x-www-form-urlencoded"));
        // What fast_bitrix24 and b24pysdk write for a list, in a form, a query string or JSON.
        let p = read(
            &form,
            Some("select[0]=NAME&select[1]=ID"),
            b"ID[0]=1&ID[1]=7",
        )
        .await
        .unwrap();
        assert_eq!(p.get("ID"), Some(&json!(["1", "7"])));
        assert_eq!(p.get("select"), Some(&json!(["NAME", "ID"])));
        let nested = b"fields[PHONE][0][VALUE]=1&fields[PHONE][1][VALUE]=2&fields[TITLE]=x";
        let p = read(&form, None, nested).await.unwrap();
        assert_eq!(
            p.get("fields"),
            Some(&json!({"PHONE": [{"VALUE": "1"}, {"VALUE": "2"}], "TITLE": "x"}))
        );
        let json = headers(Some("application/json"));
        let body = br#"{"ID": {"0": 1, "1": 7}, "F": {"@ID": {"0": 1}}, "M": {"1": 1, "0": 2}}"#;
        let p = read(&json, None, body).await.unwrap();
        assert_eq!(p.get("ID"), Some(&json!([1, 7])));
        assert_eq!(p.get("F"), Some(&json!({"@ID": [1]})));
        // Out of order or with gaps, a PHP array stays an object.
        assert_eq!(p.get("M"), Some(&json!({"1": 1, "0": 2})));
        let p = Params::from_query("ID%5B0%5D=1&ID%5B1%5D=7&ID2[5]=x");
        assert_eq!(p.get("ID"), Some(&json!(["1", "7"])));
        assert_eq!(p.get("ID2"), Some(&json!({"5": "x"})));
        // A JSON list is positional parameters, keyed 0, 1, … as PHP keys them.
        let p = read(&json, None, br#"[123, {"POST_MESSAGE": "x"}]"#)
            .await
            .unwrap();
        assert_eq!(p.get("0"), Some(&json!(123)));
        assert_eq!(p.get("1"), Some(&json!({"POST_MESSAGE": "x"})));
    }

    #[tokio::test]
    async fn body_keys_replace_query_keys_whole() {
        let p = read(
            &headers(Some("application/x-www-form-urlencoded")),
            Some("f[a]=1&g=2"),
            b"f[b]=3",
        )
        .await
        .unwrap();
        assert_eq!(p.get("f"), Some(&json!({"b": "3"})));
        assert_eq!(p.get("g"), Some(&json!("2")));
    }

    #[tokio::test]
    async fn unreadable_requests_are_bad_requests() {
        let json = headers(Some("application/json"));
        for (body, needle) in [
            (&b"{\"ID\": "[..], "not valid JSON"),
            (b"\"x\"", "found a string"),
            (b"7", "found a number"),
        ] {
            let e = read(&json, None, body).await.unwrap_err();
            assert_eq!(
                (e.status.as_u16(), e.code.as_str()),
                (400, "ERROR_BAD_REQUEST")
            );
            assert!(e.description.contains(needle), "{}", e.description);
        }
        // A multipart body cut off inside a part, or without a boundary, is malformed.
        for (content_type, body) in [
            (
                "multipart/form-data; boundary=x",
                &b"--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue"[..],
            ),
            ("multipart/form-data", b"x"),
        ] {
            let e = read(&headers(Some(content_type)), None, body)
                .await
                .unwrap_err();
            assert_eq!(e.status.as_u16(), 400);
            assert!(
                e.description.contains("multipart body is malformed"),
                "{content_type}: {}",
                e.description
            );
        }
    }
}

/// A `batch` command's parameters as the client writes them (`b24_client::wire::
/// http_build_query`) read back here exactly as PHP's `parse_str` reads PHP's
/// `http_build_query`: strings as they were, numbers as their digits, `true`/`false` as
/// `1`/`0`, no `null`s and no empty objects or lists, lists keyed `0, 1, …` as lists.
#[cfg(test)]
mod batch_queries {
    use super::*;
    use proptest::prelude::*;

    /// What PHP makes of `value` after `http_build_query` and `parse_str`; `None` when it
    /// writes nothing for it.
    fn php_reads(value: &Value) -> Option<Value> {
        let entries = |entries: Vec<(String, Option<Value>)>| {
            let kept: Vec<(String, Value)> = entries
                .into_iter()
                .filter_map(|(k, v)| Some((k, v?)))
                .collect();
            (!kept.is_empty()).then(|| php_array(kept))
        };
        match value {
            Value::Null => None,
            Value::Bool(b) => Some(Value::from(if *b { "1" } else { "0" })),
            Value::Number(n) => Some(Value::from(n.to_string())),
            Value::String(s) => Some(Value::from(s.as_str())),
            Value::Array(items) => entries(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (i.to_string(), php_reads(v)))
                    .collect(),
            ),
            Value::Object(map) => {
                entries(map.iter().map(|(k, v)| (k.clone(), php_reads(v))).collect())
            }
        }
    }

    fn leaf() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            (-1e9f64..1e9).prop_map(Value::from),
            // Any text: `&`, `=`, `+`, `%`, `[`, spaces, other scripts.
            ".{0,12}".prop_map(Value::from),
            "[0-9]{1,3}".prop_map(Value::from),
        ]
    }

    fn value() -> impl Strategy<Value = Value> {
        // Nested keys: any text PHP keeps as a key (brackets would start another level).
        let key = prop_oneof!["[^\\[\\]]{1,8}", "[0-9]{1,2}"];
        leaf().prop_recursive(4, 40, 5, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::vec((key.clone(), inner), 0..5)
                    .prop_map(|entries| Value::Object(entries.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn what_the_client_encodes_is_read_back_exactly(
            params in prop::collection::vec(("[A-Za-z_][A-Za-z0-9_]{0,8}", value()), 0..6)
        ) {
            let params: Map<String, Value> = params.into_iter().collect();
            let query = b24_client::wire::http_build_query(&params);
            let mut read = Params::from_query(&query);
            let expected = php_reads(&Value::Object(params.clone()))
                .unwrap_or_else(|| Value::Object(Map::new()));
            // The top level is parameters, an object even when they are named 0, 1, ….
            let expected = match expected {
                Value::Array(items) => Value::Object(
                    items.into_iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
                ),
                other => other,
            };
            prop_assert_eq!(Value::Object(read.map_mut().clone()), expected, "query {}", query);
        }
    }
}
