//! The HTTP client: authentication, the one call path every method uses, and envelope parsing.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use serde::Deserialize;
use serde::de::DeserializeSeed;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::error::{AnyErrorCode, ApiError, Error, ErrorCode};
use crate::method::Method;
use crate::response::{Response, Time};
use crate::wire::{Decode, Plain};

/// Decodes a method's `result` the way its spec says (ids from strings, `false` as `None`, …),
/// for the request that was sent (some results take their shape from a parameter).
struct OutputOf<'a, M>(&'a M);

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
struct Adapter<A>(std::marker::PhantomData<A>);

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

/// How much of an unexpected body to keep in an error, for diagnosis.
const SNIPPET_CHARS: usize = 200;

/// A connection to one Bitrix24 portal, authenticated by an incoming webhook or an OAuth
/// access token. Cloning is cheap and clones share the connection pool and the token.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = b24_client::Client::webhook("https://example.bitrix24.com/rest/1/abcdef123456/")?;
/// let me = client.im_user_get().send().await?;
/// println!("{} ({})", me.name, me.id);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// Everything before `/rest/`, without a trailing slash: `https://example.bitrix24.com`.
    portal: String,
    auth: Auth,
}

enum Auth {
    Webhook { user_id: u64, code: Secret },
    OAuth { token: RwLock<Secret> },
}

/// A credential that never shows itself in `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq)]
struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"***\"")
    }
}

