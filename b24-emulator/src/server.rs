//! HTTP: the routes a portal answers on, and a server running them in the background.

use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use axum::Router;
use axum::body::Body;
use axum::extract::connect_info::{ConnectInfo, Connected};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, Request, State as Extract};
use axum::http::{Extensions, HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::IncomingStream;
use b24_client::SystemError;
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream, ToSocketAddrs};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower::ServiceExt;

use crate::auth::TokenProblem;
use crate::call::{self, Outcome};
use crate::emulator::{Emulator, State};
use crate::envelope::{self, Failure};
use crate::oauth;
use crate::request::Params;

/// Larger bodies are refused; a REST call's parameters are far smaller.
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// How the caller authenticated, as read from the route.
enum Auth {
    /// `/rest/{user}/{code}/{method}`.
    Webhook { user: String, code: String },
    /// `/rest/{method}` with the token in `auth`.
    OAuth,
}

impl Emulator {
    /// The emulator's routes, for mounting in your own axum server or calling with
    /// `tower::ServiceExt::oneshot` in tests:
    ///
    /// - `GET|POST /rest/{user_id}/{code}/{method}`: incoming webhook;
    /// - `GET|POST /rest/{method}`: OAuth, with the token in the `auth` parameter;
    /// - `GET|POST /oauth/token/`: the authorization server's token endpoint, exchanging
    ///   refresh tokens of apps registered with
    ///   [`EmulatorBuilder::oauth_app`](crate::EmulatorBuilder::oauth_app).
    ///
    /// `{method}` may end in `.json`; `batch` runs commands. Repeated slashes in a path count
    /// as one (`/rest//im.user.get`), as the web server in front of a portal merges them.
    /// Anything else answers with an error envelope. Mounted elsewhere,
    /// [`FaultAnswer::ConnectionReset`](crate::FaultAnswer) cannot close the connection and
    /// answers HTTP 500 instead.
    pub fn router(&self) -> Router {
        routes(self.state.clone())
    }

    /// Binds `addr` (port 0 picks a free port) and serves in a background task until
    /// [`RunningEmulator::shutdown`] or until the handle is dropped.
    pub async fn start(&self, addr: impl ToSocketAddrs) -> io::Result<RunningEmulator> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let app = self
            .router()
            .into_make_service_with_connect_info::<Connection>();
        let server = axum::serve(Listener(listener), app).with_graceful_shutdown(async move {
            // A dropped sender also stops the server.
            let _ = stopped.await;
        });
        let task = tokio::spawn(async move { server.await });
        tracing::info!(%addr, "Bitrix24 emulator listening");
        Ok(RunningEmulator {
            addr,
            webhook_path: self.webhook_path(),
            access_token: self.access_token().to_owned(),
            stop: Some(stop),
            task: Some(task),
        })
    }
}

fn routes(state: Arc<State>) -> Router {
    Router::new()
        .route("/rest/{method}", get(oauth).post(oauth))
        .route("/rest/{user}/{code}/{method}", get(webhook).post(webhook))
        .route("/oauth/token", get(token).post(token))
        .route("/oauth/token/", get(token).post(token))
        .fallback(unrouted)
        .method_not_allowed_fallback(wrong_http_method)
        .with_state(state)
}

/// Accepts TCP connections wrapped in [`Stream`], so a handler can drop its connection.
struct Listener(TcpListener);

impl axum::serve::Listener for Listener {
    type Io = Stream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Stream, SocketAddr) {
        loop {
            match self.0.accept().await {
                Ok((tcp, addr)) => {
                    let stream = Stream {
                        tcp,
                        reset: Connection::default(),
                    };
                    return (stream, addr);
                }
                // Out of file descriptors and the like: wait a little rather than spin.
                Err(e) => {
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.0.local_addr()
    }
}

/// A handle on one connection that a handler can use to reset it.
#[derive(Debug, Clone, Default)]
struct Connection(Arc<AtomicBool>);

impl Connected<IncomingStream<'_, Listener>> for Connection {
    fn connect_info(stream: IncomingStream<'_, Listener>) -> Self {
        stream.io().reset.clone()
    }
}

/// A TCP stream that fails every write once its connection is to be reset; the server then
/// drops it, and with a zero linger the peer gets a TCP reset instead of an answer.
struct Stream {
    tcp: TcpStream,
    reset: Connection,
}

impl Stream {
    fn reset_now(&self) -> io::Result<()> {
        // Best effort: without it the connection still closes, with a FIN instead of a reset.
        let _ = self.tcp.set_zero_linger();
        Err(io::Error::from(io::ErrorKind::ConnectionReset))
    }

    fn resetting(&self) -> bool {
        self.reset.0.load(Ordering::SeqCst)
    }
}

impl AsyncRead for Stream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.resetting() {
            return Poll::Ready(self.reset_now());
        }
        Pin::new(&mut self.tcp).poll_read(cx, buf)
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.resetting() {
            return Poll::Ready(self.reset_now().map(|()| 0));
        }
        Pin::new(&mut self.tcp).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.resetting() {
            return Poll::Ready(self.reset_now());
        }
        Pin::new(&mut self.tcp).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.resetting() {
            return Poll::Ready(self.reset_now());
        }
        Pin::new(&mut self.tcp).poll_shutdown(cx)
    }
}

