//! What the official Node SDK sends for the sign-in endpoints and the OIDC token
//! endpoints (`fixtures/authing-node-sdk-4.0.1-signin.jsonl`, recorded with
//! `fixtures/record-node-signin.js` under each token endpoint auth method), replayed
//! against the stand-in: every request must be accepted, so the stand-in answers what
//! Authing's own SDK sends. Placeholders of the capture (codes, tokens) are swapped for
//! live ones first.

use authing_testkit::StandIn;
use authing_testkit::oidc::{Directory, OidcApp, TokenAuthMethod};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

const NODE: &str = include_str!("../fixtures/authing-node-sdk-4.0.1-signin.jsonl");
const CALLBACK: &str = "http://127.0.0.1:9/callback";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

fn captured() -> Vec<Value> {
    NODE.lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect()
}

fn method_of(name: &str) -> TokenAuthMethod {
    match name {
        "client_secret_post" => TokenAuthMethod::ClientSecretPost,
        "client_secret_basic" => TokenAuthMethod::ClientSecretBasic,
        _ => TokenAuthMethod::None,
    }
}

/// A stand-in whose app, user and directories are the values the capture used.
async fn stand_in(method: TokenAuthMethod) -> StandIn {
    let stand_in = StandIn::start().await.expect("a stand-in");
    let app = OidcApp::new("APP_ID")
        .secret("APP_SECRET")
        .redirect_uri(CALLBACK)
        .token_endpoint_auth_method(method);
    stand_in.add_oidc_app(app);
    let user = stand_in.user().clone();
    assert_eq!(
        user.username, "stand-in-user",
        "the capture signs in this user"
    );
    stand_in.set_password(&user.id, "pa55word");
    for directory in [Directory::Ldap, Directory::Ad] {
        stand_in.add_directory_account(directory, "stand-in-user", "pa55word", &user.id);
    }
    stand_in
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

/// A live code for `APP_ID`, authorized with the capture's PKCE verifier.
async fn live_code(stand_in: &StandIn) -> String {
    let challenge = URL_SAFE_NO_PAD.encode(sha256(VERIFIER.as_bytes()));
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("client_id", "APP_ID"),
            ("redirect_uri", CALLBACK),
            ("response_type", "code"),
            ("scope", "openid profile offline_access"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ])
        .finish();
    let url = format!("{}/oidc/auth?{query}", stand_in.base_url());
    let response = http().get(url).send().await.expect("authorize");
    let location = response.headers()["location"]
        .to_str()
        .expect("text")
        .to_owned();
    let query = location.split_once('?').expect("a query").1;
    form_urlencoded::parse(query.as_bytes())
        .find(|(name, _)| name == "code")
        .map(|(_, code)| code.into_owned())
        .expect("a code")
}

/// Live tokens, from exchanging a live code, authenticated as the app is registered.
async fn live_tokens(stand_in: &StandIn, method: TokenAuthMethod) -> Value {
    let code = live_code(stand_in).await;
    let mut form = form_urlencoded::Serializer::new(String::new());
    form.extend_pairs([
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", CALLBACK),
        ("code_verifier", VERIFIER),
    ]);
    let mut request = http()
        .post(format!("{}/oidc/token", stand_in.base_url()))
        .header("content-type", "application/x-www-form-urlencoded");
    match method {
        TokenAuthMethod::ClientSecretBasic => {
            let basic = base64::engine::general_purpose::STANDARD.encode("APP_ID:APP_SECRET");
            request = request.header("authorization", format!("Basic {basic}"));
        }
        TokenAuthMethod::ClientSecretPost => {
            form.extend_pairs([("client_id", "APP_ID"), ("client_secret", "APP_SECRET")]);
        }
        _ => {
            form.append_pair("client_id", "APP_ID");
        }
    }
    let response = request.body(form.finish()).send().await.expect("token");
    response.json().await.expect("JSON")
}

fn sha256(bytes: &[u8]) -> Vec<u8> {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes).to_vec()
}

/// The captured body with its placeholders replaced by live values.
async fn live_body(stand_in: &StandIn, method: TokenAuthMethod, line: &Value) -> String {
    let mut body = line["body"].as_str().unwrap_or_default().to_owned();
    let user = stand_in.user().clone();
    if body.contains("\"passCode\":\"123456\"") {
        let address = if body.contains("\"email\"") {
            &user.email
        } else {
            &user.phone
        };
        body = body.replace("123456", &stand_in.issue_passcode(address));
    }
    if body.contains("SOCIAL_CODE") {
        body = body.replace(
            "SOCIAL_CODE",
            &stand_in.issue_social_code("wechat", &user.id),
        );
    }
    if body.contains("THE_CODE") {
        body = body.replace("THE_CODE", &live_code(stand_in).await);
    }
    for (placeholder, field) in [
        ("THE_REFRESH_TOKEN", "refresh_token"),
        ("THE_ACCESS_TOKEN", "access_token"),
    ] {
        if body.contains(placeholder) {
            let tokens = live_tokens(stand_in, method).await;
            body = body.replace(placeholder, tokens[field].as_str().expect("a token"));
        }
    }
    body
}

async fn replay(stand_in: &StandIn, method: TokenAuthMethod, line: &Value) -> (u16, Value) {
    let body = live_body(stand_in, method, line).await;
    let mut query: Vec<(String, String)> = line["query"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|pair| {
            (
                pair[0].as_str().unwrap_or_default().to_owned(),
                pair[1].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    for (name, value) in &mut query {
        if name == "access_token" {
            *value = live_tokens(stand_in, method).await["access_token"]
                .as_str()
                .expect("a token")
                .to_owned();
        }
    }
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&query)
        .finish();
    let url = format!(
        "{}{}?{query}",
        stand_in.base_url(),
        line["path"].as_str().unwrap_or_default()
    );
    let http_method =
        reqwest::Method::from_bytes(line["method"].as_str().unwrap_or_default().as_bytes())
            .expect("a method");
    let mut request = http().request(http_method, url);
    for name in ["content-type", "authorization", "x-authing-app-id"] {
        if let Some(value) = line["headers"][name].as_str() {
            request = request.header(name, value);
        }
    }
    let response = request.body(body).send().await.expect("a replay");
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test]
async fn every_request_of_the_node_sdk_is_accepted_by_the_stand_in() {
    let lines = captured();
    assert_eq!(
        lines.len(),
        47,
        "16 calls under post and basic, 15 under none"
    );
    for auth in ["client_secret_post", "client_secret_basic", "none"] {
        let method = method_of(auth);
        let stand_in = stand_in(method).await;
        for line in lines.iter().filter(|l| l["auth"] == auth) {
            let call = line["call"].as_str().unwrap_or_default();
            let (status, answer) = replay(&stand_in, method, line).await;
            assert_eq!(status, 200, "{call} under {auth}: {answer}");
            let path = line["path"].as_str().unwrap_or_default();
            if path.starts_with("/api/v3/") {
                assert_eq!(answer["statusCode"], 200, "{call} under {auth}: {answer}");
            }
            match call {
                "introspectToken" => assert_eq!(answer["active"], true, "{auth}"),
                "getUserInfoByAccessToken" => {
                    assert_eq!(answer["sub"], stand_in.user_id(), "{auth}")
                }
                c if c.starts_with("signIn") || c == "getAccessTokenByCode" => {
                    let tokens = if path.starts_with("/api/v3/") {
                        &answer["data"]
                    } else {
                        &answer
                    };
                    assert!(
                        tokens["id_token"].is_string(),
                        "{call} under {auth}: {answer}"
                    );
                }
                _ => {}
            }
        }
    }
}
