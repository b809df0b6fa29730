//! `GET`/`POST /oidc/me` and `/oauth/me`: the signed-in user's claims, for the scope
//! of the access token. The token may come in `authorization: Bearer`, the query's
//! `access_token` or (POST) the form body's `access_token`, in one place only.

use std::sync::Arc;

use axum::extract::{Extension, State as AxumState};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::claims::user_claims;
use super::error::{OAuthError, no_store_json};
use super::grants::TokenKind;
use super::params::Params;
use crate::app::App;
use crate::record::Incoming;

pub(crate) async fn userinfo(
    AxumState(app): AxumState<Arc<App>>,
    Extension(req): Extension<Arc<Incoming>>,
) -> Response {
    match claims(&app, &req) {
        Ok(body) => no_store_json(body.to_string()),
        Err(error) => error.into_response(),
    }
}

fn claims(app: &App, req: &Incoming) -> Result<Value, OAuthError> {
    let text = presented_token(req)?;
    let invalid = || OAuthError::invalid_token("invalid token provided");
    let token = app
        .oidc
        .state()
        .active_token(&text)
        .filter(|t| t.kind == TokenKind::Access)
        .cloned()
        .ok_or_else(invalid)?;
    let user_id = token.user_id.ok_or_else(|| {
        OAuthError::invalid_token("the token was issued to an application, not for a user")
    })?;
    let store = app.store();
    let user = store
        .users()
        .iter()
        .find(|u| u.id == user_id)
        .ok_or_else(invalid)?;
    Ok(Value::Object(user_claims(user, &token.scope)))
}

fn presented_token(req: &Incoming) -> Result<String, OAuthError> {
    let header = req.header("authorization").and_then(|value| {
        value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .map(str::trim)
    });
    let query = Params::query(req)?;
    let body = if req.record.method == "POST" && !req.body.is_empty() {
        Params::form(req)?
    } else {
        Params::default()
    };
    let found: Vec<&str> = [header, query.get("access_token"), body.get("access_token")]
        .into_iter()
        .flatten()
        .collect();
    match found.as_slice() {
        [token] => Ok((*token).to_owned()),
        [] => Err(OAuthError::invalid_token("no access token provided")),
        _ => Err(OAuthError::invalid_request(
            "access token must only be provided using one mechanism",
        )),
    }
}
