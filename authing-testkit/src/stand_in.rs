//! The public handle: start a stand-in, read its credentials, inspect what it saw,
//! script faults, stop it.

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::app::{App, Config};
use crate::application::Application;
use crate::auth::{self, DEFAULT_TOKEN_LIFETIME};
use crate::canned::Canned;
use crate::faults::Fault;
use crate::ids;
use crate::jwt::Signer;
use crate::record::RecordedRequest;
use crate::server;
use crate::store::ImportedOtp;
use crate::users::User;

/// How long [`StandIn::shutdown`] waits for requests in flight before giving up on them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// The path whose requests [`StandIn::token_fetches`] counts.
const TOKEN_PATH: &str = "/api/v3/get-management-token";

/// A running stand-in for Authing's V3 API on `127.0.0.1`, serving the management and
/// the authentication side on one base URL.
///
/// Every instance has its own random port, credentials, user pool, application, seeded
/// [`User`] and signing key, so tests never share state. Dropping it shuts the server
/// down; [`shutdown`](StandIn::shutdown) does the same and waits until it has stopped.
///
/// ```
/// use authing_testkit::StandIn;
/// use serde_json::{json, Value};
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let stand_in = StandIn::start().await?;
/// let http = reqwest::Client::new();
///
/// // Management side, token scheme: fetch a token, then use it.
/// let answer: Value = http
///     .post(format!("{}/api/v3/get-management-token", stand_in.base_url()))
///     .json(&json!({
///         "accessKeyId": stand_in.access_key_id(),
///         "accessKeySecret": stand_in.access_key_secret(),
///     }))
///     .send().await?.json().await?;
/// let token = answer["data"]["access_token"].as_str().unwrap_or_default();
///
/// let answer: Value = http
///     .get(format!(
///         "{}/api/v3/get-otp-secret-by-user?userId={}",
///         stand_in.base_url(),
///         stand_in.user_id(),
///     ))
///     .bearer_auth(token)
///     .header("x-authing-userpool-id", stand_in.userpool_id())
///     .send().await?.json().await?;
/// assert_eq!(answer["statusCode"], 404); // signed in, but no OTP imported yet
///
/// assert_eq!(stand_in.token_fetches(), 1);
/// assert_eq!(stand_in.requests().len(), 2);
/// # Ok(()) }
/// ```
pub struct StandIn {
    app: Arc<App>,
    addr: SocketAddr,
    base_url: String,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

/// Configures a [`StandIn`] before starting it; every setting has a default.
///
/// ```
/// use std::time::Duration;
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
/// let stand_in = authing_testkit::StandIn::builder()
///     .token_lifetime(Duration::from_secs(2))
///     .access_key("AK_TEST", "SK_TEST_SECRET")
///     .userpool_id("pool-123")
///     .start()
///     .await?;
/// assert_eq!(stand_in.access_key_id(), "AK_TEST");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `start` is awaited"]
pub struct StandInBuilder {
    token_lifetime: Duration,
    send_interval: Duration,
    port: u16,
    access_key: Option<(String, String)>,
    userpool_id: Option<String>,
    app_id: Option<String>,
    user_access_token: Option<String>,
    routes: Option<Router>,
}

impl Default for StandInBuilder {
    fn default() -> Self {
        Self {
            token_lifetime: DEFAULT_TOKEN_LIFETIME,
            send_interval: Duration::from_secs(60),
            port: 0,
            access_key: None,
            userpool_id: None,
            app_id: None,
            user_access_token: None,
            routes: None,
        }
    }
}

impl StandInBuilder {
    /// How long a management token lives (default 7200 s, Authing's). Answered as
    /// `expires_in` in whole seconds; enforced to the millisecond, so a lifetime of
    /// 1 s expires 1 s after issue.
    ///
    /// ```
    /// let builder = authing_testkit::StandIn::builder().token_lifetime(std::time::Duration::from_secs(1));
    /// assert!(format!("{builder:?}").contains("token_lifetime: 1s"));
    /// ```
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// How often one phone number or e-mail address may be sent an enrollment code
    /// (default one minute, Authing's); more is statusCode 429.
    ///
    /// ```
    /// let builder = authing_testkit::StandIn::builder().send_interval(std::time::Duration::from_millis(100));
    /// assert!(format!("{builder:?}").contains("send_interval: 100ms"));
    /// ```
    pub fn send_interval(mut self, interval: Duration) -> Self {
        self.send_interval = interval;
        self
    }

