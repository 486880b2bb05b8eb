//! Reading an answer: the envelope (`result` or `error`, `time`, `total`, `next`) and the
//! typed decoding of `result`.

use serde::Deserialize;
use serde::de::DeserializeSeed;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::error::{ApiError, Error, ErrorCode};
use crate::method::Method;
use crate::response::{Response, Time};
use crate::secret::Secret;
use crate::wire::Decode;

/// How much of an unexpected body to keep in an error, for diagnosis.
const SNIPPET_CHARS: usize = 200;

/// Why a body is not an envelope, when it was cut short: retrying a read may get it whole.
pub(crate) const TRUNCATED: &str = "the JSON body is truncated";
/// See [`TRUNCATED`].
pub(crate) const EMPTY: &str = "the body is empty";

/// Whether an `UnexpectedResponse` reason says the body was cut short.
pub(crate) fn is_cut_short(reason: &str) -> bool {
    reason == TRUNCATED || reason == EMPTY
}

/// Decodes a method's `result` the way its spec says (ids from strings, `false` as `None`, …),
/// for the request that was sent (some results take their shape from a parameter).
pub(crate) struct OutputOf<'a, M>(pub &'a M);

// Manual impls: a derive would ask `M: Copy`, and only the reference is copied.
impl<M> Clone for OutputOf<'_, M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M> Copy for OutputOf<'_, M> {}

impl<'de, M: Method> DeserializeSeed<'de> for OutputOf<'_, M> {
    type Value = M::Output;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<M::Output, D::Error> {
        self.0.decode_output(d)
    }
}

/// Decodes `result` with a wire adapter, for calls without a typed method.
pub(crate) struct Adapter<A>(pub std::marker::PhantomData<A>);

impl<A> Clone for Adapter<A> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<A> Copy for Adapter<A> {}

impl<'de, A: Decode> DeserializeSeed<'de> for Adapter<A> {
    type Value = A::Out;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<A::Out, D::Error> {
        A::decode(d)
    }
}

/// Parses an envelope and decodes `result` with `seed` (a request's decoder or an adapter).
/// Text the portal sent back has `secret` removed.
pub(crate) fn decode_with<T, S, C: ErrorCode>(
    seed: S,
    method: &'static str,
    status: u16,
    body: &[u8],
    secret: Option<&Secret>,
) -> Result<Response<T>, Error<C>>
where
    S: for<'de> DeserializeSeed<'de, Value = T> + Copy,
{
    let envelope: Envelope<'_> = match serde_json::from_slice(body) {
        Ok(e) => e,
        Err(e) => {
            let reason = if body.iter().all(u8::is_ascii_whitespace) {
                EMPTY.to_owned()
            } else if e.is_eof() {
                TRUNCATED.to_owned()
            } else {
                format!("the body is not a JSON object ({e})")
            };
            return Err(unexpected(status, reason, body, secret));
        }
    };
    if envelope.error.is_some() || envelope.error_description.is_some() {
        let code = envelope.error.map(text_of).unwrap_or_default();
        let description = envelope.error_description.map(text_of).unwrap_or_default();
        return Err(Error::Api(ApiError {
            code: C::from_error(&code, &description),
            description: redact(&description, secret),
            status,
        }));
    }
    let Some(raw) = envelope.result else {
        return Err(unexpected(
            status,
            "the envelope has neither `result` nor `error`".into(),
            body,
            secret,
        ));
    };
    let result = decode_result(seed, method, raw.get())?;
    Ok(Response {
        result,
        time: envelope
            .time
            .and_then(|t| serde_json::from_value::<Time>(t).ok()),
        total: envelope.total.as_ref().and_then(number_of),
        next: envelope.next.as_ref().and_then(number_of),
    })
}

