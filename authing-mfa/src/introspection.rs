//! Checking an MFA token: authentication side, outside `/api/v3` and without Authing's
//! envelope.

use authing_core::{Secret, endpoint};
use serde::Deserialize;

/// Asks Authing whether an MFA token is still good, and for which user: the token
/// Authing hands a sign-in that has to pass multi-factor authentication.
///
/// The application authenticates itself as at its token endpoint (give the
/// [`AuthenticationClient`](authing_core::AuthenticationClient) builder the app secret;
/// `client_secret_post`, `client_secret_basic` or `none` as the app is set), and the token
/// goes form-encoded as `token`, as RFC 7662 introspection and Authing's own
/// `/oidc/token/introspection` take it. Authing's reference documents only the answer,
/// and the official SDKs send no body at all (a bug of their generator), so this
/// request follows the protocol.
///
/// ```no_run
/// use authing_core::AuthenticationClient;
/// use authing_mfa::IntrospectMfaToken;
/// # async fn run(mfa_token: String) -> Result<(), authing_core::Error> {
/// let app = AuthenticationClient::builder("APP_ID", "https://example.authing.cn")
///     .app_secret("APP_SECRET")
///     .build()?;
/// let status = app.send(&IntrospectMfaToken::new(mfa_token)).await?;
/// match status.user_id {
///     Some(user) if status.active => println!("MFA token of {user}"),
///     _ => println!("expired or unknown MFA token"),
/// }
/// # Ok(())
/// # }
/// ```
#[endpoint(POST, "/mfa/token/introspection", response = MfaTokenStatus, side = authentication,
           body = form, answer = plain, auth = client, idempotent, sensitive)]
#[derive(Debug, Clone)]
pub struct IntrospectMfaToken {
    /// The MFA token to check.
    pub token: Secret,
}

impl IntrospectMfaToken {
    /// Checks `token`.
    ///
    /// ```
    /// let check = authing_mfa::IntrospectMfaToken::new("mfa-token");
    /// assert_eq!(check.token.expose(), "mfa-token");
    /// ```
    pub fn new(token: impl Into<Secret>) -> Self {
        Self {
            token: token.into(),
        }
    }
}

/// What [`IntrospectMfaToken`] answers: for an unknown or expired token only
/// `active: false`, the other fields absent.
///
/// ```
/// let live: authing_mfa::MfaTokenStatus = serde_json::from_str(
///     r#"{"active":true,"userPoolId":"pool","userId":"u1","exp":1700000600,"iat":1700000000}"#,
/// ).unwrap();
/// assert!(live.active);
/// assert_eq!(live.user_id.as_deref(), Some("u1"));
/// let dead: authing_mfa::MfaTokenStatus = serde_json::from_str(r#"{"active":false}"#).unwrap();
/// assert_eq!((dead.active, dead.exp), (false, None));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MfaTokenStatus {
    /// Whether the token is still good.
    pub active: bool,
    /// The user pool it belongs to.
    pub user_pool_id: Option<String>,
    /// The user who signed in with it.
    pub user_id: Option<String>,
    /// When it expires, in seconds since the Unix epoch.
    pub exp: Option<u64>,
    /// When it was issued, in seconds since the Unix epoch.
    pub iat: Option<u64>,
}
