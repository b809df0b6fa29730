//! The stand-in as an OpenID Connect / OAuth 2.0 provider, on Authing's paths.
//!
//! | path | what |
//! | --- | --- |
//! | `GET /oidc/.well-known/openid-configuration` | the discovery document |
//! | `GET /oidc/.well-known/jwks.json` | the RS256 keys, current first ([`StandIn::rotate_signing_key`](crate::StandIn::rotate_signing_key)) |
//! | `GET /oidc/auth`, `GET /oauth/auth` | signs a user in without a browser and redirects back with `code` and `state` |
//! | `POST /oidc/token`, `POST /oauth/token` | `authorization_code` (PKCE `S256` and `plain`), `refresh_token`, `client_credentials` |
//! | `POST /oidc/token/introspection`, `/oauth/...` | RFC 7662 |
//! | `POST /oidc/token/revocation`, `/oauth/...` | RFC 7009 |
//! | `GET`/`POST /oidc/me`, `/oauth/me` | userinfo, token in the `authorization` header, the query or the form body |
//! | `GET /oidc/session/end` | ends the session of `id_token_hint`, revokes its tokens, redirects to `post_logout_redirect_uri` |
//! | `GET /login/profile/logout` | Authing's logout for OAuth apps, redirects to `redirect_uri` |
//! | `POST /api/v3/signin` | `PASSWORD` (by email, phone, username or account), `PASSCODE` (email or phone), `LDAP`, `AD`; passwords plain or encrypted (`rsa`, `sm2`) |
//! | `POST /api/v3/signin-by-mobile` | a social provider's code ([`StandIn::issue_social_code`](crate::StandIn::issue_social_code)) in the connection's payload |
//! | `GET /api/v3/system` | the RSA (PEM) and SM2 (hex point) keys passwords are encrypted with |
//! | `POST /mfa/token/introspection` | whether an MFA token ([`StandIn::issue_mfa_token`](crate::StandIn::issue_mfa_token)) is live, and whose; the token form-encoded, the client authenticated as at the token endpoint |
//!
//! Clients authenticate with the method their [`OidcApp`] is set to
//! (`client_secret_post`, `client_secret_basic` or `none`); refusals are OAuth's
//! `{"error", "error_description"}` with the status RFC 6749 gives each code. Both
//! protocols share applications, users, keys and the issuer `<base URL>/oidc`; the OAuth
//! endpoints issue no ID token.
//!
//! The authorize endpoint signs in the stand-in user whose id, e-mail, username or phone
//! is the `login_hint` parameter, or the seeded user when there is none. The sign-in
//! endpoints check what tests set: [`StandIn::set_password`](crate::StandIn::set_password),
//! [`StandIn::issue_passcode`](crate::StandIn::issue_passcode) and
//! [`StandIn::add_directory_account`](crate::StandIn::add_directory_account); they answer
//! Authing's envelope around the same token set as the token endpoint (`expire_in`, as
//! Authing spells it there).
//!
//! ```
//! use authing_testkit::StandIn;
//! use authing_testkit::oidc::OidcApp;
//! use serde_json::Value;
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let stand_in = StandIn::start().await?;
//! let app = stand_in.oidc_app().redirect_uri("http://127.0.0.1:9/callback");
//! stand_in.add_oidc_app(app.clone());
//! let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
//!
//! // The authorize endpoint answers with a redirect carrying the code.
//! let authorize = format!(
//!     "{}/oidc/auth?client_id={}&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&response_type=code&scope=openid%20email&state=s1&nonce=n1",
//!     stand_in.base_url(), app.client_id,
//! );
//! let answer = http.get(authorize).send().await?;
//! let location = answer.headers()["location"].to_str()?.to_owned();
//! assert!(location.starts_with("http://127.0.0.1:9/callback?code="));
//! assert!(location.ends_with("&state=s1"));
//! let code = location.split("code=").nth(1).and_then(|rest| rest.split('&').next()).unwrap_or_default();
//!
//! // The code buys a token set once.
//! let form = [
//!     ("client_id", app.client_id.as_str()),
//!     ("client_secret", app.client_secret.as_str()),
//!     ("grant_type", "authorization_code"),
//!     ("code", code),
//!     ("redirect_uri", "http://127.0.0.1:9/callback"),
//! ];
//! let url = format!("{}/oidc/token", stand_in.base_url());
//! let tokens: Value = http.post(&url).form(&form).send().await?.json().await?;
//! assert_eq!(tokens["token_type"], "Bearer");
//! assert!(tokens["id_token"].is_string());
//! let again: Value = http.post(&url).form(&form).send().await?.json().await?;
//! assert_eq!(again["error"], "invalid_grant");
//! # Ok(()) }
//! ```