/// Decodes one `result` (`raw`, a JSON text) with `seed`; a failure names the path to the
/// field that did not decode.
pub(crate) fn decode_result<T, S, C: ErrorCode>(
    seed: S,
    method: &'static str,
    raw: &str,
) -> Result<T, Error<C>>
where
    S: for<'de> DeserializeSeed<'de, Value = T> + Copy,
{
    // Tracking the path to a failing field more than doubles the cost of decoding
    // (docs/BENCHMARKS.md), so only a result that fails is read again with tracking.
    match seed.deserialize(&mut serde_json::Deserializer::from_str(raw)) {
        Ok(result) => Ok(result),
        Err(_) => {
            let mut track = serde_path_to_error::Track::new();
            let mut reader = serde_json::Deserializer::from_str(raw);
            seed.deserialize(serde_path_to_error::Deserializer::new(
                &mut reader,
                &mut track,
            ))
            .map_err(|e| Error::Decode {
                method,
                path: match track.path().to_string() {
                    p if p == "." => "result".to_owned(),
                    // An item of a list result: `result[2]`, not `result.[2]`.
                    p if p.starts_with('[') => format!("result{p}"),
                    p => format!("result.{p}"),
                },
                message: e.to_string(),
            })
        }
    }
}

fn unexpected<C: ErrorCode>(
    status: u16,
    reason: String,
    body: &[u8],
    secret: Option<&Secret>,
) -> Error<C> {
    // Redact first: a secret that crosses the cut would otherwise survive in part.
    let text = redact(&String::from_utf8_lossy(body), secret);
    let snippet: String = text.chars().take(SNIPPET_CHARS).collect();
    Error::UnexpectedResponse {
        status,
        reason,
        snippet,
    }
}

fn redact(text: &str, secret: Option<&Secret>) -> String {
    match secret {
        Some(secret) => secret.redact(text),
        None => text.to_owned(),
    }
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(default, borrow, deserialize_with = "present")]
    result: Option<&'a RawValue>,
    #[serde(default)]
    error: Option<Value>,
    #[serde(default)]
    error_description: Option<Value>,
    /// Informational only: read leniently, so an odd `time` never fails a call.
    #[serde(default)]
    time: Option<Value>,
    #[serde(default)]
    total: Option<Value>,
    #[serde(default)]
    next: Option<Value>,
}

/// `Some` for any `result` that is present, including `null` (a valid result of some methods).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}

