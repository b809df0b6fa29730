//! [`OidcClient`]: the sign-in flows of one application, on its authentication client.

use authing_core::{AuthenticationClient, Error, Secret, TokenEndpointAuth};

use crate::endpoints::{
    ClientCredentials, ExchangeCode, GetUserInfo, IntrospectToken, RefreshTokens, RevokeToken,
};
use crate::login::{AuthorizeOptions, AuthorizeUrl, AuthorizedCode, PendingLogin, authorize_url};
use crate::logout::{LogoutOptions, logout_url};
use crate::protocol::Protocol;
use crate::tokens::{Introspection, TokenSet, UserInfo};
use crate::verify::{AccessTokenClaims, IdTokenClaims, TokenVerifier, VerifyError};

/// The scopes an OpenID Connect login asks for when none are set: the official SDKs'.
pub const DEFAULT_OIDC_SCOPE: &str = "openid profile";

/// The scope an OAuth 2.0 login asks for when none is set: the official SDKs'.
pub const DEFAULT_OAUTH_SCOPE: &str = "user";

/// The sign-in flows of one Authing application: the authorization URL and the check of
/// its callback, the code exchange, client credentials, refresh, revocation,
/// introspection, userinfo and the logout URL, under OpenID Connect or OAuth 2.0
/// ([`Protocol`]).
///
/// It wraps the application's [`AuthenticationClient`] and sends every call through it,
/// so timeouts, retries, bounded bodies and secret handling are that client's, and so is
/// how the application authenticates itself at the token, revocation and introspection
/// endpoints: the builder's
/// [`app_secret`](authing_core::AuthenticationClientBuilder::app_secret) and
/// [`token_endpoint_auth`](authing_core::AuthenticationClientBuilder::token_endpoint_auth)
/// (`client_secret_post`, `client_secret_basic` or `none`, as the application is set in the
/// Authing console). The `Basic` header of `client_secret_basic` goes to every endpoint
/// declared `auth = client` (these three, the sign-in endpoints and the MFA token
/// introspection), never to userinfo, which takes the user's access token instead.
/// Cheap to clone; build one per application.
///
/// ```no_run
/// use authing_core::AuthenticationClient;
/// use authing_oidc::OidcClient;
///
/// # async fn run(callback_query: &str) -> Result<(), Box<dyn std::error::Error>> {
/// let app = AuthenticationClient::builder("APP_ID", "https://example.authing.cn")
///     .app_secret("APP_SECRET")
///     .build()?;
/// let oidc = OidcClient::new(app, "https://my.app/callback");
///
/// // 1. Send the browser to Authing, and keep `login` (in the session) until it comes back.
/// let start = oidc.authorize_url();
/// println!("302 to {}", start.url);
///
/// // 2. On the callback: check the state, then exchange the code.
/// let code = start.login.check_callback(callback_query)?;
/// let tokens = oidc.exchange_code(&code).await?;
/// println!("{:?}", tokens.access_token); // Secret([REDACTED])
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct OidcClient {
    app: AuthenticationClient,
    protocol: Protocol,
    redirect_uri: String,
    /// `None`: the protocol's default.
    scope: Option<String>,
    /// Checks the tokens the flows return; shared by clones, with the keys it caches.
    verifier: TokenVerifier,
}

impl OidcClient {
    /// The flows of the application `app` is for, under OpenID Connect, coming back to
    /// `redirect_uri` (one of the application's registered callback URLs).
    ///
    /// ```
    /// use authing_oidc::{OidcClient, Protocol};
    /// let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn").build()?;
    /// let oidc = OidcClient::new(app, "https://my.app/callback");
    /// assert_eq!(oidc.protocol(), Protocol::Oidc);
    /// assert_eq!(oidc.scope(), authing_oidc::DEFAULT_OIDC_SCOPE);
    /// assert_eq!(oidc.redirect_uri(), "https://my.app/callback");
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    pub fn new(app: AuthenticationClient, redirect_uri: impl Into<String>) -> Self {
        Self {
            verifier: TokenVerifier::new(&app),
            app,
            protocol: Protocol::Oidc,
            redirect_uri: redirect_uri.into(),
            scope: None,
        }
    }

    /// Uses `protocol`'s endpoints (`/oidc/...` or `/oauth/...`).
    ///
    /// ```
    /// use authing_oidc::{OidcClient, Protocol};
    /// # let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn").build()?;
    /// let oauth = OidcClient::new(app, "https://my.app/callback").with_protocol(Protocol::Oauth);
    /// assert_eq!(oauth.scope(), authing_oidc::DEFAULT_OAUTH_SCOPE);
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    #[must_use]
    pub fn with_protocol(mut self, protocol: Protocol) -> Self {
        self.protocol = protocol;
        self
    }

