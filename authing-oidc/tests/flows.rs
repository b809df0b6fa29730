//! The sign-in flows of `OidcClient`, end to end against the stand-in's provider: every
//! flow under both protocols and the three token endpoint auth methods, what each puts on
//! the wire, and the refusals (wrong state, reused code, bad secret, revoked token).

use authing_core::{AuthenticationClient, Error, Secret, TokenEndpointAuth};
use authing_oidc::{
    AuthorizedCode, CallbackError, LogoutOptions, OidcClient, PendingLogin, Protocol, TokenSet,
};
use authing_testkit::StandIn;
use authing_testkit::oidc::TokenAuthMethod;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

const REDIRECT: &str = "http://127.0.0.1:9/callback";
const LOGGED_OUT: &str = "http://127.0.0.1:9/bye";
const PROTOCOLS: [Protocol; 2] = [Protocol::Oidc, Protocol::Oauth];
const METHODS: [(TokenEndpointAuth, TokenAuthMethod); 3] = [
    (
        TokenEndpointAuth::ClientSecretPost,
        TokenAuthMethod::ClientSecretPost,
    ),
    (
        TokenEndpointAuth::ClientSecretBasic,
        TokenAuthMethod::ClientSecretBasic,
    ),
    (TokenEndpointAuth::None, TokenAuthMethod::None),
];

/// A stand-in whose application is registered for `provider`, with the redirect and
/// logout URIs, and an SDK client of it under `sdk` authenticating with `secret`.
async fn setup_with(
    sdk: TokenEndpointAuth,
    provider: TokenAuthMethod,
    secret: Option<&str>,
) -> (StandIn, AuthenticationClient) {
    let stand_in = StandIn::start().await.expect("a stand-in");
    let app = stand_in
        .oidc_app()
        .redirect_uri(REDIRECT)
        .post_logout_redirect_uri(LOGGED_OUT)
        .token_endpoint_auth_method(provider);
    stand_in.add_oidc_app(app.clone());
    let secret = secret.map_or(app.client_secret, str::to_owned);
    let client = AuthenticationClient::builder(stand_in.app_id(), stand_in.base_url())
        .app_secret(secret)
        .token_endpoint_auth(sdk)
        .build()
        .expect("a client");
    (stand_in, client)
}

async fn setup(
    method: TokenEndpointAuth,
    provider: TokenAuthMethod,
) -> (StandIn, AuthenticationClient) {
    setup_with(method, provider, None).await
}

/// The flows of `app` under `protocol`, asking for a refresh token too.
fn flows(app: &AuthenticationClient, protocol: Protocol) -> OidcClient {
    let scope = match protocol {
        Protocol::Oidc => "openid profile email offline_access",
        _ => "user offline_access",
    };
    OidcClient::new(app.clone(), REDIRECT)
        .with_protocol(protocol)
        .with_scope(scope)
}

/// Follows `url` one hop without a browser and returns the `location` it redirects to.
async fn redirect_of(url: &str) -> String {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    let answer = http.get(url).send().await.expect("the stand-in answers");
    assert_eq!(answer.status(), 302, "{url} redirects");
    answer.headers()["location"]
        .to_str()
        .expect("a text location")
        .to_owned()
}

/// The query string of the callback the stand-in's authorize endpoint sends `url` back to.
async fn callback_query(url: &str) -> String {
    let location = redirect_of(url).await;
    let (back, query) = location.split_once('?').expect("a query on the callback");
    assert_eq!(back, REDIRECT);
    query.to_owned()
}

/// A whole browser login: authorize URL, callback, checked code.
async fn sign_in(oidc: &OidcClient) -> AuthorizedCode {
    let start = oidc.authorize_url();
    let query = callback_query(&start.url).await;
    start
        .login
        .check_callback(&query)
        .expect("the callback checks")
}

fn form_names(body: &str) -> Vec<String> {
    body.split('&')
        .filter_map(|pair| pair.split('=').next())
        .map(str::to_owned)
        .collect()
}

/// The claims of a JWT, read without checking it (the stand-in signed it).
fn oauth_code(err: &Error) -> &str {
    &err.oauth()
        .unwrap_or_else(|| panic!("not an OAuth error: {err:?}"))
        .error
}

