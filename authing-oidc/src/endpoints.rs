//! The OAuth 2.0 and OpenID Connect endpoints, declared with `#[endpoint]` like every other
//! endpoint of authing-rs: form-encoded bodies, answers without Authing's envelope, and the
//! application's own credentials where the endpoint wants them. The path's first segment
//! is the [`Protocol`]'s, so each endpoint serves both.
//!
//! The [`OidcClient`](crate::OidcClient) sends these for you; they are public for the
//! calls it does not wrap, and so that their wire format is documented.

use authing_core::{Secret, endpoint};

use crate::protocol::Protocol;
use crate::tokens::{Introspection, TokenSet, UserInfo};

/// Exchanges an authorization code for tokens (RFC 6749 §4.1.3), with the PKCE verifier
/// (RFC 7636 §4.5).
///
/// ```
/// use authing_core::{AnswerFormat, Authorization, BodyFormat, Endpoint};
/// use authing_oidc::endpoints::ExchangeCode;
/// assert_eq!(ExchangeCode::METADATA.path, "/{protocol}/token");
/// assert_eq!(ExchangeCode::METADATA.body, BodyFormat::Form);
/// assert_eq!(ExchangeCode::METADATA.answer, AnswerFormat::Plain);
/// assert_eq!(ExchangeCode::METADATA.auth, Authorization::Client);
/// ```
#[endpoint(POST, "/{protocol}/token", response = TokenSet, side = authentication,
           body = form, answer = plain, auth = client)]
#[serde(rename_all = "snake_case")]
#[derive(Debug)]
pub struct ExchangeCode {
    /// `/oidc/...` or `/oauth/...`.
    pub protocol: Protocol,
    /// `authorization_code`.
    pub grant_type: &'static str,
    /// The code the callback received.
    pub code: Secret,
    /// The redirect URI the authorization request named, exactly.
    pub redirect_uri: String,
    /// The PKCE verifier whose challenge the authorization request sent.
    pub code_verifier: Option<Secret>,
}

/// Gets new tokens with a refresh token (RFC 6749 §6).
///
/// ```
/// use authing_core::Endpoint;
/// use authing_oidc::endpoints::RefreshTokens;
/// assert!(RefreshTokens::METADATA.sensitive);
/// ```
#[endpoint(POST, "/{protocol}/token", response = TokenSet, side = authentication,
           body = form, answer = plain, auth = client)]
#[serde(rename_all = "snake_case")]
#[derive(Debug)]
pub struct RefreshTokens {
    /// `/oidc/...` or `/oauth/...`.
    pub protocol: Protocol,
    /// `refresh_token`.
    pub grant_type: &'static str,
    /// The refresh token of an earlier token set.
    pub refresh_token: Secret,
    /// Narrows the scopes of the new tokens; `None` keeps them.
    pub scope: Option<String>,
}

/// Gets an access token for the application itself, machine to machine (RFC 6749 §4.4).
///
/// ```
/// use authing_core::{Authorization, Endpoint};
/// use authing_oidc::endpoints::ClientCredentialsGrant;
/// assert_eq!(ClientCredentialsGrant::METADATA.auth, Authorization::Client);
/// ```
#[endpoint(POST, "/{protocol}/token", response = TokenSet, side = authentication,
           body = form, answer = plain, auth = client)]
#[serde(rename_all = "snake_case")]
#[derive(Debug)]
pub struct ClientCredentialsGrant {
    /// `/oidc/...` or `/oauth/...`.
    pub protocol: Protocol,
    /// `client_credentials`.
    pub grant_type: &'static str,
    /// The scopes asked for, space-separated.
    pub scope: String,
}

/// Revokes an access or refresh token (RFC 7009); Authing answers an empty 200.
///
/// ```
/// use authing_core::Endpoint;
/// use authing_oidc::endpoints::RevokeToken;
/// assert_eq!(RevokeToken::METADATA.path, "/{protocol}/token/revocation");
/// ```
#[endpoint(POST, "/{protocol}/token/revocation", response = (), side = authentication,
           body = form, answer = plain, auth = client)]
#[serde(rename_all = "snake_case")]
#[derive(Debug)]
pub struct RevokeToken {
    /// `/oidc/...` or `/oauth/...`.
    pub protocol: Protocol,
    /// The token to revoke.
    pub token: Secret,
    /// `access_token` or `refresh_token`, to help the server find it.
    pub token_type_hint: Option<&'static str>,
}

/// Asks whether a token is active, and about whom (RFC 7662). It only reads, so it is
/// retried like a GET.
///
/// ```
/// use authing_core::Endpoint;
/// use authing_oidc::endpoints::IntrospectToken;
/// assert!(IntrospectToken::METADATA.retry_safe());
/// ```
#[endpoint(POST, "/{protocol}/token/introspection", response = Introspection,
           side = authentication, body = form, answer = plain, auth = client, idempotent)]
#[serde(rename_all = "snake_case")]
#[derive(Debug)]
pub struct IntrospectToken {
    /// `/oidc/...` or `/oauth/...`.
    pub protocol: Protocol,
    /// The token to ask about.
    pub token: Secret,
    /// `access_token` or `refresh_token`, to help the server find it.
    pub token_type_hint: Option<&'static str>,
}

/// Reads the claims of the user an access token acts for (OpenID Connect Core §5.3). The
/// token goes in the query string, as the official SDKs send it by default; the endpoint
/// is `sensitive`, so it is never logged.
///
/// ```
/// use authing_core::{AnswerFormat, Authorization, Endpoint};
/// use authing_oidc::endpoints::GetUserInfo;
/// assert_eq!(GetUserInfo::METADATA.answer, AnswerFormat::Plain);
/// assert_eq!(GetUserInfo::METADATA.auth, Authorization::None);
/// ```
#[endpoint(GET, "/{protocol}/me", response = UserInfo, side = authentication,
           answer = plain, auth = none, sensitive)]
#[serde(rename_all = "snake_case")]
#[derive(Debug)]
pub struct GetUserInfo {
    /// `/oidc/...` or `/oauth/...`.
    pub protocol: Protocol,
    /// The user's access token.
    pub access_token: Secret,
}
