//! The two clients, one per side of the API, and the builder they share.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::client_auth::{ClientAuth, TokenEndpointAuth};
use crate::config::{CallOptions, RetryPolicy, Timeouts, TransportOptions, parse_host};
use crate::credentials::{AccessKey, Credentials, ManagementAuth};
use crate::endpoint::{AuthenticationEndpoint, ManagementEndpoint};
use crate::error::Error;
use crate::response::Response;
use crate::secret::Secret;
use crate::token_cache::TokenCache;
use crate::transport::{Shared, Transport};

/// Checks that a setting can travel as a header value, so that it is refused when the
/// client is built rather than altered on the wire.
fn header_safe(what: &str, value: &str) -> Result<(), Error> {
    reqwest::header::HeaderValue::from_str(value)
        .map(drop)
        .map_err(|_| {
            Error::config(format!(
                "the {what} `{value}` has characters a header cannot carry (line breaks, control \
             characters); check for a stray newline"
            ))
        })
}

/// The management API's host unless a private deployment names its own.
pub const DEFAULT_MANAGEMENT_HOST: &str = "https://api.authing.cn";

/// Builds a [`ManagementClient`] or an [`AuthenticationClient`]. The settings shared by
/// both are methods of every `ClientBuilder`; each side adds its own.
///
/// ```
/// use std::time::Duration;
/// use authing_core::{ManagementClient, RetryPolicy};
///
/// let client = ManagementClient::builder("ACCESS_KEY_ID", "ACCESS_KEY_SECRET")
///     .lang("en-US")
///     .attempt_timeout(Duration::from_secs(5))
///     .retry(RetryPolicy::default().max_attempts(4))
///     .build()?;
/// # Ok::<(), authing_core::Error>(())
/// ```
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder<S> {
    side: S,
    options: TransportOptions,
}

impl<S> ClientBuilder<S> {
    /// `x-authing-lang`: the language of Authing's messages, e.g. `zh-CN` (default) or
    /// `en-US`.
    pub fn lang(mut self, lang: impl Into<String>) -> Self {
        self.options.lang = lang.into();
        self
    }

    /// All three timeouts at once.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.options.timeouts = timeouts;
        self
    }

    /// The time allowed to open a connection. Default 5 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.options.timeouts.connect = timeout;
        self
    }

    /// The time allowed for one attempt, from sending to the end of the answer.
    /// Default 10 s.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.options.timeouts.attempt = timeout;
        self
    }

    /// The time allowed for a whole call, retries and token fetch included. Default 30 s.
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.options.timeouts.call = timeout;
        self
    }

    /// How failed attempts are retried; [`RetryPolicy::disabled`] switches retries off.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = policy;
        self
    }

    /// The largest answer read, in bytes (default 16 MiB); a larger one fails with
    /// [`Error::BodyTooLarge`] without being buffered.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.options.max_response_bytes = limit;
        self
    }

    /// Trusts the root certificate(s) in `pem` besides the system's, for a private
    /// deployment with its own CA. Certificate checks are never switched off.
    pub fn add_root_certificate(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.options.root_certificates.push(pem.into());
        self
    }

    /// Sends through `client`, an HTTP client you built yourself, instead of one the SDK
    /// builds: for a proxy, mutual TLS, custom DNS, or one connection pool shared with the
    /// rest of your program. Build it with `authing_core::reqwest`, the version the SDK
    /// uses.
    ///
    /// What the SDK still enforces: `https` for every host but loopback (unless
    /// [`allow_insecure_http`](Self::allow_insecure_http)), the attempt and call timeouts,
    /// retries, the response size cap, credentials and secret handling. What is then
    /// yours: redirects (the SDK's own client follows none, since a redirected POST loses
    /// its body and credentials must stay with their host; build yours with
    /// `redirect(Policy::none())` to keep that, else it follows your policy and a 3xx is
    /// never seen), the connect timeout (an unset one leaves a hung connect to the attempt
    /// timeout, which counts as possibly sent, so a POST is then not retried), the TLS
    /// roots (`add_root_certificate` is refused alongside this) and the `User-Agent`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use authing_core::{ManagementClient, reqwest};
    ///
    /// let http = reqwest::Client::builder()
    ///     .proxy(reqwest::Proxy::all("http://proxy.internal:3128")?)
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .connect_timeout(Duration::from_secs(5))
    ///     .build()?;
    /// let client = ManagementClient::builder("ACCESS_KEY_ID", "ACCESS_KEY_SECRET")
    ///     .http_client(http)
    ///     .build()?;
    /// assert!(format!("{client:?}").contains("api.authing.cn"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.options.http_client = Some(client);
        self
    }

    /// Allows plain `http://` to hosts that are not loopback. Off by default: credentials
    /// would cross the network in clear text. Loopback hosts may always use http.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.options.allow_insecure_http = allow;
        self
    }
}