/// Checks that every request to the three client-authenticated endpoints carried the
/// credentials of `method` and nothing else, and that no other request carried them.
fn assert_credentials_on_the_wire(stand_in: &StandIn, method: TokenEndpointAuth, secret: &str) {
    let basic = format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{secret}", stand_in.app_id()))
    );
    for request in stand_in.requests() {
        let names = form_names(&request.body);
        let authenticated = ["/token", "/token/revocation", "/token/introspection"]
            .iter()
            .any(|end| request.path.ends_with(end));
        let authorization = request.header("authorization");
        if request.path.ends_with("/me") {
            let bearer = authorization.and_then(|value| value.strip_prefix("Bearer "));
            assert!(
                bearer.is_some_and(|token| token.split('.').count() == 3),
                "userinfo takes the access token: {authorization:?}"
            );
            assert!(
                request.body.is_empty() && request.query.is_empty(),
                "and nothing else"
            );
            continue;
        }
        if !authenticated {
            assert_eq!(
                authorization, None,
                "{} carries no credentials",
                request.path
            );
            continue;
        }
        let (header, id, secret_in_body) = match method {
            TokenEndpointAuth::ClientSecretPost => (None, true, true),
            TokenEndpointAuth::ClientSecretBasic => (Some(basic.as_str()), false, false),
            _ => (None, true, false),
        };
        assert_eq!(authorization, header, "{method:?} at {}", request.path);
        assert_eq!(
            names.contains(&"client_id".to_owned()),
            id,
            "{method:?} at {}",
            request.path
        );
        assert_eq!(
            names.contains(&"client_secret".to_owned()),
            secret_in_body,
            "{method:?} at {}",
            request.path
        );
    }
}