/// One REST call as it came in.
struct Incoming {
    auth: Auth,
    method: String,
    http: Method,
    headers: HeaderMap,
    query: Option<String>,
    body: Body,
    connection: Option<Connection>,
}

fn connection(extensions: &Extensions) -> Option<Connection> {
    extensions
        .get::<ConnectInfo<Connection>>()
        .map(|c| c.0.clone())
}

async fn webhook(
    Extract(state): Extract<Arc<State>>,
    path: Result<Path<(String, String, String)>, PathRejection>,
    http: Method,
    headers: HeaderMap,
    extensions: Extensions,
    RawQuery(query): RawQuery,
    body: Body,
) -> Response {
    let Ok(Path((user, code, method))) = path else {
        return logged(
            &http,
            "(unreadable path)",
            Failure::no_auth().into_response(),
        );
    };
    let auth = Auth::Webhook { user, code };
    call(
        &state,
        Incoming {
            auth,
            method,
            http,
            headers,
            query,
            body,
            connection: connection(&extensions),
        },
    )
    .await
}

async fn oauth(
    Extract(state): Extract<Arc<State>>,
    path: Result<Path<String>, PathRejection>,
    http: Method,
    headers: HeaderMap,
    extensions: Extensions,
    RawQuery(query): RawQuery,
    body: Body,
) -> Response {
    let Ok(Path(method)) = path else {
        let failure = Failure::method_not_found();
        return logged(&http, "(unreadable path)", failure.into_response());
    };
    call(
        &state,
        Incoming {
            auth: Auth::OAuth,
            method,
            http,
            headers,
            query,
            body,
            connection: connection(&extensions),
        },
    )
    .await
}

async fn token(
    Extract(state): Extract<Arc<State>>,
    http: Method,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Body,
) -> Response {
    state.count_request(crate::emulator::TOKEN_ENDPOINT);
    let response = match read_params(&headers, query.as_deref(), body).await {
        Ok(params) => oauth::token(&state, &headers, &params),
        Err(failure) => failure.into_response(),
    };
    logged(&http, "(oauth token)", response)
}

/// Answers one REST call and logs it.
async fn call(state: &State, incoming: Incoming) -> Response {
    state.count_request(&incoming.method);
    let http = incoming.http.clone();
    let shown = printable(&incoming.method);
    let response = match answer_call(state, incoming).await {
        Ok(response) => response,
        Err(failure) => failure.into_response(),
    };
    logged(&http, &shown, response)
}

