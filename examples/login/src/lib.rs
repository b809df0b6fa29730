//! A small web app that signs users in with Authing the authing-oidc way, on one
//! [`OidcClient`]: [`OidcClient::authorize_url`] makes the authorization URL (state, nonce,
//! PKCE S256) and the [`PendingLogin`] this app keeps server-side, under a random id in a
//! cookie of the browser that started it (the PKCE verifier never leaves the server);
//! [`PendingLogin::check_callback`] checks the callback (a wrong state or Authing's
//! `error=` is shown as a page); [`OidcClient::exchange_code`] and
//! [`OidcClient::verify_id_token`] turn the code into verified claims (signature from
//! the application's JWKS, issuer, audience, expiry and this login's nonce), and the home
//! page shows who signed in. `/logout` goes through [`OidcClient::logout_url`].
//!
//! [`router`] is the whole app; the `authing-login-example` binary serves it, against
//! the loopback stand-in unless `AUTHING_APP_ID`, `AUTHING_APP_SECRET` and
//! `AUTHING_APP_HOST` name a real Authing application ([`Settings::from_env`]).
//!
//! ```no_run
//! # #[tokio::main] async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
//! let (stand_in, settings) = authing_login_example::Settings::stand_in("http://127.0.0.1:3000").await?;
//! axum::serve(listener, authing_login_example::router(settings)?).await?;
//! # drop(stand_in); Ok(()) }
//! ```

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use authing_core::{AuthenticationClient, Secret, TokenEndpointAuth};
use authing_oidc::verify::{IdTokenClaims, VerifyError};
use authing_oidc::{AuthorizeUrl, CallbackError, LogoutOptions, OidcClient, PendingLogin};
use authing_testkit::StandIn;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Where the app is served and which Authing application it signs users in to.
#[derive(Debug, Clone)]
pub struct Settings {
    /// This app's own base URL, e.g. `http://127.0.0.1:3000`; the callback is
    /// `<base>/callback` and must be registered with the application.
    pub base_url: String,
    /// The application's id.
    pub app_id: String,
    /// The application's secret (`client_secret_post` at the token endpoint).
    pub app_secret: Secret,
    /// The application's host, e.g. `https://example.authing.cn`.
    pub app_host: String,
}

impl Settings {
    /// From `AUTHING_APP_ID`, `AUTHING_APP_SECRET` and `AUTHING_APP_HOST`; `None` when
    /// any is unset.
    ///
    /// ```
    /// let settings = authing_login_example::Settings::from_env("http://127.0.0.1:3000/");
    /// if std::env::var_os("AUTHING_APP_ID").is_none() {
    ///     assert!(settings.is_none(), "without the variables the binary uses the stand-in");
    /// } else if let Some(settings) = settings {
    ///     assert_eq!(settings.base_url, "http://127.0.0.1:3000");
    /// }
    /// ```
    pub fn from_env(base_url: &str) -> Option<Self> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Some(Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            app_id: var("AUTHING_APP_ID")?,
            app_secret: Secret::from(var("AUTHING_APP_SECRET")?),
            app_host: var("AUTHING_APP_HOST")?.trim_end_matches('/').to_owned(),
        })
    }

    /// Starts a loopback Authing stand-in whose application has this app's callback
    /// registered, and settings for it. Keep the stand-in alive as long as the app.
    ///
    /// # Errors
    ///
    /// The I/O error of binding the stand-in's port.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let (stand_in, settings) = authing_login_example::Settings::stand_in("http://127.0.0.1:3000").await?;
    /// assert_eq!(settings.app_host, stand_in.base_url());
    /// assert!(stand_in.oidc_app().redirect_uris.contains(&"http://127.0.0.1:3000/callback".to_owned()));
    /// # Ok(()) }
    /// ```
    pub async fn stand_in(base_url: &str) -> std::io::Result<(StandIn, Self)> {
        let stand_in = StandIn::start().await?;
        let base_url = base_url.trim_end_matches('/').to_owned();
        let app = stand_in
            .oidc_app()
            .redirect_uri(format!("{base_url}/callback"))
            .post_logout_redirect_uri(format!("{base_url}/"));
        stand_in.add_oidc_app(app.clone());
        let settings = Self {
            base_url,
            app_id: app.client_id,
            app_secret: Secret::from(app.client_secret),
            app_host: stand_in.base_url().to_owned(),
        };
        Ok((stand_in, settings))
    }

    fn callback(&self) -> String {
        format!("{}/callback", self.base_url)
    }
}

/// How long a browser has to come back from Authing before its login is forgotten.
const LOGIN_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// The cookie naming a browser's login in progress: a random id, never the login itself
/// (whose PKCE verifier must stay on the server).
const LOGIN_COOKIE: &str = "login";

/// The cookie naming a browser's session once signed in.
const SESSION_COOKIE: &str = "session";

/// How long a session lasts, here and in the browser's cookie.
const SESSION_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// Entries by a random id that are forgotten `lifetime` after they were made: a browser
/// that never comes back must not keep memory in use.
struct Expiring<T> {
    lifetime: Duration,
    entries: HashMap<String, (T, Instant)>,
}

