//! The start and the end of a browser login: the authorization URL with its state, nonce
//! and PKCE verifier, and the check of the callback that comes back.
//!
//! [`PendingLogin`] is what a back end stores between the two (in its session, or an
//! encrypted cookie); [`PendingLogin::check_callback`] refuses a callback whose `state`
//! is not the one sent, and hands back an [`AuthorizedCode`], the only thing a code
//! exchange accepts.

use std::fmt;

use authing_core::Secret;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::url::{QueryBuilder, query_pairs};

/// Random bytes in each state, nonce and PKCE verifier: 32 bytes give a 43-character
/// verifier, the shortest RFC 7636 §4.1 allows, and 256 bits no one can guess.
const RANDOM_BYTES: usize = 32;

/// A fresh random value, base64url without padding (RFC 7636's unreserved characters).
pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; RANDOM_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The PKCE `S256` challenge of a verifier: base64url(SHA-256(verifier)), RFC 7636 §4.2.
///
/// ```
/// // The example of RFC 7636, appendix B.
/// let challenge = authing_oidc::pkce_challenge("dBjftJeZ4CVP-mJ92K9V9Iw0bKRd2f5R4n8l5DGmoTnqE");
/// assert_eq!(challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
/// ```
pub fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// A login the user was sent off to do: what the callback must match, and what the code
/// exchange needs. Store it until the callback comes (it is `Serialize`); it holds the
/// PKCE verifier, a secret, so keep it server-side or encrypted.
///
/// ```
/// use authing_oidc::{PendingLogin, Protocol};
///
/// let login = PendingLogin::new(Protocol::Oidc, "https://app.example/callback");
/// let callback = format!("code=abc&state={}", login.state());
/// let code = login.check_callback(&callback).unwrap();
/// assert_eq!(code.code().expose(), "abc");
/// ```
#[derive(Clone, Serialize, Deserialize)]
pub struct PendingLogin {
    pub(crate) protocol: Protocol,
    pub(crate) state: String,
    /// Only for OpenID Connect: OAuth 2.0 issues no ID token to carry it.
    pub(crate) nonce: Option<String>,
    pub(crate) code_verifier: Secret,
    pub(crate) redirect_uri: String,
}

impl PendingLogin {
    /// A login with a fresh state, nonce (for OIDC) and PKCE verifier.
    ///
    /// ```
    /// use authing_oidc::{PendingLogin, Protocol};
    /// let a = PendingLogin::new(Protocol::Oidc, "https://app.example/cb");
    /// let b = PendingLogin::new(Protocol::Oidc, "https://app.example/cb");
    /// assert_ne!(a.state(), b.state());
    /// assert!(a.nonce().is_some());
    /// assert!(PendingLogin::new(Protocol::Oauth, "https://app.example/cb").nonce().is_none());
    /// ```
    pub fn new(protocol: Protocol, redirect_uri: impl Into<String>) -> Self {
        Self {
            protocol,
            state: random_token(),
            nonce: (protocol == Protocol::Oidc).then(random_token),
            code_verifier: Secret::new(random_token()),
            redirect_uri: redirect_uri.into(),
        }
    }

    /// The `state` sent with the authorization request.
    pub fn state(&self) -> &str {
        &self.state
    }

    /// The `nonce` sent with the authorization request, which the ID token must carry.
    pub fn nonce(&self) -> Option<&str> {
        self.nonce.as_deref()
    }

    /// The redirect URI the authorization request named.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// The `S256` challenge of the login's PKCE verifier.
    ///
    /// ```
    /// let login = authing_oidc::PendingLogin::new(authing_oidc::Protocol::Oidc, "https://a/cb");
    /// assert_eq!(login.code_challenge().len(), 43);
    /// ```
    pub fn code_challenge(&self) -> String {
        pkce_challenge(self.code_verifier.expose())
    }

