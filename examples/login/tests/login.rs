//! The login example driven over HTTP like a browser: redirects followed, cookies kept
//! per host, from `/login` through the stand-in's authorize endpoint and back, until the
//! home page says who signed in; and the callbacks it must refuse.

use std::collections::HashMap;

use authing_login_example::{Settings, router};

/// A browser without a screen: follows redirects and keeps cookies per host and port.
#[derive(Default)]
struct Browser {
    cookies: HashMap<String, HashMap<String, String>>,
}

impl Browser {
    /// One GET of `url`, keeping the cookies it sets: the status, the `location` it
    /// redirects to (made absolute) and the body.
    async fn get(&mut self, url: &str) -> (u16, Option<String>, String) {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a client");
        let host = host_of(url);
        let jar = self.cookies.entry(host.clone()).or_default();
        let cookie: Vec<String> = jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let response = http
            .get(url)
            .header("cookie", cookie.join("; "))
            .send()
            .await
            .expect("a response");
        for value in response.headers().get_all("set-cookie") {
            let pair = value
                .to_str()
                .unwrap_or_default()
                .split(';')
                .next()
                .unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                if value.is_empty() {
                    jar.remove(name);
                } else {
                    jar.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|l| l.to_str().expect("text").to_owned())
            .map(|l| {
                if l.starts_with('/') {
                    format!("http://{host}{l}")
                } else {
                    l
                }
            });
        (status, location, response.text().await.expect("a body"))
    }

    /// GETs `url` and follows every redirect; the final status, URL and body.
    async fn visit(&mut self, url: &str) -> (u16, String, String) {
        let mut url = url.to_owned();
        for _ in 0..10 {
            let (status, location, body) = self.get(&url).await;
            match location {
                Some(next) if status == 302 || status == 303 => url = next,
                _ => return (status, url, body),
            }
        }
        panic!("too many redirects");
    }

    /// The cookie `name` this browser holds for `host`.
    fn cookie(&self, host: &str, name: &str) -> Option<&str> {
        self.cookies.get(host)?.get(name).map(String::as_str)
    }
}

fn host_of(url: &str) -> String {
    url.split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default()
        .to_owned()
}

/// The example served on a free port, signing in to a fresh stand-in.
async fn serve() -> (authing_testkit::StandIn, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let base_url = format!("http://{}", listener.local_addr().expect("an address"));
    let (stand_in, settings) = Settings::stand_in(&base_url).await.expect("a stand-in");
    let app = router(settings).expect("the app");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (stand_in, base_url)
}

/// The value of `name` in a query or form body (values here need no decoding).
fn param<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

#[tokio::test]
async fn signing_in_follows_the_code_flow_and_shows_who_signed_in() {
    let (stand_in, base_url) = serve().await;
    let mut browser = Browser::default();
    let (status, _, body) = browser.visit(&format!("{base_url}/")).await;
    assert_eq!(status, 200);
    assert!(body.contains("Not signed in"), "{body}");

    let (status, url, body) = browser.visit(&format!("{base_url}/login")).await;
    assert_eq!(
        (status, url.as_str()),
        (200, format!("{base_url}/").as_str()),
        "{body}"
    );
    let user = stand_in.user();
    assert!(
        body.contains(&format!("<b id=\"name\">{}</b>", user.username)),
        "{body}"
    );
    assert!(
        body.contains(&format!("<span id=\"email\">{}</span>", user.email)),
        "{body}"
    );
    assert!(
        body.contains(&format!("<code id=\"sub\">{}</code>", user.id)),
        "{body}"
    );

    // The flow was the code flow with PKCE S256, and the code was exchanged with the
    // verifier of that very challenge, which the browser never held.
    let authorize = stand_in
        .requests_to("/oidc/auth")
        .pop()
        .expect("an authorize request");
    assert_eq!(authorize.query_param("code_challenge_method"), Some("S256"));
    assert!(authorize.query_param("nonce").is_some() && authorize.query_param("state").is_some());
    let exchange = stand_in
        .requests_to("/oidc/token")
        .pop()
        .expect("a code exchange");
    let verifier = param(&exchange.body, "code_verifier").expect("a code_verifier");
    assert_eq!(
        authorize.query_param("code_challenge"),
        Some(authing_oidc::pkce_challenge(verifier).as_str())
    );
    let app_host = host_of(&base_url);
    assert!(
        browser.cookies[&app_host]
            .values()
            .all(|value| !value.contains(verifier)),
        "the verifier stays on the server"
    );
    assert_eq!(
        browser.cookie(&app_host, "login"),
        None,
        "the finished login's cookie is cleared"
    );
    // The ID token was verified by the SDK, with keys it fetched once.
    assert_eq!(stand_in.requests_to("/oidc/.well-known/jwks.json").len(), 1);

    // Signing out ends the session here and at the provider, and comes back home.
    let (status, _, body) = browser.visit(&format!("{base_url}/logout")).await;
    assert_eq!(status, 200);
    assert!(body.contains("Not signed in"), "{body}");
    let end = stand_in
        .requests_to("/oidc/session/end")
        .pop()
        .expect("a logout at the provider");
    assert_eq!(
        end.query_param("post_logout_redirect_uri"),
        Some(format!("{base_url}/").as_str())
    );
    assert!(end.query_param("id_token_hint").is_some());
}

#[tokio::test]
async fn a_callback_without_a_login_this_browser_started_is_refused() {
    let (stand_in, base_url) = serve().await;
    let no_login = "this browser has no sign-in in progress here";

    // No login cookie at all, with or without Authing's error.
    let mut stranger = Browser::default();
    for query in [
        "code=c&state=s",
        "error=access_denied&error_description=no",
        "",
    ] {
        let (status, _, body) = stranger
            .visit(&format!("{base_url}/callback?{query}"))
            .await;
        assert_eq!(status, 400, "{query}: {body}");
        assert!(body.contains(no_login), "{query}: {body}");
    }

    // A login cookie the app never handed out.
    let mut forger = Browser::default();
    forger
        .cookies
        .entry(host_of(&base_url))
        .or_default()
        .insert("login".into(), "made-up".into());
    let (status, _, body) = forger
        .visit(&format!("{base_url}/callback?code=c&state=s"))
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains(no_login), "{body}");
    assert!(
        stand_in.requests_to("/oidc/token").is_empty(),
        "nothing was exchanged"
    );
}