pub(crate) fn text_of(v: Value) -> String {
    match v {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

pub(crate) fn number_of(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AnyErrorCode;
    use crate::wire::Plain;

    const SECRET: &str = "abc123secret";

    fn decode<A: Decode>(
        status: u16,
        body: &[u8],
    ) -> Result<Response<A::Out>, Error<AnyErrorCode>> {
        let secret = Secret(SECRET.into());
        decode_with(
            Adapter::<A>(std::marker::PhantomData),
            "m",
            status,
            body,
            Some(&secret),
        )
    }

    #[test]
    fn error_envelopes_keep_code_case_description_and_status() {
        let e = decode::<Plain<Value>>(401, br#"{"error":"expired_token","error_description":"The access token provided has expired."}"#)
            .unwrap_err();
        let api = e.api().unwrap();
        assert_eq!(api.code.code(), "expired_token");
        assert_eq!(e.system(), Some(crate::SystemError::ExpiredToken));
        assert_eq!(
            e.to_string(),
            "expired_token: The access token provided has expired. (HTTP 401)"
        );
    }

    #[test]
    fn an_empty_code_with_a_description_is_still_an_error() {
        let e = decode::<Plain<Value>>(
            200,
            br#"{"error":"","error_description":"something broke"}"#,
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "(no error code): something broke (HTTP 200)");
    }

    #[test]
    fn errors_are_read_with_their_description() {
        // The code an envelope is read into sees the description too (`from_error`), which
        // tells apart the errors some methods send with an empty code.
        #[derive(Debug, PartialEq)]
        enum Described {
            NotFound,
            Code(String),
        }
        impl ErrorCode for Described {
            fn from_code(code: &str) -> Self {
                Self::Code(code.to_owned())
            }
            fn from_error(code: &str, description: &str) -> Self {
                if code.is_empty() && crate::error::same_description(description, "Not found") {
                    Self::NotFound
                } else {
                    Self::from_code(code)
                }
            }
            fn code(&self) -> &str {
                match self {
                    Self::NotFound => "",
                    Self::Code(c) => c,
                }
            }
        }
        let read = |body: &[u8]| {
            let e = decode_with::<_, _, Described>(
                Adapter::<Plain<Value>>(std::marker::PhantomData),
                "m",
                400,
                body,
                None,
            )
            .unwrap_err();
            match e {
                Error::Api(api) => (api.code, api.description),
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(
            read(br#"{"error":"","error_description":"not found."}"#),
            (Described::NotFound, "not found.".to_owned())
        );
        assert_eq!(
            read(br#"{"error":"NOT_FOUND","error_description":"Not found"}"#).0,
            Described::Code("NOT_FOUND".into())
        );
        assert_eq!(
            read(br#"{"error_description":"Not found"}"#).0,
            Described::NotFound
        );
        // Codes without an override read by `from_code` alone.
        let e = decode::<Plain<Value>>(400, br#"{"error":"","error_description":"Not found"}"#)
            .unwrap_err();
        assert_eq!(e.api().unwrap().code, AnyErrorCode::Other(String::new()));
    }

    #[test]
    fn html_and_truncated_bodies_are_unexpected_responses_with_redacted_snippets() {
        let e = decode::<Plain<Value>>(502, b"<html>Bad gateway for /rest/1/abc123secret/x</html>")
            .unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("HTTP 502") && !text.contains(SECRET),
            "{text}"
        );
        let e = decode::<Plain<Value>>(200, br#"{"result": {"id": 5, "na"#).unwrap_err();
        assert!(e.to_string().contains("truncated"), "{e}");
        assert!(
            matches!(&e, Error::UnexpectedResponse { reason, .. } if is_cut_short(reason)),
            "{e}"
        );
        let e = decode::<Plain<Value>>(200, b"  ").unwrap_err();
        assert!(
            matches!(&e, Error::UnexpectedResponse { reason, .. } if is_cut_short(reason)),
            "{e}"
        );
    }

    #[test]
    fn a_result_that_does_not_decode_names_the_field() {
        use crate::wire::{Id, List};
        let e = decode::<List<Id>>(200, br#"{"result":[1,"2","x"]}"#).unwrap_err();
        let Error::Decode {
            method,
            path,
            message,
        } = &e
        else {
            panic!("{e:?}");
        };
        assert_eq!((*method, path.as_str()), ("m", "result[2]"));
        assert!(message.contains(r#"id "x" is not a number"#), "{message}");

        // A generated result, nested: the path goes through the object's wire keys.
        let request = crate::im_user_get::ImUserGetRequest::new();
        let typed = |body: &[u8]| {
            decode_with::<_, _, AnyErrorCode>(OutputOf(&request), "im.user.get", 200, body, None)
                .unwrap_err()
        };
        let e = typed(br#"{"result":{"id":5,"departments":[1,"x"]}}"#);
        let Error::Decode { path, .. } = &e else {
            panic!("{e:?}");
        };
        assert_eq!(path, "result.departments[1]", "{e}");
        // Below a field with a "no value" marker (`phones` may be `false`) the path goes on.
        let e = typed(br#"{"result":{"id":5,"phones":{"work_phone":"1","inner_phone":21}}}"#);
        let Error::Decode { path, .. } = &e else {
            panic!("{e:?}");
        };
        assert_eq!(path, "result.phones.inner_phone", "{e}");

        // The same decoders succeed without the tracking the error path needs.
        let ok = decode::<List<Id>>(200, br#"{"result":[1,"2"]}"#).unwrap();
        assert_eq!(ok.result, [1, 2]);
    }

    #[test]
    fn null_results_and_paging_fields_are_kept() {
        let r = decode::<Plain<Option<u64>>>(200, br#"{"result":null,"total":"120","next":50}"#)
            .unwrap();
        assert_eq!((r.result, r.total, r.next), (None, Some(120), Some(50)));
        let e = decode::<Plain<u64>>(200, br#"{"time":{}}"#).unwrap_err();
        assert!(e.to_string().contains("neither"), "{e}");
    }
}