impl<T: Clone> Expiring<T> {
    fn new(lifetime: Duration) -> Self {
        Self {
            lifetime,
            entries: HashMap::new(),
        }
    }

    /// Stores `value` under `id` at `now`, dropping the entries that have expired.
    fn insert(&mut self, id: String, value: T, now: Instant) {
        let lifetime = self.lifetime;
        self.entries
            .retain(|_, (_, made)| now.duration_since(*made) < lifetime);
        self.entries.insert(id, (value, now));
    }

    /// The value under `id`, unless it has expired by `now`.
    fn get(&self, id: &str, now: Instant) -> Option<T> {
        let (value, made) = self.entries.get(id)?;
        (now.duration_since(*made) < self.lifetime).then(|| value.clone())
    }

    /// Takes the value under `id` out, unless it has expired by `now`.
    fn remove(&mut self, id: &str, now: Instant) -> Option<T> {
        let (value, made) = self.entries.remove(id)?;
        (now.duration_since(made) < self.lifetime).then_some(value)
    }
}

/// Someone signed in.
#[derive(Clone)]
struct SignedIn {
    claims: IdTokenClaims,
    /// For the logout URL's `id_token_hint`.
    id_token: Secret,
}

struct AppState {
    /// This app's base URL, where the logout comes back to.
    base_url: String,
    /// The sign-in flows; keeps the application's keys between logins.
    oidc: OidcClient,
    /// Logins in progress, by the id in the browser's `login` cookie.
    pending: Mutex<Expiring<PendingLogin>>,
    /// Who is signed in, by the id in the browser's `session` cookie.
    sessions: Mutex<Expiring<SignedIn>>,
}

/// The app: `/` shows who is signed in, `/login` sends the browser to Authing,
/// `/callback` finishes the login, `/logout` ends it (here and at Authing).
///
/// # Errors
///
/// [`authing_core::Error::Config`] when the settings cannot make a client (an app host
/// that is not a URL, or plain `http` to a host other than loopback).
///
/// Example: see the crate documentation.
pub fn router(settings: Settings) -> Result<Router, authing_core::Error> {
    let authing = AuthenticationClient::builder(&settings.app_id, &settings.app_host)
        .app_secret(settings.app_secret.clone())
        .token_endpoint_auth(TokenEndpointAuth::ClientSecretPost)
        .build()?;
    let oidc = OidcClient::new(authing, settings.callback()).with_scope("openid profile email");
    let state = Arc::new(AppState {
        base_url: settings.base_url,
        oidc,
        pending: Mutex::new(Expiring::new(LOGIN_TIMEOUT)),
        sessions: Mutex::new(Expiring::new(SESSION_LIFETIME)),
    });
    Ok(Router::new()
        .route("/", get(home))
        .route("/login", get(login))
        .route("/callback", get(callback))
        .route("/logout", get(logout))
        .with_state(state))
}

async fn home(State(app): State<Arc<AppState>>, headers: HeaderMap) -> Html<String> {
    let signed_in = cookie(&headers, SESSION_COOKIE)
        .and_then(|id| lock(&app.sessions).get(&id, Instant::now()));
    let body = match signed_in {
        Some(user) => {
            let claims = &user.claims;
            let or_dash = |claim: &Option<String>| escape(claim.as_deref().unwrap_or("-"));
            format!(
                "<h1>Signed in</h1><p>Signed in as <b id=\"name\">{}</b> (<span id=\"email\">{}</span>)</p><p>Subject: <code id=\"sub\">{}</code>, issuer <code>{}</code></p><p><a href=\"/logout\">Sign out</a></p>",
                or_dash(&claims.name),
                or_dash(&claims.email),
                escape(&claims.sub),
                escape(&claims.iss),
            )
        }
        None => {
            "<h1>Not signed in</h1><p><a href=\"/login\">Sign in with Authing</a></p>".to_owned()
        }
    };
    Html(page(&body))
}

async fn login(State(app): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let AuthorizeUrl { url, login } = app.oidc.authorize_url();
    let id = random_id();
    {
        let mut pending = lock(&app.pending);
        let now = Instant::now();
        // Abandoned logins go (on insert), and so does this browser's previous one.
        if let Some(previous) = cookie(&headers, LOGIN_COOKIE) {
            pending.remove(&previous, now);
        }
        pending.insert(id.clone(), login, now);
    }
    let max_age = LOGIN_TIMEOUT.as_secs();
    redirect(&url, &[set_cookie(LOGIN_COOKIE, &id, max_age)])
}

/// Why a callback did not sign anyone in.
enum Failed {
    /// This browser has no login in progress here (no cookie, an unknown or finished one).
    NoLogin,
    /// authing-oidc refused the callback: a wrong state, Authing's `error=`, no code.
    Callback(CallbackError),
    Exchange(authing_core::Error),
    NoIdToken,
    IdToken(VerifyError),
}