    /// The user pool's access key (default: random), for example the values of a
    /// recorded capture.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::builder().access_key("AK_TEST", "SK_TEST_SECRET").start().await?;
    /// assert_eq!((stand_in.access_key_id(), stand_in.access_key_secret()), ("AK_TEST", "SK_TEST_SECRET"));
    /// # Ok(()) }
    /// ```
    pub fn access_key(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.access_key = Some((id.into(), secret.into()));
        self
    }

    /// The user pool id put into management tokens (default: 24 random hex digits).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::builder().userpool_id("pool-123").start().await?;
    /// assert_eq!(stand_in.userpool_id(), "pool-123");
    /// # Ok(()) }
    /// ```
    pub fn userpool_id(mut self, id: impl Into<String>) -> Self {
        self.userpool_id = Some(id.into());
        self
    }

    /// The application id the authentication side expects in `x-authing-app-id`
    /// (default: 24 random hex digits).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::builder().app_id("APP_ID").start().await?;
    /// assert_eq!(stand_in.application().id, "APP_ID");
    /// # Ok(()) }
    /// ```
    pub fn app_id(mut self, id: impl Into<String>) -> Self {
        self.app_id = Some(id.into());
        self
    }

    /// The seeded user's access token (default: a JWT for that user and app).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::builder().user_access_token("USER_ACCESS_TOKEN").start().await?;
    /// assert_eq!(stand_in.user_access_token(), "USER_ACCESS_TOKEN");
    /// # Ok(()) }
    /// ```
    pub fn user_access_token(mut self, token: impl Into<String>) -> Self {
        self.user_access_token = Some(token.into());
        self
    }

    /// A fixed port on 127.0.0.1 instead of a free one the system picks (default `0`,
    /// which means exactly that). For the command-line stand-in; tests should keep the
    /// default so that they can run in parallel.
    ///
    /// ```
    /// let builder = authing_testkit::StandIn::builder().port(18080);
    /// assert!(format!("{builder:?}").contains("port: 18080"));
    /// ```
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Routes of your own, served beside the stand-in's: for endpoints it does not
    /// implement, or to replace one of its own. A path `routes` serves is wholly yours
    /// (another method on it answers 404, as Authing does); every other path is the
    /// stand-in's. Requests to them are recorded, scripted [`Fault`]s and
    /// [`Canned`] answers come first, and handlers can ask for the stand-in's access
    /// checks and state with the extractors [`Management`](crate::Management),
    /// [`SignedIn`](crate::SignedIn) and [`Context`](crate::Context). A router with
    /// state of your own is given after its `with_state`. Calling this again merges the
    /// routers.
    ///
    /// # Panics
    ///
    /// When two routers given here route the same method and path (axum's
    /// [`Router::merge`]).
    ///
    /// ```
    /// use authing_testkit::axum::{Router, routing::get};
    /// use authing_testkit::{Envelope, StandIn};
    /// use serde_json::{Value, json};
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let routes = Router::new().route("/api/v3/ping", get(|| async { Envelope::ok(json!("pong")) }));
    /// let stand_in = StandIn::builder().routes(routes).start().await?;
    /// let answer: Value = reqwest::get(format!("{}/api/v3/ping", stand_in.base_url())).await?.json().await?;
    /// assert_eq!(answer["data"], "pong");
    /// assert_eq!(stand_in.requests_to("/api/v3/ping").len(), 1);
    /// # Ok(()) }
    /// ```
    pub fn routes(mut self, routes: Router) -> Self {
        self.routes = Some(match self.routes.take() {
            Some(known) => known.merge(routes),
            None => routes,
        });
        self
    }

