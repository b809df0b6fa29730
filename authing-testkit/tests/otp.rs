//! import-otp and get-otp-secret-by-user: validation, storage and every userIdType.

mod common;

use authing_testkit::{ImportedOtp, StandIn, api_code};
use common::{
    Answer, IMPORT_PATH, SECRET_PATH, import_secret, management_token, query_string, with_token,
};
use reqwest::Method;
use serde_json::{Value, json};

const SECRET: &str = "HZ2F6J3AGNAVSOTV";

async fn import(stand_in: &StandIn, body: Value) -> Answer {
    let token = management_token(stand_in).await;
    with_token(stand_in, &token, Method::POST, IMPORT_PATH, Some(body)).await
}

async fn import_raw(stand_in: &StandIn, body: &str) -> Answer {
    let token = management_token(stand_in).await;
    let response = reqwest::Client::new()
        .post(common::url(stand_in, IMPORT_PATH))
        .bearer_auth(token)
        .header("x-authing-userpool-id", stand_in.userpool_id())
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .expect("import");
    Answer::read(response).await
}

async fn read_secret(stand_in: &StandIn, query: &[(&str, &str)]) -> Answer {
    let token = management_token(stand_in).await;
    let path = format!("{SECRET_PATH}?{}", query_string(query));
    with_token(stand_in, &token, Method::GET, &path, None).await
}

#[tokio::test]
async fn an_imported_secret_is_read_back() {
    let stand_in = StandIn::start().await.expect("start");
    let body = json!({"list": [{"userId": stand_in.user_id(), "otp": {"secret": SECRET, "recoveryCode": "b471-8ec0-874a-087f-bccb-cd54"}}]});
    let answer = import(&stand_in, body).await;
    answer.assert_ok();
    assert!(answer.json.get("data").is_none(), "{}", answer.json);

    let answer = read_secret(&stand_in, &[("userId", stand_in.user_id())]).await;
    assert_eq!(answer.assert_ok().data(), &json!({"secret": SECRET}));
    let stored = stand_in.imported_otp(stand_in.user_id()).expect("stored");
    assert_eq!(
        stored.recovery_code.as_deref(),
        Some("b471-8ec0-874a-087f-bccb-cd54")
    );
}

#[tokio::test]
async fn a_second_import_replaces_the_first() {
    let stand_in = StandIn::start().await.expect("start");
    import_secret(&stand_in, SECRET).await.assert_ok();
    import_secret(&stand_in, "MZXW6YTBOI").await.assert_ok();
    let answer = read_secret(&stand_in, &[("userId", stand_in.user_id())]).await;
    assert_eq!(answer.assert_ok().data()["secret"], "MZXW6YTBOI");
}

#[tokio::test]
async fn every_supported_user_id_type_finds_the_user() {
    let stand_in = StandIn::start().await.expect("start");
    import_secret(&stand_in, SECRET).await.assert_ok();
    let user = stand_in.user().clone();
    let cases = [
        ("user_id", user.id.as_str()),
        ("phone", user.phone.as_str()),
        ("email", user.email.as_str()),
        ("username", user.username.as_str()),
        ("external_id", user.external_id.as_str()),
        ("identity", user.identity.as_str()),
        ("sync_relation", user.sync_relation.as_str()),
    ];
    for (id_type, id) in cases {
        let answer = read_secret(&stand_in, &[("userId", id), ("userIdType", id_type)]).await;
        assert_eq!(answer.assert_ok().data()["secret"], SECRET, "{id_type}");
    }
}

#[tokio::test]
async fn custom_field_and_unknown_id_types_get_400() {
    let stand_in = StandIn::start().await.expect("start");
    for id_type in ["custom_field", "nickname", ""] {
        let answer = read_secret(
            &stand_in,
            &[("userId", stand_in.user_id()), ("userIdType", id_type)],
        )
        .await;
        answer.assert_failure(400, Some(api_code::UNSUPPORTED_USER_ID_TYPE));
    }
}

