//! The start and the end of a browser login: the authorization URL with its state, nonce
//! and PKCE verifier, and the check of the callback that comes back.
//!
//! [`PendingLogin`] is what a back end stores between the two (in its session, or an
//! encrypted cookie); [`PendingLogin::check_callback`] refuses a callback whose `state`
//! is not the one sent, and hands back an [`AuthorizedCode`], the only thing a code
//! exchange accepts.

use authing_core::Secret;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use constant_time_eq::constant_time_eq;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::protocol::Protocol;
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
/// let challenge = authing_oidc::pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
/// assert_eq!(challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
/// ```
pub fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// A login the user was sent off to do: what its callback must match, and what the code
/// exchange needs. [`OidcClient::authorize_url`](crate::OidcClient::authorize_url) makes
/// one; keep it until the callback comes, e.g. in the server-side session. It is
/// `Serialize` for that, and its serialised form holds the PKCE verifier in clear, so keep
/// it server-side or encrypted, never in a plain cookie.
///
/// ```
/// use authing_oidc::{PendingLogin, Protocol};
///
/// let login = PendingLogin::new(Protocol::Oidc, "https://my.app/callback");
/// let stored = serde_json::to_string(&login)?;
/// let login: PendingLogin = serde_json::from_str(&stored)?;
/// let callback = format!("code=abc&state={}", login.state());
/// let code = login.check_callback(&callback)?;
/// assert_eq!(code.code().expose(), "abc");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
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

    /// The protocol whose endpoints the login goes through.
    ///
    /// ```
    /// use authing_oidc::{PendingLogin, Protocol};
    /// assert_eq!(PendingLogin::new(Protocol::Oauth, "https://a/cb").protocol(), Protocol::Oauth);
    /// ```
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// The `state` sent with the authorization request, which the callback must carry
    /// back.
    ///
    /// ```
    /// let login = authing_oidc::PendingLogin::new(authing_oidc::Protocol::Oidc, "https://a/cb");
    /// assert_eq!(login.state().len(), 43);
    /// ```
    pub fn state(&self) -> &str {
        &self.state
    }

    /// The `nonce` sent with the authorization request, which the ID token must carry;
    /// `None` under OAuth 2.0, which issues no ID token.
    ///
    /// ```
    /// use authing_oidc::{PendingLogin, Protocol};
    /// assert!(PendingLogin::new(Protocol::Oidc, "https://a/cb").nonce().is_some());
    /// ```
    pub fn nonce(&self) -> Option<&str> {
        self.nonce.as_deref()
    }

    /// The redirect URI the authorization request named; the code exchange names it again.
    ///
    /// ```
    /// let login = authing_oidc::PendingLogin::new(authing_oidc::Protocol::Oidc, "https://a/cb");
    /// assert_eq!(login.redirect_uri(), "https://a/cb");
    /// ```
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
    /// without the leading `?`): the `state` must be this login's (compared in constant
    /// time), then an `error` Authing sent back is reported, else there must be a code.
    /// Takes the login, which is finished either way; Authing refuses a second exchange of
    /// the same code in any case.
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
        // In constant time, so that how long a refusal takes does not tell an attacker
        // how much of a guessed state was right.
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

/// A code whose callback passed [`PendingLogin::check_callback`]: what
/// [`OidcClient::exchange_code`](crate::OidcClient::exchange_code) takes, with the login
/// it finishes (whose nonce the ID token must carry).
///
/// ```
/// use authing_oidc::{PendingLogin, Protocol};
/// let login = PendingLogin::new(Protocol::Oidc, "https://a/cb");
/// let nonce = login.nonce().map(str::to_owned);
/// let query = format!("state={}&code=xyz", login.state());
/// let code = login.check_callback(&query)?;
/// assert_eq!(code.login().nonce(), nonce.as_deref());
/// # Ok::<(), authing_oidc::CallbackError>(())
/// ```
#[derive(Debug, Clone)]
pub struct AuthorizedCode {
    pub(crate) code: Secret,
    pub(crate) login: PendingLogin,
}

impl AuthorizedCode {
    /// The authorization code.
    ///
    /// ```
    /// # let login = authing_oidc::PendingLogin::new(authing_oidc::Protocol::Oidc, "https://a/cb");
    /// let query = format!("state={}&code=a%2Fb", login.state());
    /// let code = login.check_callback(&query)?;
    /// assert_eq!(code.code().expose(), "a/b", "decoded from the query");
    /// # Ok::<(), authing_oidc::CallbackError>(())
    /// ```
    pub fn code(&self) -> &Secret {
        &self.code
    }