    /// Asks for these scopes (space-separated) by default: add `offline_access` for a
    /// refresh token, `email` or `phone` for those claims.
    ///
    /// ```
    /// # let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn").build()?;
    /// let oidc = authing_oidc::OidcClient::new(app, "https://my.app/cb").with_scope("openid email offline_access");
    /// assert!(oidc.authorize_url().url.contains("scope=openid%20email%20offline_access"));
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    #[must_use]
    pub fn with_scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// The protocol in use.
    ///
    /// ```
    /// # let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn").build()?;
    /// assert_eq!(authing_oidc::OidcClient::new(app, "https://a/cb").protocol(), authing_oidc::Protocol::Oidc);
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// The scopes a login asks for unless its options say otherwise.
    ///
    /// ```
    /// # let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn").build()?;
    /// assert_eq!(authing_oidc::OidcClient::new(app, "https://a/cb").scope(), "openid profile");
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    pub fn scope(&self) -> &str {
        self.scope.as_deref().unwrap_or(match self.protocol {
            Protocol::Oidc => DEFAULT_OIDC_SCOPE,
            Protocol::Oauth => DEFAULT_OAUTH_SCOPE,
        })
    }

    /// The redirect URI a login comes back to unless its options say otherwise.
    ///
    /// ```
    /// # let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn").build()?;
    /// assert_eq!(authing_oidc::OidcClient::new(app, "https://a/cb").redirect_uri(), "https://a/cb");
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// The authentication client the calls go through.
    ///
    /// ```
    /// # let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn").build()?;
    /// assert_eq!(authing_oidc::OidcClient::new(app, "https://a/cb").app().app_id(), "APP_ID");
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    pub fn app(&self) -> &AuthenticationClient {
        &self.app
    }

    /// A fresh login: the URL to send the browser to, with a new random `state`, `nonce`
    /// (OpenID Connect) and PKCE `S256` challenge, and the [`PendingLogin`] to keep for its
    /// callback. The PKCE verifier stays in the `PendingLogin`; only its hash is in the URL.
    ///
    /// ```
    /// # let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn").build()?;
    /// let oidc = authing_oidc::OidcClient::new(app, "https://my.app/callback");
    /// let start = oidc.authorize_url();
    /// assert!(start.url.starts_with("https://example.authing.cn/oidc/auth?client_id=APP_ID&"));
    /// assert!(start.url.contains(&format!("&state={}", start.login.state())));
    /// assert!(start.url.contains("&code_challenge_method=S256"));
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    pub fn authorize_url(&self) -> AuthorizeUrl {
        self.authorize_url_with(&AuthorizeOptions::default())
    }

    /// Like [`authorize_url`](Self::authorize_url), with other scopes or redirect URI,
    /// `prompt=login`, a login hint or a tenant.
    ///
    /// ```
    /// use authing_oidc::AuthorizeOptions;
    /// # let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn").build()?;
    /// let oidc = authing_oidc::OidcClient::new(app, "https://my.app/callback");
    /// let start = oidc.authorize_url_with(&AuthorizeOptions::default().login_hint("a@b.c").force_login());
    /// assert!(start.url.contains("&prompt=login&login_hint=a%40b.c"));
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    pub fn authorize_url_with(&self, options: &AuthorizeOptions) -> AuthorizeUrl {
        let redirect_uri = options
            .redirect_uri
            .as_deref()
            .unwrap_or(&self.redirect_uri);
        let login = PendingLogin::new(self.protocol, redirect_uri);
        let scope = options.scope.as_deref().unwrap_or(self.scope());
        let url = authorize_url(
            self.app.app_host(),
            self.app.app_id(),
            &login,
            scope,
            options,
        );
        AuthorizeUrl { url, login }
    }

    /// Exchanges the code of a checked callback for tokens, with its login's PKCE verifier
    /// and redirect URI, under the login's protocol. The ID token it returns says who
    /// signed in only once it is verified, with the nonce of `code.login()`.
    ///
    /// ```no_run
    /// # async fn run(oidc: authing_oidc::OidcClient, login: authing_oidc::PendingLogin, query: &str) -> Result<(), Box<dyn std::error::Error>> {
    /// let code = login.check_callback(query)?;
    /// let tokens = oidc.exchange_code(&code).await?;
    /// assert!(tokens.id_token.is_some());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::OAuth`] when Authing refuses: `invalid_grant` for a code that was used,
    /// has expired, or does not match the verifier or redirect URI; `invalid_client` for
    /// a wrong app secret or an auth method other than the application's. Any other
    /// [`Error`] of the transport.
    pub async fn exchange_code(&self, code: &AuthorizedCode) -> Result<TokenSet, Error> {
        let login = code.login();
        let mut exchange =
            ExchangeCode::new(login.protocol, code.code().clone(), &login.redirect_uri);
        exchange.code_verifier = Some(login.code_verifier.clone());
        self.app.send(&exchange).await
    }