    /// Binds 127.0.0.1 and starts serving on the current Tokio runtime.
    ///
    /// # Errors
    ///
    /// The I/O error of binding, for example when a fixed [`port`](Self::port) is taken.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::builder().start().await?;
    /// assert!(stand_in.base_url().starts_with("http://127.0.0.1:"));
    /// # Ok(()) }
    /// ```
    pub async fn start(mut self) -> io::Result<StandIn> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, self.port)).await?;
        let addr = listener.local_addr()?;
        let signer = Signer::random();
        let routes = self.routes.take();
        let config = self.into_config(&signer);
        let (stop, stopped) = watch::channel(false);
        let app = Arc::new(App::new(config, signer, stopped));
        let base_url = format!("http://{addr}");
        app.oidc.set_base_url(&base_url);
        let task = server::spawn(app.clone(), listener, routes);
        Ok(StandIn {
            app,
            addr,
            base_url,
            stop,
            task: Some(task),
        })
    }

    fn into_config(self, signer: &Signer) -> Config {
        let (access_key_id, access_key_secret) = self
            .access_key
            .unwrap_or_else(|| (ids::object_id(), ids::hex(16)));
        let mut app = Application::new("stand-in-app");
        if let Some(id) = self.app_id {
            app.id = id;
        }
        let user = User::seeded();
        let user_access_token = self
            .user_access_token
            .unwrap_or_else(|| auth::issue_user_token(signer, &user.id, &app.id));
        Config {
            access_key_id,
            access_key_secret,
            userpool_id: self.userpool_id.unwrap_or_else(ids::object_id),
            app,
            user_access_token,
            token_lifetime: self.token_lifetime,
            send_interval: self.send_interval,
            user,
        }
    }
}

impl StandIn {
    /// The state shared with the handlers, for the handle's methods defined elsewhere.
    pub(crate) fn shared(&self) -> &App {
        &self.app
    }

    /// Starts a stand-in with every default: a free port, random credentials, tokens
    /// living 7200 s.
    ///
    /// # Errors
    ///
    /// The I/O error of binding 127.0.0.1.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// assert_eq!(stand_in.access_key_secret().len(), 32);
    /// # Ok(()) }
    /// ```
    pub async fn start() -> io::Result<Self> {
        Self::builder().start().await
    }

    /// A builder, to change the defaults before starting.
    ///
    /// Example: see [`StandInBuilder`].
    pub fn builder() -> StandInBuilder {
        StandInBuilder::default()
    }

    /// `http://127.0.0.1:<port>`, for both the management and the authentication side.
    ///
    /// Example: see [`StandIn`].
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The socket address the stand-in listens on.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// assert!(stand_in.addr().ip().is_loopback());
    /// # Ok(()) }
    /// ```
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The user pool's access key id, for both management schemes.
    ///
    /// Example: see [`StandIn`].
    pub fn access_key_id(&self) -> &str {
        &self.app.config.access_key_id
    }

    /// The user pool's access key secret.
    ///
    /// Example: see [`StandIn`].
    pub fn access_key_secret(&self) -> &str {
        &self.app.config.access_key_secret
    }

    /// The user pool id: the `scoped_userpool_id` of management tokens, expected in
    /// `x-authing-userpool-id` beside them.
    ///
    /// Example: see [`StandIn`].
    pub fn userpool_id(&self) -> &str {
        &self.app.config.userpool_id
    }

    /// The application id the authentication side expects in `x-authing-app-id`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// assert_eq!(stand_in.app_id().len(), 24);
    /// # Ok(()) }
    /// ```
    pub fn app_id(&self) -> &str {
        &self.app.config.app.id
    }

    /// The application every stand-in starts with (its id is [`app_id`](Self::app_id)).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// assert_eq!(stand_in.application().id, stand_in.app_id());
    /// # Ok(()) }
    /// ```
    pub fn application(&self) -> &Application {
        &self.app.config.app
    }

    /// Adds an application to the user pool (replacing one with the same id) and
    /// returns it. Its users get access tokens for it with [`sign_in`](Self::sign_in).
    ///
    /// ```
    /// use authing_testkit::{Application, StandIn};
    ///
    /// #[authing_core::endpoint(GET, "/api/v3/list-enrolled-factors", response = serde_json::Value, side = authentication)]
    /// struct ListEnrolledFactors;
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let stand_in = StandIn::start().await?;
    /// let billing = stand_in.add_application(Application::new("billing"));
    /// let token = stand_in.sign_in(stand_in.user_id(), &billing.id).expect("known user and app");
    ///
    /// let client = authing_core::AuthenticationClient::builder(&billing.id, stand_in.base_url())
    ///     .access_token(token.clone())
    ///     .build()?;
    /// assert!(client.send(&ListEnrolledFactors).await.is_ok());
    ///
    /// // A token of one application is refused by another.
    /// let elsewhere = stand_in.authentication_client().access_token(token).build()?;
    /// assert!(elsewhere.send(&ListEnrolledFactors).await.is_err());
    /// # Ok(()) }
    /// ```
    pub fn add_application(&self, application: Application) -> Application {
        self.app.store().add_app(application.clone());
        application
    }

