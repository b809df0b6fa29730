//! A small web app that signs users in with Authing: authorization code with PKCE
//! (S256), state and nonce, the code exchanged on the one authing-rs transport, the ID
//! token verified by authing-oidc's [`TokenVerifier`] (signature from the application's
//! JWKS, issuer, audience, expiry and this login's nonce), and who signed in shown on the
//! home page.
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

use authing_core::{AuthenticationClient, Secret, TokenEndpointAuth, endpoint};
use authing_oidc::verify::{IdTokenClaims, TokenVerifier};
use authing_testkit::StandIn;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use sha2::{Digest as _, Sha256};

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

/// The token endpoint's code exchange (RFC 6749 §4.1.3 with RFC 7636's verifier).
#[endpoint(POST, "/oidc/token", response = Tokens, side = authentication,
           body = form, answer = plain, auth = client)]
#[serde(rename_all = "snake_case")]
struct ExchangeCode {
    grant_type: &'static str,
    code: Secret,
    redirect_uri: String,
    code_verifier: Secret,
}

#[derive(Debug, Deserialize)]
struct Tokens {
    id_token: Option<Secret>,
}

/// A login on its way: what the callback must find again.
struct Pending {
    nonce: String,
    verifier: Secret,
}

/// Someone signed in.
#[derive(Clone)]
struct SignedIn {
    claims: IdTokenClaims,
    id_token: Secret,
}

struct AppState {
    settings: Settings,
    authing: AuthenticationClient,
    /// Keeps the application's keys between logins.
    verifier: TokenVerifier,
    pending: Mutex<HashMap<String, Pending>>,
    sessions: Mutex<HashMap<String, SignedIn>>,
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
    let state = Arc::new(AppState {
        verifier: TokenVerifier::new(&authing),
        settings,
        authing,
        pending: Mutex::default(),
        sessions: Mutex::default(),
    });
    Ok(Router::new()
        .route("/", get(home))
        .route("/login", get(login))
        .route("/callback", get(callback))
        .route("/logout", get(logout))
        .with_state(state))
}

async fn home(State(app): State<Arc<AppState>>, headers: HeaderMap) -> Html<String> {
    let signed_in =
        cookie(&headers, "session").and_then(|id| lock(&app.sessions).get(&id).cloned());
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

async fn login(State(app): State<Arc<AppState>>) -> Response {
    let state = random_token();
    let nonce = random_token();
    let verifier = random_token() + &random_token();
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let settings = &app.settings;
    let query = serde_urlencoded(&[
        ("client_id", settings.app_id.as_str()),
        ("redirect_uri", &settings.callback()),
        ("response_type", "code"),
        ("scope", "openid profile email"),
        ("state", &state),
        ("nonce", &nonce),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ]);
    lock(&app.pending).insert(
        state.clone(),
        Pending {
            nonce,
            verifier: Secret::from(verifier),
        },
    );
    let location = format!("{}/oidc/auth?{query}", settings.app_host);
    // The state is also bound to this browser, so a callback from another one fails.
    let cookie = format!("login_state={state}; HttpOnly; SameSite=Lax; Path=/");
    redirect(&location, Some(cookie))
}

#[derive(Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

async fn callback(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(query): Query<CallbackQuery>,
) -> Response {
    match finish_login(&app, &headers, query).await {
        Ok(session) => {
            let cookie = format!("session={session}; HttpOnly; SameSite=Lax; Path=/");
            redirect("/", Some(cookie))
        }
        Err(why) => (StatusCode::BAD_REQUEST, Html(page(&format!("<h1>Sign-in failed</h1><p id=\"error\">{}</p><p><a href=\"/login\">Try again</a></p>", escape(&why))))).into_response(),
    }
}

async fn finish_login(
    app: &AppState,
    headers: &HeaderMap,
    query: CallbackQuery,
) -> Result<String, String> {
    if let Some(error) = query.error {
        return Err(format!(
            "Authing refused: {error}: {}",
            query.error_description.unwrap_or_default()
        ));
    }
    let state = query.state.ok_or("the callback has no state")?;
    if cookie(headers, "login_state").as_deref() != Some(state.as_str()) {
        return Err("the state is not the one this browser started".into());
    }
    let pending = lock(&app.pending)
        .remove(&state)
        .ok_or("the login is unknown or finished")?;
    let code = query.code.ok_or("the callback has no code")?;
    let exchange = ExchangeCode {
        grant_type: "authorization_code",
        code: Secret::from(code),
        redirect_uri: app.settings.callback(),
        code_verifier: pending.verifier,
    };
    let tokens = app
        .authing
        .send(&exchange)
        .await
        .map_err(|e| format!("the code exchange failed: {e}"))?;
    let id_token = tokens.id_token.ok_or("Authing answered no ID token")?;
    let claims = app
        .verifier
        .verify_id_token(id_token.expose(), &pending.nonce)
        .await
        .map_err(|e| format!("the ID token was refused: {e}"))?;
    let session = random_token();
    lock(&app.sessions).insert(session.clone(), SignedIn { claims, id_token });
    Ok(session)
}

async fn logout(State(app): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let signed_in = cookie(&headers, "session").and_then(|id| lock(&app.sessions).remove(&id));
    let clear = Some("session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0".to_owned());
    let Some(user) = signed_in else {
        return redirect("/", clear);
    };
    let settings = &app.settings;
    let query = serde_urlencoded(&[
        ("id_token_hint", user.id_token.expose()),
        (
            "post_logout_redirect_uri",
            &format!("{}/", settings.base_url),
        ),
    ]);
    redirect(
        &format!("{}/oidc/session/end?{query}", settings.app_host),
        clear,
    )
}

fn redirect(location: &str, cookie: Option<String>) -> Response {
    let mut response =
        (StatusCode::FOUND, [(header::LOCATION, location.to_owned())]).into_response();
    if let Some(value) = cookie.and_then(|c| c.parse().ok()) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

fn random_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 24]>())
}

fn serde_urlencoded(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&encode(name));
        out.push('=');
        out.push_str(&encode(value));
    }
    out
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
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
