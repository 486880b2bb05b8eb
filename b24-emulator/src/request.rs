//! Reading a call's parameters from the query string and the body, the ways clients send them:
//! a JSON object, or `application/x-www-form-urlencoded` pairs with flat keys.

use axum::http::{HeaderMap, header};
use serde_json::{Map, Value};

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
    pub fn read(headers: &HeaderMap, query: Option<&str>, body: &[u8]) -> Result<Self, Failure> {
        let mut map = Map::new();
        if let Some(query) = query {
            pairs(query.as_bytes(), "query string", &mut map)?;
        }
        if !body.iter().all(u8::is_ascii_whitespace) {
            match media_type(headers).as_deref() {
                Some("application/x-www-form-urlencoded") => pairs(body, "form body", &mut map)?,
                Some("multipart/form-data") => {
                    return Err(Failure::bad_request(
                        "multipart/form-data bodies are not supported by the emulator; send a \
                         JSON object or a form-urlencoded body",
                    ));
                }
                // JSON is what b24 sends; other or missing types are read as JSON too, like
                // the portal reads a body it can decode whatever the header says.
                _ => json_object(body, &mut map)?,
            }
        }
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
        other => Err(Failure::bad_request(format!(
            "the JSON body must be an object of parameters, found {}",
            kind(&other)
        ))),
    }
}

/// Flat `key=value` pairs; a repeated key keeps its last value, as PHP does.
fn pairs(text: &[u8], source: &str, map: &mut Map<String, Value>) -> Result<(), Failure> {
    for (key, value) in url::form_urlencoded::parse(text) {
        if key.contains('[') {
            return Err(Failure::bad_request(format!(
                "the {source} uses the nested key `{key}`; nested PHP-style keys are not \
                 supported by the emulator yet, send a JSON body instead"
            )));
        }
        if key.is_empty() {
            continue;
        }
        map.insert(key.into_owned(), Value::String(value.into_owned()));
    }
    Ok(())
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

    #[test]
    fn json_bodies_merge_over_the_query_string() {
        let p = Params::read(
            &headers(Some("application/json; charset=utf-8")),
            Some("ID=1&AVATAR_HR=Y"),
            br#"{"ID": 5}"#,
        )
        .unwrap();
        assert_eq!(p.get("ID"), Some(&json!(5)));
        assert_eq!(p.get("avatar_hr"), Some(&json!("Y")));
    }

    #[test]
    fn form_bodies_and_empty_bodies() {
        let p = Params::read(
            &headers(Some("application/x-www-form-urlencoded")),
            None,
            b"ID=5&auth=tok+en%21",
        )
        .unwrap();
        assert_eq!(p.get("id"), Some(&json!("5")));
        let mut p = p;
        assert_eq!(p.take_auth(), Some(json!("tok en!")));
        assert_eq!(p.get("auth"), None);
        let empty = Params::read(&headers(Some("application/json")), None, b" \n").unwrap();
        assert_eq!(empty, Params::default());
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
    fn unreadable_requests_are_bad_requests() {
        let json = headers(Some("application/json"));
        for (body, needle) in [
            (&b"{\"ID\": "[..], "not valid JSON"),
            (b"[1, 2]", "found an array"),
            (b"\"x\"", "found a string"),
        ] {
            let e = Params::read(&json, None, body).unwrap_err();
            assert_eq!(
                (e.status.as_u16(), e.code.as_str()),
                (400, "ERROR_BAD_REQUEST")
            );
            assert!(e.description.contains(needle), "{}", e.description);
        }
        let e = Params::read(&json, Some("fields[TITLE]=x"), b"").unwrap_err();
        assert!(e.description.contains("fields[TITLE]"), "{}", e.description);
        let e = Params::read(
            &headers(Some("multipart/form-data; boundary=x")),
            None,
            b"--x",
        )
        .unwrap_err();
        assert!(e.description.contains("multipart"));
    }
}