#[tokio::test]
async fn every_flow_under_both_protocols_and_each_auth_method() {
    for (method, provider) in METHODS {
        let (stand_in, app) = setup(method, provider).await;
        for protocol in PROTOCOLS {
            let oidc = flows(&app, protocol);
            let what = format!("{protocol:?} under {method:?}");
            let code = sign_in(&oidc).await;
            let tokens = oidc
                .exchange_code(&code)
                .await
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(tokens.token_type.as_deref(), Some("Bearer"), "{what}");
            assert!(tokens.expires_in.is_some_and(|s| s > 0), "{what}");
            assert_eq!(tokens.scope.as_deref(), Some(oidc.scope()), "{what}");
            assert_eq!(
                tokens.id_token.is_some(),
                protocol == Protocol::Oidc,
                "{what}: ID token only under OIDC"
            );
            if let Some(id_token) = &tokens.id_token {
                let nonce = code.login().nonce().expect("an OIDC login has a nonce");
                let verified = oidc.verify_id_token(id_token.expose(), nonce).await;
                let verified = verified.unwrap_or_else(|e| panic!("{what}: {e}"));
                assert_eq!(verified.sub, stand_in.user_id(), "{what}");
            }
            let access = oidc.verify_access_token(tokens.access_token.expose()).await;
            let access = access.unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(access.sub, stand_in.user_id(), "{what}");
            let refresh_token = tokens
                .refresh_token
                .clone()
                .expect("offline_access gives a refresh token");

            let about = oidc
                .introspect(&tokens.access_token)
                .await
                .expect("introspection");
            assert!(about.active, "{what}");
            assert_eq!(about.sub.as_deref(), Some(stand_in.user_id()), "{what}");
            assert_eq!(
                about.client_id.as_deref(),
                Some(stand_in.app_id()),
                "{what}"
            );

            let me = oidc
                .user_info(&tokens.access_token)
                .await
                .expect("userinfo");
            assert_eq!(me.sub, stand_in.user_id(), "{what}");
            let email = (protocol == Protocol::Oidc).then(|| stand_in.user().email.clone());
            assert_eq!(
                me.email, email,
                "{what}: the email scope releases the email"
            );

            let fresh = oidc.refresh(&refresh_token).await.expect("refresh");
            assert!(
                fresh.access_token != tokens.access_token,
                "{what}: a new access token"
            );
            assert!(
                oidc.introspect(&fresh.access_token)
                    .await
                    .expect("introspection")
                    .active
            );

            if protocol == Protocol::Oauth && method == TokenEndpointAuth::ClientSecretBasic {
                // Covered by its own test: refused before sending.
                continue;
            }
            oidc.revoke(&refresh_token).await.expect("revocation");
            for token in [&refresh_token, &fresh.access_token, &tokens.access_token] {
                let about = oidc.introspect(token).await.expect("introspection");
                assert!(
                    !about.active,
                    "{what}: revoking the refresh token ends its grant"
                );
            }
            let err = oidc
                .refresh(&refresh_token)
                .await
                .expect_err("a revoked refresh token");
            assert_eq!(oauth_code(&err), "invalid_grant", "{what}");
            let err = oidc
                .user_info(&tokens.access_token)
                .await
                .expect_err("a revoked access token");
            assert_eq!(oauth_code(&err), "invalid_token", "{what}");
            assert_eq!(err.oauth().map(|e| e.http_status), Some(401));

            match method {
                TokenEndpointAuth::None => {
                    let err = oidc
                        .client_credentials("orders:read")
                        .await
                        .expect_err("a public client");
                    assert_eq!(oauth_code(&err), "unauthorized_client", "{what}");
                }
                _ => {
                    let machine = oidc
                        .client_credentials("orders:read")
                        .await
                        .expect("client credentials");
                    assert!(
                        machine.id_token.is_none() && machine.refresh_token.is_none(),
                        "{what}"
                    );
                    let about = oidc
                        .introspect(&machine.access_token)
                        .await
                        .expect("introspection");
                    assert_eq!(
                        about.sub.as_deref(),
                        Some(stand_in.app_id()),
                        "{what}: the app itself"
                    );
                    assert_eq!(about.scope.as_deref(), Some("orders:read"), "{what}");
                    let err = oidc
                        .user_info(&machine.access_token)
                        .await
                        .expect_err("no user");
                    assert_eq!(
                        oauth_code(&err),
                        "invalid_token",
                        "{what}: a machine token has no user"
                    );
                }
            }
        }
        let secret = stand_in.oidc_app().client_secret;
        assert_credentials_on_the_wire(&stand_in, method, &secret);
    }
}

