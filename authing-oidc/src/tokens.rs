//! What the token, introspection and userinfo endpoints answer.

use authing_core::Secret;
use serde::Deserialize;
use serde_json::{Map, Value};

/// The tokens a token endpoint hands out: after a code exchange, a refresh or a client
/// credentials grant. Every token is a [`Secret`].
///
/// ```
/// let set: authing_oidc::TokenSet = serde_json::from_str(
///     r#"{"access_token":"at","token_type":"Bearer","expires_in":3600,"scope":"openid"}"#,
/// ).unwrap();
/// assert_eq!(set.access_token.expose(), "at");
/// assert_eq!(set.expires_in, Some(3600));
/// assert!(set.id_token.is_none() && set.refresh_token.is_none());
/// assert_eq!(format!("{set:?}").matches("REDACTED").count(), 1);
/// ```
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct TokenSet {
    /// The access token, for the APIs the scopes allow.
    pub access_token: Secret,
    /// `Bearer`.
    #[serde(default)]
    pub token_type: Option<String>,
    /// Seconds until the access token expires.
    #[serde(default)]
    pub expires_in: Option<u64>,
    /// The refresh token, when the scopes included `offline_access`.
    #[serde(default)]
    pub refresh_token: Option<Secret>,
    /// The ID token (OIDC, with the `openid` scope): check it with
    /// [`OidcClient::verify_id_token`](crate::OidcClient::verify_id_token) before trusting it.
    #[serde(default)]
    pub id_token: Option<Secret>,
    /// The scopes granted, space-separated.
    #[serde(default)]
    pub scope: Option<String>,
}

/// What introspection says about a token (RFC 7662): whether it is active, and its claims
/// if so.
///
/// ```
/// let gone: authing_oidc::Introspection = serde_json::from_str(r#"{"active":false}"#).unwrap();
/// assert!(!gone.active && gone.sub.is_none());
/// ```
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct Introspection {
    /// Whether the token is currently valid; every other field is absent when not.
    pub active: bool,
    /// The scopes of the token, space-separated.
    #[serde(default)]
    pub scope: Option<String>,
    /// The application the token was issued to.
    #[serde(default)]
    pub client_id: Option<String>,
    /// The user (subject) the token acts for; absent for a client credentials token.
    #[serde(default)]
    pub sub: Option<String>,
    /// When the token expires, in seconds since the Unix epoch.
    #[serde(default)]
    pub exp: Option<u64>,
    /// When the token was issued, in seconds since the Unix epoch.
    #[serde(default)]
    pub iat: Option<u64>,
    /// Who issued it.
    #[serde(default)]
    pub iss: Option<String>,
    /// The token's own id.
    #[serde(default)]
    pub jti: Option<String>,
    /// `access_token` or `refresh_token`, when the server says.
    #[serde(default)]
    pub token_type: Option<String>,
    /// Every other member of the answer.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// The claims userinfo answers about the signed-in user; which of them depends on the
/// scopes the access token holds (`profile`, `email`, `phone`, `address`).
///
/// ```
/// let me: authing_oidc::UserInfo = serde_json::from_str(
///     r#"{"sub":"u1","email":"a@example.com","email_verified":true,"custom":1}"#,
/// ).unwrap();
/// assert_eq!(me.sub, "u1");
/// assert_eq!(me.email.as_deref(), Some("a@example.com"));
/// assert_eq!(me.other["custom"], 1);
/// ```
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct UserInfo {
    /// The user's id.
    pub sub: String,
    /// Full name (`profile`).
    #[serde(default)]
    pub name: Option<String>,
    /// Nickname (`profile`).
    #[serde(default)]
    pub nickname: Option<String>,
    /// Username (`profile`).
    #[serde(default)]
    pub preferred_username: Option<String>,
    /// URL of the user's picture (`profile`).
    #[serde(default)]
    pub picture: Option<String>,
    /// E-mail address (`email`).
    #[serde(default)]
    pub email: Option<String>,
    /// Whether the e-mail address was verified (`email`).
    #[serde(default)]
    pub email_verified: Option<bool>,
    /// Phone number (`phone`).
    #[serde(default)]
    pub phone_number: Option<String>,
    /// Whether the phone number was verified (`phone`).
    #[serde(default)]
    pub phone_number_verified: Option<bool>,
    /// Every other claim.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}