/// What a [`ManagementClient`] needs besides the shared settings.
pub struct ManagementSetup {
    key: AccessKey,
    host: String,
    auth: ManagementAuth,
    tenant_id: Option<String>,
    token_refresh_margin: Duration,
}

/// Builder of a [`ManagementClient`].
pub type ManagementClientBuilder = ClientBuilder<ManagementSetup>;

impl ClientBuilder<ManagementSetup> {
    /// The management host: a private deployment's own, or a loopback stand-in.
    /// Default [`DEFAULT_MANAGEMENT_HOST`].
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.side.host = host.into();
        self
    }

    /// How requests prove they act for the user pool. Default [`ManagementAuth::Token`].
    pub fn auth(mut self, auth: ManagementAuth) -> Self {
        self.side.auth = auth;
        self
    }

    /// A tenant id, sent as `x-authing-app-id` (as the Node.js SDK does).
    pub fn tenant_id(mut self, tenant_id: impl Into<String>) -> Self {
        self.side.tenant_id = Some(tenant_id.into());
        self
    }

    /// How long before expiry a management token is refreshed (at most half its
    /// lifetime). Default 5 minutes.
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.side.token_refresh_margin = margin;
        self
    }

    /// Checks the settings and builds the client. No request is made yet: the first
    /// call fetches the management token.
    ///
    /// # Errors
    /// [`Error::Config`] for a host that is not an https URL (or http to loopback), an
    /// empty access key, or an unreadable root certificate.
    pub fn build(self) -> Result<ManagementClient, Error> {
        let ManagementSetup {
            key,
            host,
            auth,
            tenant_id,
            token_refresh_margin,
        } = self.side;
        if key.id.trim().is_empty() || key.secret.expose().trim().is_empty() {
            return Err(Error::config(
                "the access key id and secret must not be empty; find them in the Authing \
                 console under the user pool's settings",
            ));
        }
        let host = parse_host("management host", &host, self.options.allow_insecure_http)?;
        header_safe("language", &self.options.lang)?;
        if let Some(tenant_id) = &tenant_id {
            header_safe("tenant id", tenant_id)?;
        }
        let credentials = match auth {
            ManagementAuth::Token => Credentials::Token {
                key,
                cache: TokenCache::new(token_refresh_margin),
                tenant_id,
            },
            ManagementAuth::Signature => Credentials::signature(key, tenant_id),
        };
        let shared = Shared::new(self.options)?;
        Ok(ManagementClient {
            transport: Arc::new(Transport::new(shared, &host, credentials)),
        })
    }
}

/// A client of the management API, acting for a user pool with its access key.
///
/// Cheap to clone (clones share one connection pool, one token cache and one retry
/// budget), `Send + Sync`. Its `Debug` never shows the secret or the token.
///
/// ```no_run
/// use authing_core::ManagementClient;
///
/// # async fn run() -> Result<(), authing_core::Error> {
/// let client = ManagementClient::builder("ACCESS_KEY_ID", "ACCESS_KEY_SECRET")
///     .host("https://api.your-authing-service.com")
///     .build()?;
/// // client.send(&SomeManagementEndpoint { .. }).await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct ManagementClient {
    transport: Arc<Transport>,
}

