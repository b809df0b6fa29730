//! The management-token scheme: issuing, using, refusing.

mod common;

use std::time::Duration;

use authing_testkit::{StandIn, api_code};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{Answer, SECRET_PATH, TOKEN_PATH, management_token, url, with_token};
use reqwest::Method;
use serde_json::{Value, json};

fn secret_path(stand_in: &StandIn) -> String {
    format!("{SECRET_PATH}?userId={}", stand_in.user_id())
}

async fn fetch(stand_in: &StandIn, body: &str) -> Answer {
    let response = reqwest::Client::new()
        .post(url(stand_in, TOKEN_PATH))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .expect("token request");
    Answer::read(response).await
}

fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT has a payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("JSON")
}

#[tokio::test]
async fn issued_token_is_a_jwt_scoped_to_the_pool_and_is_accepted() {
    let stand_in = StandIn::start().await.expect("start");
    let body = json!({
        "accessKeyId": stand_in.access_key_id(),
        "accessKeySecret": stand_in.access_key_secret(),
    });
    let answer = fetch(&stand_in, &body.to_string()).await;
    answer.assert_ok();
    assert_eq!(answer.data()["expires_in"], 7200);
    let token = answer.data()["access_token"].as_str().expect("token");
    let claims = claims(token);
    assert_eq!(claims["scoped_userpool_id"], stand_in.userpool_id());
    assert_eq!(
        claims["exp"].as_u64(),
        claims["iat"].as_u64().map(|iat| iat + 7200)
    );
    assert!(claims["jti"].is_string());

    // Accepted: the seeded user has no OTP yet, which is a 404, not a 401.
    let answer = with_token(&stand_in, token, Method::GET, &secret_path(&stand_in), None).await;
    answer.assert_failure(404, Some(api_code::OTP_NOT_SET));
    assert_eq!(stand_in.token_fetches(), 1);
}

#[tokio::test]
async fn every_issued_token_has_its_own_jti() {
    let stand_in = StandIn::start().await.expect("start");
    let first = claims(&management_token(&stand_in).await);
    let second = claims(&management_token(&stand_in).await);
    assert_ne!(first["jti"], second["jti"]);
    assert_eq!(stand_in.token_fetches(), 2);
}

#[tokio::test]
async fn wrong_credentials_get_401_with_an_api_code() {
    let stand_in = StandIn::start().await.expect("start");
    let wrong_secret = json!({"accessKeyId": stand_in.access_key_id(), "accessKeySecret": "nope"});
    let wrong_id = json!({"accessKeyId": "nope", "accessKeySecret": stand_in.access_key_secret()});
    for body in [wrong_secret, wrong_id] {
        let answer = fetch(&stand_in, &body.to_string()).await;
        answer.assert_failure(401, Some(api_code::WRONG_ACCESS_KEY));
        assert!(
            answer.message().contains("accessKeySecret"),
            "{}",
            answer.json
        );
        assert!(answer.data().is_null());
    }
    assert_eq!(stand_in.token_fetches(), 2, "failed fetches count too");
}

#[tokio::test]
async fn malformed_token_requests_get_400() {
    let stand_in = StandIn::start().await.expect("start");
    for body in [
        "",
        "{",
        "[]",
        r#"{"accessKeyId":"x"}"#,
        r#"{"accessKeyId":1,"accessKeySecret":"y"}"#,
    ] {
        fetch(&stand_in, body)
            .await
            .assert_failure(400, Some(api_code::MALFORMED_REQUEST));
    }
}

#[tokio::test]
async fn revoked_tokens_get_401_and_new_ones_work() {
    let stand_in = StandIn::start().await.expect("start");
    let old = management_token(&stand_in).await;
    stand_in.revoke_tokens();
    let answer = with_token(&stand_in, &old, Method::GET, &secret_path(&stand_in), None).await;
    answer.assert_failure(401, Some(api_code::NOT_SIGNED_IN));
    assert!(answer.message().contains("revoked"), "{}", answer.json);

    let new = management_token(&stand_in).await;
    let answer = with_token(&stand_in, &new, Method::GET, &secret_path(&stand_in), None).await;
    assert_eq!(answer.status_code(), 404, "{}", answer.json);
}

#[tokio::test]
async fn expired_tokens_get_401() {
    let stand_in = StandIn::builder()
        .token_lifetime(Duration::from_millis(200))
        .start()
        .await
        .expect("start");
    let token = management_token(&stand_in).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let answer = with_token(
        &stand_in,
        &token,
        Method::GET,
        &secret_path(&stand_in),
        None,
    )
    .await;
    answer.assert_failure(401, Some(api_code::NOT_SIGNED_IN));
    assert!(answer.message().contains("expired"), "{}", answer.json);
}

#[tokio::test]
async fn a_token_needs_its_own_userpool_id_header() {
    let stand_in = StandIn::start().await.expect("start");
    let token = management_token(&stand_in).await;
    let client = reqwest::Client::new();
    let target = url(&stand_in, &secret_path(&stand_in));
    for pool in [None, Some("another-pool")] {
        let mut request = client.get(&target).bearer_auth(&token);
        if let Some(pool) = pool {
            request = request.header("x-authing-userpool-id", pool);
        }
        let answer = Answer::read(request.send().await.expect("call")).await;
        answer.assert_failure(401, Some(api_code::NOT_SIGNED_IN));
        assert!(
            answer.message().contains("x-authing-userpool-id"),
            "{}",
            answer.json
        );
    }
}

#[tokio::test]
async fn tokens_of_another_stand_in_or_forged_ones_get_401() {
    let stand_in = StandIn::builder()
        .userpool_id("pool")
        .start()
        .await
        .expect("start");
    let other = StandIn::builder()
        .userpool_id("pool")
        .start()
        .await
        .expect("start");
    let foreign = management_token(&other).await;
    let path = secret_path(&stand_in);
    for token in [foreign.as_str(), "not-a-jwt", "a.b.c", ""] {
        let answer = with_token(&stand_in, token, Method::GET, &path, None).await;
        answer.assert_failure(401, Some(api_code::NOT_SIGNED_IN));
    }
}

#[tokio::test]
async fn calls_without_credentials_get_401() {
    let stand_in = StandIn::start().await.expect("start");
    let client = reqwest::Client::new();
    let target = url(&stand_in, &secret_path(&stand_in));
    for authorization in [None, Some("Basic abc"), Some(stand_in.access_key_secret())] {
        let mut request = client.get(&target);
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        let answer = Answer::read(request.send().await.expect("call")).await;
        answer.assert_failure(401, Some(api_code::NOT_SIGNED_IN));
    }
}
