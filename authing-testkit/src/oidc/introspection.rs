//! `POST .../token/introspection` (RFC 7662) and `POST .../token/revocation` (RFC 7009).

use std::sync::Arc;

use axum::extract::{Extension, State as AxumState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::client_auth::authenticate;
use super::error::{OAuthError, no_store_json};
use super::grants::{Protocol, TokenKind};
use super::params::Params;
use crate::app::App;
use crate::record::Incoming;

pub(crate) async fn introspect(
    AxumState(app): AxumState<Arc<App>>,
    Extension(req): Extension<Arc<Incoming>>,
) -> Response {
    let answer = || -> Result<serde_json::Value, OAuthError> {
        let params = Params::form(&req)?;
        let text = params.require("token")?;
        let protocol = Protocol::of_path(&req.record.path);
        let state = app.oidc.state();
        let client = authenticate(&state, &req, &params)?;
        // A token of another client is reported inactive, so clients cannot probe others.
        let Some(token) = state
            .active_token(text)
            .filter(|t| t.client_id == client.client_id && t.protocol == protocol)
        else {
            return Ok(json!({"active": false}));
        };
        let token_type = match token.kind {
            TokenKind::Access => "Bearer",
            TokenKind::Refresh => "refresh_token",
            TokenKind::Id => "id_token",
        };
        Ok(json!({
            "active": true,
            "sub": token.user_id.clone().unwrap_or_else(|| token.client_id.clone()),
            "client_id": token.client_id,
            "exp": token.exp,
            "iat": token.iat,
            "iss": app.oidc.issuer(),
            "jti": token.jti,
            "scope": token.scope,
            "token_type": token_type,
        }))
    };
    match answer() {
        Ok(body) => no_store_json(body.to_string()),
        Err(error) => error.into_response(),
    }
}

pub(crate) async fn revoke(
    AxumState(app): AxumState<Arc<App>>,
    Extension(req): Extension<Arc<Incoming>>,
) -> Response {
    let answer = || -> Result<(), OAuthError> {
        let params = Params::form(&req)?;
        let text = params.require("token")?;
        let mut state = app.oidc.state();
        let client = authenticate(&state, &req, &params)?;
        // RFC 7009 §2.2: unknown tokens, and tokens of other clients, are not an error.
        if state
            .token(text)
            .is_some_and(|t| t.client_id == client.client_id)
        {
            state.revoke(text);
        }
        Ok(())
    };
    match answer() {
        Ok(()) => StatusCode::OK.into_response(),
        Err(error) => error.into_response(),
    }
}
