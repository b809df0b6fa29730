//! The OAuth 2.0 and OpenID Connect endpoints, declared with
//! [`#[endpoint]`](authing_core::endpoint) like every other endpoint of authing-rs:
//! form-encoded bodies, answers without Authing's envelope (a refusal is
//! [`Error::OAuth`](authing_core::Error::OAuth)), and the application's own credentials
//! (`auth = client`) at the token, revocation and introspection endpoints, the user's
//! access token as a bearer token (`auth = bearer`) at userinfo. The path's first segment
//! is the [`Protocol`]'s, so each declaration serves both protocols.
//!
//! [`OidcClient`](crate::OidcClient) sends these for you; they are public for the calls
//! it does not wrap, and so that what goes on the wire is documented in one place.
//!
//! ```
//! use authing_core::{AnswerFormat, Authorization, BodyFormat, Endpoint};
//! use authing_oidc::endpoints::{ClientCredentials, ExchangeCode, RefreshTokens};
//! for meta in [ExchangeCode::METADATA, RefreshTokens::METADATA, ClientCredentials::METADATA] {
//!     assert_eq!(meta.path, "/{protocol}/token");
//!     assert_eq!((meta.body, meta.answer, meta.auth), (BodyFormat::Form, AnswerFormat::Plain, Authorization::Client));
//!     assert!(meta.sensitive, "token requests and answers are never logged");
//! }
//! ```

use authing_core::{Secret, endpoint};
use serde::Serialize;

use crate::protocol::Protocol;
use crate::tokens::{Introspection, TokenSet, UserInfo};

/// Which kind of token a revocation or introspection request is about (RFC 7009 §2.1):
/// a hint that spares the server a search, never a requirement.
///
/// ```
/// use authing_oidc::endpoints::TokenTypeHint;
/// assert_eq!(serde_json::to_string(&TokenTypeHint::RefreshToken)?, r#""refresh_token""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TokenTypeHint {
    /// An access token.
    AccessToken,
    /// A refresh token.
    RefreshToken,
}

/// The `grant_type` of a token request, fixed by the request's type so that it cannot be
/// set to another grant's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum GrantType {
    AuthorizationCode,
    RefreshToken,
    ClientCredentials,
}

/// Exchanges an authorization code for tokens (RFC 6749 §4.1.3), with the PKCE verifier
/// of the authorization request (RFC 7636 §4.5).
///
/// ```
/// use authing_core::Secret;
/// use authing_oidc::Protocol;
/// use authing_oidc::endpoints::ExchangeCode;
///
/// let mut exchange = ExchangeCode::new(Protocol::Oidc, Secret::from("c0de"), "https://my.app/cb");
/// exchange.code_verifier = Some(Secret::from("v".repeat(43)));
/// let form = serde_json::to_value(&exchange)?;
/// assert_eq!(form["grant_type"], "authorization_code");
/// assert_eq!(form["redirect_uri"], "https://my.app/cb");
/// assert!(form.get("protocol").is_none(), "the protocol goes to the path");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[endpoint(POST, "/{protocol}/token", response = TokenSet, side = authentication,
           body = form, answer = plain, auth = client)]
#[serde(rename_all = "snake_case")]
#[derive(Debug, Clone)]
pub struct ExchangeCode {
    /// `/oidc/...` or `/oauth/...`.
    pub protocol: Protocol,
    grant_type: GrantType,
    /// The code the callback received.
    pub code: Secret,
    /// The redirect URI the authorization request named, exactly.
    pub redirect_uri: String,
    /// The PKCE verifier whose challenge the authorization request sent; `None` when it
    /// sent none.
    pub code_verifier: Option<Secret>,
}

impl ExchangeCode {
    /// The exchange of `code`, which came back to `redirect_uri`, without a PKCE verifier.
    ///
    /// ```
    /// let exchange = authing_oidc::endpoints::ExchangeCode::new(
    ///     authing_oidc::Protocol::Oauth, "c0de".into(), "https://my.app/cb");
    /// assert!(exchange.code_verifier.is_none());
    /// ```
    pub fn new(protocol: Protocol, code: Secret, redirect_uri: impl Into<String>) -> Self {
        Self {
            protocol,
            grant_type: GrantType::AuthorizationCode,
            code,
            redirect_uri: redirect_uri.into(),
            code_verifier: None,
        }
    }
}

/// Gets new tokens with a refresh token (RFC 6749 §6).
///
/// ```
/// use authing_oidc::endpoints::RefreshTokens;
/// let refresh = RefreshTokens::new(authing_oidc::Protocol::Oidc, "r3fresh".into());
/// let form = serde_json::to_value(&refresh)?;
/// assert_eq!(form["grant_type"], "refresh_token");
/// assert!(form.get("scope").is_none(), "no scope: the same scopes as before");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[endpoint(POST, "/{protocol}/token", response = TokenSet, side = authentication,
           body = form, answer = plain, auth = client)]
#[serde(rename_all = "snake_case")]
#[derive(Debug, Clone)]
pub struct RefreshTokens {
    /// `/oidc/...` or `/oauth/...`.
    pub protocol: Protocol,
    grant_type: GrantType,
    /// The refresh token of an earlier token set.
    pub refresh_token: Secret,
    /// Narrows the new tokens' scopes (space-separated); `None` keeps them.
    pub scope: Option<String>,
}