/// A client could not be configured. The message never repeats the webhook code or token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The webhook URL is not `https://PORTAL/rest/USER_ID/CODE/`.
    #[error("invalid webhook URL: {0}; expected https://PORTAL/rest/USER_ID/CODE/")]
    WebhookUrl(&'static str),
    /// The portal address is not an `http(s)://HOST[:PORT]` URL.
    #[error("invalid portal address: {0}; expected https://PORTAL")]
    PortalUrl(&'static str),
    /// The access token is empty.
    #[error("the OAuth access token is empty")]
    EmptyToken,
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Http(String),
}

impl Client {
    /// A client for an incoming webhook URL, `https://PORTAL/rest/USER_ID/CODE/`.
    pub fn webhook(url: &str) -> Result<Self, ConfigError> {
        let (portal, rest) = split_portal(url, ConfigError::WebhookUrl)?;
        let mut parts = rest.trim_end_matches('/').split('/');
        let (Some("rest"), Some(user), Some(code), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(ConfigError::WebhookUrl(
                "the path is not /rest/USER_ID/CODE/",
            ));
        };
        let user_id = user
            .parse()
            .map_err(|_| ConfigError::WebhookUrl("USER_ID is not a number"))?;
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(ConfigError::WebhookUrl("CODE must be letters and digits"));
        }
        Self::build(
            portal,
            Auth::Webhook {
                user_id,
                code: Secret(code.to_owned()),
            },
        )
    }

    /// A client for an OAuth application: `portal` is `https://PORTAL`, and the token goes in
    /// the request body's `auth` field, never in the URL.
    pub fn oauth(portal: &str, access_token: impl Into<String>) -> Result<Self, ConfigError> {
        let (portal, rest) = split_portal(portal, ConfigError::PortalUrl)?;
        if !rest.trim_matches('/').is_empty() && rest.trim_matches('/') != "rest" {
            return Err(ConfigError::PortalUrl(
                "give only the portal address, without a path",
            ));
        }
        let token = access_token.into();
        if token.is_empty() {
            return Err(ConfigError::EmptyToken);
        }
        Self::build(
            portal,
            Auth::OAuth {
                token: RwLock::new(Secret(token)),
            },
        )
    }

    fn build(portal: String, auth: Auth) -> Result<Self, ConfigError> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("b24-rs/", env!("CARGO_PKG_VERSION")))
            .timeout(Duration::from_secs(120))
            // A redirect would re-send the webhook code or token (path, body, Referer) to
            // wherever it points, and turn a POST into a parameterless GET; see `Error::Moved`.
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .build()
            .map_err(|e| ConfigError::Http(e.without_url().to_string()))?;
        Ok(Self {
            inner: Arc::new(Inner { http, portal, auth }),
        })
    }

    /// Uses this `reqwest` client (proxies, timeouts, TLS settings) for all calls.
    #[must_use]
    pub fn with_http_client(self, http: reqwest::Client) -> Self {
        let inner = match Arc::try_unwrap(self.inner) {
            Ok(mut inner) => {
                inner.http = http;
                inner
            }
            Err(shared) => Inner {
                http,
                portal: shared.portal.clone(),
                auth: match &shared.auth {
                    Auth::Webhook { user_id, code } => Auth::Webhook {
                        user_id: *user_id,
                        code: code.clone(),
                    },
                    Auth::OAuth { token } => Auth::OAuth {
                        token: RwLock::new(read(token)),
                    },
                },
            },
        };
        Self {
            inner: Arc::new(inner),
        }
    }

    /// Replaces the OAuth access token (after a refresh). Has no effect on webhook clients.
    pub fn set_access_token(&self, token: impl Into<String>) -> Result<(), ConfigError> {
        let token = token.into();
        if token.is_empty() {
            return Err(ConfigError::EmptyToken);
        }
        if let Auth::OAuth { token: current } = &self.inner.auth {
            *current.write().unwrap_or_else(|e| e.into_inner()) = Secret(token);
        }
        Ok(())
    }

    /// The portal address, `https://example.bitrix24.com` (no credentials in it).
    pub fn portal(&self) -> &str {
        &self.inner.portal
    }

    /// Calls a method and returns its decoded `result`.
    pub async fn call<M: Method>(&self, method: &M) -> Result<M::Output, Error<M::Error>> {
        self.call_full(method).await.map(|r| r.result)
    }

    /// Calls a method and returns the whole response (`result`, `time`, `total`, `next`).
    pub async fn call_full<M: Method>(
        &self,
        method: &M,
    ) -> Result<Response<M::Output>, Error<M::Error>> {
        let (status, body) = self.post(M::NAME, method.params()).await?;
        self.decode_with::<_, _, M::Error>(OutputOf(method), M::NAME, status, &body)
    }

    /// Calls a list method page after page (the portal sends 50 records a page) and returns
    /// every record. For methods that are not paged this is one call.
    ///
    /// Each page is a separate request and counts against the portal's rate limit; for very
    /// large lists prefer a filter, or `start: -1` where the method supports it.
    pub async fn call_all<M>(
        &self,
        method: &M,
    ) -> Result<Vec<<M::Output as IntoIterator>::Item>, Error<M::Error>>
    where
        M: Method + Clone,
        M::Output: IntoIterator,
    {
        let mut request = method.clone();
        let mut all = Vec::new();
        let mut start = 0;
        loop {
            let page = self.call_full(&request).await?;
            all.extend(page.result);
            match page.next {
                // `next` must move forward, or a faulty portal would keep us here forever.
                Some(next) if M::PAGED && next > start => {
                    start = next;
                    request.set_start(next);
                }
                _ => return Ok(all),
            }
        }
    }

    /// Calls any method by name with JSON parameters, for methods without a spec.
    pub async fn call_raw(
        &self,
        method: &str,
        params: Map<String, Value>,
    ) -> Result<Response<Value>, Error<AnyErrorCode>> {
        let (status, body) = self.post(method, params).await?;
        self.decode::<Plain<Value>, AnyErrorCode>("(raw call)", status, &body)
    }

    async fn post<C: ErrorCode>(
        &self,
        method: &str,
        mut params: Map<String, Value>,
    ) -> Result<(u16, bytes::Bytes), Error<C>> {
        // The name becomes part of the URL path; refuse anything that could leave it.
        let valid = !method.is_empty()
            && method.split('.').all(|part| {
                !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            });
        if !valid {
            return Err(Error::InvalidMethodName(method.to_owned()));
        }
        let url = match &self.inner.auth {
            Auth::Webhook { user_id, code } => {
                format!("{}/rest/{user_id}/{}/{method}", self.inner.portal, code.0)
            }
            Auth::OAuth { token } => {
                params.insert("auth".into(), Value::String(read(token).0));
                format!("{}/rest/{method}", self.inner.portal)
            }
        };
        tracing::debug!(method, "calling Bitrix24");
        let response = self
            .inner
            .http
            .post(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(Value::Object(params).to_string())
            .send()
            .await
            .map_err(Error::transport)?;
        let status = response.status().as_u16();
        if response.status().is_redirection() {
            // Only the host is kept: the rest of the location may repeat the credentials.
            let host = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .and_then(|l| reqwest::Url::parse(l).ok())
                .and_then(|u| u.host_str().map(str::to_owned));
            return Err(Error::Moved { status, host });
        }
        let body = read_body(response).await?;
        tracing::debug!(method, status, bytes = body.len(), "Bitrix24 answered");
        Ok((status, body))
    }

    /// Parses an envelope and decodes `result` with the wire adapter `A`.
    fn decode<A: Decode, C: ErrorCode>(
        &self,
        method: &'static str,
        status: u16,
        body: &[u8],
    ) -> Result<Response<A::Out>, Error<C>> {
        self.decode_with(Adapter::<A>(std::marker::PhantomData), method, status, body)
    }

    /// Parses an envelope and decodes `result` with `seed` (a request's decoder or an adapter).
    fn decode_with<T, S, C: ErrorCode>(
        &self,
        seed: S,
        method: &'static str,
        status: u16,
        body: &[u8],
    ) -> Result<Response<T>, Error<C>>
    where
        S: for<'de> DeserializeSeed<'de, Value = T> + Copy,
    {
        let envelope: Envelope<'_> = match serde_json::from_slice(body) {
            Ok(e) => e,
            Err(e) => {
                let reason = if body.iter().all(u8::is_ascii_whitespace) {
                    "the body is empty".to_owned()
                } else if e.is_eof() {
                    "the JSON body is truncated".to_owned()
                } else {
                    format!("the body is not a JSON object ({e})")
                };
                return Err(self.unexpected(status, reason, body));
            }
        };
        if envelope.error.is_some() || envelope.error_description.is_some() {
            let code = envelope.error.map(text_of).unwrap_or_default();
            let description = envelope.error_description.map(text_of).unwrap_or_default();
            return Err(Error::Api(ApiError {
                code: C::from_code(&code),
                description: self.redact(&description),
                status,
            }));
        }
        let Some(raw) = envelope.result else {
            return Err(self.unexpected(
                status,
                "the envelope has neither `result` nor `error`".into(),
                body,
            ));
        };
        // Tracking the path to a failing field more than doubles the cost of decoding
        // (docs/BENCHMARKS.md), so only a result that fails is read again with tracking.
        let result = match seed.deserialize(&mut serde_json::Deserializer::from_str(raw.get())) {
            Ok(result) => result,
            Err(_) => {
                let mut track = serde_path_to_error::Track::new();
                let mut reader = serde_json::Deserializer::from_str(raw.get());
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
                })?
            }
        };
        Ok(Response {
            result,
            time: envelope
                .time
                .and_then(|t| serde_json::from_value::<Time>(t).ok()),
            total: envelope.total.as_ref().and_then(number_of),
            next: envelope.next.as_ref().and_then(number_of),
        })
    }

    fn unexpected<C: ErrorCode>(&self, status: u16, reason: String, body: &[u8]) -> Error<C> {
        // Redact first: a secret that crosses the cut would otherwise survive in part.
        let text = self.redact(&String::from_utf8_lossy(body));
        let snippet: String = text.chars().take(SNIPPET_CHARS).collect();
        Error::UnexpectedResponse {
            status,
            reason,
            snippet,
        }
    }

    /// Removes the credential from text the portal sent back (an error page may echo the URL).
    fn redact(&self, text: &str) -> String {
        let secret = match &self.inner.auth {
            Auth::Webhook { code, .. } => code.0.clone(),
            Auth::OAuth { token } => read(token).0,
        };
        if secret.is_empty() {
            text.to_owned()
        } else {
            text.replace(&secret, "***")
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Client");
        d.field("portal", &self.inner.portal);
        match &self.inner.auth {
            Auth::Webhook { user_id, code } => d
                .field("webhook_user_id", user_id)
                .field("webhook_code", code),
            Auth::OAuth { token } => d.field("access_token", &read(token)),
        };
        d.finish()
    }
}

