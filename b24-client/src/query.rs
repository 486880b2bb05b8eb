//! Parameters as a query string, written the way PHP's `http_build_query` writes them: the
//! form a `batch` command (`method?query`) carries, which the portal reads with `parse_str`.

use std::fmt::Write;

use serde_json::{Map, Value};

/// `params` as PHP's `http_build_query` writes them: nested objects and lists as bracketed
/// keys (`fields[PHONE][0][VALUE]=555`), `true` as `1` and `false` as `0`, numbers as their
/// digits, strings percent-encoded with `+` for a space (RFC 1738, PHP's default). As in
/// PHP, `null` and empty objects or lists are left out (a list keeps the positions of the
/// items around one: `[1, null, 3]` is `a[0]=1&a[2]=3`).
///
/// ```
/// use b24_client::wire::http_build_query;
/// use serde_json::json;
///
/// let params = json!({"ID": 5, "FILTER": {">ID": 10, "@ID": [1, 2]}, "ACTIVE": true, "NAME": "Jo Do"});
/// assert_eq!(
///     http_build_query(params.as_object().unwrap()),
///     "ID=5&FILTER%5B%3EID%5D=10&FILTER%5B%40ID%5D%5B0%5D=1&FILTER%5B%40ID%5D%5B1%5D=2\
///      &ACTIVE=1&NAME=Jo+Do"
/// );
/// ```
pub fn http_build_query(params: &Map<String, Value>) -> String {
    let mut out = String::new();
    for (key, value) in params {
        pairs(&mut out, key, value);
    }
    out
}

/// Writes `key=value` pairs for `value` under the (unencoded) key `key`.
fn pairs(out: &mut String, key: &str, value: &Value) {
    let scalar = match value {
        Value::Null => return,
        Value::Bool(true) => "1".to_owned(),
        Value::Bool(false) => "0".to_owned(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pairs(out, &format!("{key}[{i}]"), item);
            }
            return;
        }
        Value::Object(map) => {
            for (k, item) in map {
                pairs(out, &format!("{key}[{k}]"), item);
            }
            return;
        }
    };
    if !out.is_empty() {
        out.push('&');
    }
    encode(out, key);
    out.push('=');
    encode(out, &scalar);
}

/// PHP's `urlencode`: letters, digits and `-_.` as they are, a space as `+`, every other
/// byte as `%XX`.
fn encode(out: &mut String, text: &str) {
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(byte as char),
            b' ' => out.push('+'),
            _ => {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn query(v: Value) -> String {
        http_build_query(v.as_object().unwrap())
    }

    #[test]
    fn nested_values_become_bracketed_keys() {
        assert_eq!(
            query(json!({"fields": {"PHONE": [{"VALUE": "555", "VALUE_TYPE": "WORK"}]}})),
            "fields%5BPHONE%5D%5B0%5D%5BVALUE%5D=555&fields%5BPHONE%5D%5B0%5D%5BVALUE_TYPE%5D=WORK"
        );
    }

    #[test]
    fn scalars_are_written_as_php_prints_them() {
        assert_eq!(
            query(json!({"a": true, "b": false, "c": null, "d": -1.5, "e": "x&y=z ü/~"})),
            "a=1&b=0&d=-1.5&e=x%26y%3Dz+%C3%BC%2F%7E"
        );
        assert_eq!(
            query(json!({"a": [], "b": {}, "c": [1, null, 3]})),
            "c%5B0%5D=1&c%5B2%5D=3"
        );
        assert_eq!(query(json!({})), "");
    }
}
