//! Endpoints declared `body = form`, `answer = plain` and `auth = client | none`, sent
//! through the ordinary transport to the stand-in's OAuth 2.0 provider: what goes on the
//! wire under each token endpoint auth method, and how each kind of answer is read.

use authing_core::{AuthenticationClient, Error, Secret, TokenEndpointAuth, endpoint};
use authing_testkit::oidc::TokenAuthMethod;
use authing_testkit::{Fault, RecordedRequest, StandIn};
use serde::Deserialize;

/// RFC 7662 introspection, as authing-oidc declares it.
#[endpoint(POST, "/oidc/token/introspection", response = Introspection, side = authentication,
           body = form, answer = plain, auth = client, idempotent)]
#[serde(rename_all = "snake_case")]
struct Introspect {
    token: Secret,
    token_type_hint: Option<&'static str>,
}

#[derive(Debug, Deserialize)]
struct Introspection {
    active: bool,
}

/// RFC 7009 revocation: Authing answers an empty 200.
#[endpoint(POST, "/oidc/token/revocation", response = (), side = authentication,
           body = form, answer = plain, auth = client)]
struct Revoke {
    token: Secret,
}

/// The discovery document: public, plain JSON.
#[endpoint(GET, "/oidc/.well-known/openid-configuration", response = Discovery,
           side = authentication, answer = plain, auth = none)]
struct GetDiscovery;

#[derive(Debug, Deserialize)]
struct Discovery {
    issuer: String,
    token_endpoint: String,
}

/// Userinfo: the user's access token as an RFC 6750 bearer token.
#[endpoint(GET, "/oidc/me", response = serde_json::Value, side = authentication,
           answer = plain, auth = bearer)]
struct Me;

/// A GET that authenticates the application: its parameters are the URL.
#[endpoint(GET, "/oidc/token/introspection", response = Introspection, side = authentication,
           answer = plain, auth = client)]
struct IntrospectByGet {
    token: Secret,
}

/// A client of the stand-in's application under `method`, without a user access token:
/// none of these endpoints needs one.
async fn app_with(method: TokenEndpointAuth) -> (StandIn, AuthenticationClient) {
    let stand_in = StandIn::start().await.expect("stand-in starts");
    let provider_method = match method {
        TokenEndpointAuth::ClientSecretBasic => TokenAuthMethod::ClientSecretBasic,
        TokenEndpointAuth::None => TokenAuthMethod::None,
        _ => TokenAuthMethod::ClientSecretPost,
    };
    let app = stand_in
        .oidc_app()
        .token_endpoint_auth_method(provider_method);
    stand_in.add_oidc_app(app.clone());
    let client = AuthenticationClient::builder(stand_in.app_id(), stand_in.base_url())
        .app_secret(app.client_secret.clone())
        .token_endpoint_auth(method)
        .build()
        .expect("client builds");
    (stand_in, client)
}

fn form_pairs(request: &RecordedRequest) -> Vec<(String, String)> {
    request
        .body
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (name.to_owned(), value.to_owned())
        })
        .collect()
}

fn last_request(stand_in: &StandIn, path: &str) -> RecordedRequest {
    stand_in
        .requests_to(path)
        .pop()
        .unwrap_or_else(|| panic!("no request to {path}"))
}