#[tokio::test]
async fn a_callback_with_a_state_this_login_did_not_send_is_refused_and_ends_the_login() {
    let (stand_in, base_url) = serve().await;
    let mut browser = Browser::default();
    let (status, location, _) = browser.get(&format!("{base_url}/login")).await;
    assert_eq!(status, 302);
    let authorize = location.expect("a redirect to Authing");
    let state = param(authorize.split_once('?').expect("a query").1, "state").expect("a state");

    let (status, _, body) = browser
        .visit(&format!("{base_url}/callback?code=c&state=forged"))
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("is not the one this login sent"),
        "authing-oidc's StateMismatch: {body}"
    );
    // The login is finished: even its right state no longer signs in.
    let (status, _, body) = browser
        .visit(&format!("{base_url}/callback?code=c&state={state}"))
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("no sign-in in progress"), "{body}");
    assert!(
        stand_in.requests_to("/oidc/token").is_empty(),
        "nothing was exchanged"
    );
}

#[tokio::test]
async fn an_error_authing_sends_back_is_shown_as_a_page() {
    let (stand_in, base_url) = serve().await;
    let mut browser = Browser::default();
    let (_, location, _) = browser.get(&format!("{base_url}/login")).await;
    // A user the stand-in does not have: its authorize endpoint answers `access_denied`
    // to the callback, with this login's state, as Authing does when a user declines.
    let authorize = location.expect("a redirect to Authing") + "&login_hint=nobody%40example.com";
    let (status, url, body) = browser.visit(&authorize).await;
    assert!(url.starts_with(&format!("{base_url}/callback?")), "{url}");
    assert!(url.contains("error=access_denied"), "{url}");
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("<h1>Sign-in cancelled</h1>"), "{body}");
    assert!(
        body.contains("<code id=\"error\">access_denied</code>"),
        "{body}"
    );
    assert!(
        body.contains("<span id=\"description\">no stand-in user matches login_hint</span>"),
        "{body}"
    );
    assert!(
        stand_in.requests_to("/oidc/token").is_empty(),
        "nothing was exchanged"
    );
    let (_, _, home) = browser.visit(&format!("{base_url}/")).await;
    assert!(home.contains("Not signed in"), "{home}");
}
