//! send-enroll-factor-request: the authentication side's credentials and each factor.

mod common;

use std::time::Duration;

use authing_testkit::{StandIn, api_code};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::{Answer, ENROLL_PATH, url};
use serde_json::{Value, json};

async fn enroll_as(stand_in: &StandIn, app_id: &str, token: &str, body: &Value) -> Answer {
    let response = reqwest::Client::new()
        .post(url(stand_in, ENROLL_PATH))
        .header("x-authing-app-id", app_id)
        .header("authorization", token)
        .header("x-authing-request-from", "sdk")
        .json(body)
        .send()
        .await
        .expect("enroll request");
    Answer::read(response).await
}

async fn enroll(stand_in: &StandIn, body: Value) -> Answer {
    enroll_as(
        stand_in,
        stand_in.app_id(),
        stand_in.user_access_token(),
        &body,
    )
    .await
}

fn query_value<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

#[tokio::test]
async fn otp_enrollment_gives_a_parseable_otpauth_uri_a_png_and_a_recovery_code() {
    let stand_in = StandIn::start().await.expect("start");
    let answer = enroll(&stand_in, json!({"profile": {}, "factorType": "OTP"})).await;
    let data = answer.assert_ok().data();
    assert!(
        !data["enrollmentToken"]
            .as_str()
            .unwrap_or_default()
            .is_empty()
    );

    let uri = data["otpData"]["qrCodeUri"].as_str().expect("qrCodeUri");
    let rest = uri
        .strip_prefix("otpauth://totp/")
        .expect("an otpauth TOTP URI");
    let (label, query) = rest.split_once('?').expect("a query");
    let (issuer_label, user_label) = label.split_once(':').expect("<pool>:<user>");
    assert_eq!(issuer_label, stand_in.userpool_id());
    assert_eq!(user_label, stand_in.user().username);
    let secret = query_value(query, "secret").expect("secret");
    assert_eq!(secret.len(), 32, "20 bytes in base32: {secret}");
    assert!(
        secret
            .bytes()
            .all(|b| matches!(b, b'A'..=b'Z' | b'2'..=b'7')),
        "{secret}"
    );
    assert_eq!(query_value(query, "period"), Some("30"));
    assert_eq!(query_value(query, "digits"), Some("6"));
    assert_eq!(query_value(query, "algorithm"), Some("SHA1"));
    assert_eq!(query_value(query, "issuer"), Some(stand_in.userpool_id()));

    let data_url = data["otpData"]["qrCodeDataUrl"]
        .as_str()
        .expect("qrCodeDataUrl");
    let png = data_url
        .strip_prefix("data:image/png;base64,")
        .expect("a PNG data URL");
    let png = STANDARD.decode(png).expect("base64");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));

    let recovery = data["otpData"]["recoveryCode"]
        .as_str()
        .expect("recoveryCode");
    let groups: Vec<&str> = recovery.split('-').collect();
    assert_eq!(groups.len(), 6, "{recovery}");
    assert!(
        groups
            .iter()
            .all(|g| g.len() == 4 && g.bytes().all(|b| b.is_ascii_hexdigit()))
    );
}

#[tokio::test]
async fn each_otp_enrollment_gets_a_fresh_secret_and_token() {
    let stand_in = StandIn::start().await.expect("start");
    let body = json!({"profile": {}, "factorType": "OTP"});
    let first = enroll(&stand_in, body.clone()).await;
    let second = enroll(&stand_in, body).await;
    assert_ne!(
        first.data()["otpData"]["qrCodeUri"],
        second.data()["otpData"]["qrCodeUri"]
    );
    assert_ne!(
        first.data()["enrollmentToken"],
        second.data()["enrollmentToken"]
    );
}

#[tokio::test]
async fn sms_is_limited_to_one_request_per_phone_per_interval() {
    let stand_in = StandIn::start().await.expect("start");
    let sms = |phone: &str| json!({"profile": {"phoneNumber": phone, "phoneCountryCode": "+86"}, "factorType": "SMS"});
    let answer = enroll(&stand_in, sms("18800008888")).await;
    assert!(answer.assert_ok().data()["enrollmentToken"].is_string());
    assert!(answer.data().get("otpData").is_none());

    let answer = enroll(&stand_in, sms("18800008888")).await;
    answer.assert_failure(429, None);
    assert!(answer.message().contains("18800008888"), "{}", answer.json);

    enroll(&stand_in, sms("18800009999")).await.assert_ok();
}

#[tokio::test]
async fn the_send_interval_is_configurable_and_ends() {
    let stand_in = StandIn::builder()
        .send_interval(Duration::from_millis(400))
        .start()
        .await
        .expect("start");
    let email = json!({"profile": {"email": "a@example.com"}, "factorType": "EMAIL"});
    enroll(&stand_in, email.clone()).await.assert_ok();
    enroll(&stand_in, email.clone())
        .await
        .assert_failure(429, None);
    tokio::time::sleep(Duration::from_millis(450)).await;
    enroll(&stand_in, email).await.assert_ok();
}

#[tokio::test]
async fn email_is_limited_per_address_regardless_of_case() {
    let stand_in = StandIn::start().await.expect("start");
    let email = |address: &str| json!({"profile": {"email": address}, "factorType": "EMAIL"});
    enroll(&stand_in, email("a@example.com")).await.assert_ok();
    enroll(&stand_in, email("A@Example.com"))
        .await
        .assert_failure(429, None);
}

