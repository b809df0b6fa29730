//! The login example driven over HTTP like a browser: redirects followed, cookies kept
//! per host, from `/login` through the stand-in's authorize endpoint and back, until the
//! home page says who signed in.

use std::collections::HashMap;

use authing_login_example::{Settings, router};

/// A browser without a screen: follows redirects and keeps cookies per host and port.
#[derive(Default)]
struct Browser {
    cookies: HashMap<String, HashMap<String, String>>,
}

impl Browser {
    /// GETs `url` and follows every redirect; the final status, URL and body.
    async fn visit(&mut self, url: &str) -> (u16, String, String) {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a client");
        let mut url = url.to_owned();
        for _ in 0..10 {
            let host = host_of(&url);
            let jar = self.cookies.entry(host.clone()).or_default();
            let cookie: Vec<String> = jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let response = http
                .get(&url)
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
            if status == 302 || status == 303 {
                let location = response.headers()["location"]
                    .to_str()
                    .expect("text")
                    .to_owned();
                url = if location.starts_with('/') {
                    format!("http://{host}{location}")
                } else {
                    location
                };
                continue;
            }
            return (status, url, response.text().await.expect("a body"));
        }
        panic!("too many redirects");
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
    assert!(body.contains(&user.email), "{body}");
    assert!(body.contains(&user.id), "{body}");

    // The flow was the code flow with PKCE S256, and the code was exchanged with the verifier.
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
    assert!(
        exchange.body.contains("code_verifier="),
        "{}",
        exchange.body
    );
    // The ID token was verified by the SDK, with keys it fetched once.
    assert_eq!(stand_in.requests_to("/oidc/.well-known/jwks.json").len(), 1);

    // Signing out ends the session here and at the provider, and comes back home.
    let (status, _, body) = browser.visit(&format!("{base_url}/logout")).await;
    assert_eq!(status, 200);
    assert!(body.contains("Not signed in"), "{body}");
    assert_eq!(stand_in.requests_to("/oidc/session/end").len(), 1);
}

#[tokio::test]
async fn a_callback_with_a_state_this_browser_did_not_start_is_refused() {
    let (_stand_in, base_url) = serve().await;
    let mut browser = Browser::default();
    let (status, _, body) = browser
        .visit(&format!("{base_url}/callback?code=c&state=forged"))
        .await;
    assert_eq!(status, 400);
    assert!(
        body.contains("the state is not the one this browser started"),
        "{body}"
    );
    let (status, _, body) = browser
        .visit(&format!(
            "{base_url}/callback?error=access_denied&error_description=no"
        ))
        .await;
    assert_eq!(status, 400);
    assert!(body.contains("access_denied"), "{body}");
}