#[tokio::test]
async fn the_code_request_carries_the_pkce_verifier_and_the_redirect_uri() {
    let (stand_in, app) = setup(
        TokenEndpointAuth::ClientSecretPost,
        TokenAuthMethod::ClientSecretPost,
    )
    .await;
    let oidc = flows(&app, Protocol::Oidc);
    let start = oidc.authorize_url();
    let authorize = redirect_of(&start.url).await;
    let sent = stand_in
        .requests_to("/oidc/auth")
        .pop()
        .expect("the authorize request");
    assert_eq!(
        sent.query_param("code_challenge"),
        Some(start.login.code_challenge().as_str())
    );
    assert_eq!(sent.query_param("code_challenge_method"), Some("S256"));
    assert_eq!(sent.query_param("nonce"), start.login.nonce());
    let (_, query) = authorize.split_once('?').expect("a callback query");
    let code = start
        .login
        .check_callback(query)
        .expect("the callback checks");
    oidc.exchange_code(&code).await.expect("the exchange");

    let exchange = stand_in
        .requests_to("/oidc/token")
        .pop()
        .expect("the token request");
    let form: Vec<(String, String)> = form_urlencoded(&exchange.body);
    let get = |name: &str| {
        form.iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(get("grant_type"), Some("authorization_code"));
    assert_eq!(get("code"), Some(code.code().expose()));
    assert_eq!(get("redirect_uri"), Some(REDIRECT));
    let verifier = get("code_verifier").expect("a verifier");
    assert_eq!(
        authing_oidc::pkce_challenge(verifier),
        code.login().code_challenge()
    );
}

fn form_urlencoded(body: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    body.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

#[tokio::test]
async fn a_callback_with_another_logins_state_or_none_is_refused() {
    let (stand_in, app) = setup(
        TokenEndpointAuth::ClientSecretPost,
        TokenAuthMethod::ClientSecretPost,
    )
    .await;
    let oidc = flows(&app, Protocol::Oidc);
    let start = oidc.authorize_url();
    let query = callback_query(&start.url).await;
    let other = oidc.authorize_url().login;
    assert_eq!(
        other.check_callback(&query).unwrap_err(),
        CallbackError::StateMismatch
    );
    let without_state: String = query
        .split('&')
        .filter(|pair| !pair.starts_with("state="))
        .collect::<Vec<_>>()
        .join("&");
    assert_eq!(
        start
            .login
            .clone()
            .check_callback(&without_state)
            .unwrap_err(),
        CallbackError::MissingState
    );
    assert!(
        stand_in.requests_to("/oidc/token").is_empty(),
        "nothing was exchanged"
    );
    // The right login still takes it.
    assert!(start.login.check_callback(&query).is_ok());
}

#[tokio::test]
async fn an_error_callback_is_a_typed_error() {
    let (_stand_in, app) = setup(
        TokenEndpointAuth::ClientSecretPost,
        TokenAuthMethod::ClientSecretPost,
    )
    .await;
    let oidc = flows(&app, Protocol::Oidc);
    let start = oidc.authorize_url_with(
        &authing_oidc::AuthorizeOptions::default().login_hint("nobody@example.com"),
    );
    let query = callback_query(&start.url).await;
    match start.login.check_callback(&query) {
        Err(CallbackError::Refused { error, description }) => {
            assert_eq!(error, "access_denied");
            assert_eq!(
                description.as_deref(),
                Some("no stand-in user matches login_hint")
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_reused_code_is_refused_and_ends_what_it_gave() {
    let (_stand_in, app) = setup(
        TokenEndpointAuth::ClientSecretBasic,
        TokenAuthMethod::ClientSecretBasic,
    )
    .await;
    for protocol in PROTOCOLS {
        let oidc = flows(&app, protocol);
        let code = sign_in(&oidc).await;
        let tokens = oidc.exchange_code(&code).await.expect("the first exchange");
        let err = oidc
            .exchange_code(&code)
            .await
            .expect_err("a second exchange");
        assert_eq!(oauth_code(&err), "invalid_grant", "{protocol:?}");
        assert_eq!(err.oauth().map(|e| e.http_status), Some(400));
        let about = oidc
            .introspect(&tokens.access_token)
            .await
            .expect("introspection");
        assert!(
            !about.active,
            "{protocol:?}: a replayed code revokes its tokens (RFC 6749 §4.1.2)"
        );
    }
}

#[tokio::test]
async fn a_tampered_verifier_is_refused() {
    let (_stand_in, app) = setup(TokenEndpointAuth::None, TokenAuthMethod::None).await;
    let oidc = flows(&app, Protocol::Oidc);
    let start = oidc.authorize_url();
    let query = callback_query(&start.url).await;
    // What a stored login that was swapped or altered would hold.
    let mut stored: Value = serde_json::to_value(&start.login).expect("a login serialises");
    stored["code_verifier"] = Value::from("x".repeat(43));
    let altered: PendingLogin = serde_json::from_value(stored).expect("and deserialises");
    let code = altered
        .check_callback(&query)
        .expect("the state is unchanged");
    let err = oidc
        .exchange_code(&code)
        .await
        .expect_err("the wrong verifier");
    assert_eq!(oauth_code(&err), "invalid_grant");
    assert!(err.to_string().contains("PKCE"), "{err}");
}

#[tokio::test]
async fn a_bad_client_secret_is_invalid_client() {
    for (method, provider) in &METHODS[..2] {
        let (_stand_in, app) = setup_with(*method, *provider, Some("not-the-secret")).await;
        for protocol in PROTOCOLS {
            let oidc = flows(&app, protocol);
            let code = sign_in(&oidc).await;
            let err = oidc.exchange_code(&code).await.expect_err("a wrong secret");
            let oauth = err.oauth().unwrap_or_else(|| panic!("{err:?}"));
            assert!(
                oauth.is("invalid_client"),
                "{protocol:?} {method:?}: {oauth}"
            );
            assert_eq!(oauth.http_status, 401);
            assert!(
                !format!("{err} {err:?}").contains("not-the-secret"),
                "{err:?}"
            );
            let err = oidc
                .client_credentials("orders:read")
                .await
                .expect_err("a wrong secret");
            assert_eq!(oauth_code(&err), "invalid_client");
        }
    }
}

#[tokio::test]
async fn an_auth_method_other_than_the_apps_is_invalid_client() {
    let (_stand_in, app) = setup(
        TokenEndpointAuth::ClientSecretPost,
        TokenAuthMethod::ClientSecretBasic,
    )
    .await;
    let oidc = flows(&app, Protocol::Oidc);
    let code = sign_in(&oidc).await;
    let err = oidc
        .exchange_code(&code)
        .await
        .expect_err("registered for basic");
    assert_eq!(oauth_code(&err), "invalid_client");
}

#[tokio::test]
async fn a_revoked_access_token_no_longer_introspects_active() {
    let (_stand_in, app) = setup(
        TokenEndpointAuth::ClientSecretPost,
        TokenAuthMethod::ClientSecretPost,
    )
    .await;
    for protocol in PROTOCOLS {
        let oidc = flows(&app, protocol);
        let tokens: TokenSet = oidc
            .exchange_code(&sign_in(&oidc).await)
            .await
            .expect("tokens");
        assert!(
            oidc.introspect(&tokens.access_token)
                .await
                .expect("introspection")
                .active
        );
        oidc.revoke(&tokens.access_token).await.expect("revocation");
        assert!(
            !oidc
                .introspect(&tokens.access_token)
                .await
                .expect("introspection")
                .active,
            "{protocol:?}"
        );
        oidc.revoke(&tokens.access_token)
            .await
            .expect("revoking again is no error");
    }
}

#[tokio::test]
async fn oauth_revocation_under_basic_is_refused_before_sending() {
    let (stand_in, app) = setup(
        TokenEndpointAuth::ClientSecretBasic,
        TokenAuthMethod::ClientSecretBasic,
    )
    .await;
    let oidc = flows(&app, Protocol::Oauth);
    let err = oidc
        .revoke(&Secret::from("a-token"))
        .await
        .expect_err("refused");
    assert!(
        matches!(&err, Error::Config { reason } if reason.contains("client_secret_basic")),
        "{err}"
    );
    assert!(stand_in.requests_to("/oauth/token/revocation").is_empty());
}

#[tokio::test]
async fn client_credentials_without_a_scope_sends_nothing() {
    let (stand_in, app) = setup(
        TokenEndpointAuth::ClientSecretPost,
        TokenAuthMethod::ClientSecretPost,
    )
    .await;
    let err = flows(&app, Protocol::Oidc)
        .client_credentials(" ")
        .await
        .expect_err("no scope");
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err}");
    assert!(stand_in.requests_to("/oidc/token").is_empty());
}

#[tokio::test]
async fn the_logout_url_ends_the_session_and_comes_back() {
    let (_stand_in, app) = setup(
        TokenEndpointAuth::ClientSecretPost,
        TokenAuthMethod::ClientSecretPost,
    )
    .await;
    let oidc = flows(&app, Protocol::Oidc);
    let tokens = oidc
        .exchange_code(&sign_in(&oidc).await)
        .await
        .expect("tokens");
    let id_token = tokens.id_token.as_ref().expect("an ID token");
    let url = oidc.logout_url(
        &LogoutOptions::default()
            .id_token_hint(id_token)
            .redirect_uri(LOGGED_OUT)
            .state("s 1"),
    );
    assert_eq!(redirect_of(&url).await, format!("{LOGGED_OUT}?state=s+1"));
    let about = oidc
        .introspect(&tokens.access_token)
        .await
        .expect("introspection");
    assert!(!about.active, "the session's tokens end with it");

    let oauth = flows(&app, Protocol::Oauth);
    let url = oauth.logout_url(&LogoutOptions::default().redirect_uri(LOGGED_OUT));
    assert_eq!(redirect_of(&url).await, LOGGED_OUT);
}