    /// The login the code finishes: its nonce is what the ID token must carry.
    ///
    /// ```
    /// # let login = authing_oidc::PendingLogin::new(authing_oidc::Protocol::Oidc, "https://a/cb");
    /// let query = format!("state={}&code=c", login.state());
    /// let code = login.check_callback(&query)?;
    /// assert_eq!(code.login().redirect_uri(), "https://a/cb");
    /// # Ok::<(), authing_oidc::CallbackError>(())
    /// ```
    pub fn login(&self) -> &PendingLogin {
        &self.login
    }
}

/// Why a callback was refused. Nothing was exchanged; start a new login.
///
/// ```
/// use authing_oidc::{CallbackError, PendingLogin, Protocol};
/// let login = PendingLogin::new(Protocol::Oidc, "https://a/cb");
/// let query = format!("state={}&error=access_denied&error_description=the+user+said+no", login.state());
/// let err = login.check_callback(&query).unwrap_err();
/// assert_eq!(
///     err,
///     CallbackError::Refused { error: "access_denied".into(), description: Some("the user said no".into()) }
/// );
/// assert_eq!(err.to_string(), "Authing ended the login with `access_denied`: the user said no");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackError {
    /// The callback carries no `state`: it does not answer a login this back end started.
    #[error(
        "the callback has no `state`, so it does not answer a login this app started; \
         send the user to a fresh authorization URL"
    )]
    MissingState,
    /// The `state` is not the one this login sent: a forged or crossed callback (cross-site
    /// request forgery, or a second login started in another tab), refused.
    #[error(
        "the callback's `state` is not the one this login sent: refused as a possible \
         cross-site request forgery (or a login started again in another tab); send the \
         user to a fresh authorization URL"
    )]
    StateMismatch,
    /// Authing sent back an OAuth error instead of a code (RFC 6749 §4.1.2.1), e.g.
    /// `access_denied` when the user declined.
    #[error(
        "Authing ended the login with `{error}`{}",
        description.as_deref().map(|d| format!(": {d}")).unwrap_or_default()
    )]
    Refused {
        /// The `error` code.
        error: String,
        /// `error_description`, what Authing says about it.
        description: Option<String>,
    },
    /// The `state` matched but there is neither a code nor an error.
    #[error("the callback has the right `state` but no `code`; start the login again")]
    MissingCode,
}

/// Options of one authorization URL beyond what the [`OidcClient`](crate::OidcClient) is
/// set to.
///
/// ```
/// use authing_oidc::AuthorizeOptions;
/// let options = AuthorizeOptions::default().scope("openid email").force_login();
/// assert_eq!(options.scope.as_deref(), Some("openid email"));
/// assert!(options.force_login);
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct AuthorizeOptions {
    /// Scopes for this login (space-separated) instead of the client's.
    pub scope: Option<String>,
    /// A redirect URI for this login instead of the client's; it must be registered for
    /// the application too.
    pub redirect_uri: Option<String>,
    /// Shows the login page even to a user signed in already (`prompt=login`).
    pub force_login: bool,
    /// Suggests who signs in (`login_hint`): an e-mail address, a phone number, a username.
    pub login_hint: Option<String>,
    /// The Authing tenant to sign in to (`tenantId`).
    pub tenant_id: Option<String>,
}

impl AuthorizeOptions {
    /// Scopes for this login instead of the client's; add `offline_access` for a refresh
    /// token (Authing then asks the user's consent: `prompt=consent`).
    ///
    /// ```
    /// let options = authing_oidc::AuthorizeOptions::default().scope("openid offline_access");
    /// assert_eq!(options.scope.as_deref(), Some("openid offline_access"));
    /// ```
    #[must_use]
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// A redirect URI for this login instead of the client's.
    ///
    /// ```
    /// let options = authing_oidc::AuthorizeOptions::default().redirect_uri("https://my.app/other");
    /// assert_eq!(options.redirect_uri.as_deref(), Some("https://my.app/other"));
    /// ```
    #[must_use]
    pub fn redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(uri.into());
        self
    }

    /// Shows the login page even to a user signed in already (`prompt=login`).
    ///
    /// ```
    /// assert!(authing_oidc::AuthorizeOptions::default().force_login().force_login);
    /// ```
    #[must_use]
    pub fn force_login(mut self) -> Self {
        self.force_login = true;
        self
    }

    /// Suggests who signs in (`login_hint`).
    ///
    /// ```
    /// let options = authing_oidc::AuthorizeOptions::default().login_hint("alice@example.com");
    /// assert_eq!(options.login_hint.as_deref(), Some("alice@example.com"));
    /// ```
    #[must_use]
    pub fn login_hint(mut self, hint: impl Into<String>) -> Self {
        self.login_hint = Some(hint.into());
        self
    }

    /// The Authing tenant to sign in to (`tenantId`).
    ///
    /// ```
    /// let options = authing_oidc::AuthorizeOptions::default().tenant_id("t1");
    /// assert_eq!(options.tenant_id.as_deref(), Some("t1"));
    /// ```
    #[must_use]
    pub fn tenant_id(mut self, tenant: impl Into<String>) -> Self {
        self.tenant_id = Some(tenant.into());
        self
    }
}