    /// Every application of the user pool, the first one first.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// stand_in.add_application(authing_testkit::Application::new("second"));
    /// assert_eq!(stand_in.applications().len(), 2);
    /// # Ok(()) }
    /// ```
    pub fn applications(&self) -> Vec<Application> {
        self.app.store().apps().to_vec()
    }

    /// Adds a user to the user pool (replacing one with the same id) and returns it.
    /// Management endpoints find it by every `userIdType`; it gets access tokens with
    /// [`sign_in`](Self::sign_in).
    ///
    /// ```
    /// use authing_testkit::{StandIn, User};
    /// use serde_json::{Value, json};
    ///
    /// #[authing_core::endpoint(POST, "/api/v3/import-otp", response = ())]
    /// struct ImportOtp { list: Vec<Value> }
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let stand_in = StandIn::start().await?;
    /// let bob = stand_in.add_user(User::new("bob"));
    /// let client = stand_in.management_client().build()?;
    /// let item = json!({"userId": bob.id, "otp": {"secret": "JBSWY3DPEHPK3PXP"}});
    /// client.send(&ImportOtp { list: vec![item] }).await?;
    /// assert_eq!(stand_in.imported_otp(&bob.id).map(|otp| otp.secret).as_deref(), Some("JBSWY3DPEHPK3PXP"));
    /// assert_eq!(stand_in.imported_otp(stand_in.user_id()), None);
    /// # Ok(()) }
    /// ```
    pub fn add_user(&self, user: User) -> User {
        self.app.store().add_user(user.clone());
        user
    }

    /// Every user of the user pool, the seeded one first.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// stand_in.add_user(authing_testkit::User::new("carol"));
    /// assert_eq!(stand_in.users().len(), 2);
    /// # Ok(()) }
    /// ```
    pub fn users(&self) -> Vec<User> {
        self.app.store().users().to_vec()
    }

    /// Signs `user_id` in to the application `app_id`: a fresh access token that the
    /// authentication side accepts from that user for that application, as long as the
    /// stand-in runs. `None` when the user or the application is unknown.
    ///
    /// Example: see [`add_application`](Self::add_application).
    pub fn sign_in(&self, user_id: &str, app_id: &str) -> Option<String> {
        auth::sign_in(&self.app, user_id, app_id)
    }

    /// Answers `canned.method() canned.path()` with `canned` from now on (replacing an
    /// earlier canned answer for them).
    ///
    /// Example: see [`Canned`].
    pub fn canned(&self, canned: Canned) {
        self.app.canned().set(canned);
    }

    /// Stops giving the canned answer for `method` and `path`; whether there was one.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// stand_in.canned(authing_testkit::Canned::anyone("GET", "/x"));
    /// assert!(stand_in.remove_canned("GET", "/x"));
    /// assert!(!stand_in.remove_canned("GET", "/x"));
    /// # Ok(()) }
    /// ```
    pub fn remove_canned(&self, method: &str, path: &str) -> bool {
        self.app.canned().remove(method, path)
    }

    /// The seeded user's access token, sent as is in `authorization` on the
    /// authentication side.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// assert_eq!(stand_in.user_access_token().split('.').count(), 3); // a JWT
    /// # Ok(()) }
    /// ```
    pub fn user_access_token(&self) -> &str {
        &self.app.config.user_access_token
    }

    /// The seeded user's id (shorthand for `user().id`).
    ///
    /// Example: see [`StandIn`].
    pub fn user_id(&self) -> &str {
        &self.app.config.user.id
    }

    /// A builder of an `authing_core` management client of this stand-in: its host and
    /// access key set, everything else (scheme, retries, timeouts) left to the caller.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// let client = stand_in.management_client().build()?;
    /// assert!(!format!("{client:?}").contains(stand_in.access_key_secret()));
    /// # Ok(()) }
    /// ```
    pub fn management_client(&self) -> authing_core::ManagementClientBuilder {
        authing_core::ManagementClient::builder(self.access_key_id(), self.access_key_secret())
            .host(self.base_url())
    }

    /// A builder of an `authing_core` authentication client of this stand-in: its host,
    /// app id and the seeded user's access token set.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// let user = stand_in.authentication_client().build()?;
    /// assert!(!format!("{user:?}").contains(stand_in.user_access_token()));
    /// # Ok(()) }
    /// ```
    pub fn authentication_client(&self) -> authing_core::AuthenticationClientBuilder {
        authing_core::AuthenticationClient::builder(self.app_id(), self.base_url())
            .access_token(self.user_access_token())
    }

