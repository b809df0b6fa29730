//! What the token, introspection and userinfo endpoints answer.

use authing_core::Secret;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The tokens a token endpoint hands out: after a code exchange, a refresh or a client
/// credentials grant. Every token is a [`Secret`], redacted in `Debug`.
///
/// It serialises back to the token endpoint's JSON, so that a back end can keep it in its
/// session store; that JSON holds the tokens in clear, like the store must.
///
/// ```
/// let set: authing_oidc::TokenSet = serde_json::from_str(
///     r#"{"access_token":"at","token_type":"Bearer","expires_in":3600,"scope":"openid"}"#,
/// )?;
/// assert_eq!(set.access_token.expose(), "at");
/// assert_eq!(set.expires_in, Some(3600));
/// assert!(set.id_token.is_none() && set.refresh_token.is_none());
/// assert!(!format!("{set:?}").contains("\"at\""), "Debug hides the tokens");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TokenSet {
    /// The access token, for the APIs the scopes allow.
    pub access_token: Secret,
    /// `Bearer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    /// Seconds until the access token expires, counted from when it was issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<u64>,
    /// The refresh token, when the scopes included `offline_access`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
    /// The ID token (OpenID Connect, with the `openid` scope). It says who signed in, but
    /// only once its signature, issuer, audience, expiry and nonce have been checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<Secret>,
    /// The scopes granted, space-separated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

/// What introspection says about a token (RFC 7662 §2.2): whether it is active, and its
/// claims when it is.
///
/// ```
/// let gone: authing_oidc::Introspection = serde_json::from_str(r#"{"active":false}"#)?;
/// assert!(!gone.active && gone.sub.is_none());
///
/// let live: authing_oidc::Introspection = serde_json::from_str(
///     r#"{"active":true,"sub":"u1","client_id":"app1","exp":1700000000,"aud":"app1"}"#,
/// )?;
/// assert_eq!(live.sub.as_deref(), Some("u1"));
/// assert_eq!(live.other["aud"], "app1");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Introspection {
    /// Whether the token is currently valid: issued by this application, not revoked, not
    /// expired. The other members are absent when it is not.
    pub active: bool,
    /// The token's scopes, space-separated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The application the token was issued to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Who the token acts for: the user, or for a client credentials token the
    /// application itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    /// When the token expires, in seconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp: Option<u64>,
    /// When the token was issued, in seconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<u64>,
    /// Who issued it (`https://<app>.authing.cn/oidc`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// The token's own id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
    /// What kind of token it is (`Bearer` for an access token), when the server says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    /// Every other member of the answer.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// The claims userinfo answers about the signed-in user (OpenID Connect Core §5.1).
/// Which of them are present depends on the access token's scopes (`profile`, `email`,
/// `phone`, `address`); Authing also sends some as `null`, read here as `None`.
///
/// ```
/// let me: authing_oidc::UserInfo = serde_json::from_str(
///     r#"{"sub":"u1","email":"a@example.com","email_verified":true,"picture":null,"username":"alice"}"#,
/// )?;
/// assert_eq!(me.sub, "u1");
/// assert_eq!(me.email.as_deref(), Some("a@example.com"));
/// assert_eq!(me.email_verified, Some(true));
/// assert!(me.picture.is_none());
/// assert_eq!(me.other["username"], "alice", "claims beyond the standard ones are kept");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserInfo {
    /// The user's id.
    pub sub: String,
    /// Full name (`profile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Given name (`profile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// Family name (`profile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    /// Middle name (`profile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middle_name: Option<String>,
    /// Nickname (`profile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    /// The name the user goes by, e.g. a username (`profile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_username: Option<String>,
    /// URL of the user's profile page (`profile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// URL of the user's picture (`profile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picture: Option<String>,
    /// URL of the user's web site (`profile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// Gender; Authing sends `M`, `F` or `U` (`profile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    /// Birthday, `YYYY-MM-DD` (`profile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birthdate: Option<String>,
    /// Time zone, e.g. `Asia/Shanghai` (`profile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zoneinfo: Option<String>,
    /// Locale, e.g. `zh-CN` (`profile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// When the profile last changed (`profile`): Authing sends an ISO 8601 string where
    /// the standard has seconds since the epoch, so it is kept as the JSON it came as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Value>,
    /// E-mail address (`email`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Whether the e-mail address was verified (`email`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
    /// Phone number (`phone`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Whether the phone number was verified (`phone`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number_verified: Option<bool>,
    /// Postal address, its members as OpenID Connect Core §5.1.1 names them (`address`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Map<String, Value>>,
    /// Every other claim, e.g. Authing's `username` or `unionid`.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}