#[tokio::test]
async fn sms_without_a_phone_and_email_without_an_address_get_400() {
    let stand_in = StandIn::start().await.expect("start");
    for body in [
        json!({"profile": {}, "factorType": "SMS"}),
        json!({"profile": {"phoneNumber": ""}, "factorType": "SMS"}),
        json!({"profile": {"phoneNumber": "188"}, "factorType": "EMAIL"}),
    ] {
        enroll(&stand_in, body)
            .await
            .assert_failure(400, Some(api_code::MALFORMED_REQUEST));
    }
}

#[tokio::test]
async fn face_gets_only_an_enrollment_token() {
    let stand_in = StandIn::start().await.expect("start");
    let answer = enroll(&stand_in, json!({"profile": {}, "factorType": "FACE"})).await;
    let data = answer.assert_ok().data().as_object().expect("data");
    assert_eq!(data.keys().collect::<Vec<_>>(), ["enrollmentToken"]);
}

#[tokio::test]
async fn unknown_factor_types_and_malformed_bodies_get_400() {
    let stand_in = StandIn::start().await.expect("start");
    for body in [
        json!({"profile": {}, "factorType": "otp"}),
        json!({"profile": {}, "factorType": "WEBAUTHN"}),
        json!({"profile": {}}),
        json!({"factorType": "OTP"}),
        json!({"profile": "x", "factorType": "OTP"}),
        json!({"profile": {"email": 1}, "factorType": "EMAIL"}),
        json!([]),
    ] {
        enroll(&stand_in, body)
            .await
            .assert_failure(400, Some(api_code::MALFORMED_REQUEST));
    }
}

#[tokio::test]
async fn a_wrong_or_missing_app_id_gets_401() {
    let stand_in = StandIn::start().await.expect("start");
    let body = json!({"profile": {}, "factorType": "FACE"});
    enroll_as(
        &stand_in,
        "another-app",
        stand_in.user_access_token(),
        &body,
    )
    .await
    .assert_failure(401, Some(api_code::APP_NOT_FOUND));
    let response = reqwest::Client::new()
        .post(url(&stand_in, ENROLL_PATH))
        .header("authorization", stand_in.user_access_token())
        .json(&body)
        .send()
        .await
        .expect("enroll");
    Answer::read(response)
        .await
        .assert_failure(401, Some(api_code::APP_NOT_FOUND));
}

#[tokio::test]
async fn a_wrong_or_bearer_prefixed_user_token_gets_401() {
    let stand_in = StandIn::start().await.expect("start");
    let body = json!({"profile": {}, "factorType": "FACE"});
    let bearer = format!("Bearer {}", stand_in.user_access_token());
    let answer = enroll_as(&stand_in, stand_in.app_id(), &bearer, &body).await;
    answer.assert_failure(401, Some(api_code::NOT_SIGNED_IN));
    assert!(
        answer.message().contains("without the `Bearer `"),
        "{}",
        answer.json
    );
    for token in ["", "someone-elses-token"] {
        enroll_as(&stand_in, stand_in.app_id(), token, &body)
            .await
            .assert_failure(401, Some(api_code::NOT_SIGNED_IN));
    }
}

#[tokio::test]
async fn a_management_token_does_not_open_the_authentication_side() {
    let stand_in = StandIn::start().await.expect("start");
    let token = common::management_token(&stand_in).await;
    let body = json!({"profile": {}, "factorType": "FACE"});
    enroll_as(&stand_in, stand_in.app_id(), &token, &body)
        .await
        .assert_failure(401, Some(api_code::NOT_SIGNED_IN));
}

async fn list_factors(stand_in: &StandIn) -> Answer {
    let response = reqwest::Client::new()
        .get(url(stand_in, "/api/v3/list-enrolled-factors"))
        .header("x-authing-app-id", stand_in.app_id())
        .header("authorization", stand_in.user_access_token())
        .send()
        .await
        .expect("list request");
    Answer::read(response).await
}

#[tokio::test]
async fn an_imported_otp_is_listed_as_an_enrolled_factor() {
    let stand_in = StandIn::start().await.expect("start");
    assert_eq!(list_factors(&stand_in).await.assert_ok().data(), &json!([]));
    common::import_secret(&stand_in, "HZ2F6J3AGNAVSOTV")
        .await
        .assert_ok();
    let answer = list_factors(&stand_in).await;
    let factors = answer.assert_ok().data().as_array().expect("an array");
    assert_eq!(factors.len(), 1);
    assert_eq!(factors[0]["factorType"], "OTP");
    assert!(
        !factors[0]["factorId"]
            .as_str()
            .unwrap_or_default()
            .is_empty()
    );
}

#[tokio::test]
async fn listing_factors_needs_the_user_token() {
    let stand_in = StandIn::start().await.expect("start");
    let response = reqwest::Client::new()
        .get(url(&stand_in, "/api/v3/list-enrolled-factors"))
        .header("x-authing-app-id", stand_in.app_id())
        .send()
        .await
        .expect("list request");
    Answer::read(response)
        .await
        .assert_failure(401, Some(api_code::NOT_SIGNED_IN));
}
