//! One HTTP request to the portal: POST, refuse redirects, read the body within a size limit.

use std::time::Duration;

use crate::error::{Error, ErrorCode};

/// Largest response body accepted; Bitrix24 pages hold 50 records, far below this.
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// What the portal answered: status and body, not yet read as an envelope.
pub(crate) struct Answer {
    pub status: u16,
    pub body: bytes::Bytes,
}

/// POSTs `body` (a JSON object) to `url`. The URL may hold a webhook code: it never goes into
/// an error or a log.
pub(crate) async fn post<C: ErrorCode>(
    http: &reqwest::Client,
    url: &str,
    body: String,
    timeout: Option<Duration>,
) -> Result<Answer, Error<C>> {
    let mut request = http
        .post(url)
        .header(reqwest::header::USER_AGENT, crate::client::USER_AGENT)
        .header(reqwest::header::ACCEPT, "application/json")
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body);
    if let Some(timeout) = timeout {
        request = request.timeout(timeout);
    }
    let response = request.send().await.map_err(Error::transport)?;
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
    Ok(Answer { status, body })
}

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