mod accounts;
mod app;
mod authorize;
mod claims;
mod client_auth;
mod discovery;
mod error;
mod grants;
mod handle;
mod introspection;
mod issue;
mod keys;
mod logout;
mod mfa_token;
mod params;
mod password;
mod signin;
mod token;
mod userinfo;

use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use axum::Router;
use axum::routing::{get, post};

pub use accounts::Directory;
pub use app::{IdTokenAlg, OidcApp, TokenAuthMethod};

use crate::Application;
use crate::app::App;
use grants::State;

/// The provider's part of a stand-in's shared state.
pub(crate) struct Provider {
    base_url: OnceLock<String>,
    state: Mutex<State>,
    mfa_tokens: Mutex<mfa_token::MfaTokens>,
}

impl Provider {
    /// A provider whose only OIDC application is the stand-in's first application,
    /// with that application's secret.
    pub(crate) fn new(application: &Application) -> Self {
        let app = OidcApp::new(&application.id).secret(&application.secret);
        Self {
            base_url: OnceLock::new(),
            state: Mutex::new(State::new(app)),
            mfa_tokens: Mutex::default(),
        }
    }

    /// Tells the provider where it is served, once the port is known.
    pub(crate) fn set_base_url(&self, base_url: &str) {
        // Set once, right after binding; a second call would be a bug, and is ignored.
        let _ = self.base_url.set(base_url.to_owned());
    }

    /// `http://127.0.0.1:<port>`.
    pub(crate) fn base_url(&self) -> &str {
        self.base_url.get().map_or("", String::as_str)
    }

    /// The `iss` of every token: `<base URL>/oidc`, as Authing's `https://<app>.authing.cn/oidc`.
    pub(crate) fn issuer(&self) -> String {
        format!("{}/oidc", self.base_url())
    }

    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        // Every critical section leaves the state consistent, so poisoning is shrugged off.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The MFA tokens handed out; apart from `state`, as they belong to no application.
    pub(crate) fn mfa_tokens(&self) -> MutexGuard<'_, mfa_token::MfaTokens> {
        self.mfa_tokens
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// The provider's routes, under both protocol prefixes.
pub(crate) fn router() -> Router<Arc<App>> {
    let mut router = Router::new()
        .route(
            "/oidc/.well-known/openid-configuration",
            get(discovery::configuration),
        )
        .route("/oidc/.well-known/jwks.json", get(discovery::jwks))
        .route(
            "/oidc/session/end",
            get(logout::session_end).post(logout::session_end),
        )
        .route("/login/profile/logout", get(logout::profile_logout))
        .route("/api/v3/signin", post(signin::signin))
        .route("/api/v3/signin-by-mobile", post(signin::signin_by_mobile))
        .route("/api/v3/system", get(signin::system))
        .route("/mfa/token/introspection", post(mfa_token::introspect));
    for prefix in ["/oidc", "/oauth"] {
        router = router
            .route(&format!("{prefix}/auth"), get(authorize::authorize))
            .route(&format!("{prefix}/token"), post(token::token))
            .route(
                &format!("{prefix}/token/introspection"),
                post(introspection::introspect),
            )
            .route(
                &format!("{prefix}/token/revocation"),
                post(introspection::revoke),
            )
            .route(
                &format!("{prefix}/me"),
                get(userinfo::userinfo).post(userinfo::userinfo),
            );
    }
    router
}
