//! The exact wire format of each endpoint, pinned against what the official SDKs sent
//! (`fixtures/*.jsonl`, copied from `shared/authing/captures/`): method, path, query,
//! headers and body.
//!
//! The stand-in is given the captures' credentials and answers the endpoint calls with a
//! scripted success, so the captures' user ids need not exist there.

use authing_core::{
    AuthenticationClient, AuthenticationEndpoint, ManagementAuth, ManagementClient,
    ManagementEndpoint, TokenEndpointAuth,
};
use authing_mfa::{
    ApplicationMfa, DisableGlobalMfaSettings, EnrollFactor, FactorType, GetFactor,
    GetGlobalMfaSettings, GetMfaStatus, GetMfaTriggerData, GetOtpSecretByUser, GetUserMfaInfo,
    ImportOtp, ImportOtpItem, IntrospectMfaToken, ListEnrolledFactors, ListFactorsToEnroll,
    MfaTotpVerify, MfaTriggerData, ResetFactor, SendEnrollFactorRequest, SetMfaStatus,
    UpdateApplicationMfaSettings, UpdateGlobalMfaSettings, UserIdType, WebauthnMfaBindInitialize,
    WebauthnMfaVerifyInitialize,
};
use authing_testkit::oidc::TokenAuthMethod;
use authing_testkit::{Fault, RecordedRequest, StandIn};
use serde_json::Value;

const NODE: &str = include_str!("../fixtures/authing-node-sdk-4.0.1.jsonl");
const PYTHON: &str = include_str!("../fixtures/authing-python-sdk-5.1.0.jsonl");

/// Headers that belong to the HTTP client, not to Authing's protocol.
const TRANSPORT_HEADERS: [&str; 6] = [
    "host",
    "user-agent",
    "accept-encoding",
    "connection",
    "content-length",
    "accept",
];

const SUCCESS: &str = r#"{"statusCode":200,"message":"ok","data":{"secret":"HZ2F6J3AGNAVSOTV","enrollmentToken":"T"}}"#;

struct Capture {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: String,
}

