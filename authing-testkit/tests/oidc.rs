//! The stand-in as an OIDC / OAuth provider, over HTTP: every endpoint, grant and client
//! authentication method, and the refusals, as a client sees them.

use std::time::Duration;

use authing_testkit::StandIn;
use authing_testkit::oidc::{IdTokenAlg, OidcApp, TokenAuthMethod};
use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::{Digest, Sha256};

const CALLBACK: &str = "http://127.0.0.1:9/callback";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

/// A stand-in whose default app has `CALLBACK` registered and `method`.
async fn provider(method: TokenAuthMethod) -> (StandIn, OidcApp) {
    let stand_in = StandIn::start().await.expect("a stand-in");
    let app = stand_in
        .oidc_app()
        .redirect_uri(CALLBACK)
        .post_logout_redirect_uri("http://127.0.0.1:9/bye")
        .token_endpoint_auth_method(method);
    stand_in.add_oidc_app(app.clone());
    (stand_in, app)
}

fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// The query parameters of a redirect's `location`.
fn redirect_params(response: &reqwest::Response) -> Vec<(String, String)> {
    assert_eq!(response.status(), 302, "expected a redirect");
    let location = response.headers()["location"].to_str().expect("text");
    let (_, query) = location.split_once('?').expect("a query");
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// `GET <prefix>/auth` with the usual parameters plus `extra`; the redirect's parameters.
async fn authorize(
    stand_in: &StandIn,
    prefix: &str,
    app: &OidcApp,
    extra: &[(&str, &str)],
) -> Vec<(String, String)> {
    let mut query = vec![
        ("client_id", app.client_id.as_str()),
        ("redirect_uri", CALLBACK),
        ("response_type", "code"),
        ("scope", "openid profile email phone offline_access"),
        ("state", "st-1"),
        ("nonce", "n-1"),
    ];
    for (name, value) in extra {
        query.retain(|(n, _)| n != name);
        query.push((name, value));
    }
    let url = format!("{}{prefix}/auth", stand_in.base_url());
    let response = http()
        .get(url)
        .query(&query)
        .send()
        .await
        .expect("authorize");
    redirect_params(&response)
}

async fn code(stand_in: &StandIn, app: &OidcApp, extra: &[(&str, &str)]) -> String {
    let params = authorize(stand_in, "/oidc", app, extra).await;
    assert_eq!(param(&params, "state"), Some("st-1"));
    param(&params, "code").expect("a code").to_owned()
}

/// `POST <path>` with `form`, authenticated as `app` says; status and JSON body.
async fn post_form(
    stand_in: &StandIn,
    path: &str,
    app: &OidcApp,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let mut form: Vec<(&str, &str)> = form.to_vec();
    let mut request = http().post(format!("{}{path}", stand_in.base_url()));
    match app.token_endpoint_auth_method {
        TokenAuthMethod::ClientSecretBasic => {
            let basic = STANDARD.encode(format!("{}:{}", app.client_id, app.client_secret));
            request = request.header("authorization", format!("Basic {basic}"));
        }
        TokenAuthMethod::ClientSecretPost => {
            form.push(("client_id", &app.client_id));
            form.push(("client_secret", &app.client_secret));
        }
        _ => form.push(("client_id", &app.client_id)),
    }
    let response = request.form(&form).send().await.expect("a request");
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn exchange(
    stand_in: &StandIn,
    app: &OidcApp,
    code: &str,
    verifier: Option<&str>,
) -> (u16, Value) {
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", CALLBACK),
    ];
    if let Some(verifier) = verifier {
        form.push(("code_verifier", verifier));
    }
    post_form(stand_in, "/oidc/token", app, &form).await
}

fn jwt_part(token: &str, index: usize) -> Value {
    let part = token.split('.').nth(index).expect("a JWT part");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("base64url")).expect("JSON")
}

/// Whether `token` verifies with the JWKS key its header names.
async fn verifies_with_jwks(stand_in: &StandIn, token: &str) -> bool {
    let jwks: Value = reqwest::get(format!(
        "{}/oidc/.well-known/jwks.json",
        stand_in.base_url()
    ))
    .await
    .expect("jwks")
    .json()
    .await
    .expect("JSON");
    let kid = jwt_part(token, 0)["kid"].clone();
    let Some(key) = jwks["keys"]
        .as_array()
        .and_then(|keys| keys.iter().find(|k| k["kid"] == kid))
    else {
        return false;
    };
    let decode = |name: &str| {
        URL_SAFE_NO_PAD
            .decode(key[name].as_str().unwrap_or_default())
            .expect("base64url")
    };
    let (input, signature) = token.rsplit_once('.').expect("a JWT");
    RsaPublicKeyComponents {
        n: decode("n"),
        e: decode("e"),
    }
    .verify(
        &RSA_PKCS1_2048_8192_SHA256,
        input.as_bytes(),
        &URL_SAFE_NO_PAD.decode(signature).expect("base64url"),
    )
    .is_ok()
}

