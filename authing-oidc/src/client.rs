//! [`OidcClient`]: the sign-in flows of one application, on its authentication client.

use authing_core::{AuthenticationClient, Error, Secret};

use crate::endpoints::{
    ClientCredentialsGrant, ExchangeCode, GetUserInfo, IntrospectToken, RefreshTokens,
    RevokeToken,
};
use crate::login::{AuthorizeOptions, AuthorizeUrl, AuthorizedCode, PendingLogin, authorize_url};
use crate::protocol::Protocol;
use crate::tokens::{Introspection, TokenSet, UserInfo};
use crate::url::QueryBuilder;

/// The scopes asked for when none are given: what the official SDKs ask for.
pub const DEFAULT_SCOPE: &str = "openid profile";

/// The sign-in flows of one Authing application: the authorization URL and its callback,
/// the code exchange, client credentials, refresh, revocation, introspection, userinfo and
/// the logout URL.
///
/// It sends its calls through an [`AuthenticationClient`], whose
/// [`app_secret`](authing_core::AuthenticationClientBuilder::app_secret) and
/// [`token_endpoint_auth`](authing_core::AuthenticationClientBuilder::token_endpoint_auth)
/// say how the application authenticates itself; timeouts, retries and secret handling
/// are that client's. Cheap to clone.
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
/// // 1. Send the browser to Authing, and keep `login` until the callback.
/// let start = oidc.authorize_url();
/// println!("redirect to {}", start.url);
///
/// // 2. On the callback: check it, then exchange the code.
/// let code = start.login.check_callback(callback_query)?;
/// let tokens = oidc.exchange_code(code).await?;
/// println!("access token {:?}", tokens.access_token); // Secret([REDACTED])
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct OidcClient {
    app: AuthenticationClient,
    protocol: Protocol,
    redirect_uri: String,
    scope: String,
}

impl OidcClient {
    /// Flows of the application `app` is for, under OpenID Connect, coming back to
    /// `redirect_uri` (which must be registered for the application in the console).
    ///
    /// ```
    /// use authing_oidc::{OidcClient, Protocol};
    /// let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn").build()?;
    /// let oidc = OidcClient::new(app, "https://my.app/callback");
    /// assert_eq!(oidc.protocol(), Protocol::Oidc);
    /// assert_eq!(oidc.scope(), authing_oidc::DEFAULT_SCOPE);
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    pub fn new(app: AuthenticationClient, redirect_uri: impl Into<String>) -> Self {
        Self {
            app,
            protocol: Protocol::Oidc,
            redirect_uri: redirect_uri.into(),
            scope: DEFAULT_SCOPE.to_owned(),
        }
    }

    /// Uses `protocol`'s endpoints (`/oidc/...` or `/oauth/...`).
    #[must_use]
    pub fn with_protocol(mut self, protocol: Protocol) -> Self {
        self.protocol = protocol;
        self
    }