    /// An access token for the application itself, machine to machine, for `scope`
    /// (space-separated, required). It authenticates as the application; for a
    /// programmatic access account, build an [`AuthenticationClient`] with its access key
    /// as the app id and its secret key as the app secret.
    ///
    /// ```no_run
    /// # async fn run(oidc: authing_oidc::OidcClient) -> Result<(), authing_core::Error> {
    /// let tokens = oidc.client_credentials("orders:read").await?;
    /// assert!(tokens.refresh_token.is_none(), "there is no user to refresh for");
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for an empty scope (nothing is sent); as
    /// [`exchange_code`](Self::exchange_code) otherwise, with `unauthorized_client` for a
    /// public client (`none`), which may not use this grant.
    pub async fn client_credentials(&self, scope: &str) -> Result<TokenSet, Error> {
        if scope.trim().is_empty() {
            return Err(Error::InvalidRequest {
                reason: "client credentials need the scopes to grant (space-separated), \
                         e.g. the permissions of a resource set up in the Authing console"
                    .to_owned(),
            });
        }
        self.app
            .send(&ClientCredentials::new(self.protocol, scope))
            .await
    }

    /// New tokens from the refresh token of an earlier token set, with the same scopes.
    ///
    /// ```no_run
    /// # async fn run(oidc: authing_oidc::OidcClient, tokens: authing_oidc::TokenSet) -> Result<(), authing_core::Error> {
    /// if let Some(refresh_token) = &tokens.refresh_token {
    ///     let fresh = oidc.refresh(refresh_token).await?;
    ///     assert!(fresh.access_token != tokens.access_token);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`exchange_code`](Self::exchange_code); `invalid_grant` for a refresh token that
    /// was revoked or has expired.
    pub async fn refresh(&self, refresh_token: &Secret) -> Result<TokenSet, Error> {
        self.app
            .send(&RefreshTokens::new(self.protocol, refresh_token.clone()))
            .await
    }

    /// Revokes an access or refresh token; revoking a refresh token ends the tokens issued
    /// with it. A token that is unknown or revoked already is no error (RFC 7009 §2.2).
    ///
    /// ```no_run
    /// # async fn run(oidc: authing_oidc::OidcClient, tokens: authing_oidc::TokenSet) -> Result<(), authing_core::Error> {
    /// oidc.revoke(&tokens.access_token).await?;
    /// assert!(!oidc.introspect(&tokens.access_token).await?.active);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Config`] under OAuth 2.0 with `client_secret_basic`, which Authing's OAuth
    /// revocation endpoint does not take (the official Node SDK refuses it the same way);
    /// as [`exchange_code`](Self::exchange_code) otherwise.
    pub async fn revoke(&self, token: &Secret) -> Result<(), Error> {
        if self.protocol == Protocol::Oauth
            && self.app.token_endpoint_auth() == TokenEndpointAuth::ClientSecretBasic
        {
            return Err(Error::Config {
                reason: "Authing's OAuth 2.0 revocation endpoint does not take \
                         `client_secret_basic` (the official SDKs refuse it too): revoke \
                         under `Protocol::Oidc`, or set the application to \
                         `client_secret_post`"
                    .to_owned(),
            });
        }
        self.app
            .send(&RevokeToken {
                protocol: self.protocol,
                token: token.clone(),
                token_type_hint: None,
            })
            .await
    }

    /// Asks Authing whether a token is active (issued to this application, not revoked,
    /// not expired), and about whom.
    ///
    /// ```no_run
    /// # async fn run(oidc: authing_oidc::OidcClient, tokens: authing_oidc::TokenSet) -> Result<(), authing_core::Error> {
    /// let about = oidc.introspect(&tokens.access_token).await?;
    /// assert!(about.active);
    /// println!("for {:?}, until {:?}", about.sub, about.exp);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`exchange_code`](Self::exchange_code).
    pub async fn introspect(&self, token: &Secret) -> Result<Introspection, Error> {
        self.app
            .send(&IntrospectToken {
                protocol: self.protocol,
                token: token.clone(),
                token_type_hint: None,
            })
            .await
    }

    /// The claims about the user `access_token` acts for, as far as its scopes release
    /// them. The token goes as `authorization: Bearer`, on a client derived from this
    /// one's (same connection pool and settings); no client credentials are sent.
    ///
    /// ```no_run
    /// # async fn run(oidc: authing_oidc::OidcClient, tokens: authing_oidc::TokenSet) -> Result<(), authing_core::Error> {
    /// let me = oidc.user_info(&tokens.access_token).await?;
    /// println!("{} <{}>", me.sub, me.email.as_deref().unwrap_or("no email scope"));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::OAuth`] with `invalid_token` (HTTP 401) for a token that is expired,
    /// revoked, not an access token, or issued to the application rather than for a user;
    /// any other [`Error`] of the transport.
    pub async fn user_info(&self, access_token: &Secret) -> Result<UserInfo, Error> {
        self.app
            .with_access_token(access_token.clone())
            .send(&GetUserInfo {
                protocol: self.protocol,
            })
            .await
    }

