//! `GET /oidc/.well-known/openid-configuration` and `GET /oidc/.well-known/jwks.json`.

use std::sync::Arc;

use axum::extract::State as AxumState;
use axum::response::{IntoResponse, Json, Response};
use serde_json::json;

use super::error::OAuthError;
use crate::app::App;

/// The discovery document, with the fields and values Authing's has for what the
/// stand-in serves.
pub(crate) async fn configuration(AxumState(app): AxumState<Arc<App>>) -> Response {
    let base = app.oidc.base_url();
    let issuer = app.oidc.issuer();
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/auth"),
        "token_endpoint": format!("{issuer}/token"),
        "userinfo_endpoint": format!("{issuer}/me"),
        "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
        "end_session_endpoint": format!("{issuer}/session/end"),
        "revocation_endpoint": format!("{issuer}/token/revocation"),
        "introspection_endpoint": format!("{issuer}/token/introspection"),
        "claims_parameter_supported": false,
        "claims_supported": [
            "sub", "name", "nickname", "preferred_username", "picture", "updated_at",
            "username", "email", "email_verified", "phone_number", "phone_number_verified",
            "auth_time", "nonce", "sid", "at_hash", "iss", "aud", "iat", "exp"
        ],
        "code_challenge_methods_supported": ["plain", "S256"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "id_token_signing_alg_values_supported": ["HS256", "RS256"],
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "request_parameter_supported": false,
        "response_modes_supported": ["query"],
        "response_types_supported": ["code"],
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "scopes_supported": ["openid", "offline_access", "profile", "email", "phone", "username"],
        "subject_types_supported": ["public"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "userinfo_signing_alg_values_supported": [],
        "service_documentation": format!("{base}/"),
    }))
    .into_response()
}

/// The published keys, generating the first one if this is the first OIDC request.
pub(crate) async fn jwks(AxumState(app): AxumState<Arc<App>>) -> Response {
    match app.oidc.state().keys() {
        Ok(keys) => Json(keys.jwks()).into_response(),
        Err(_) => OAuthError::server_error("the stand-in could not generate a signing key")
            .into_response(),
    }
}