#[tokio::test]
async fn client_secret_post_puts_id_and_secret_in_the_form_body() {
    let (stand_in, client) = app_with(TokenEndpointAuth::ClientSecretPost).await;
    let answer = client
        .send(&Introspect {
            token: Secret::from("not-a-token"),
            token_type_hint: None,
        })
        .await
        .expect("introspection answers");
    assert!(!answer.active);
    let sent = last_request(&stand_in, "/oidc/token/introspection");
    assert_eq!(
        sent.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let secret = stand_in.oidc_app().client_secret;
    assert_eq!(
        form_pairs(&sent),
        [
            ("token".to_owned(), "not-a-token".to_owned()),
            ("client_id".to_owned(), stand_in.app_id().to_owned()),
            ("client_secret".to_owned(), secret),
        ],
        "None fields are left out; the client's credentials come after the endpoint's own"
    );
    assert_eq!(sent.header("authorization"), None);
}

#[tokio::test]
async fn client_secret_basic_sends_the_header_and_no_credentials_in_the_body() {
    let (stand_in, client) = app_with(TokenEndpointAuth::ClientSecretBasic).await;
    let answer = client
        .send(&Introspect {
            token: Secret::from("opaque-token-1"),
            token_type_hint: Some("access_token"),
        })
        .await
        .expect("introspection answers");
    assert!(!answer.active);
    let sent = last_request(&stand_in, "/oidc/token/introspection");
    let secret = stand_in.oidc_app().client_secret;
    let expected = base64_basic(stand_in.app_id(), &secret);
    assert_eq!(sent.header("authorization"), Some(expected.as_str()));
    assert_eq!(
        form_pairs(&sent),
        [
            ("token".to_owned(), "opaque-token-1".to_owned()),
            ("token_type_hint".to_owned(), "access_token".to_owned()),
        ]
    );
}

#[tokio::test]
async fn none_sends_only_the_client_id() {
    let (stand_in, client) = app_with(TokenEndpointAuth::None).await;
    client
        .send(&Revoke {
            token: Secret::from("opaque-token-1"),
        })
        .await
        .expect("an empty 200 is what a unit plain answer accepts");
    let sent = last_request(&stand_in, "/oidc/token/revocation");
    assert_eq!(
        form_pairs(&sent),
        [
            ("token".to_owned(), "opaque-token-1".to_owned()),
            ("client_id".to_owned(), stand_in.app_id().to_owned()),
        ]
    );
    assert_eq!(sent.header("authorization"), None);
}

#[tokio::test]
async fn a_refused_client_is_a_typed_oauth_error() {
    let stand_in = StandIn::start().await.expect("stand-in starts");
    let client = AuthenticationClient::builder(stand_in.app_id(), stand_in.base_url())
        .app_secret("wrong-secret")
        .build()
        .expect("client builds");
    let err = client
        .send(&Introspect {
            token: Secret::from("opaque-token-1"),
            token_type_hint: None,
        })
        .await
        .expect_err("the secret is wrong");
    let oauth = err.oauth().unwrap_or_else(|| panic!("{err:?}"));
    assert!(oauth.is("invalid_client"), "{oauth}");
    assert_eq!(oauth.http_status, 401);
    assert!(!err.to_string().contains("wrong-secret"), "{err}");
}

#[tokio::test]
async fn an_envelope_refusal_of_a_plain_endpoint_is_an_api_error() {
    let (stand_in, client) = app_with(TokenEndpointAuth::ClientSecretPost).await;
    stand_in.script_for(
        "/oidc/token/introspection",
        Fault::envelope(400, Some(2001)).message("bad request"),
    );
    let err = client
        .send(&Introspect {
            token: Secret::from("opaque-token-1"),
            token_type_hint: None,
        })
        .await
        .expect_err("scripted refusal");
    let api = err.api().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!((api.status_code, api.api_code), (400, Some(2001)));
}

#[tokio::test]
async fn a_plain_endpoint_gets_the_same_retries() {
    let (stand_in, client) = app_with(TokenEndpointAuth::ClientSecretPost).await;
    let unavailable = r#"{"error":"temporarily_unavailable","error_description":"busy"}"#;
    stand_in.script_for(
        "/oidc/token/introspection",
        Fault::raw(503, "application/json", unavailable).times(2),
    );
    let introspect = Introspect {
        token: Secret::from("opaque-token-1"),
        token_type_hint: None,
    };
    client
        .send(&introspect)
        .await
        .expect("declared idempotent: retried past two 503s");
    assert_eq!(stand_in.requests_to("/oidc/token/introspection").len(), 3);

    stand_in.script_for(
        "/oidc/token/revocation",
        Fault::raw(503, "application/json", unavailable),
    );
    let err = client
        .send(&Revoke {
            token: Secret::from("opaque-token-1"),
        })
        .await
        .expect_err("a POST not declared idempotent is not retried after a 503");
    assert!(
        err.oauth().is_some_and(|o| o.is("temporarily_unavailable")),
        "{err:?}"
    );
    assert_eq!(stand_in.requests_to("/oidc/token/revocation").len(), 1);
}

#[tokio::test]
async fn auth_none_sends_no_credentials_and_needs_no_user() {
    let stand_in = StandIn::start().await.expect("stand-in starts");
    let client = AuthenticationClient::builder(stand_in.app_id(), stand_in.base_url())
        .build()
        .expect("client builds");
    let discovery = client.send(&GetDiscovery).await.expect("discovery answers");
    assert_eq!(discovery.issuer, stand_in.oidc_issuer());
    assert!(discovery.token_endpoint.ends_with("/oidc/token"));
    let sent = last_request(&stand_in, "/oidc/.well-known/openid-configuration");
    assert_eq!(sent.header("authorization"), None);
    assert_eq!(sent.header("content-type"), None, "a GET has no body");
}

#[tokio::test]
async fn a_method_that_needs_the_secret_without_one_sends_nothing() {
    let stand_in = StandIn::start().await.expect("stand-in starts");
    let client = AuthenticationClient::builder(stand_in.app_id(), stand_in.base_url())
        .build()
        .expect("client_secret_post by default; the secret is needed only when used");
    let err = client
        .send(&Revoke {
            token: Secret::from("opaque-token-1"),
        })
        .await
        .expect_err("no app secret");
    assert!(
        matches!(&err, Error::Config { reason } if reason.contains("app_secret")),
        "{err}"
    );
    assert!(stand_in.requests_to("/oidc/token/revocation").is_empty());
}

fn base64_basic(id: &str, secret: &str) -> String {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"));
    format!("Basic {encoded}")
}

#[tokio::test]
async fn auth_bearer_sends_the_users_token_with_the_scheme_and_nothing_else() {
    let (stand_in, client) = app_with(TokenEndpointAuth::ClientSecretBasic).await;
    let err = client
        .with_access_token("not-a-token-it-issued")
        .send(&Me)
        .await
        .expect_err("the stand-in does not know the token");
    assert!(
        err.oauth().is_some_and(|e| e.is("invalid_token")),
        "{err:?}"
    );
    let sent = last_request(&stand_in, "/oidc/me");
    assert_eq!(
        sent.header("authorization"),
        Some("Bearer not-a-token-it-issued"),
        "the token with its scheme, and no Basic header even under client_secret_basic"
    );

    let err = client.send(&Me).await.expect_err("no user access token");
    assert!(
        matches!(&err, Error::Config { reason } if reason.contains("with_access_token")),
        "{err}"
    );
    assert_eq!(
        stand_in.requests_to("/oidc/me").len(),
        1,
        "nothing more was sent"
    );
}

#[tokio::test]
async fn client_secret_post_never_puts_the_app_secret_in_a_urls_query() {
    let (stand_in, client) = app_with(TokenEndpointAuth::ClientSecretPost).await;
    let token = Secret::from("some-access-token");
    let err = client
        .send(&IntrospectByGet { token })
        .await
        .expect_err("refused before sending");
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(err.to_string().contains("client_secret_basic"), "{err}");
    assert!(stand_in.requests_to("/oidc/token/introspection").is_empty());
    // Under client_secret_basic the secret goes in the header, and the GET is sent.
    let (stand_in, client) = app_with(TokenEndpointAuth::ClientSecretBasic).await;
    // The stand-in serves introspection as a POST only: what matters is what was sent.
    let _refused_by_the_stand_in = client
        .send(&IntrospectByGet {
            token: Secret::from("some-access-token"),
        })
        .await;
    let request = last_request(&stand_in, "/oidc/token/introspection");
    assert!(
        request
            .query
            .iter()
            .all(|(name, _)| name != "client_secret")
    );
    assert!(
        request
            .header("authorization")
            .is_some_and(|h| h.starts_with("Basic "))
    );
}

#[tokio::test]
async fn an_oauth_error_that_quotes_the_secrets_it_was_sent_is_scrubbed_of_them() {
    let (stand_in, client) = app_with(TokenEndpointAuth::ClientSecretPost).await;
    let secret = stand_in.oidc_app().client_secret;
    let token = "opaque-token-quoted-back";
    let body = format!(
        r#"{{"error":"invalid_request","error_description":"bad token {token} for secret {secret}","error_uri":"https://x.example/?s={secret}"}}"#
    );
    stand_in.script_for(
        "/oidc/token/introspection",
        Fault::raw(400, "application/json", body),
    );
    let err = client
        .send(&Introspect {
            token: Secret::from(token),
            token_type_hint: None,
        })
        .await
        .expect_err("scripted refusal");
    let oauth = err.oauth().unwrap_or_else(|| panic!("{err:?}"));
    let description = oauth.description.as_deref().unwrap_or_default();
    let uri = oauth.uri.as_deref().unwrap_or_default();
    assert_eq!(
        description, "bad token [REDACTED] for secret [REDACTED]",
        "{oauth:?}"
    );
    assert_eq!(uri, "https://x.example/?s=[REDACTED]");
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(
            !shown.contains(&secret) && !shown.contains(token),
            "{shown}"
        );
    }
}