fn capture(file: &str, path: &str) -> Capture {
    let line = file
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("capture line is JSON"))
        .find(|v| v["path"] == path)
        .unwrap_or_else(|| panic!("no capture of {path}"));
    let pairs = |v: &Value| -> Vec<(String, String)> {
        v.as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                (
                    p[0].as_str().unwrap().to_owned(),
                    p[1].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    Capture {
        method: line["method"].as_str().unwrap().to_owned(),
        path: line["path"].as_str().unwrap().to_owned(),
        query: pairs(&line["query"]),
        headers: line["headers"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect(),
        body: line["body"].as_str().unwrap().to_owned(),
    }
}

/// Asserts `ours` sends what `theirs` sent: same method, path, query and JSON body, and
/// every protocol header of theirs with the same value, except those listed in `differs`,
/// which the caller checks itself.
fn assert_same_request(ours: &RecordedRequest, theirs: &Capture, differs: &[&str]) {
    assert_eq!(ours.method, theirs.method);
    assert_eq!(ours.path, theirs.path);
    assert_eq!(ours.query, theirs.query);
    // An empty body (a GET) is no JSON; anything else must parse, or two unparsable
    // bodies would compare equal.
    let body = |text: &str| {
        (!text.is_empty()).then(|| serde_json::from_str::<Value>(text).expect("a JSON body"))
    };
    assert_eq!(
        body(&ours.body),
        body(&theirs.body),
        "body of {}",
        ours.path
    );
    for (name, value) in &theirs.headers {
        if TRANSPORT_HEADERS.contains(&name.as_str()) || differs.contains(&name.as_str()) {
            continue;
        }
        let Some(our_value) = ours.header(name) else {
            panic!("{} lacks header `{name}` (theirs: `{value}`)", ours.path)
        };
        assert_eq!(our_value, value, "header `{name}` of {}", ours.path);
    }
    assert_eq!(ours.header("accept"), Some("application/json"));
    assert_eq!(
        ours.header("x-authing-sdk-version"),
        Some(concat!("authing-rust-sdk:", env!("CARGO_PKG_VERSION")))
    );
}

async fn stand_in() -> StandIn {
    StandIn::builder()
        .access_key("AK_TEST", "SK_TEST_SECRET")
        .userpool_id("pool-123")
        .app_id("APP_ID")
        .user_access_token("USER_ACCESS_TOKEN")
        .start()
        .await
        .expect("stand-in starts")
}

fn management(stand_in: &StandIn, auth: ManagementAuth) -> ManagementClient {
    stand_in.management_client().auth(auth).build().unwrap()
}

/// Sends `endpoint` through a management client to a stand-in that answers it with a
/// scripted success, and returns the stand-in with what it recorded.
async fn sent<E: ManagementEndpoint>(auth: ManagementAuth, endpoint: &E) -> StandIn {
    let stand_in = stand_in().await;
    stand_in.script_for(
        E::METADATA.path,
        Fault::raw(200, "application/json", SUCCESS),
    );
    management(&stand_in, auth).send(endpoint).await.unwrap();
    stand_in
}

fn import_otp_of_the_captures() -> ImportOtp {
    ImportOtp::new(vec![
        ImportOtpItem::new("635215b413xxxxf5f63c511a", "HZ2F6J3AGNAVSOTV")
            .with_recovery_code("b471-8ec0-874a-087f-bccb-cd54"),
    ])
}

fn only_request_to(stand_in: &StandIn, path: &str) -> RecordedRequest {
    let mut seen = stand_in.requests_to(path);
    assert_eq!(seen.len(), 1, "requests to {path}");
    seen.remove(0)
}

fn assert_bearer(ours: &RecordedRequest) {
    let token = ours
        .header("authorization")
        .unwrap()
        .strip_prefix("Bearer ");
    assert_eq!(token.map(|t| t.split('.').count()), Some(3), "a Bearer JWT");
    assert_eq!(ours.header("x-authing-userpool-id"), Some("pool-123"));
}

fn assert_signed(ours: &RecordedRequest) {
    let auth = ours.header("authorization").unwrap();
    let signature = auth
        .strip_prefix("authing AK_TEST:")
        .expect("authing <AK>:<sig>");
    assert_eq!(signature.len(), 28, "base64 of a 20-byte HMAC-SHA1");
    let nonce = ours.header("x-authing-signature-nonce").unwrap();
    assert!(
        nonce.len() == 32 && nonce.bytes().all(|b| b.is_ascii_hexdigit()),
        "{nonce}"
    );
    let date = ours.header("date").unwrap();
    assert!(
        httpdate::parse_http_date(date).is_ok(),
        "RFC 7231 date: {date}"
    );
}

#[tokio::test]
async fn token_fetch_matches_the_python_sdk() {
    let stand_in = sent(ManagementAuth::Token, &import_otp_of_the_captures()).await;
    let ours = only_request_to(&stand_in, "/api/v3/get-management-token");
    let theirs = capture(PYTHON, "/api/v3/get-management-token");
    assert_same_request(&ours, &theirs, &[]);
    assert_eq!(ours.header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn import_otp_with_a_token_matches_the_python_sdk() {
    let stand_in = sent(ManagementAuth::Token, &import_otp_of_the_captures()).await;
    let ours = only_request_to(&stand_in, "/api/v3/import-otp");
    // Python sends an empty x-authing-lang; this SDK sends its default, zh-CN.
    let differs = ["authorization", "x-authing-sdk-version", "x-authing-lang"];
    assert_same_request(&ours, &capture(PYTHON, "/api/v3/import-otp"), &differs);
    assert_bearer(&ours);
    assert_eq!(ours.header("x-authing-lang"), Some("zh-CN"));
}

#[tokio::test]
async fn import_otp_signed_matches_the_node_sdk() {
    let stand_in = sent(ManagementAuth::Signature, &import_otp_of_the_captures()).await;
    let ours = only_request_to(&stand_in, "/api/v3/import-otp");
    let differs = [
        "authorization",
        "x-authing-sdk-version",
        "x-authing-signature-nonce",
        "date",
    ];
    assert_same_request(&ours, &capture(NODE, "/api/v3/import-otp"), &differs);
    assert_signed(&ours);
    assert_eq!(
        stand_in.token_fetches(),
        0,
        "the signature scheme fetches no token"
    );
}

#[tokio::test]
async fn get_otp_secret_with_a_token_matches_the_python_sdk_plus_the_explicit_id_type() {
    let stand_in = stand_in().await;
    stand_in.script_for(
        "/api/v3/get-otp-secret-by-user",
        Fault::raw(200, "application/json", SUCCESS),
    );
    let answer = management(&stand_in, ManagementAuth::Token)
        .send(&GetOtpSecretByUser::new("6229ffaxxxxxxxxcade3e3d9"))
        .await
        .unwrap();
    assert_eq!(answer.secret.expose(), "HZ2F6J3AGNAVSOTV");
    let ours = only_request_to(&stand_in, "/api/v3/get-otp-secret-by-user");
    let mut theirs = capture(PYTHON, "/api/v3/get-otp-secret-by-user");
    // Python leaves userIdType to the server's default; this SDK sends it, as Node does.
    theirs.query.push(("userIdType".into(), "user_id".into()));
    let differs = ["authorization", "x-authing-sdk-version", "x-authing-lang"];
    assert_same_request(&ours, &theirs, &differs);
    assert_bearer(&ours);
    assert_eq!(ours.body, "", "a GET has no body");
    assert_eq!(
        ours.header("content-type"),
        None,
        "no body, no content type"
    );
}

#[tokio::test]
async fn get_otp_secret_signed_matches_the_node_sdk() {
    let stand_in = sent(
        ManagementAuth::Signature,
        &GetOtpSecretByUser::new("6229ffaxxxxxxxxcade3e3d9"),
    )
    .await;
    let ours = only_request_to(&stand_in, "/api/v3/get-otp-secret-by-user");
    // Node sends content-type on a GET without body; it is not signed and means nothing.
    let differs = [
        "authorization",
        "x-authing-sdk-version",
        "x-authing-signature-nonce",
        "date",
        "content-type",
    ];
    let theirs = capture(NODE, "/api/v3/get-otp-secret-by-user");
    assert_same_request(&ours, &theirs, &differs);
    assert_signed(&ours);
}

#[tokio::test]
async fn send_enroll_factor_request_matches_both_sdks() {
    let stand_in = stand_in().await;
    stand_in.script_for(
        "/api/v3/send-enroll-factor-request",
        Fault::raw(200, "application/json", SUCCESS),
    );
    let client = stand_in.authentication_client().build().unwrap();
    let started = client
        .send(&SendEnrollFactorRequest::sms("188xxxx8888", "+86"))
        .await
        .unwrap();
    assert_eq!(started.enrollment_token.expose(), "T");
    let ours = only_request_to(&stand_in, "/api/v3/send-enroll-factor-request");
    let path = "/api/v3/send-enroll-factor-request";
    assert_same_request(&ours, &capture(NODE, path), &[]);
    assert_same_request(&ours, &capture(PYTHON, path), &["x-authing-sdk-version"]);
    assert_eq!(ours.header("x-authing-lang"), Some("zh-CN"));
}

#[tokio::test]
async fn query_values_are_percent_encoded_and_decode_to_the_original() {
    let odd = "张三 & co=1?+%/#";
    let get = GetOtpSecretByUser::new(odd).id_type(authing_mfa::UserIdType::Username);
    let stand_in = sent(ManagementAuth::Token, &get).await;
    let ours = only_request_to(&stand_in, "/api/v3/get-otp-secret-by-user");
    assert_eq!(ours.query_param("userId"), Some(odd));
    assert_eq!(ours.query_param("userIdType"), Some("username"));
}

// ---------------------------------------------------------------------------------------
// The rest of the MFA surface. No capture in `shared/authing/captures/` covers it, so
// `fixtures/record-node-mfa.js` ran the official Node SDK 4.0.1 against a loopback
// recorder and wrote `fixtures/authing-node-sdk-4.0.1-mfa.jsonl`; each test below pins
// one endpoint against that. Node signs management calls, so those are sent signed.

const NODE_MFA: &str = include_str!("../fixtures/authing-node-sdk-4.0.1-mfa.jsonl");

/// What a signed GET differs in from Node's, besides the signature's own inputs: Node
/// sends a content-type without a body, which is not signed and means nothing.
const SIGNED_GET_DIFFERS: [&str; 5] = [
    "authorization",
    "x-authing-sdk-version",
    "x-authing-signature-nonce",
    "date",
    "content-type",
];
const SIGNED_POST_DIFFERS: [&str; 4] = [
    "authorization",
    "x-authing-sdk-version",
    "x-authing-signature-nonce",
    "date",
];

fn success_with(data: Value) -> Fault {
    let body = serde_json::json!({"statusCode": 200, "message": "ok", "data": data});
    Fault::raw(200, "application/json", body.to_string())
}

/// Sends `endpoint` signed to a stand-in that answers `data`, checks the request against
/// Node's capture of the same path, and returns the decoded answer.
async fn management_matches_node<E: ManagementEndpoint>(endpoint: &E, data: Value) -> E::Response {
    let path = E::METADATA.path;
    let stand_in = stand_in().await;
    stand_in.script_for(path, success_with(data));
    let answer = management(&stand_in, ManagementAuth::Signature)
        .send(endpoint)
        .await
        .unwrap();
    let ours = only_request_to(&stand_in, path);
    let differs: &[&str] = if ours.method == "GET" {
        &SIGNED_GET_DIFFERS
    } else {
        &SIGNED_POST_DIFFERS
    };
    assert_same_request(&ours, &capture(NODE_MFA, path), differs);
    assert_signed(&ours);
    answer
}

/// Sends `endpoint` as the signed-in user to a stand-in that answers `data`, checks the
/// request against Node's capture (with `adjust` applied to it for the differences the
/// caller names), and returns the decoded answer.
async fn authentication_matches_node<E: AuthenticationEndpoint>(
    endpoint: &E,
    data: Value,
    adjust: impl FnOnce(&mut Capture),
    differs: &[&str],
) -> E::Response {
    let path = E::METADATA.path;
    let stand_in = stand_in().await;
    stand_in.script_for(path, success_with(data));
    let client = stand_in.authentication_client().build().unwrap();
    let answer = client.send(endpoint).await.unwrap();
    let ours = only_request_to(&stand_in, path);
    let mut theirs = capture(NODE_MFA, path);
    adjust(&mut theirs);
    assert_same_request(&ours, &theirs, differs);
    assert_eq!(ours.header("authorization"), Some("USER_ACCESS_TOKEN"));
    answer
}

const MFA_USER: &str = "6229ffaxxxxxxxxcade3e3d9";

fn trigger_data_of_the_capture() -> MfaTriggerData {
    let mut data = MfaTriggerData::new("MFA_TOKEN");
    data.mfa_phone = Some("188xxxx8888".into());
    data.mfa_phone_country_code = Some("+86".into());
    data.mfa_email = Some("a@example.com".into());
    data.nickname = Some("nick".into());
    data.username = Some("alice".into());
    data.phone = Some("188xxxx8888".into());
    data.phone_country_code = Some("+86".into());
    data.face_mfa_enabled = Some(false);
    data.totp_mfa_enabled = Some(true);
    data.application_mfa = vec![ApplicationMfa::new("OTP", 1, 0)];
    data
}

#[tokio::test]
async fn get_user_mfa_info_matches_the_node_sdk_and_reads_both_status_forms() {
    // The type says "enabled"/"disabled", the docs' example says true: both decode.
    let data = serde_json::json!({"totpStatus": "enabled", "faceMfaStatus": "disabled",
        "smsMfaStatus": true, "emailMfaStatus": false});
    let info = management_matches_node(&GetUserMfaInfo::new(MFA_USER), data).await;
    assert!(info.totp && info.sms && !info.face && !info.email);
}

#[tokio::test]
async fn set_mfa_status_matches_the_node_sdk() {
    let set =
        SetMfaStatus::new(MFA_USER, trigger_data_of_the_capture()).id_type(UserIdType::UserId);
    let done = management_matches_node(&set, serde_json::json!({"success": true})).await;
    assert!(done.success);
}

#[tokio::test]
async fn get_mfa_status_matches_the_node_sdk_and_decodes_trigger_data() {
    let data = serde_json::to_value(trigger_data_of_the_capture()).unwrap();
    let got = management_matches_node(&GetMfaStatus::new(MFA_USER), data).await;
    assert_eq!(got, trigger_data_of_the_capture());
}

#[tokio::test]
async fn get_mfa_trigger_data_matches_the_node_sdk_and_takes_one_policy_object() {
    // applicationMfa as one object rather than an array decodes as a list of one.
    let data = serde_json::json!({"mfaToken": "T",
        "applicationMfa": {"mfaPolicy": "SMS", "status": 0, "sort": 2}});
    let get = GetMfaTriggerData::new("APP_ID", MFA_USER).id_type(UserIdType::Phone);
    let got = management_matches_node(&get, data).await;
    assert_eq!(got.application_mfa, [ApplicationMfa::new("SMS", 0, 2)]);
    assert_eq!(got.mfa_token.expose(), "T");
}

#[tokio::test]
async fn update_application_mfa_settings_matches_the_node_sdk() {
    let update = UpdateApplicationMfaSettings::new("APP_ID")
        .enable(FactorType::Otp)
        .enable(FactorType::Sms)
        .disable(FactorType::Face);
    let data = serde_json::json!({"enabledFactors": ["OTP", "SMS"]});
    let now = management_matches_node(&update, data).await;
    assert_eq!(now.enabled_factors, [FactorType::Otp, FactorType::Sms]);
}

#[tokio::test]
async fn get_global_mfa_settings_matches_the_node_sdk() {
    let data = serde_json::json!({"enabledFactors": ["EMAIL"]});
    let now = management_matches_node(&GetGlobalMfaSettings, data).await;
    assert_eq!(now.enabled_factors, [FactorType::Email]);
}

#[tokio::test]
async fn update_global_mfa_settings_matches_the_node_sdk() {
    let update = UpdateGlobalMfaSettings::new(vec![FactorType::Otp, FactorType::Email]);
    let data = serde_json::json!({"enabledFactors": ["OTP", "EMAIL"]});
    let now = management_matches_node(&update, data).await;
    assert_eq!(now.enabled_factors, [FactorType::Otp, FactorType::Email]);
}

#[tokio::test]
async fn disable_global_mfa_settings_matches_the_node_sdk_spelling() {
    let off = DisableGlobalMfaSettings::new(vec![FactorType::Sms]);
    let now = management_matches_node(&off, serde_json::json!({"enabledFactors": []})).await;
    assert!(now.enabled_factors.is_empty());
}

#[tokio::test]
async fn enroll_factor_matches_the_node_sdk() {
    let finish = EnrollFactor::otp("ENROLLMENT_TOKEN", "123456");
    authentication_matches_node(&finish, Value::Null, |_| {}, &[]).await;
}

#[tokio::test]
async fn reset_factor_matches_the_node_sdk() {
    authentication_matches_node(&ResetFactor::new("FACTOR_ID"), Value::Null, |_| {}, &[]).await;
}

#[tokio::test]
async fn list_enrolled_factors_matches_the_node_sdk_and_takes_one_object() {
    // The docs' example answers one object where the type says an array.
    let one = serde_json::json!({"factorId": "f1", "factorType": "OTP", "profile": {}});
    let factors = authentication_matches_node(&ListEnrolledFactors, one, |_| {}, &[]).await;
    assert_eq!(factors.len(), 1);
    assert_eq!(factors[0].factor_id, "f1");
    assert_eq!(factors[0].factor_type, FactorType::Otp);
}

#[tokio::test]
async fn get_factor_matches_the_node_sdk() {
    let data = serde_json::json!({"factorId": "FACTOR_ID", "factorType": "SMS",
        "profile": {"phoneNumber": "188xxxx8888"}});
    let factor = authentication_matches_node(&GetFactor::new("FACTOR_ID"), data, |_| {}, &[]).await;
    assert_eq!(factor.factor_type, FactorType::Sms);
    assert_eq!(factor.profile["phoneNumber"], "188xxxx8888");
}

#[tokio::test]
async fn list_factors_to_enroll_matches_the_node_sdk_and_keeps_unknown_types() {
    let data = serde_json::json!([{"factorType": "EMAIL"}, {"factorType": "PASSKEY"}]);
    let offers = authentication_matches_node(&ListFactorsToEnroll, data, |_| {}, &[]).await;
    let types: Vec<FactorType> = offers.iter().map(|o| o.factor_type).collect();
    assert_eq!(types, [FactorType::Email, FactorType::Unknown]);
}

#[tokio::test]
async fn mfa_totp_verify_matches_the_node_sdk() {
    let data = serde_json::json!({"verified": false});
    let answer =
        authentication_matches_node(&MfaTotpVerify::new("123456"), data, |_| {}, &[]).await;
    assert!(!answer.verified);
}

/// Node posts the two WebAuthn initialise calls with no body, which axios still labels
/// form-encoded; this SDK sends no body either (compared as such), and no content type.
fn node_sends_no_body(theirs: &mut Capture) {
    assert_eq!(theirs.body, "", "the capture has no body");
}

#[tokio::test]
async fn webauthn_mfa_bind_initialize_matches_the_node_sdk_without_a_body() {
    let data = serde_json::json!({"publicKey": {"challenge": "abc"}});
    let options = authentication_matches_node(
        &WebauthnMfaBindInitialize,
        data.clone(),
        node_sends_no_body,
        &["content-type"],
    )
    .await;
    assert_eq!(options, data);
}

#[tokio::test]
async fn webauthn_mfa_verify_initialize_matches_the_node_sdk_without_a_body() {
    let data = serde_json::json!({"publicKey": {"challenge": "xyz"}});
    let stand_in_answer = authentication_matches_node(
        &WebauthnMfaVerifyInitialize,
        data.clone(),
        node_sends_no_body,
        &["content-type"],
    )
    .await;
    assert_eq!(stand_in_answer, data);
}

/// The official SDKs post `/mfa/token/introspection` with no body at all (their fixture in
/// `fixtures/conformance/`), so nothing could be checked; this SDK sends what token
/// introspection takes: the token form-encoded, from the application authenticated as
/// it is registered. The stand-in's introspection answers as Authing documents.
#[tokio::test]
async fn mfa_token_introspection_posts_the_token_as_a_form_with_the_apps_credentials() {
    for (ours, theirs) in [
        (
            TokenEndpointAuth::ClientSecretPost,
            TokenAuthMethod::ClientSecretPost,
        ),
        (
            TokenEndpointAuth::ClientSecretBasic,
            TokenAuthMethod::ClientSecretBasic,
        ),
    ] {
        let stand_in = StandIn::start().await.unwrap();
        let app = stand_in.oidc_app().token_endpoint_auth_method(theirs);
        stand_in.add_oidc_app(app.clone());
        let client = AuthenticationClient::builder(stand_in.app_id(), stand_in.base_url())
            .app_secret(app.client_secret.clone())
            .token_endpoint_auth(ours)
            .build()
            .unwrap();
        let token = stand_in.issue_mfa_token(stand_in.user_id());

        let status = client
            .send(&IntrospectMfaToken::new(token.clone()))
            .await
            .unwrap();
        assert!(status.active, "{ours:?}");
        assert_eq!(status.user_id.as_deref(), Some(stand_in.user_id()));
        assert_eq!(status.user_pool_id.as_deref(), Some(stand_in.userpool_id()));
        assert!(status.exp > status.iat, "{status:?}");

        let sent = only_request_to(&stand_in, "/mfa/token/introspection");
        assert_eq!(sent.method, "POST");
        assert!(sent.query.is_empty());
        assert_eq!(
            sent.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        let mut form: Vec<(String, String)> = form_urlencoded::parse(sent.body.as_bytes())
            .into_owned()
            .collect();
        form.sort();
        let mut expected = vec![("token".to_owned(), token)];
        if ours == TokenEndpointAuth::ClientSecretPost {
            assert_eq!(sent.header("authorization"), None);
            expected.push(("client_id".to_owned(), app.client_id.clone()));
            expected.push(("client_secret".to_owned(), app.client_secret.clone()));
        } else {
            let basic = sent.header("authorization").expect("a Basic header");
            assert!(basic.starts_with("Basic "), "{basic}");
        }
        expected.sort();
        assert_eq!(form, expected, "{ours:?}");

        let unknown = client
            .send(&IntrospectMfaToken::new("unknown"))
            .await
            .unwrap();
        assert!(!unknown.active);
        assert_eq!(unknown.user_id, None);
    }
}