    /// The URL that ends the user's session at Authing and sends the browser on: under
    /// OpenID Connect `/oidc/session/end` (RP-initiated logout: `id_token_hint`,
    /// `post_logout_redirect_uri`, `state`), under OAuth 2.0 Authing's
    /// `/login/profile/logout` (`redirect_uri`), as the official Node SDK builds them. The
    /// redirect must be registered as a logout callback URL of the application.
    ///
    /// ```
    /// use authing_oidc::LogoutOptions;
    /// # let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn").build()?;
    /// let oidc = authing_oidc::OidcClient::new(app, "https://my.app/callback");
    /// let id_token = authing_core::Secret::from("ID.TOKEN");
    /// let url = oidc.logout_url(
    ///     &LogoutOptions::default().id_token_hint(&id_token).redirect_uri("https://my.app/").state("s1"),
    /// );
    /// assert_eq!(
    ///     url,
    ///     "https://example.authing.cn/oidc/session/end?id_token_hint=ID.TOKEN\
    ///      &post_logout_redirect_uri=https%3A%2F%2Fmy.app%2F&state=s1"
    /// );
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    pub fn logout_url(&self, options: &LogoutOptions) -> String {
        logout_url(self.app.app_host(), self.protocol, options)
    }
}

/// Checking the tokens the flows return, with the application's [`TokenVerifier`].
impl OidcClient {
    /// Checks tokens with `verifier` instead of the default one: for HS256 ID tokens, a
    /// custom issuer, an API audience for access tokens or another leeway.
    ///
    /// ```
    /// use authing_oidc::verify::{IdTokenAlgorithm, TokenVerifier};
    /// # let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn").app_secret("S").build()?;
    /// let verifier = TokenVerifier::new(&app).id_token_algorithm(IdTokenAlgorithm::Hs256);
    /// let oidc = authing_oidc::OidcClient::new(app, "https://a/cb").with_verifier(verifier);
    /// assert!(format!("{:?}", oidc.verifier()).contains("Hs256"));
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    #[must_use]
    pub fn with_verifier(mut self, verifier: TokenVerifier) -> Self {
        self.verifier = verifier;
        self
    }

    /// The verifier tokens are checked with: by default [`TokenVerifier::new`] of the
    /// application.
    ///
    /// ```
    /// # let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn").build()?;
    /// let oidc = authing_oidc::OidcClient::new(app, "https://a/cb");
    /// assert_eq!(oidc.verifier().issuer(), "https://example.authing.cn/oidc");
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    pub fn verifier(&self) -> &TokenVerifier {
        &self.verifier
    }

    /// Verifies the ID token of a login that sent `expected_nonce`
    /// ([`PendingLogin::nonce`]), as [`TokenVerifier::verify_id_token`] does.
    ///
    /// ```no_run
    /// # async fn run(oidc: authing_oidc::OidcClient, code: authing_oidc::AuthorizedCode) -> Result<(), Box<dyn std::error::Error>> {
    /// let tokens = oidc.exchange_code(&code).await?;
    /// let (Some(id_token), Some(nonce)) = (&tokens.id_token, code.login().nonce()) else {
    ///     return Err("not an OpenID Connect login".into());
    /// };
    /// let claims = oidc.verify_id_token(id_token.expose(), nonce).await?;
    /// println!("signed in: {}", claims.sub);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// The [`VerifyError`] of the first check that fails.
    pub async fn verify_id_token(
        &self,
        id_token: &str,
        expected_nonce: &str,
    ) -> Result<IdTokenClaims, VerifyError> {
        self.verifier
            .verify_id_token(id_token, expected_nonce)
            .await
    }

    /// Verifies an access token Authing issued to the application, as
    /// [`TokenVerifier::verify_access_token`] does.
    ///
    /// ```no_run
    /// # async fn run(oidc: authing_oidc::OidcClient, bearer: &str) -> Result<(), Box<dyn std::error::Error>> {
    /// let claims = oidc.verify_access_token(bearer).await?;
    /// assert!(claims.scopes().any(|s| s == "openid"));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// The [`VerifyError`] of the first check that fails.
    pub async fn verify_access_token(
        &self,
        access_token: &str,
    ) -> Result<AccessTokenClaims, VerifyError> {
        self.verifier.verify_access_token(access_token).await
    }
}
