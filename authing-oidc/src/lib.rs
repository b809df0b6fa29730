//! Signing users in to Authing: OpenID Connect and OAuth 2.0 flows, verified tokens, and
//! the sign-in endpoints, on the clients and transport of [`authing_core`].
//!
//! Most back ends meet Authing first at login: send the user to Authing, take the code
//! back, exchange it for tokens, and check those tokens on every request. This crate does
//! each step as a typed call, its endpoints declared with
//! [`#[endpoint]`](authing_core::endpoint) like every other endpoint of authing-rs, so that
//! they share the same timeouts, retries, bounded bodies and secret handling.
//!
//! **Status:** the flows ([`OidcClient`]: authorize URL with state, nonce and PKCE, the
//! callback check, code exchange, client credentials, refresh, revocation, introspection,
//! userinfo, logout URL), the sign-in endpoints ([`signin`]) and token verification
//! ([`verify`]: [`TokenVerifier`]) are here, tested end to end against the stand-in
//! provider of `authing-testkit`.
//!
//! ```no_run
//! use authing_core::AuthenticationClient;
//! use authing_oidc::OidcClient;
//!
//! # async fn run(callback_query: &str) -> Result<(), Box<dyn std::error::Error>> {
//! let app = AuthenticationClient::builder("APP_ID", "https://example.authing.cn")
//!     .app_secret("APP_SECRET")
//!     .build()?;
//! let oidc = OidcClient::new(app, "https://my.app/callback");
//! let start = oidc.authorize_url(); // redirect to start.url, keep start.login
//! let code = start.login.check_callback(callback_query)?;
//! let tokens = oidc.exchange_code(&code).await?;
//! # let _ = tokens;
//! # Ok(()) }
//! ```
//!
//! Both of Authing's protocols are served, chosen by [`Protocol`]:
//!
//! ```
//! use authing_oidc::Protocol;
//! assert_eq!(Protocol::Oidc.path("token"), "/oidc/token");
//! assert_eq!(Protocol::Oauth.path("me"), "/oauth/me");
//! ```
//!
//! # Modules
//!
//! | module | what it holds |
//! | --- | --- |
//! | `protocol` | [`Protocol`]: `/oidc/...` or `/oauth/...` |
//! | [`endpoints`] | the token (code, refresh, client credentials), revocation, introspection and userinfo endpoints, declared with `#[endpoint]` |
//! | `client`, `login`, `logout`, `tokens` | the flows: [`OidcClient`], [`PendingLogin`] and its callback check, [`LogoutOptions`], the answers [`TokenSet`], [`Introspection`], [`UserInfo`] |
//! | [`signin`] | the sign-in endpoints of `/api/v3/signin` with their connections and password encryption |
//! | [`verify`] | ID and access token verification: signature from the app's JWKS (RS256) or its secret (HS256), issuer, audience, expiry, nonce; [`TokenVerifier`], [`VerifyError`] |
#![warn(missing_docs)]

// One module per line, sorted, so that work landing in parallel merges cleanly.
mod client;
pub mod endpoints;
mod login;
mod logout;
mod protocol;
pub mod signin;
mod tokens;
mod url;
pub mod verify;

pub use client::{DEFAULT_OAUTH_SCOPE, DEFAULT_OIDC_SCOPE, OidcClient};
pub use login::{
    AuthorizeOptions, AuthorizeUrl, AuthorizedCode, CallbackError, PendingLogin, pkce_challenge,
};
pub use logout::LogoutOptions;
pub use protocol::Protocol;
pub use tokens::{Introspection, TokenSet, UserInfo};
pub use verify::{TokenVerifier, VerifyError};