fn read(token: &RwLock<Secret>) -> Secret {
    token.read().unwrap_or_else(|e| e.into_inner()).clone()
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

fn text_of(v: Value) -> String {
    match v {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn number_of(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// Splits `scheme://host[:port]` from the path, checking the scheme.
/// Largest response body accepted; Bitrix24 pages hold 50 records, far below this.
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// Reads the body, refusing one larger than [`MAX_BODY_BYTES`] instead of buffering it all.
async fn read_body<C: ErrorCode>(
    mut response: reqwest::Response,
) -> Result<bytes::Bytes, Error<C>> {
    let status = response.status().as_u16();
    let too_large = || Error::UnexpectedResponse {
        status,
        reason: format!("the body is larger than {MAX_BODY_BYTES} bytes"),
        snippet: String::new(),
    };
    if response
        .content_length()
        .is_some_and(|n| n > MAX_BODY_BYTES as u64)
    {
        return Err(too_large());
    }
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(Error::transport)? {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

fn split_portal(
    url: &str,
    err: fn(&'static str) -> ConfigError,
) -> Result<(String, String), ConfigError> {
    let url = url.trim();
    if !url.starts_with("https://") && !url.starts_with("http://") {
        return Err(err(
            "the scheme must be https (or http for a local emulator)",
        ));
    }
    // A real URL parser, so the host we show is the host requests go to (`\` and the like).
    let parsed = reqwest::Url::parse(url).map_err(|_| err("it is not a valid URL"))?;
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(err("it must not have a query or fragment"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(err("the host is missing or has user info"));
    }
    let Some(host) = parsed.host_str().filter(|h| !h.is_empty()) else {
        return Err(err("the host is missing or has user info"));
    };
    let portal = match parsed.port() {
        Some(port) => format!("{}://{host}:{port}", parsed.scheme()),
        None => format!("{}://{host}", parsed.scheme()),
    };
    Ok((portal, parsed.path().trim_start_matches('/').to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_urls_are_parsed_and_secrets_hidden() {
        let c = Client::webhook("https://example.bitrix24.com/rest/1/abc123secret/").unwrap();
        assert_eq!(c.portal(), "https://example.bitrix24.com");
        let debug = format!("{c:?}");
        assert!(!debug.contains("abc123secret"), "{debug}");
        assert!(debug.contains("webhook_user_id: 1"), "{debug}");
        assert!(Client::webhook("https://example.bitrix24.com/rest/1/abc123secret").is_ok());
    }

    #[test]
    fn bad_webhook_urls_are_typed_errors_without_the_code() {
        for url in [
            "example.bitrix24.com/rest/1/abc123secret/",
            "ftp://example.bitrix24.com/rest/1/abc123secret/",
            "https://example.bitrix24.com/rest/x/abc123secret/",
            "https://example.bitrix24.com/api/1/abc123secret/",
            "https://example.bitrix24.com/rest/1/abc123secret/im.user.get",
            "https://example.bitrix24.com/rest/1/abc-123secret/",
        ] {
            let e = Client::webhook(url).unwrap_err();
            assert!(matches!(e, ConfigError::WebhookUrl(_)), "{url}: {e:?}");
            assert!(!e.to_string().contains("secret"), "{e}");
        }
    }

    #[test]
    fn oauth_clients_hide_the_token() {
        let c = Client::oauth("https://example.bitrix24.com", "tok-very-secret").unwrap();
        assert!(!format!("{c:?}").contains("very-secret"));
        c.set_access_token("tok-new-secret").unwrap();
        assert_eq!(c.set_access_token(""), Err(ConfigError::EmptyToken));
        assert!(!format!("{c:?}").contains("new-secret"));
        assert_eq!(
            Client::oauth("https://example.bitrix24.com", "").unwrap_err(),
            ConfigError::EmptyToken
        );
    }

    fn client() -> Client {
        Client::webhook("https://example.bitrix24.com/rest/1/abc123secret/").unwrap()
    }

    #[test]
    fn error_envelopes_keep_code_case_description_and_status() {
        let e = client()
            .decode::<Plain<Value>, AnyErrorCode>("m", 401, br#"{"error":"expired_token","error_description":"The access token provided has expired."}"#)
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
        let e = client()
            .decode::<Plain<Value>, AnyErrorCode>(
                "m",
                200,
                br#"{"error":"","error_description":"something broke"}"#,
            )
            .unwrap_err();
        assert_eq!(e.to_string(), "(no error code): something broke (HTTP 200)");
    }

    #[test]
    fn html_and_truncated_bodies_are_unexpected_responses_with_redacted_snippets() {
        let e = client()
            .decode::<Plain<Value>, AnyErrorCode>(
                "m",
                502,
                b"<html>Bad gateway for /rest/1/abc123secret/x</html>",
            )
            .unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("HTTP 502") && !text.contains("abc123secret"),
            "{text}"
        );
        let e = client()
            .decode::<Plain<Value>, AnyErrorCode>("m", 200, br#"{"result": {"id": 5, "na"#)
            .unwrap_err();
        assert!(e.to_string().contains("truncated"), "{e}");
    }

    #[tokio::test]
    async fn method_names_that_could_escape_the_path_are_refused() {
        for name in [
            "",
            "../../admin",
            "im.user.get?x=1",
            "im..get",
            "im.user.get/",
        ] {
            let e = client().call_raw(name, Map::new()).await.unwrap_err();
            assert!(matches!(e, Error::InvalidMethodName(_)), "{name}: {e}");
        }
    }

    #[test]
    fn a_result_that_does_not_decode_names_the_field() {
        use crate::wire::{Id, List};
        let e = client()
            .decode::<List<Id>, AnyErrorCode>("m", 200, br#"{"result":[1,"2","x"]}"#)
            .unwrap_err();
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
        let body = br#"{"result":{"id":5,"departments":[1,"x"]}}"#;
        let e = client()
            .decode_with::<_, _, AnyErrorCode>(OutputOf(&request), "im.user.get", 200, body)
            .unwrap_err();
        let Error::Decode { path, .. } = &e else {
            panic!("{e:?}");
        };
        assert_eq!(path, "result.departments[1]", "{e}");
        // Below a field with a "no value" marker (`phones` may be `false`) the path goes on.
        let body = br#"{"result":{"id":5,"phones":{"work_phone":"1","inner_phone":21}}}"#;
        let e = client()
            .decode_with::<_, _, AnyErrorCode>(OutputOf(&request), "im.user.get", 200, body)
            .unwrap_err();
        let Error::Decode { path, .. } = &e else {
            panic!("{e:?}");
        };
        assert_eq!(path, "result.phones.inner_phone", "{e}");

        // The same decoders succeed without the tracking the error path needs.
        let ok = client()
            .decode::<List<Id>, AnyErrorCode>("m", 200, br#"{"result":[1,"2"]}"#)
            .unwrap();
        assert_eq!(ok.result, [1, 2]);
    }

    #[test]
    fn null_results_and_paging_fields_are_kept() {
        let r = client()
            .decode::<Plain<Option<u64>>, AnyErrorCode>(
                "m",
                200,
                br#"{"result":null,"total":"120","next":50}"#,
            )
            .unwrap();
        assert_eq!((r.result, r.total, r.next), (None, Some(120), Some(50)));
        let e = client()
            .decode::<Plain<u64>, AnyErrorCode>("m", 200, br#"{"time":{}}"#)
            .unwrap_err();
        assert!(e.to_string().contains("neither"), "{e}");
    }
}
