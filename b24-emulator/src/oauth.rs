//! The OAuth authorization server's token endpoint, `/oauth/token/`: refresh tokens are
//! exchanged for a new access token and a new refresh token, as described at
//! <https://apidocs.bitrix24.com/settings/oauth/auto-renewal.html>.

use std::collections::BTreeSet;

use axum::Json;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::auth::RefreshProblem;
use crate::emulator::State;
use crate::request::Params;

/// `member_id` of the emulated portal.
const MEMBER_ID: &str = "b24emulator0000000000000000000000";

/// Answers a token request from its parameters (query string and/or body).
pub(crate) fn token(state: &State, headers: &HeaderMap, params: &Params) -> Response {
    let text = |name: &str| match params.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    };
    let Some(grant_type) = text("grant_type") else {
        return error("invalid_request", "grant_type is required");
    };
    if grant_type != "refresh_token" {
        return error(
            "invalid_request",
            "the emulator exchanges refresh tokens only: use grant_type=refresh_token",
        );
    }
    let (Some(client_id), Some(client_secret), Some(refresh_token)) = (
        text("client_id"),
        text("client_secret"),
        text("refresh_token"),
    ) else {
        return error(
            "invalid_request",
            "client_id, client_secret and refresh_token are required",
        );
    };
    let now = state.clock.now();
    let issued = match state
        .credentials
        .refresh(&client_id, &client_secret, &refresh_token, now)
    {
        Ok(issued) => issued,
        Err(RefreshProblem::InvalidClient) => {
            return error("invalid_client", "Invalid client credentials");
        }
        Err(RefreshProblem::InvalidGrant) => {
            return error("invalid_grant", "Invalid grant");
        }
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let scopes: BTreeSet<&str> = state.methods.values().map(|s| s.scope.as_str()).collect();
    let lifetime = state.credentials.lifetime().as_secs();
    let body = json!({
        "access_token": issued.access_token,
        "client_endpoint": format!("http://{host}/rest/"),
        "domain": host,
        "expires": state.clock.unix(issued.expires_at).floor() as u64,
        "expires_in": lifetime,
        "member_id": MEMBER_ID,
        "refresh_token": issued.refresh_token,
        "scope": scopes.into_iter().collect::<Vec<_>>().join(","),
        "server_endpoint": format!("http://{host}/rest/"),
        "status": "L",
        "user_id": issued.user_id,
    });
    (StatusCode::OK, Json(body)).into_response()
}

/// An authorization server error: `{"error", "error_description"}`. The docs give no status;
/// the emulator answers 400 as RFC 6749 §5.2 prescribes for token errors.
fn error(code: &str, description: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "error": code, "error_description": description })),
    )
        .into_response()
}