async fn introspect(stand_in: &StandIn, app: &OidcApp, token: &str) -> Value {
    let (status, body) = post_form(
        stand_in,
        "/oidc/token/introspection",
        app,
        &[("token", token)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn discovery_names_the_stand_in_endpoints_and_issuer() {
    let stand_in = StandIn::start().await.expect("a stand-in");
    let doc: Value = reqwest::get(format!(
        "{}/oidc/.well-known/openid-configuration",
        stand_in.base_url()
    ))
    .await
    .expect("discovery")
    .json()
    .await
    .expect("JSON");
    let issuer = stand_in.oidc_issuer();
    assert_eq!(doc["issuer"], issuer.as_str());
    assert_eq!(doc["token_endpoint"], format!("{issuer}/token"));
    assert_eq!(doc["jwks_uri"], format!("{issuer}/.well-known/jwks.json"));
    assert_eq!(doc["end_session_endpoint"], format!("{issuer}/session/end"));
    assert_eq!(
        doc["code_challenge_methods_supported"],
        serde_json::json!(["plain", "S256"])
    );
}

#[tokio::test]
async fn jwks_publishes_rotated_keys_first_and_drops_retired_ones() {
    let stand_in = StandIn::start().await.expect("a stand-in");
    let url = format!("{}/oidc/.well-known/jwks.json", stand_in.base_url());
    let kids = |jwks: &Value| -> Vec<String> {
        jwks["keys"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|k| k["kid"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let before: Value = reqwest::get(&url)
        .await
        .expect("jwks")
        .json()
        .await
        .expect("JSON");
    assert_eq!(before["keys"][0]["kty"], "RSA");
    assert_eq!(before["keys"][0]["alg"], "RS256");
    assert_eq!(before["keys"][0]["use"], "sig");
    let new_kid = stand_in.rotate_signing_key().expect("rotation");
    let after: Value = reqwest::get(&url)
        .await
        .expect("jwks")
        .json()
        .await
        .expect("JSON");
    assert_eq!(kids(&after), [new_kid.clone(), kids(&before)[0].clone()]);
    stand_in.retire_old_signing_keys();
    let retired: Value = reqwest::get(&url)
        .await
        .expect("jwks")
        .json()
        .await
        .expect("JSON");
    assert_eq!(kids(&retired), [new_kid]);
}

#[tokio::test]
async fn code_flow_with_s256_and_client_secret_post_gives_a_verified_id_token_with_the_nonce() {
    let (stand_in, app) = provider(TokenAuthMethod::ClientSecretPost).await;
    let challenge = s256(VERIFIER);
    let code = code(
        &stand_in,
        &app,
        &[
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;
    let (status, tokens) = exchange(&stand_in, &app, &code, Some(VERIFIER)).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 1_209_600);
    assert!(
        tokens["refresh_token"].is_string(),
        "offline_access gives a refresh token"
    );
    let id_token = tokens["id_token"].as_str().expect("an id token");
    let access_token = tokens["access_token"].as_str().expect("an access token");
    assert!(verifies_with_jwks(&stand_in, id_token).await);
    assert!(verifies_with_jwks(&stand_in, access_token).await);
    let claims = jwt_part(id_token, 1);
    assert_eq!(claims["iss"], stand_in.oidc_issuer().as_str());
    assert_eq!(claims["aud"], app.client_id.as_str());
    assert_eq!(claims["sub"], stand_in.user_id());
    assert_eq!(claims["nonce"], "n-1");
    assert_eq!(claims["email"], stand_in.user().email.as_str());
    let expected_at_hash = URL_SAFE_NO_PAD.encode(&Sha256::digest(access_token.as_bytes())[..16]);
    assert_eq!(claims["at_hash"], expected_at_hash.as_str());
    assert_eq!(jwt_part(access_token, 1)["aud"], app.client_id.as_str());
}

#[tokio::test]
async fn a_wrong_or_missing_pkce_verifier_is_refused() {
    let (stand_in, app) = provider(TokenAuthMethod::None).await;
    let challenge = s256(VERIFIER);
    for verifier in [Some("x".repeat(43)), None] {
        let code = code(
            &stand_in,
            &app,
            &[
                ("code_challenge", &challenge),
                ("code_challenge_method", "S256"),
            ],
        )
        .await;
        let (status, body) = exchange(&stand_in, &app, &code, verifier.as_deref()).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_grant")),
            "{body}"
        );
        assert!(
            body["error_description"]
                .as_str()
                .unwrap_or_default()
                .starts_with("PKCE verification failed")
        );
    }
}

#[tokio::test]
async fn plain_pkce_with_a_public_client_works() {
    let (stand_in, app) = provider(TokenAuthMethod::None).await;
    let code = code(
        &stand_in,
        &app,
        &[
            ("code_challenge", VERIFIER),
            ("code_challenge_method", "plain"),
        ],
    )
    .await;
    let (status, tokens) = exchange(&stand_in, &app, &code, Some(VERIFIER)).await;
    assert_eq!(status, 200, "{tokens}");
    assert!(tokens["id_token"].is_string());
}

#[tokio::test]
async fn client_secret_basic_works_and_other_methods_or_wrong_secrets_are_invalid_client() {
    let (stand_in, app) = provider(TokenAuthMethod::ClientSecretBasic).await;
    let code_text = code(&stand_in, &app, &[]).await;
    let (status, tokens) = exchange(&stand_in, &app, &code_text, None).await;
    assert_eq!(status, 200, "{tokens}");

    let as_post = app
        .clone()
        .token_endpoint_auth_method(TokenAuthMethod::ClientSecretPost);
    let code_text = code(&stand_in, &app, &[]).await;
    let (status, body) = exchange(&stand_in, &as_post, &code_text, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client")),
        "{body}"
    );

    let wrong = app.clone().secret("not-the-secret");
    let (status, body) = exchange(&stand_in, &wrong, &code_text, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    assert_eq!(body["error_description"], "invalid secret provided");
}

#[tokio::test]
async fn a_code_works_once_and_its_replay_revokes_what_it_gave() {
    let (stand_in, app) = provider(TokenAuthMethod::ClientSecretPost).await;
    let code = code(&stand_in, &app, &[]).await;
    let (_, tokens) = exchange(&stand_in, &app, &code, None).await;
    let access_token = tokens["access_token"].as_str().expect("an access token");
    assert_eq!(
        introspect(&stand_in, &app, access_token).await["active"],
        true
    );
    let (status, body) = exchange(&stand_in, &app, &code, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert_eq!(
        introspect(&stand_in, &app, access_token).await["active"],
        false
    );
}

#[tokio::test]
async fn the_token_request_must_repeat_the_redirect_uri() {
    let (stand_in, app) = provider(TokenAuthMethod::ClientSecretPost).await;
    let code = code(&stand_in, &app, &[]).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", "http://127.0.0.1:9/other"),
    ];
    let (status, body) = post_form(&stand_in, "/oidc/token", &app, &form).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
}

#[tokio::test]
async fn an_unknown_client_or_unregistered_redirect_uri_gets_an_error_page_not_a_redirect() {
    let (stand_in, app) = provider(TokenAuthMethod::ClientSecretPost).await;
    let url = format!("{}/oidc/auth", stand_in.base_url());
    let cases = [
        (
            vec![("client_id", "nobody"), ("redirect_uri", CALLBACK)],
            "invalid_client",
        ),
        (
            vec![
                ("client_id", app.client_id.as_str()),
                ("redirect_uri", "http://evil.example/cb"),
            ],
            "invalid_redirect_uri",
        ),
    ];
    for (query, error) in cases {
        let response = http()
            .get(&url)
            .query(&query)
            .send()
            .await
            .expect("authorize");
        assert_eq!(response.status(), 400);
        assert!(response.headers().get("location").is_none());
        assert!(response.text().await.expect("a page").contains(error));
    }
}

#[tokio::test]
async fn authorize_refusals_go_back_to_the_client_with_the_state() {
    let (stand_in, app) = provider(TokenAuthMethod::ClientSecretPost).await;
    let cases: [(&[(&str, &str)], &str); 4] = [
        (&[("scope", "profile")], "invalid_request"),
        (&[("response_type", "token")], "unsupported_response_type"),
        (
            &[
                ("code_challenge", VERIFIER),
                ("code_challenge_method", "S512"),
            ],
            "invalid_request",
        ),
        (&[("login_hint", "nobody@example.com")], "access_denied"),
    ];
    for (extra, error) in cases {
        let params = authorize(&stand_in, "/oidc", &app, extra).await;
        assert_eq!(param(&params, "error"), Some(error), "{extra:?}");
        assert_eq!(param(&params, "state"), Some("st-1"));
        assert!(param(&params, "code").is_none());
    }
}

#[tokio::test]
async fn refresh_gives_new_access_tokens_for_the_same_or_a_narrower_scope() {
    let (stand_in, app) = provider(TokenAuthMethod::ClientSecretBasic).await;
    let code = code(&stand_in, &app, &[]).await;
    let (_, tokens) = exchange(&stand_in, &app, &code, None).await;
    let refresh_token = tokens["refresh_token"].as_str().expect("a refresh token");
    let (status, refreshed) = post_form(
        &stand_in,
        "/oidc/token",
        &app,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("scope", "openid email"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{refreshed}");
    assert_ne!(refreshed["access_token"], tokens["access_token"]);
    assert_eq!(refreshed["scope"], "openid email");
    assert_eq!(refreshed["refresh_token"], refresh_token);
    assert!(
        jwt_part(refreshed["id_token"].as_str().expect("an id token"), 1)
            .get("nonce")
            .is_none()
    );

    let (status, body) = post_form(
        &stand_in,
        "/oidc/token",
        &app,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("scope", "openid roles"),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_scope"))
    );

    let other =
        OidcApp::new("other-app").token_endpoint_auth_method(TokenAuthMethod::ClientSecretBasic);
    stand_in.add_oidc_app(other.clone());
    let (status, body) = post_form(
        &stand_in,
        "/oidc/token",
        &other,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn client_credentials_act_for_the_app_and_are_refused_to_public_clients() {
    let (stand_in, app) = provider(TokenAuthMethod::ClientSecretPost).await;
    let (status, tokens) = post_form(
        &stand_in,
        "/oidc/token",
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("scope", "read:orders"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    assert!(tokens.get("id_token").is_none() && tokens.get("refresh_token").is_none());
    let access_token = tokens["access_token"].as_str().expect("an access token");
    assert_eq!(jwt_part(access_token, 1)["sub"], app.client_id.as_str());
    assert_eq!(jwt_part(access_token, 1)["scope"], "read:orders");
    let me = http()
        .get(format!("{}/oidc/me", stand_in.base_url()))
        .bearer_auth(access_token)
        .send()
        .await
        .expect("userinfo");
    assert_eq!(me.status(), 401);

    let public = app
        .clone()
        .token_endpoint_auth_method(TokenAuthMethod::None);
    stand_in.add_oidc_app(public.clone());
    let (status, body) = post_form(
        &stand_in,
        "/oidc/token",
        &public,
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unauthorized_client"))
    );
}

#[tokio::test]
async fn introspection_reports_tokens_of_the_caller_only_and_revocation_ends_them() {
    let (stand_in, app) = provider(TokenAuthMethod::ClientSecretPost).await;
    let code = code(&stand_in, &app, &[]).await;
    let (_, tokens) = exchange(&stand_in, &app, &code, None).await;
    let access_token = tokens["access_token"].as_str().expect("an access token");
    let refresh_token = tokens["refresh_token"].as_str().expect("a refresh token");
    let active = introspect(&stand_in, &app, access_token).await;
    assert_eq!(active["active"], true);
    assert_eq!(active["sub"], stand_in.user_id());
    assert_eq!(active["client_id"], app.client_id.as_str());
    assert_eq!(active["token_type"], "Bearer");
    assert_eq!(
        introspect(&stand_in, &app, refresh_token).await["token_type"],
        "refresh_token"
    );

    let other = OidcApp::new("other-app");
    stand_in.add_oidc_app(other.clone());
    assert_eq!(
        introspect(&stand_in, &other, access_token).await,
        serde_json::json!({"active": false})
    );

    // Revoking the refresh token revokes the access token of the same grant.
    let (status, _) = post_form(
        &stand_in,
        "/oidc/token/revocation",
        &app,
        &[("token", refresh_token)],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        introspect(&stand_in, &app, refresh_token).await["active"],
        false
    );
    assert_eq!(
        introspect(&stand_in, &app, access_token).await["active"],
        false
    );
    let (status, _) = post_form(
        &stand_in,
        "/oidc/token/revocation",
        &app,
        &[("token", "unknown")],
    )
    .await;
    assert_eq!(status, 200, "unknown tokens are not an error (RFC 7009)");
}

#[tokio::test]
async fn userinfo_takes_the_token_from_header_query_or_body_and_releases_claims_by_scope() {
    let (stand_in, app) = provider(TokenAuthMethod::ClientSecretPost).await;
    let code = code(&stand_in, &app, &[("scope", "openid email")]).await;
    let (_, tokens) = exchange(&stand_in, &app, &code, None).await;
    let token = tokens["access_token"].as_str().expect("an access token");
    let url = format!("{}/oidc/me", stand_in.base_url());
    let answers = [
        http().get(&url).bearer_auth(token).send().await,
        http()
            .get(&url)
            .query(&[("access_token", token)])
            .send()
            .await,
        http()
            .post(&url)
            .form(&[("access_token", token)])
            .send()
            .await,
        http()
            .get(format!("{}/oauth/me", stand_in.base_url()))
            .bearer_auth(token)
            .send()
            .await,
    ];
    for answer in answers {
        let me: Value = answer.expect("userinfo").json().await.expect("JSON");
        assert_eq!(me["sub"], stand_in.user_id());
        assert_eq!(me["email"], stand_in.user().email.as_str());
        assert!(
            me.get("phone_number").is_none(),
            "phone was not in the scope"
        );
    }
    let missing = http().get(&url).send().await.expect("userinfo");
    assert_eq!(missing.status(), 401);
    assert!(
        missing.headers()["www-authenticate"]
            .to_str()
            .unwrap_or_default()
            .contains("invalid_token")
    );
    let twice = http()
        .get(&url)
        .bearer_auth(token)
        .query(&[("access_token", token)])
        .send()
        .await
        .expect("userinfo");
    assert_eq!(twice.status(), 400);
    let forged = format!("{token}x");
    let forged = http()
        .get(&url)
        .bearer_auth(forged)
        .send()
        .await
        .expect("userinfo");
    assert_eq!(forged.status(), 401);
}

#[tokio::test]
async fn an_expired_access_token_is_inactive() {
    let stand_in = StandIn::start().await.expect("a stand-in");
    let app = stand_in
        .oidc_app()
        .redirect_uri(CALLBACK)
        .access_token_lifetime(Duration::from_millis(300));
    stand_in.add_oidc_app(app.clone());
    let code = code(&stand_in, &app, &[]).await;
    let (_, tokens) = exchange(&stand_in, &app, &code, None).await;
    let token = tokens["access_token"].as_str().expect("an access token");
    assert_eq!(introspect(&stand_in, &app, token).await["active"], true);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(introspect(&stand_in, &app, token).await["active"], false);
    let me = http()
        .get(format!("{}/oidc/me", stand_in.base_url()))
        .bearer_auth(token)
        .send()
        .await
        .expect("userinfo");
    assert_eq!(me.status(), 401);
}

#[tokio::test]
async fn logout_ends_the_session_revokes_its_tokens_and_redirects_with_the_state() {
    let (stand_in, app) = provider(TokenAuthMethod::ClientSecretPost).await;
    let code = code(&stand_in, &app, &[]).await;
    let (_, tokens) = exchange(&stand_in, &app, &code, None).await;
    let id_token = tokens["id_token"].as_str().expect("an id token");
    let url = format!("{}/oidc/session/end", stand_in.base_url());

    let unregistered = http()
        .get(&url)
        .query(&[
            ("id_token_hint", id_token),
            ("post_logout_redirect_uri", "http://evil.example/"),
        ])
        .send()
        .await
        .expect("logout");
    assert_eq!(unregistered.status(), 400);
    assert_eq!(
        introspect(
            &stand_in,
            &app,
            tokens["access_token"].as_str().unwrap_or_default()
        )
        .await["active"],
        true
    );

    let response = http()
        .get(&url)
        .query(&[
            ("id_token_hint", id_token),
            ("post_logout_redirect_uri", "http://127.0.0.1:9/bye"),
            ("state", "s 2"),
        ])
        .send()
        .await
        .expect("logout");
    assert_eq!(response.status(), 302);
    assert_eq!(
        response.headers()["location"],
        "http://127.0.0.1:9/bye?state=s+2"
    );
    for name in ["access_token", "refresh_token"] {
        let token = tokens[name].as_str().unwrap_or_default();
        assert_eq!(
            introspect(&stand_in, &app, token).await["active"],
            false,
            "{name}"
        );
    }
    let unknown_hint = http()
        .get(&url)
        .query(&[("id_token_hint", "not.a.token")])
        .send()
        .await
        .expect("logout");
    assert_eq!(unknown_hint.status(), 400);
}

#[tokio::test]
async fn an_hs256_app_gets_id_tokens_signed_with_its_secret() {
    let stand_in = StandIn::start().await.expect("a stand-in");
    let app = stand_in
        .oidc_app()
        .redirect_uri(CALLBACK)
        .id_token_alg(IdTokenAlg::Hs256);
    stand_in.add_oidc_app(app.clone());
    let code = code(&stand_in, &app, &[]).await;
    let (_, tokens) = exchange(&stand_in, &app, &code, None).await;
    let id_token = tokens["id_token"].as_str().expect("an id token");
    assert_eq!(jwt_part(id_token, 0)["alg"], "HS256");
    let (input, signature) = id_token.rsplit_once('.').expect("a JWT");
    let mut mac = Hmac::<Sha256>::new_from_slice(app.client_secret.as_bytes()).expect("a key");
    mac.update(input.as_bytes());
    assert!(
        mac.verify_slice(&URL_SAFE_NO_PAD.decode(signature).expect("base64url"))
            .is_ok()
    );
    assert_eq!(
        jwt_part(tokens["access_token"].as_str().unwrap_or_default(), 0)["alg"],
        "RS256"
    );
}

#[tokio::test]
async fn the_oauth_protocol_issues_no_id_token_and_its_codes_stay_there() {
    let (stand_in, app) = provider(TokenAuthMethod::ClientSecretPost).await;
    let params = authorize(&stand_in, "/oauth", &app, &[("scope", "user")]).await;
    let code = param(&params, "code").expect("a code").to_owned();
    let (status, body) = exchange(&stand_in, &app, &code, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "an OAuth code at the OIDC endpoint"
    );

    let params = authorize(&stand_in, "/oauth", &app, &[("scope", "user")]).await;
    let code = param(&params, "code").expect("a code").to_owned();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", CALLBACK),
    ];
    let (status, tokens) = post_form(&stand_in, "/oauth/token", &app, &form).await;
    assert_eq!(status, 200, "{tokens}");
    assert!(tokens.get("id_token").is_none());
    assert_eq!(tokens["scope"], "user");
}

#[tokio::test]
async fn login_hint_signs_in_the_named_user() {
    let (stand_in, app) = provider(TokenAuthMethod::ClientSecretPost).await;
    let code = code(
        &stand_in,
        &app,
        &[("login_hint", &stand_in.user().username)],
    )
    .await;
    let (_, tokens) = exchange(&stand_in, &app, &code, None).await;
    assert_eq!(
        jwt_part(tokens["id_token"].as_str().unwrap_or_default(), 1)["sub"],
        stand_in.user_id()
    );
}

#[tokio::test]
async fn token_requests_must_be_forms_and_name_a_known_grant() {
    let (stand_in, app) = provider(TokenAuthMethod::ClientSecretPost).await;
    let url = format!("{}/oidc/token", stand_in.base_url());
    let json = http()
        .post(&url)
        .json(&serde_json::json!({"grant_type": "client_credentials"}))
        .send()
        .await
        .expect("token");
    assert_eq!(json.status(), 400);
    let (status, body) = post_form(
        &stand_in,
        "/oidc/token",
        &app,
        &[("grant_type", "password")],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
    let (status, body) = post_form(&stand_in, "/oidc/token", &app, &[]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request"))
    );
}

#[tokio::test]
async fn tokens_from_the_provider_work_on_the_authentication_side_of_the_api() {
    let (stand_in, app) = provider(TokenAuthMethod::ClientSecretPost).await;
    assert_eq!(
        app.client_secret,
        stand_in.application().secret,
        "one secret per application"
    );
    let code = code(&stand_in, &app, &[]).await;
    let (_, tokens) = exchange(&stand_in, &app, &code, None).await;
    let token = tokens["access_token"].as_str().expect("an access token");
    let answer: Value = http()
        .get(format!(
            "{}/api/v3/list-enrolled-factors",
            stand_in.base_url()
        ))
        .header("x-authing-app-id", &app.client_id)
        .header("authorization", token)
        .send()
        .await
        .expect("a call")
        .json()
        .await
        .expect("JSON");
    assert_eq!(answer["statusCode"], 200, "{answer}");
    let elsewhere = OidcApp::new("another-app").redirect_uri(CALLBACK);
    stand_in.add_oidc_app(elsewhere);
    assert!(
        stand_in
            .applications()
            .iter()
            .any(|a| a.id == "another-app")
    );
}