    /// Asks for these scopes (space-separated) by default; add `offline_access` for a
    /// refresh token, `email` or `phone` for those claims.
    #[must_use]
    pub fn with_scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = scope.into();
        self
    }

    /// The protocol in use.
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// The default scopes.
    pub fn scope(&self) -> &str {
        &self.scope
    }

    /// The authentication client the calls go through.
    pub fn app(&self) -> &AuthenticationClient {
        &self.app
    }

    /// A fresh login: the URL to send the browser to, with a new state, nonce (OIDC) and
    /// PKCE `S256` challenge, and the [`PendingLogin`] to keep for its callback.
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

    /// Like [`authorize_url`](Self::authorize_url), with other scopes, redirect URI,
    /// `prompt=login`, a login hint or a tenant.
    pub fn authorize_url_with(&self, options: &AuthorizeOptions) -> AuthorizeUrl {
        let redirect_uri = options.redirect_uri.as_deref().unwrap_or(&self.redirect_uri);
        let login = PendingLogin::new(self.protocol, redirect_uri);
        let scope = options.scope.as_deref().unwrap_or(&self.scope);
        let url = authorize_url(
            self.app.app_host(),
            self.app.app_id(),
            &login,
            scope,
            options,
        );
        AuthorizeUrl { url, login }
    }

    /// Exchanges the code of a checked callback for tokens, with the login's PKCE
    /// verifier and redirect URI. Check the ID token with
    /// [`verify_id_token`](Self::verify_id_token) before trusting who it names.
    ///
    /// # Errors
    /// [`Error::OAuth`] when Authing refuses (`invalid_grant` for a used or expired code,
    /// `invalid_client` for a wrong secret), or any other [`Error`] of the transport.
    pub async fn exchange_code(&self, code: AuthorizedCode) -> Result<TokenSet, Error> {
        let AuthorizedCode { code, login } = code;
        self.app
            .send(&ExchangeCode {
                protocol: login.protocol,
                grant_type: "authorization_code",
                code,
                redirect_uri: login.redirect_uri,
                code_verifier: Some(login.code_verifier),
            })
            .await
    }

    /// An access token for the application itself, machine to machine, for `scope`.
    ///
    /// # Errors
    /// As [`exchange_code`](Self::exchange_code); `unauthorized_client` when the
    /// application may not use this grant.
    pub async fn client_credentials(&self, scope: impl Into<String>) -> Result<TokenSet, Error> {
        self.app
            .send(&ClientCredentialsGrant {
                protocol: self.protocol,
                grant_type: "client_credentials",
                scope: scope.into(),
            })
            .await
    }

    /// New tokens from a refresh token, with the same scopes.
    ///
    /// # Errors
    /// As [`exchange_code`](Self::exchange_code); `invalid_grant` for a revoked or
    /// expired refresh token.
    pub async fn refresh(&self, refresh_token: &Secret) -> Result<TokenSet, Error> {
        self.app
            .send(&RefreshTokens {
                protocol: self.protocol,
                grant_type: "refresh_token",
                refresh_token: refresh_token.clone(),
                scope: None,
            })
            .await
    }

    /// Revokes an access or refresh token. Revoking a token that is unknown or already
    /// revoked succeeds too (RFC 7009 §2.2).
    ///
    /// # Errors
    /// As [`exchange_code`](Self::exchange_code).
    pub async fn revoke(&self, token: &Secret) -> Result<(), Error> {
        self.app
            .send(&RevokeToken {
                protocol: self.protocol,
                token: token.clone(),
                token_type_hint: None,
            })
            .await
    }

    /// Asks Authing whether a token is active, and about whom.
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

    /// The claims of the user an access token acts for.
    ///
    /// # Errors
    /// [`Error::OAuth`] with `invalid_token` for a token that is expired, revoked or not
    /// Authing's, or any other [`Error`] of the transport.
    pub async fn user_info(&self, access_token: &Secret) -> Result<UserInfo, Error> {
        self.app
            .send(&GetUserInfo {
                protocol: self.protocol,
                access_token: access_token.clone(),
            })
            .await
    }

    /// The URL that ends the user's session at Authing and sends the browser on to
    /// `redirect_uri` (registered as a logout redirect URI of the application). Under
    /// OIDC, pass the ID token of the session, which Authing needs to find it.
    ///
    /// ```
    /// # let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn").build()?;
    /// let oidc = authing_oidc::OidcClient::new(app, "https://my.app/callback");
    /// let url = oidc.logout_url(Some("ID.TOKEN"), Some("https://my.app/"), Some("s1"));
    /// assert_eq!(
    ///     url,
    ///     "https://example.authing.cn/oidc/session/end?id_token_hint=ID.TOKEN\
    ///      &post_logout_redirect_uri=https%3A%2F%2Fmy.app%2F&state=s1"
    /// );
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    pub fn logout_url(
        &self,
        id_token: Option<&str>,
        redirect_uri: Option<&str>,
        state: Option<&str>,
    ) -> String {
        let host = self.app.app_host();
        match self.protocol {
            Protocol::Oidc => {
                let mut url = QueryBuilder::new(format!("{host}{}", Protocol::Oidc.path("session/end")));
                if let Some(hint) = id_token {
                    url.pair("id_token_hint", hint);
                }
                if let Some(uri) = redirect_uri {
                    url.pair("post_logout_redirect_uri", uri);
                    if let Some(state) = state {
                        url.pair("state", state);
                    }
                }
                url.finish()
            }
            // OAuth 2.0 has no session end: Authing's own logout page takes a redirect.
            Protocol::Oauth => {
                let mut url = QueryBuilder::new(format!("{host}/login/profile/logout"));
                if let Some(uri) = redirect_uri {
                    url.pair("redirect_uri", uri);
                }
                url.finish()
            }
        }
    }
}
