//! The OIDC applications (clients) a stand-in knows, configured by tests.

use std::time::Duration;

use crate::ids;

/// How a client proves who it is at the token, introspection and revocation endpoints,
/// as an Authing application's "token endpoint auth method" setting says.
///
/// ```
/// use authing_testkit::oidc::TokenAuthMethod;
/// assert_eq!(TokenAuthMethod::ClientSecretBasic.as_str(), "client_secret_basic");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum TokenAuthMethod {
    /// `client_id` and `client_secret` in the form body (Authing's default).
    #[default]
    ClientSecretPost,
    /// `authorization: Basic base64(client_id:client_secret)`.
    ClientSecretBasic,
    /// `client_id` only: a public client (single-page or native app).
    None,
}

impl TokenAuthMethod {
    /// The name OIDC discovery and Authing's console use.
    ///
    /// Example: see [`TokenAuthMethod`].
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ClientSecretPost => "client_secret_post",
            Self::ClientSecretBasic => "client_secret_basic",
            Self::None => "none",
        }
    }
}

/// How the ID tokens of an application are signed.
///
/// ```
/// use authing_testkit::oidc::IdTokenAlg;
/// assert_eq!(IdTokenAlg::default(), IdTokenAlg::Rs256);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum IdTokenAlg {
    /// RS256 with the stand-in's current key, published in its JWKS (Authing's default).
    #[default]
    Rs256,
    /// HS256 with the application's secret as the key.
    Hs256,
}

/// An OIDC application of the stand-in: its credentials, registered URIs and token
/// settings. Every stand-in starts with one, [`StandIn::oidc_app`](crate::StandIn::oidc_app),
/// whose client id is the stand-in's app id; [`StandIn::add_oidc_app`](crate::StandIn::add_oidc_app)
/// adds or replaces others.
///
/// ```
/// use authing_testkit::oidc::{IdTokenAlg, OidcApp, TokenAuthMethod};
///
/// let app = OidcApp::new("my-app")
///     .secret("my-secret")
///     .redirect_uri("http://127.0.0.1:3000/callback")
///     .token_endpoint_auth_method(TokenAuthMethod::ClientSecretBasic)
///     .id_token_alg(IdTokenAlg::Hs256);
/// assert_eq!(app.client_id, "my-app");
/// assert_eq!(app.redirect_uris, ["http://127.0.0.1:3000/callback"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OidcApp {
    /// The client id (Authing's app id).
    pub client_id: String,
    /// The client secret (Authing's app secret); also the HS256 key of its ID tokens.
    pub client_secret: String,
    /// Where the authorize endpoint may send the user back, compared exactly.
    pub redirect_uris: Vec<String>,
    /// Where the logout endpoint may send the user afterwards, compared exactly.
    pub post_logout_redirect_uris: Vec<String>,
    /// How the client authenticates at the token, introspection and revocation endpoints.
    pub token_endpoint_auth_method: TokenAuthMethod,
    /// How its ID tokens are signed.
    pub id_token_alg: IdTokenAlg,
    /// How long access tokens live (default 1 209 600 s, Authing's 14 days).
    pub access_token_lifetime: Duration,
    /// How long ID tokens live (default 1 209 600 s).
    pub id_token_lifetime: Duration,
    /// How long refresh tokens live (default 2 592 000 s, 30 days).
    pub refresh_token_lifetime: Duration,
}

/// Authing's default lifetime of access and ID tokens.
const FOURTEEN_DAYS: Duration = Duration::from_secs(14 * 24 * 3600);
/// Authing's default lifetime of refresh tokens.
const THIRTY_DAYS: Duration = Duration::from_secs(30 * 24 * 3600);

impl OidcApp {
    /// An application with a random 32-hex-digit secret, no registered URIs,
    /// `client_secret_post`, RS256 ID tokens and Authing's default lifetimes.
    ///
    /// Example: see [`OidcApp`].
    pub fn new(client_id: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: ids::hex(16),
            redirect_uris: Vec::new(),
            post_logout_redirect_uris: Vec::new(),
            token_endpoint_auth_method: TokenAuthMethod::default(),
            id_token_alg: IdTokenAlg::default(),
            access_token_lifetime: FOURTEEN_DAYS,
            id_token_lifetime: FOURTEEN_DAYS,
            refresh_token_lifetime: THIRTY_DAYS,
        }
    }

    /// Sets the client secret.
    ///
    /// Example: see [`OidcApp`].
    #[must_use]
    pub fn secret(mut self, secret: impl Into<String>) -> Self {
        self.client_secret = secret.into();
        self
    }

    /// Registers one more redirect URI.
    ///
    /// Example: see [`OidcApp`].
    #[must_use]
    pub fn redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.redirect_uris.push(uri.into());
        self
    }

    /// Registers one more post-logout redirect URI.
    ///
    /// ```
    /// let app = authing_testkit::oidc::OidcApp::new("a").post_logout_redirect_uri("http://127.0.0.1/bye");
    /// assert_eq!(app.post_logout_redirect_uris.len(), 1);
    /// ```
    #[must_use]
    pub fn post_logout_redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.post_logout_redirect_uris.push(uri.into());
        self
    }

    /// Sets how the client authenticates at the token endpoints.
    ///
    /// Example: see [`OidcApp`].
    #[must_use]
    pub fn token_endpoint_auth_method(mut self, method: TokenAuthMethod) -> Self {
        self.token_endpoint_auth_method = method;
        self
    }

    /// Sets how ID tokens are signed.
    ///
    /// Example: see [`OidcApp`].
    #[must_use]
    pub fn id_token_alg(mut self, alg: IdTokenAlg) -> Self {
        self.id_token_alg = alg;
        self
    }

    /// Sets how long access tokens live.
    ///
    /// ```
    /// use std::time::Duration;
    /// let app = authing_testkit::oidc::OidcApp::new("a").access_token_lifetime(Duration::from_secs(1));
    /// assert_eq!(app.access_token_lifetime, Duration::from_secs(1));
    /// ```
    #[must_use]
    pub fn access_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.access_token_lifetime = lifetime;
        self
    }

    /// Sets how long ID tokens live.
    ///
    /// ```
    /// use std::time::Duration;
    /// let app = authing_testkit::oidc::OidcApp::new("a").id_token_lifetime(Duration::from_secs(1));
    /// assert_eq!(app.id_token_lifetime, Duration::from_secs(1));
    /// ```
    #[must_use]
    pub fn id_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.id_token_lifetime = lifetime;
        self
    }

    /// Sets how long refresh tokens live.
    ///
    /// ```
    /// use std::time::Duration;
    /// let app = authing_testkit::oidc::OidcApp::new("a").refresh_token_lifetime(Duration::from_secs(1));
    /// assert_eq!(app.refresh_token_lifetime, Duration::from_secs(1));
    /// ```
    #[must_use]
    pub fn refresh_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.refresh_token_lifetime = lifetime;
        self
    }
}