impl ManagementClient {
    /// Starts building a client for the user pool that owns this access key.
    pub fn builder(
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<Secret>,
    ) -> ManagementClientBuilder {
        ClientBuilder {
            side: ManagementSetup {
                key: AccessKey {
                    id: access_key_id.into(),
                    secret: access_key_secret.into(),
                },
                host: DEFAULT_MANAGEMENT_HOST.to_owned(),
                auth: ManagementAuth::Token,
                tenant_id: None,
                token_refresh_margin: Duration::from_secs(300),
            },
            options: TransportOptions::default(),
        }
    }

    /// Sends a management endpoint and returns the `data` of Authing's answer.
    ///
    /// Like every send method, this gives a future that does nothing until it is
    /// awaited, and that is `Send` (so it can be spawned) when the endpoint is `Sync`
    /// (every endpoint this SDK declares is).
    ///
    /// # Errors
    /// See [`Error`]: Authing's own refusal is [`Error::Api`]; the other variants say
    /// what happened on the way.
    pub fn send<E: ManagementEndpoint>(
        &self,
        endpoint: &E,
    ) -> impl Future<Output = Result<E::Response, Error>> {
        self.transport.send(endpoint, CallOptions::new())
    }

    /// Like [`send`](Self::send), with per-call overrides of retries and timeout.
    ///
    /// # Errors
    /// As [`send`](Self::send).
    pub fn send_with<E: ManagementEndpoint>(
        &self,
        endpoint: &E,
        options: &CallOptions,
    ) -> impl Future<Output = Result<E::Response, Error>> {
        self.transport.send(endpoint, *options)
    }

    /// Like [`send`](Self::send), returning with the typed `data` the answer's request
    /// id, message and HTTP status (see [`Response`]); `options` as in
    /// [`send_with`](Self::send_with), [`CallOptions::new()`] for the client's settings.
    ///
    /// # Errors
    /// As [`send`](Self::send).
    pub fn send_with_meta<E: ManagementEndpoint>(
        &self,
        endpoint: &E,
        options: &CallOptions,
    ) -> impl Future<Output = Result<Response<E::Response>, Error>> {
        self.transport.send_with_meta(endpoint, *options)
    }
}

impl fmt::Debug for ManagementClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManagementClient")
            .field("host", &self.transport.base())
            .field("credentials", &self.transport.credentials)
            .finish_non_exhaustive()
    }
}

/// What an [`AuthenticationClient`] needs besides the shared settings.
pub struct AuthenticationSetup {
    app_id: String,
    app_host: String,
    access_token: Option<Secret>,
    app_secret: Option<Secret>,
    token_endpoint_auth: Option<TokenEndpointAuth>,
}

/// Builder of an [`AuthenticationClient`].
pub type AuthenticationClientBuilder = ClientBuilder<AuthenticationSetup>;

impl ClientBuilder<AuthenticationSetup> {
    /// The signed-in user's access token, sent as `authorization` as is.
    pub fn access_token(mut self, token: impl Into<Secret>) -> Self {
        self.side.access_token = Some(token.into());
        self
    }