#[tokio::test]
async fn a_value_of_the_wrong_id_type_is_user_not_found() {
    let stand_in = StandIn::start().await.expect("start");
    let phone = stand_in.user().phone.clone();
    let answer = read_secret(&stand_in, &[("userId", &phone), ("userIdType", "user_id")]).await;
    answer.assert_failure(404, Some(api_code::USER_NOT_FOUND));
}

#[tokio::test]
async fn reading_an_unknown_user_gets_404_2004() {
    let stand_in = StandIn::start().await.expect("start");
    let answer = read_secret(&stand_in, &[("userId", "000000000000000000000000")]).await;
    answer.assert_failure(404, Some(api_code::USER_NOT_FOUND));
}

#[tokio::test]
async fn reading_a_user_without_otp_gets_404_with_a_clear_message() {
    let stand_in = StandIn::start().await.expect("start");
    let answer = read_secret(&stand_in, &[("userId", stand_in.user_id())]).await;
    answer.assert_failure(404, Some(api_code::OTP_NOT_SET));
    assert!(answer.message().contains("no OTP"), "{}", answer.json);
}

#[tokio::test]
async fn reading_without_user_id_gets_400() {
    let stand_in = StandIn::start().await.expect("start");
    for query in [&[][..], &[("userId", "")][..]] {
        read_secret(&stand_in, query)
            .await
            .assert_failure(400, Some(api_code::MALFORMED_REQUEST));
    }
}

#[tokio::test]
async fn importing_for_an_unknown_user_gets_404_2004_and_stores_nothing() {
    let stand_in = StandIn::start().await.expect("start");
    let body = json!({"list": [
        {"userId": stand_in.user_id(), "otp": {"secret": SECRET}},
        {"userId": "nobody", "otp": {"secret": SECRET}},
    ]});
    import(&stand_in, body)
        .await
        .assert_failure(404, Some(api_code::USER_NOT_FOUND));
    assert_eq!(stand_in.imported_otp(stand_in.user_id()), None);
}

#[tokio::test]
async fn importing_a_secret_that_is_not_base32_gets_400() {
    let stand_in = StandIn::start().await.expect("start");
    for secret in ["", "not base32!", "HZ2F6J3AGNAVSOT1"] {
        let code = if secret.is_empty() {
            api_code::MALFORMED_REQUEST
        } else {
            api_code::INVALID_OTP_SECRET
        };
        let body = json!({"list": [{"userId": stand_in.user_id(), "otp": {"secret": secret}}]});
        let answer = import(&stand_in, body).await;
        answer.assert_failure(400, Some(code));
        assert!(
            answer.message().contains("list[0].otp.secret"),
            "{}",
            answer.json
        );
    }
    assert_eq!(
        stand_in.imported_otp(stand_in.user_id()),
        None::<ImportedOtp>
    );
}

#[tokio::test]
async fn malformed_import_bodies_get_400() {
    let stand_in = StandIn::start().await.expect("start");
    let user = stand_in.user_id().to_owned();
    let bodies = [
        String::new(),
        "{not json".to_owned(),
        "[]".to_owned(),
        "{}".to_owned(),
        json!({"list": {}}).to_string(),
        json!({"list": [1]}).to_string(),
        json!({"list": [{"otp": {"secret": SECRET}}]}).to_string(),
        json!({"list": [{"userId": user}]}).to_string(),
        json!({"list": [{"userId": user, "otp": {}}]}).to_string(),
        json!({"list": [{"userId": user, "otp": {"secret": 7}}]}).to_string(),
        json!({"list": [{"userId": user, "otp": {"secret": SECRET, "recoveryCode": 7}}]})
            .to_string(),
    ];
    for body in bodies {
        let answer = import_raw(&stand_in, &body).await;
        answer.assert_failure(400, Some(api_code::MALFORMED_REQUEST));
    }
}

#[tokio::test]
async fn an_empty_list_is_accepted() {
    let stand_in = StandIn::start().await.expect("start");
    import(&stand_in, json!({"list": []})).await.assert_ok();
}