/// An authorization URL to send the user's browser to, and the login to keep until its
/// callback.
///
/// ```
/// # let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn").build()?;
/// let oidc = authing_oidc::OidcClient::new(app, "https://my.app/callback");
/// let authing_oidc::AuthorizeUrl { url, login } = oidc.authorize_url();
/// assert!(url.contains(&format!("state={}", login.state())));
/// # Ok::<(), authing_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct AuthorizeUrl {
    /// Where to redirect the browser (a `302` with this `location`).
    pub url: String,
    /// What the callback is checked against and the exchange needs.
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
    // A refresh token needs the user's consent (OpenID Connect Core §11), also when the
    // sign-in is forced: `prompt` takes both, space-separated (the Node SDK keeps only
    // `login`, and so gets no refresh token).
    let consent = scope.split(' ').any(|s| s == "offline_access");
    let prompt = match (options.force_login, consent) {
        (true, true) => Some("login consent"),
        (true, false) => Some("login"),
        (false, true) => Some("consent"),
        (false, false) => None,
    };
    if let Some(prompt) = prompt {
        query.pair("prompt", prompt);
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
    fn a_forced_login_that_wants_a_refresh_token_still_asks_for_consent() {
        let prompt = |scope: &str, options: AuthorizeOptions| {
            let url = authorize_url("https://a.b", "app", &login(), scope, &options);
            url.split('&')
                .find_map(|pair| pair.strip_prefix("prompt=").map(str::to_owned))
        };
        let forced = || AuthorizeOptions::default().force_login();
        let offline = "openid offline_access";
        assert_eq!(
            prompt(offline, forced()).as_deref(),
            Some("login%20consent")
        );
        assert_eq!(prompt("openid", forced()).as_deref(), Some("login"));
        assert_eq!(
            prompt(offline, AuthorizeOptions::default()).as_deref(),
            Some("consent")
        );
        assert_eq!(prompt("openid", AuthorizeOptions::default()), None);
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
            login()
                .check_callback(&format!("code=c&state={state}"))
                .unwrap_err(),
            CallbackError::StateMismatch,
            "another login's state"
        );
        assert_eq!(
            login().check_callback("code=c").unwrap_err(),
            CallbackError::MissingState
        );
        let l = login();
        let wrong = format!("code=c&state={}x", l.state);
        assert_eq!(
            l.check_callback(&wrong).unwrap_err(),
            CallbackError::StateMismatch
        );
    }

    #[test]
    fn the_callback_gives_the_code_or_the_error() {
        let l = login();
        let query = format!("?state={}&code=a%2Fb", l.state);
        assert_eq!(l.check_callback(&query).unwrap().code.expose(), "a/b");

        let l = login();
        let query = format!(
            "state={}&error=access_denied&error_description=user+said+no",
            l.state
        );
        assert_eq!(
            l.check_callback(&query).unwrap_err(),
            CallbackError::Refused {
                error: "access_denied".into(),
                description: Some("user said no".into())
            }
        );
        let l = login();
        let query = format!("state={}&code=", l.state);
        assert_eq!(
            l.check_callback(&query).unwrap_err(),
            CallbackError::MissingCode
        );
    }

    #[test]
    fn the_oidc_url_carries_state_nonce_and_the_s256_challenge() {
        let l = login();
        let url = authorize_url(
            "https://x.authing.cn",
            "app1",
            &l,
            "openid offline_access",
            &AuthorizeOptions::default(),
        );
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
        assert_eq!(
            get("code_challenge"),
            Some(pkce_challenge(l.code_verifier.expose()).as_str())
        );
        assert_eq!(get("code_challenge_method"), Some("S256"));
        assert_eq!(get("prompt"), Some("consent"));
        assert!(
            !url.contains(l.code_verifier.expose()),
            "the verifier never leaves the back end"
        );
    }

    #[test]
    fn the_oauth_url_has_no_nonce() {
        let l = PendingLogin::new(Protocol::Oauth, "https://a/cb");
        let options = AuthorizeOptions::default()
            .force_login()
            .login_hint("a@b.c");
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