    /// The application's secret (the Authing console shows it on the application's
    /// page), for the endpoints where the application authenticates itself: token,
    /// revocation, introspection and sign-in. Not needed for calls on behalf of a user.
    pub fn app_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.side.app_secret = Some(secret.into());
        self
    }

    /// How the application authenticates itself at those endpoints, as its "token
    /// endpoint auth method" is set in the Authing console. Default
    /// [`TokenEndpointAuth::ClientSecretPost`].
    pub fn token_endpoint_auth(mut self, method: TokenEndpointAuth) -> Self {
        self.side.token_endpoint_auth = Some(method);
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// ```
    /// use authing_core::{AuthenticationClient, TokenEndpointAuth};
    /// let no_secret = AuthenticationClient::builder("APP_ID", "https://example.authing.cn")
    ///     .token_endpoint_auth(TokenEndpointAuth::ClientSecretBasic)
    ///     .build();
    /// assert!(no_secret.is_err(), "client_secret_basic needs the app secret");
    /// ```
    ///
    /// # Errors
    /// [`Error::Config`] for an empty app id, an app host that is not an https URL (or
    /// http to loopback), a token endpoint auth method chosen explicitly that needs the
    /// app secret when none is set, or an unreadable root certificate.
    pub fn build(self) -> Result<AuthenticationClient, Error> {
        let AuthenticationSetup {
            app_id,
            app_host,
            access_token,
            app_secret,
            token_endpoint_auth,
        } = self.side;
        if app_id.trim().is_empty() {
            return Err(Error::config(
                "the app id must not be empty; find it in the Authing console on the application's page",
            ));
        }
        let host = parse_host("app host", &app_host, self.options.allow_insecure_http)?;
        header_safe("language", &self.options.lang)?;
        header_safe("app id", &app_id)?;
        if let Some(method) = token_endpoint_auth
            && method.needs_secret()
            && app_secret.is_none()
        {
            return Err(Error::config(format!(
                "`{}` needs the app secret: set `app_secret` too, or choose \
                 `TokenEndpointAuth::None` for a public client",
                method.as_str()
            )));
        }
        let client = ClientAuth {
            method: token_endpoint_auth.unwrap_or_default(),
            secret: app_secret,
        };
        let client_app_id = Arc::from(app_id.as_str());
        let credentials = Credentials::User {
            app_id,
            access_token,
            client: client.clone(),
        };
        let shared = Shared::new(self.options)?;
        Ok(AuthenticationClient {
            transport: Arc::new(Transport::new(shared, &host, credentials)),
            app_id: client_app_id,
            client,
        })
    }
}

/// A client of the authentication API, acting for one signed-in user of an application.
///
/// Cheap to clone, `Send + Sync`. A back end serving many users builds one and derives a
/// client per user with [`with_access_token`](Self::with_access_token); all of them share
/// one connection pool.
///
/// ```no_run
/// use authing_core::AuthenticationClient;
///
/// let app = AuthenticationClient::builder("APP_ID", "https://example.authing.cn").build()?;
/// let for_alice = app.with_access_token("ALICE_ACCESS_TOKEN");
/// // for_alice.send(&SomeAuthenticationEndpoint { .. }).await?;
/// # Ok::<(), authing_core::Error>(())
/// ```
#[derive(Clone)]
pub struct AuthenticationClient {
    transport: Arc<Transport>,
    app_id: Arc<str>,
    /// The application's own credentials, also in the transport's; kept here to hand to
    /// the clients derived for other users.
    client: ClientAuth,
}

impl AuthenticationClient {
    /// Starts building a client for the application `app_id` served at `app_host`
    /// (e.g. `https://example.authing.cn`).
    pub fn builder(
        app_id: impl Into<String>,
        app_host: impl Into<String>,
    ) -> AuthenticationClientBuilder {
        ClientBuilder {
            side: AuthenticationSetup {
                app_id: app_id.into(),
                app_host: app_host.into(),
                access_token: None,
                app_secret: None,
                token_endpoint_auth: None,
            },
            options: TransportOptions::default(),
        }
    }

    /// A client for the same application acting for another user, sharing this one's
    /// connection pool and settings.
    pub fn with_access_token(&self, token: impl Into<Secret>) -> Self {
        let credentials = Credentials::User {
            app_id: self.app_id.to_string(),
            access_token: Some(token.into()),
            client: self.client_auth().clone(),
        };
        Self {
            transport: Arc::new(self.transport.with_credentials(credentials)),
            app_id: self.app_id.clone(),
            client: self.client.clone(),
        }
    }

