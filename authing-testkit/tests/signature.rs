//! The signature scheme, verified with authing_core::signing, and each apiCode of its
//! failures.

mod common;

use std::time::{Duration, SystemTime};

use authing_core::signing;
use authing_testkit::{StandIn, api_code};
use common::{IMPORT_PATH, SECRET_PATH, Signed};
use serde_json::json;

async fn stand_in() -> StandIn {
    StandIn::start().await.expect("start")
}

fn get_secret(stand_in: &StandIn) -> Signed {
    Signed::get(
        stand_in,
        SECRET_PATH,
        &[("userId", stand_in.user_id()), ("userIdType", "user_id")],
    )
}

#[tokio::test]
async fn a_signed_get_is_accepted() {
    let stand_in = stand_in().await;
    // Accepted: the seeded user has no OTP yet, which is a 404, not a 401.
    get_secret(&stand_in)
        .send(&stand_in)
        .await
        .assert_failure(404, Some(api_code::OTP_NOT_SET));
}

#[tokio::test]
async fn a_signed_post_with_a_nested_body_is_accepted() {
    let stand_in = stand_in().await;
    let body = json!({"list": [{"userId": stand_in.user_id(), "otp": {"secret": "HZ2F6J3AGNAVSOTV", "recoveryCode": "b471-8ec0-874a-087f-bccb-cd54"}}]});
    Signed::post(&stand_in, IMPORT_PATH, body)
        .send(&stand_in)
        .await
        .assert_ok();
    let answer = get_secret(&stand_in).send(&stand_in).await;
    assert_eq!(answer.assert_ok().data()["secret"], "HZ2F6J3AGNAVSOTV");
}

#[tokio::test]
async fn a_query_value_needing_percent_encoding_is_signed_decoded() {
    let stand_in = stand_in().await;
    let email = stand_in.user().email.clone();
    let answer = Signed::get(
        &stand_in,
        SECRET_PATH,
        &[("userId", &email), ("userIdType", "email")],
    )
    .send(&stand_in)
    .await;
    assert_eq!(answer.status_code(), 404, "{}", answer.json);
}

#[tokio::test]
async fn a_bad_signature_gets_1300() {
    let stand_in = stand_in().await;
    let call = get_secret(&stand_in);
    let wrong = signing::authorization(stand_in.access_key_id(), "wrong secret", "GET\n/x");
    let answer = call.send_with_authorization(&stand_in, &wrong).await;
    answer.assert_failure(401, Some(api_code::SIGNATURE_INVALID));
    assert!(
        answer.message().contains("signature mismatch"),
        "{}",
        answer.json
    );
}

#[tokio::test]
async fn a_body_changed_after_signing_gets_1300() {
    let stand_in = stand_in().await;
    let signed = Signed::post(&stand_in, IMPORT_PATH, json!({"list": []}));
    let authorization = signed.authorization();
    let mut tampered = signed;
    tampered.body = json!({"list": [1]}).as_object().cloned();
    tampered
        .send_with_authorization(&stand_in, &authorization)
        .await
        .assert_failure(401, Some(api_code::SIGNATURE_INVALID));
}

#[tokio::test]
async fn an_unknown_access_key_gets_1300() {
    let stand_in = stand_in().await;
    let mut call = get_secret(&stand_in);
    call.access_key_id = "someone-else".into();
    call.send(&stand_in)
        .await
        .assert_failure(401, Some(api_code::SIGNATURE_INVALID));
}

#[tokio::test]
async fn a_replayed_nonce_gets_1306() {
    let stand_in = stand_in().await;
    let call = get_secret(&stand_in);
    assert_eq!(call.send(&stand_in).await.status_code(), 404);
    call.send(&stand_in)
        .await
        .assert_failure(401, Some(api_code::NONCE_REPLAYED));
}

#[tokio::test]
async fn a_forged_request_does_not_use_up_the_nonce() {
    let stand_in = stand_in().await;
    let call = get_secret(&stand_in);
    call.send_with_authorization(&stand_in, "authing x:forged")
        .await
        .assert_failure(401, Some(api_code::SIGNATURE_INVALID));
    assert_eq!(call.send(&stand_in).await.status_code(), 404);
}

#[tokio::test]
async fn a_stale_or_future_date_gets_1305() {
    let stand_in = stand_in().await;
    let sixteen_minutes = Duration::from_secs(16 * 60);
    for date in [
        SystemTime::now() - sixteen_minutes,
        SystemTime::now() + sixteen_minutes,
    ] {
        get_secret(&stand_in)
            .header("date", &signing::date_header(date))
            .send(&stand_in)
            .await
            .assert_failure(401, Some(api_code::CLOCK_SKEW));
    }
}

#[tokio::test]
async fn a_date_within_fifteen_minutes_is_accepted() {
    let stand_in = stand_in().await;
    let date = signing::date_header(SystemTime::now() - Duration::from_secs(14 * 60));
    let answer = get_secret(&stand_in)
        .header("date", &date)
        .send(&stand_in)
        .await;
    assert_eq!(answer.status_code(), 404, "{}", answer.json);
}

#[tokio::test]
async fn a_missing_date_gets_1304() {
    let stand_in = stand_in().await;
    get_secret(&stand_in)
        .without("date")
        .send(&stand_in)
        .await
        .assert_failure(401, Some(api_code::DATE_MISSING));
}

#[tokio::test]
async fn a_malformed_date_gets_1303() {
    let stand_in = stand_in().await;
    for date in ["yesterday", "1795262400000"] {
        get_secret(&stand_in)
            .header("date", date)
            .send(&stand_in)
            .await
            .assert_failure(401, Some(api_code::DATE_MALFORMED));
    }
}

#[tokio::test]
async fn a_wrong_or_missing_signature_method_gets_1301() {
    let stand_in = stand_in().await;
    for call in [
        get_secret(&stand_in).header("x-authing-signature-method", "HMAC-SHA256"),
        get_secret(&stand_in).without("x-authing-signature-method"),
    ] {
        call.send(&stand_in)
            .await
            .assert_failure(401, Some(api_code::SIGNATURE_METHOD_UNSUPPORTED));
    }
}

#[tokio::test]
async fn a_wrong_or_missing_signature_version_gets_1302() {
    let stand_in = stand_in().await;
    for call in [
        get_secret(&stand_in).header("x-authing-signature-version", "2.0"),
        get_secret(&stand_in).without("x-authing-signature-version"),
    ] {
        call.send(&stand_in)
            .await
            .assert_failure(401, Some(api_code::SIGNATURE_VERSION_UNSUPPORTED));
    }
}

#[tokio::test]
async fn a_missing_nonce_or_malformed_authorization_gets_401() {
    let stand_in = stand_in().await;
    get_secret(&stand_in)
        .without("x-authing-signature-nonce")
        .send(&stand_in)
        .await
        .assert_failure(401, Some(api_code::SIGNATURE_INVALID));
    get_secret(&stand_in)
        .send_with_authorization(&stand_in, "authing no-colon")
        .await
        .assert_failure(401, Some(api_code::SIGNATURE_INVALID));
}