impl RefreshTokens {
    /// The refresh of `refresh_token`, keeping its scopes.
    ///
    /// ```
    /// let refresh = authing_oidc::endpoints::RefreshTokens::new(authing_oidc::Protocol::Oidc, "r".into());
    /// assert!(refresh.scope.is_none());
    /// ```
    pub fn new(protocol: Protocol, refresh_token: Secret) -> Self {
        Self {
            protocol,
            grant_type: GrantType::RefreshToken,
            refresh_token,
            scope: None,
        }
    }
}

/// Gets an access token for the application itself, machine to machine (RFC 6749 §4.4).
///
/// ```
/// use authing_oidc::endpoints::ClientCredentials;
/// let grant = ClientCredentials::new(authing_oidc::Protocol::Oidc, "orders:read");
/// assert_eq!(serde_json::to_value(&grant)?["grant_type"], "client_credentials");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[endpoint(POST, "/{protocol}/token", response = TokenSet, side = authentication,
           body = form, answer = plain, auth = client)]
#[serde(rename_all = "snake_case")]
#[derive(Debug, Clone)]
pub struct ClientCredentials {
    /// `/oidc/...` or `/oauth/...`.
    pub protocol: Protocol,
    grant_type: GrantType,
    /// The scopes asked for, space-separated.
    pub scope: String,
}

impl ClientCredentials {
    /// The grant of `scope` (space-separated).
    ///
    /// ```
    /// let grant = authing_oidc::endpoints::ClientCredentials::new(authing_oidc::Protocol::Oauth, "a b");
    /// assert_eq!(grant.scope, "a b");
    /// ```
    pub fn new(protocol: Protocol, scope: impl Into<String>) -> Self {
        Self {
            protocol,
            grant_type: GrantType::ClientCredentials,
            scope: scope.into(),
        }
    }
}

/// Revokes an access or refresh token (RFC 7009); revoking a refresh token ends the
/// tokens issued with it. Authing answers an empty 200, also for a token it does not
/// know (RFC 7009 §2.2).
///
/// ```
/// use authing_core::Endpoint;
/// use authing_oidc::endpoints::RevokeToken;
/// assert_eq!(RevokeToken::METADATA.path, "/{protocol}/token/revocation");
/// let revoke = RevokeToken { protocol: authing_oidc::Protocol::Oidc, token: "t".into(), token_type_hint: None };
/// assert_eq!(serde_json::to_value(&revoke)?, serde_json::json!({"token": "t"}));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[endpoint(POST, "/{protocol}/token/revocation", response = (), side = authentication,
           body = form, answer = plain, auth = client)]
#[serde(rename_all = "snake_case")]
#[derive(Debug, Clone)]
pub struct RevokeToken {
    /// `/oidc/...` or `/oauth/...`.
    pub protocol: Protocol,
    /// The token to revoke.
    pub token: Secret,
    /// What kind of token it is, if known.
    pub token_type_hint: Option<TokenTypeHint>,
}

/// Asks whether a token is active, and about whom (RFC 7662). It only reads, so it is
/// retried like a GET.
///
/// ```
/// use authing_core::Endpoint;
/// use authing_oidc::endpoints::IntrospectToken;
/// assert_eq!(IntrospectToken::METADATA.path, "/{protocol}/token/introspection");
/// assert!(IntrospectToken::METADATA.retry_safe());
/// ```
#[endpoint(POST, "/{protocol}/token/introspection", response = Introspection,
           side = authentication, body = form, answer = plain, auth = client, idempotent)]
#[serde(rename_all = "snake_case")]
#[derive(Debug, Clone)]
pub struct IntrospectToken {
    /// `/oidc/...` or `/oauth/...`.
    pub protocol: Protocol,
    /// The token to ask about.
    pub token: Secret,
    /// What kind of token it is, if known.
    pub token_type_hint: Option<TokenTypeHint>,
}

/// Reads the claims about the user an access token acts for (OpenID Connect Core §5.3).
/// The token is the sending client's, as `authorization: Bearer` (RFC 6750 §2.1, one of
/// the ways the official SDKs offer; their default puts it in the query string, where
/// logs and proxies see it). No client authentication: under `client_secret_basic` the
/// official Node SDK sends no `Basic` header here either.
///
/// ```no_run
/// use authing_oidc::endpoints::GetUserInfo;
/// # async fn run(app: authing_core::AuthenticationClient) -> Result<(), authing_core::Error> {
/// let me = app
///     .with_access_token("ACCESS_TOKEN")
///     .send(&GetUserInfo { protocol: authing_oidc::Protocol::Oidc })
///     .await?;
/// println!("{}", me.sub);
/// # Ok(()) }
/// ```
///
/// ```
/// use authing_core::{AnswerFormat, Authorization, Endpoint};
/// use authing_oidc::endpoints::GetUserInfo;
/// assert_eq!(GetUserInfo::METADATA.path, "/{protocol}/me");
/// assert_eq!(GetUserInfo::METADATA.answer, AnswerFormat::Plain);
/// assert_eq!(GetUserInfo::METADATA.auth, Authorization::Bearer);
/// assert!(GetUserInfo::METADATA.sensitive, "the answer is personal data");
/// ```
#[endpoint(GET, "/{protocol}/me", response = UserInfo, side = authentication,
           answer = plain, auth = bearer, sensitive)]
#[derive(Debug, Clone, Copy)]
pub struct GetUserInfo {
    /// `/oidc/...` or `/oauth/...`.
    pub protocol: Protocol,
}