    /// Checks the query string the callback received (`code=...&state=...`, with or
    /// without the leading `?`): the `state` must be this login's, and there must be a
    /// code. Consumes the login, so that a code is exchanged at most once per login.
    ///
    /// ```
    /// use authing_oidc::{CallbackError, PendingLogin, Protocol};
    /// let login = PendingLogin::new(Protocol::Oidc, "https://app.example/cb");
    /// let forged = login.check_callback("code=abc&state=attacker");
    /// assert!(matches!(forged, Err(CallbackError::StateMismatch)));
    /// ```
    ///
    /// # Errors
    /// [`CallbackError`]: a missing or wrong `state`, an `error` Authing sent back (the
    /// user refused, for instance), or no `code`.
    pub fn check_callback(self, query: &str) -> Result<AuthorizedCode, CallbackError> {
        let pairs = query_pairs(query.trim_start_matches('?'));
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let state = get("state").ok_or(CallbackError::MissingState)?;
        if !constant_time_eq(state.as_bytes(), self.state.as_bytes()) {
            return Err(CallbackError::StateMismatch);
        }
        if let Some(error) = get("error") {
            return Err(CallbackError::Refused {
                error: error.to_owned(),
                description: get("error_description").map(str::to_owned),
            });
        }
        let code = get("code")
            .filter(|c| !c.is_empty())
            .ok_or(CallbackError::MissingCode)?;
        Ok(AuthorizedCode {
            code: Secret::from(code),
            login: self,
        })
    }
}

impl fmt::Debug for PendingLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingLogin")
            .field("protocol", &self.protocol)
            .field("state", &self.state)
            .field("nonce", &self.nonce)
            .field("code_verifier", &self.code_verifier)
            .field("redirect_uri", &self.redirect_uri)
            .finish()
    }
}

/// Comparing in constant time keeps the comparison from telling an attacker, by its
/// timing, how much of a guessed state was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A code whose callback passed [`PendingLogin::check_callback`]: what
/// [`OidcClient::exchange_code`](crate::OidcClient::exchange_code) takes.
#[derive(Debug)]
pub struct AuthorizedCode {
    pub(crate) code: Secret,
    pub(crate) login: PendingLogin,
}

impl AuthorizedCode {
    /// The authorization code.
    pub fn code(&self) -> &Secret {
        &self.code
    }

    /// The login the code finishes: its nonce is what the ID token must carry.
    pub fn login(&self) -> &PendingLogin {
        &self.login
    }
}

/// Why a callback was refused.
///
/// ```
/// let err = authing_oidc::CallbackError::StateMismatch;
/// assert!(err.to_string().contains("state"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackError {
    /// The callback carries no `state`: it is not the answer to this login.
    #[error("the callback has no `state`: it does not answer a login this app started")]
    MissingState,
    /// The `state` is not the one sent: a forged or crossed callback (CSRF), refused.
    #[error(
        "the callback's `state` is not the one this login sent: refused as a possible \
         cross-site request forgery; start the login again"
    )]
    StateMismatch,
    /// Authing sent back an error instead of a code, e.g. `access_denied`.
    #[error("the login ended with `{error}`{}", description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    Refused {
        /// The OAuth error code.
        error: String,
        /// What Authing says about it.
        description: Option<String>,
    },
    /// Neither a code nor an error.
    #[error("the callback has no `code`")]
    MissingCode,
}

/// Options of an authorization URL beyond what the [`OidcClient`](crate::OidcClient) is
/// set to.
///
/// ```
/// let options = authing_oidc::AuthorizeOptions::default().scope("openid email").force_login();
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Default)]
pub struct AuthorizeOptions {
    pub(crate) scope: Option<String>,
    pub(crate) redirect_uri: Option<String>,
    pub(crate) force_login: bool,
    pub(crate) login_hint: Option<String>,
    pub(crate) tenant_id: Option<String>,
}

impl AuthorizeOptions {
    /// Scopes for this login instead of the client's.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// A redirect URI for this login instead of the client's; it must be registered.
    pub fn redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(uri.into());
        self
    }

    /// Shows the login page even to a user signed in already (`prompt=login`).
    pub fn force_login(mut self) -> Self {
        self.force_login = true;
        self
    }

    /// Suggests who signs in (`login_hint`): an e-mail address, a phone number, a username.
    pub fn login_hint(mut self, hint: impl Into<String>) -> Self {
        self.login_hint = Some(hint.into());
        self
    }

    /// The Authing tenant to sign in to (`tenantId`).
    pub fn tenant_id(mut self, tenant: impl Into<String>) -> Self {
        self.tenant_id = Some(tenant.into());
        self
    }
}

/// An authorization URL to send the user's browser to, and the login to store until its
/// callback.
#[derive(Debug)]
pub struct AuthorizeUrl {
    /// Where to redirect the browser.
    pub url: String,
    /// What the callback must be checked against.
    pub login: PendingLogin,
}