    /// The seeded user, with a value for every supported `userIdType`.
    ///
    /// Example: see [`User`].
    pub fn user(&self) -> &User {
        &self.app.config.user
    }

    /// Every request received so far, in order of arrival, including the ones answered
    /// by a [`Fault`], refused, or sent to unknown paths.
    ///
    /// Example: see [`RecordedRequest`].
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.app.log().clone()
    }

    /// The requests received so far for `path` (without query), in order.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// reqwest::get(format!("{}/elsewhere", stand_in.base_url())).await?;
    /// assert!(stand_in.requests_to("/api/v3/import-otp").is_empty());
    /// assert_eq!(stand_in.requests_to("/elsewhere").len(), 1);
    /// # Ok(()) }
    /// ```
    pub fn requests_to(&self, path: &str) -> Vec<RecordedRequest> {
        self.app
            .log()
            .iter()
            .filter(|request| request.path == path)
            .cloned()
            .collect()
    }

    /// How many `POST /api/v3/get-management-token` requests arrived, whatever they were
    /// answered (wrong credentials and scripted faults count too): a client's token
    /// cache is judged by what it asked, not by what it got.
    ///
    /// Example: see [`StandIn`].
    pub fn token_fetches(&self) -> usize {
        let log = self.app.log();
        log.iter()
            .filter(|request| request.method == "POST" && request.path == TOKEN_PATH)
            .count()
    }

    /// Revokes every management token issued so far: they are answered statusCode 401
    /// from now on. Tokens fetched afterwards work.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// stand_in.revoke_tokens();
    /// # Ok(()) }
    /// ```
    pub fn revoke_tokens(&self) {
        self.app.store().revoke_tokens();
    }

    /// The OTP imported for `user_id` (an Authing user id), if any.
    ///
    /// Example: see [`ImportedOtp`].
    pub fn imported_otp(&self, user_id: &str) -> Option<ImportedOtp> {
        self.app.store().otp(user_id).cloned()
    }

    /// Queues `fault` for the next request to any path. Faults are used up in the order
    /// they were queued.
    ///
    /// Example: see [`Fault`].
    pub fn script(&self, fault: Fault) {
        self.app.faults().push(None, fault);
    }

    /// Queues `fault` for the next request to `path` only (exact, without query);
    /// requests to other paths pass it by.
    ///
    /// Example: see [`Fault`].
    pub fn script_for(&self, path: &str, fault: Fault) {
        self.app.faults().push(Some(path.to_owned()), fault);
    }

    /// How many scripted answers are still to be given (a fault scripted
    /// [`times(n)`](Fault::times) counts `n`).
    ///
    /// Example: see [`Fault`].
    pub fn pending_faults(&self) -> usize {
        self.app.faults().pending()
    }

    /// Drops every scripted fault not yet used.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// stand_in.script(authing_testkit::Fault::http(503));
    /// stand_in.clear_faults();
    /// assert_eq!(stand_in.pending_faults(), 0);
    /// # Ok(()) }
    /// ```
    pub fn clear_faults(&self) {
        self.app.faults().clear();
    }

    /// Stops accepting connections, cuts scripted delays short, and waits (up to 5 s)
    /// for requests in flight to be answered. Dropping the stand-in stops it the same
    /// way without waiting.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// let url = stand_in.base_url().to_owned();
    /// stand_in.shutdown().await;
    /// assert!(reqwest::get(url).await.is_err());
    /// # Ok(()) }
    /// ```
    pub async fn shutdown(mut self) {
        self.stop.send_replace(true);
        if let Some(task) = self.task.take() {
            let abort = task.abort_handle();
            if tokio::time::timeout(SHUTDOWN_GRACE, task).await.is_err() {
                abort.abort();
            }
        }
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.stop.send_replace(true);
    }
}

impl fmt::Debug for StandIn {
    // The secret is left out so that a failing test's output can be shared.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StandIn")
            .field("base_url", &self.base_url)
            .field("access_key_id", &self.access_key_id())
            .field("userpool_id", &self.userpool_id())
            .field("app_id", &self.app_id())
            .field("user_id", &self.user_id())
            .finish_non_exhaustive()
    }
}