impl Failed {
    fn response(&self) -> Response {
        let (status, body) = match self {
            Self::Callback(CallbackError::Refused { error, description }) => (
                StatusCode::BAD_REQUEST,
                format!(
                    "<h1>Sign-in cancelled</h1><p>Authing ended the sign-in with <code id=\"error\">{}</code>: <span id=\"description\">{}</span></p>",
                    escape(error),
                    escape(description.as_deref().unwrap_or("no reason given")),
                ),
            ),
            Self::NoLogin | Self::Callback(_) => (StatusCode::BAD_REQUEST, self.explained()),
            Self::Exchange(_) | Self::NoIdToken | Self::IdToken(_) => {
                (StatusCode::BAD_GATEWAY, self.explained())
            }
        };
        let body = format!("{body}<p><a href=\"/login\">Sign in again</a></p>");
        let clear = set_cookie(LOGIN_COOKIE, "", 0);
        let mut response = (status, Html(page(&body))).into_response();
        append_cookies(&mut response, &[clear]);
        response
    }

    fn explained(&self) -> String {
        let why = match self {
            Self::NoLogin => "this browser has no sign-in in progress here (it expired, was finished already, or was started elsewhere)".to_owned(),
            Self::Callback(error) => error.to_string(),
            Self::Exchange(error) => format!("the code exchange failed: {error}"),
            Self::NoIdToken => "Authing answered no ID token".to_owned(),
            Self::IdToken(error) => format!("the ID token was refused: {error}"),
        };
        format!(
            "<h1>Sign-in failed</h1><p id=\"error\">{}</p>",
            escape(&why)
        )
    }
}

async fn callback(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    match finish_login(&app, &headers, query.as_deref().unwrap_or_default()).await {
        Ok(session) => redirect(
            "/",
            &[
                set_cookie(LOGIN_COOKIE, "", 0),
                set_cookie(SESSION_COOKIE, &session, SESSION_LIFETIME.as_secs()),
            ],
        ),
        Err(failed) => failed.response(),
    }
}

/// Checks the callback against this browser's login, exchanges the code and verifies the
/// ID token; the id of the new session.
async fn finish_login(app: &AppState, headers: &HeaderMap, query: &str) -> Result<String, Failed> {
    // Taken out whatever comes next: a login is finished by its first callback.
    let pending = cookie(headers, LOGIN_COOKIE)
        .and_then(|id| lock(&app.pending).remove(&id, Instant::now()))
        .ok_or(Failed::NoLogin)?;
    let code = pending.check_callback(query).map_err(Failed::Callback)?;
    let tokens = app
        .oidc
        .exchange_code(&code)
        .await
        .map_err(Failed::Exchange)?;
    let (Some(id_token), Some(nonce)) = (tokens.id_token, code.login().nonce()) else {
        return Err(Failed::NoIdToken);
    };
    let claims = app
        .oidc
        .verify_id_token(id_token.expose(), nonce)
        .await
        .map_err(Failed::IdToken)?;
    let session = random_id();
    let signed_in = SignedIn { claims, id_token };
    lock(&app.sessions).insert(session.clone(), signed_in, Instant::now());
    Ok(session)
}

async fn logout(State(app): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let signed_in = cookie(&headers, SESSION_COOKIE)
        .and_then(|id| lock(&app.sessions).remove(&id, Instant::now()));
    let clear = [set_cookie(SESSION_COOKIE, "", 0)];
    let Some(user) = signed_in else {
        return redirect("/", &clear);
    };
    let options = LogoutOptions::default()
        .id_token_hint(&user.id_token)
        .redirect_uri(format!("{}/", app.base_url));
    redirect(&app.oidc.logout_url(&options), &clear)
}

fn redirect(location: &str, cookies: &[String]) -> Response {
    let mut response =
        (StatusCode::FOUND, [(header::LOCATION, location.to_owned())]).into_response();
    append_cookies(&mut response, cookies);
    response
}

/// A `set-cookie` value; `max_age` 0 deletes the cookie.
fn set_cookie(name: &str, value: &str, max_age: u64) -> String {
    format!("{name}={value}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age}")
}

fn append_cookies(response: &mut Response, cookies: &[String]) {
    for value in cookies.iter().filter_map(|c| c.parse().ok()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, value)| *key == name && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

/// An id no one can guess, for the login and session cookies.
fn random_id() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 24]>())
}

fn page(body: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>authing-rs login example</title><style>body{{font-family:sans-serif;margin:3em}}</style></head><body>{body}</body></html>"
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expired_entries_are_not_handed_out_and_are_dropped_on_the_next_insert() {
        let lifetime = Duration::from_secs(60);
        let start = Instant::now();
        let later = start + lifetime;
        let mut store = Expiring::new(lifetime);
        store.insert("old".to_owned(), 1, start);
        store.insert("taken".to_owned(), 2, start);
        assert_eq!(store.get("old", start + Duration::from_secs(59)), Some(1));
        assert_eq!(store.get("old", later), None);
        assert_eq!(store.remove("taken", later), None);
        store.insert("new".to_owned(), 3, later);
        assert_eq!(store.entries.len(), 1, "the expired entry is gone");
        assert_eq!(store.remove("new", later), Some(3));
        assert_eq!(store.get("new", later), None);
    }
}