/// The authorization URL of `login`, as the official SDKs build it, with PKCE `S256`.
pub(crate) fn authorize_url(
    app_host: &str,
    client_id: &str,
    login: &PendingLogin,
    scope: &str,
    options: &AuthorizeOptions,
) -> String {
    let mut query = QueryBuilder::new(format!("{app_host}{}", login.protocol.path("auth")));
    query
        .pair("client_id", client_id)
        .pair("redirect_uri", &login.redirect_uri)
        .pair("response_type", "code")
        .pair("scope", scope)
        .pair("state", &login.state);
    if let Some(nonce) = &login.nonce {
        query.pair("response_mode", "query").pair("nonce", nonce);
    }
    query
        .pair("code_challenge", &login.code_challenge())
        .pair("code_challenge_method", "S256");
    if options.force_login {
        query.pair("prompt", "login");
    } else if scope.split(' ').any(|s| s == "offline_access") {
        // A refresh token needs the user's consent (OpenID Connect Core §11).
        query.pair("prompt", "consent");
    }
    if let Some(hint) = &options.login_hint {
        query.pair("login_hint", hint);
    }
    if let Some(tenant) = &options.tenant_id {
        query.pair("tenantId", tenant);
    }
    query.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Protocol;

    fn login() -> PendingLogin {
        PendingLogin::new(Protocol::Oidc, "https://app.example/cb?x=1")
    }

    #[test]
    fn a_fresh_login_is_random_and_long_enough_for_pkce() {
        let (a, b) = (login(), login());
        assert_ne!(a.state, b.state);
        assert_ne!(a.nonce, b.nonce);
        assert_ne!(a.code_verifier.expose(), b.code_verifier.expose());
        let verifier = a.code_verifier.expose();
        assert_eq!(verifier.len(), 43);
        assert!(
            verifier
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
    }

    #[test]
    fn the_callback_must_carry_this_logins_state() {
        let state = login().state;
        assert_eq!(
            login().check_callback(&format!("code=c&state={state}")).unwrap_err(),
            CallbackError::StateMismatch,
            "another login's state"
        );
        assert_eq!(login().check_callback("code=c").unwrap_err(), CallbackError::MissingState);
        let l = login();
        let wrong = format!("code=c&state={}x", l.state);
        assert_eq!(l.check_callback(&wrong).unwrap_err(), CallbackError::StateMismatch);
    }

    #[test]
    fn the_callback_gives_the_code_or_the_error() {
        let l = login();
        let query = format!("?state={}&code=a%2Fb", l.state);
        assert_eq!(l.check_callback(&query).unwrap().code.expose(), "a/b");

        let l = login();
        let query = format!("state={}&error=access_denied&error_description=user+said+no", l.state);
        assert_eq!(
            l.check_callback(&query).unwrap_err(),
            CallbackError::Refused {
                error: "access_denied".into(),
                description: Some("user said no".into())
            }
        );
        let l = login();
        let query = format!("state={}&code=", l.state);
        assert_eq!(l.check_callback(&query).unwrap_err(), CallbackError::MissingCode);
    }

    #[test]
    fn the_oidc_url_carries_state_nonce_and_the_s256_challenge() {
        let l = login();
        let url = authorize_url("https://x.authing.cn", "app1", &l, "openid offline_access", &AuthorizeOptions::default());
        let (base, query) = url.split_once('?').unwrap();
        assert_eq!(base, "https://x.authing.cn/oidc/auth");
        let pairs = query_pairs(query);
        let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("client_id"), Some("app1"));
        assert_eq!(get("redirect_uri"), Some("https://app.example/cb?x=1"));
        assert_eq!(get("response_type"), Some("code"));
        assert_eq!(get("scope"), Some("openid offline_access"));
        assert_eq!(get("state"), Some(l.state.as_str()));
        assert_eq!(get("nonce"), l.nonce.as_deref());
        assert_eq!(get("code_challenge"), Some(pkce_challenge(l.code_verifier.expose()).as_str()));
        assert_eq!(get("code_challenge_method"), Some("S256"));
        assert_eq!(get("prompt"), Some("consent"));
        assert!(!url.contains(l.code_verifier.expose()), "the verifier never leaves the back end");
    }

    #[test]
    fn the_oauth_url_has_no_nonce() {
        let l = PendingLogin::new(Protocol::Oauth, "https://a/cb");
        let options = AuthorizeOptions::default().force_login().login_hint("a@b.c");
        let url = authorize_url("https://x", "app1", &l, "user", &options);
        assert!(url.starts_with("https://x/oauth/auth?"));
        assert!(!url.contains("nonce="));
        assert!(url.contains("&prompt=login") && url.contains("&login_hint=a%40b.c"));
    }

    #[test]
    fn debug_hides_the_verifier() {
        let l = login();
        let shown = format!("{l:?}");
        assert!(!shown.contains(l.code_verifier.expose()), "{shown}");
    }
}