    /// The application's id, as given to the builder.
    ///
    /// ```
    /// let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn").build()?;
    /// assert_eq!(app.app_id(), "APP_ID");
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// The application's host, without a trailing slash: where its browser-facing pages
    /// (authorize, logout) are too.
    ///
    /// ```
    /// let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn/").build()?;
    /// assert_eq!(app.app_host(), "https://example.authing.cn");
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    pub fn app_host(&self) -> &str {
        self.transport.base()
    }

    /// The application's secret, if one was set: an HS256-signed ID token is checked with
    /// it.
    ///
    /// ```
    /// let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn")
    ///     .app_secret("APP_SECRET")
    ///     .build()?;
    /// assert_eq!(app.app_secret().map(|s| s.expose()), Some("APP_SECRET"));
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    pub fn app_secret(&self) -> Option<&Secret> {
        self.client_auth().secret.as_ref()
    }

    /// How the application authenticates itself at the endpoints declared `auth = client`.
    ///
    /// ```
    /// use authing_core::{AuthenticationClient, TokenEndpointAuth};
    /// let app = AuthenticationClient::builder("APP_ID", "https://example.authing.cn").build()?;
    /// assert_eq!(app.token_endpoint_auth(), TokenEndpointAuth::ClientSecretPost);
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    pub fn token_endpoint_auth(&self) -> TokenEndpointAuth {
        self.client_auth().method
    }

    fn client_auth(&self) -> &ClientAuth {
        &self.client
    }

    /// Sends an authentication endpoint and returns the `data` of Authing's answer (or,
    /// for an endpoint declared `answer = plain`, the answer itself).
    ///
    /// Like every send method, this gives a future that does nothing until it is
    /// awaited, and that is `Send` (so it can be spawned) when the endpoint is `Sync`
    /// (every endpoint this SDK declares is).
    ///
    /// # Errors
    /// See [`Error`]; [`Error::Config`] if the client has no user access token (for an
    /// endpoint that acts for a user) or no app secret (for one declared `auth = client`
    /// under a method that needs it).
    pub fn send<E: AuthenticationEndpoint>(
        &self,
        endpoint: &E,
    ) -> impl Future<Output = Result<E::Response, Error>> {
        self.transport.send(endpoint, CallOptions::new())
    }

    /// Like [`send`](Self::send), with per-call overrides of retries and timeout.
    ///
    /// # Errors
    /// As [`send`](Self::send).
    pub fn send_with<E: AuthenticationEndpoint>(
        &self,
        endpoint: &E,
        options: &CallOptions,
    ) -> impl Future<Output = Result<E::Response, Error>> {
        self.transport.send(endpoint, *options)
    }

    /// Like [`send`](Self::send), returning with the typed `data` the answer's request
    /// id, message and HTTP status (see [`Response`]); `options` as in
    /// [`send_with`](Self::send_with), [`CallOptions::new()`] for the client's settings.
    ///
    /// # Errors
    /// As [`send`](Self::send).
    pub fn send_with_meta<E: AuthenticationEndpoint>(
        &self,
        endpoint: &E,
        options: &CallOptions,
    ) -> impl Future<Output = Result<Response<E::Response>, Error>> {
        self.transport.send_with_meta(endpoint, *options)
    }
}

impl fmt::Debug for AuthenticationClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthenticationClient")
            .field("app_host", &self.transport.base())
            .field("credentials", &self.transport.credentials)
            .finish_non_exhaustive()
    }
}

impl<S: fmt::Debug> fmt::Debug for ClientBuilder<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("side", &self.side)
            .field("options", &self.options)
            .finish()
    }
}

impl fmt::Debug for ManagementSetup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManagementSetup")
            .field("key", &self.key)
            .field("host", &self.host)
            .field("auth", &self.auth)
            .field("tenant_id", &self.tenant_id)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for AuthenticationSetup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthenticationSetup")
            .field("app_id", &self.app_id)
            .field("app_host", &self.app_host)
            .field("app_secret", &self.app_secret)
            .field("token_endpoint_auth", &self.token_endpoint_auth)
            .field("access_token", &self.access_token)
            .finish()
    }
}
