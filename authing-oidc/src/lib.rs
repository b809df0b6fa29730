//! Signing users in to Authing: OpenID Connect and OAuth 2.0 flows, verified tokens, and
//! the sign-in endpoints, on the clients and transport of [`authing_core`].
//!
//! Most back ends meet Authing first at login: send the user to Authing, take the code
//! back, exchange it for tokens, and check those tokens on every request. This crate is
//! meant to do each step as a typed call, its endpoints declared with
//! [`#[endpoint]`](authing_core::endpoint) like every other endpoint of authing-rs, so that
//! they share the same timeouts, retries, bounded bodies and secret handling.
//!
//! **Status:** only [`Protocol`] is here so far. The flows, token verification and
//! sign-in endpoints below are not published yet: they need form bodies and answers
//! without Authing's envelope in `#[endpoint]`, which are still being integrated.
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
//! Planned (issue 11); none but `protocol` exists yet, each lands with its tests:
//!
//! | module | what it holds |
//! | --- | --- |
//! | `protocol` | [`Protocol`]: `/oidc/...` or `/oauth/...` |
//! | `endpoints` | the token, revocation, introspection and userinfo endpoints, declared with `#[endpoint]` |
//! | `flows` | authorize URL with state, nonce and PKCE, the callback check, code exchange, client credentials, refresh, revoke, introspect, userinfo, logout URL |
//! | `verify` | ID and access token verification: signature from the app's JWKS (RS256) or its secret (HS256), issuer, audience, expiry, nonce |
//! | `signin` | the sign-in endpoints of `/api/v3/signin` with their connections and password encryption |
#![warn(missing_docs)]

// One module per line, sorted, so that work landing in parallel merges cleanly.
mod protocol;
pub mod signin;

pub use protocol::Protocol;
