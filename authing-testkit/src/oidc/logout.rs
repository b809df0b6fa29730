//! Logout: `GET`/`POST /oidc/session/end` (OIDC RP-initiated logout) and Authing's
//! `GET /login/profile/logout` for OAuth applications.

use std::sync::Arc;

use axum::extract::{Extension, State as AxumState};
use axum::response::{Html, IntoResponse, Response};

use super::authorize::found;
use super::error::error_page;
use super::grants::TokenKind;
use super::params::Params;
use crate::app::App;
use crate::record::Incoming;

/// Ends the session of `id_token_hint` (revoking every token issued in it) and sends
/// the user to `post_logout_redirect_uri` with `state`, when that URI is registered for
/// the client.
pub(crate) async fn session_end(
    AxumState(app): AxumState<Arc<App>>,
    Extension(req): Extension<Arc<Incoming>>,
) -> Response {
    let params = if req.record.method == "POST" {
        Params::form(&req)
    } else {
        Params::query(&req)
    };
    let params = match params {
        Ok(params) => params,
        Err(error) => return error_page(error.error(), error.description()),
    };
    let mut state = app.oidc.state();
    // An expired ID token is still a fine hint (OIDC RP-Initiated Logout §2).
    let hint = match params.get("id_token_hint") {
        None => None,
        Some(text) => match state.token(text).filter(|t| t.kind == TokenKind::Id) {
            Some(token) => Some(token.clone()),
            None => return error_page("invalid_request", "could not validate id_token_hint"),
        },
    };
    let client_id = match (
        hint.as_ref().map(|t| t.client_id.as_str()),
        params.get("client_id"),
    ) {
        (Some(a), Some(b)) if a != b => {
            return error_page(
                "invalid_request",
                "client_id does not match the id_token_hint's audience",
            );
        }
        (Some(id), _) | (None, Some(id)) => Some(id.to_owned()),
        (None, None) => None,
    };
    let redirect = match params.get("post_logout_redirect_uri") {
        None => None,
        Some(uri) => {
            let registered = client_id
                .as_deref()
                .and_then(|id| state.app(id))
                .is_some_and(|app| app.post_logout_redirect_uris.iter().any(|u| u == uri));
            if !registered {
                return error_page(
                    "invalid_request",
                    "post_logout_redirect_uri is not registered for the client (an id_token_hint or client_id names the client)",
                );
            }
            Some(uri.to_owned())
        }
    };
    if let Some(sid) = hint.and_then(|t| t.sid) {
        state.end_session(&sid);
    }
    match redirect {
        Some(uri) => {
            let mut location = uri;
            if let Some(value) = params.get("state") {
                let mut query = form_urlencoded::Serializer::new(String::new());
                query.append_pair("state", value);
                location.push(if location.contains('?') { '&' } else { '?' });
                location.push_str(&query.finish());
            }
            found(&location)
        }
        None => signed_out(),
    }
}

/// Authing's logout for applications without OIDC: redirects to `redirect_uri` when it
/// is a registered post-logout URI of some application. The stand-in keeps no browser
/// sessions, so there is nothing else to end here.
pub(crate) async fn profile_logout(
    AxumState(app): AxumState<Arc<App>>,
    Extension(req): Extension<Arc<Incoming>>,
) -> Response {
    let params = match Params::query(&req) {
        Ok(params) => params,
        Err(error) => return error_page(error.error(), error.description()),
    };
    let Some(uri) = params.get("redirect_uri") else {
        return signed_out();
    };
    let registered = app
        .oidc
        .state()
        .apps()
        .iter()
        .any(|a| a.post_logout_redirect_uris.iter().any(|u| u == uri));
    if registered {
        found(uri)
    } else {
        error_page(
            "invalid_request",
            "redirect_uri is not a registered logout URI of any application",
        )
    }
}

fn signed_out() -> Response {
    Html("<!DOCTYPE html><html><head><title>Signed out</title></head><body><p>You are signed out.</p></body></html>")
        .into_response()
}