/// Reads parameters, authenticates, applies the rate limit, and runs the method.
async fn answer_call(state: &State, incoming: Incoming) -> Result<Response, Failure> {
    let Incoming {
        auth,
        method,
        headers,
        query,
        body,
        connection,
        ..
    } = incoming;
    let started = state.clock.now();
    let mut params = read_params(&headers, query.as_deref(), body).await?;
    let token = params.take_auth();
    let caller = match auth {
        Auth::Webhook { user, code } => state
            .credentials
            .webhook_user(&user, &code)
            .ok_or_else(Failure::no_auth)?,
        Auth::OAuth => match &token {
            Some(Value::String(t)) => {
                state
                    .credentials
                    .token_user(t, started)
                    .map_err(|problem| match problem {
                        TokenProblem::Unknown => Failure::no_auth(),
                        TokenProblem::Expired => {
                            Failure::undeclared(SystemError::ExpiredToken.code())
                        }
                    })?
            }
            _ => return Err(Failure::no_auth()),
        },
    };
    if state.user_inactive(caller.user_id) {
        return Err(Failure::system(
            SystemError::InvalidCredentials,
            SystemError::InvalidCredentials.description(),
        ));
    }
    if !state.bucket.admit(started) {
        return Err(Failure::undeclared(SystemError::QueryLimitExceeded.code()));
    }

    let (outcome, _) = call::run(state, &caller, &method, &params, started, false).await;
    Ok(match outcome {
        Outcome::Answered {
            answer,
            time,
            truncate: false,
        } => envelope::success(answer, &time),
        Outcome::Answered { answer, time, .. } => envelope::truncated(answer, &time),
        Outcome::Failed(failure) => failure.into_response(),
        Outcome::Html502 => envelope::html_502(),
        Outcome::Reset => match connection {
            Some(connection) => {
                connection.0.store(true, Ordering::SeqCst);
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
            None => Failure::undeclared(SystemError::InternalServerError.code()).into_response(),
        },
    })
}

/// A request's parameters, from its query string and its body (read within the size limit).
async fn read_params(
    headers: &HeaderMap,
    query: Option<&str>,
    body: Body,
) -> Result<Params, Failure> {
    let body = read_body(headers, body).await?;
    Params::read(headers, query, body).await
}

async fn read_body(headers: &HeaderMap, body: Body) -> Result<axum::body::Bytes, Failure> {
    let too_large = || {
        Failure::new(
            413,
            envelope::BAD_REQUEST,
            format!("the request body is larger than {MAX_BODY_BYTES} bytes"),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(too_large());
    }
    axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| {
            Failure::bad_request(format!(
                "the request body could not be read completely (at most {MAX_BODY_BYTES} bytes)"
            ))
        })
}

/// A path no route takes: with repeated slashes merged, it goes through the routes again (the
/// merged path has none, so once); otherwise it is no REST call.
async fn unrouted(Extract(state): Extract<Arc<State>>, mut request: Request) -> Response {
    if let Some(uri) = merged_slashes(request.uri()) {
        *request.uri_mut() = uri;
        let Ok(response) = routes(state).oneshot(request).await;
        return response;
    }
    let http_method = request.method();
    let uri = request.uri();
    // Only paths under /rest/ are REST calls; say so without echoing the path, which may
    // hold a webhook code.
    let failure = if uri.path().starts_with("/rest/") {
        Failure::method_not_found()
    } else {
        Failure::new(
            404,
            envelope::METHOD_NOT_FOUND,
            "Method not found; REST calls go to /rest/USER_ID/CODE/METHOD or /rest/METHOD",
        )
    };
    logged(http_method, "(no method)", failure.into_response())
}

/// `uri` with each run of slashes in its path made one (`/rest/1//CODE/profile` →
/// `/rest/1/CODE/profile`), the query string kept; `None` when the path has no such run.
fn merged_slashes(uri: &Uri) -> Option<Uri> {
    let path = uri.path();
    if !path.contains("//") {
        return None;
    }
    let mut merged = String::with_capacity(path.len());
    for c in path.chars() {
        if !(c == '/' && merged.ends_with('/')) {
            merged.push(c);
        }
    }
    if let Some(query) = uri.query() {
        merged = format!("{merged}?{query}");
    }
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = Some(merged.parse().ok()?);
    Uri::from_parts(parts).ok()
}

async fn wrong_http_method(http_method: Method) -> Response {
    let mut response = Failure::new(
        405,
        envelope::BAD_REQUEST,
        "REST methods are called with GET or POST",
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
    logged(&http_method, "(wrong HTTP method)", response)
}

/// Logs one finished request: the REST method and the status, never the path or parameters
/// (they carry the webhook code or the token).
fn logged(http: &Method, method: &str, response: Response) -> Response {
    let http = http.as_str();
    let status = response.status().as_u16();
    if response.status() == StatusCode::OK {
        tracing::info!(http, method, status, "request");
    } else {
        tracing::warn!(http, method, status, "request");
    }
    response
}

/// A method name safe to print: anything that is not a method-name character is replaced.
fn printable(method: &str) -> String {
    method
        .chars()
        .take(100)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '?'
            }
        })
        .collect()
}

/// An emulator serving in the background; see [`Emulator::start`].
///
/// Dropping it stops the server abruptly; [`RunningEmulator::shutdown`] stops it gracefully.
pub struct RunningEmulator {
    addr: SocketAddr,
    webhook_path: String,
    access_token: String,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl RunningEmulator {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The portal address, `http://127.0.0.1:PORT`, as [`b24_client::Client::oauth`] takes it.
    /// An unspecified bind address (`0.0.0.0`) shows as loopback.
    pub fn base_url(&self) -> String {
        let ip = match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}", SocketAddr::new(ip, self.addr.port()))
    }

    /// The first webhook's URL, `http://127.0.0.1:PORT/rest/1/CODE/`, as
    /// [`b24_client::Client::webhook`] takes it. It contains the webhook code.
    pub fn webhook_url(&self) -> String {
        format!("{}{}", self.base_url(), self.webhook_path)
    }

    /// The first OAuth access token the emulator accepts.
    pub fn access_token(&self) -> &str {
        &self.access_token
    }

    /// Stops accepting connections, lets requests in flight finish, and waits for the server.
    pub async fn shutdown(mut self) -> io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task.await.map_err(io::Error::other)?,
            None => Ok(()),
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

impl fmt::Debug for RunningEmulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunningEmulator")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_slashes_merge() {
        let merged = |uri: &str| merged_slashes(&uri.parse().unwrap()).map(|u| u.to_string());
        assert_eq!(
            merged("/rest//im.user.get?a=1//2").as_deref(),
            Some("/rest/im.user.get?a=1//2")
        );
        assert_eq!(
            merged("//rest/1///CODE//profile").as_deref(),
            Some("/rest/1/CODE/profile")
        );
        assert_eq!(merged("/rest/1/CODE/profile?x=//"), None);
    }

    #[test]
    fn printable_method_names() {
        assert_eq!(printable("im.user.get.json"), "im.user.get.json");
        assert_eq!(printable("a b\n"), "a?b?");
        assert_eq!(printable(&"x".repeat(300)).len(), 100);
    }
}
