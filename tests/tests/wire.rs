//! The exact wire format of each endpoint, pinned against what the official SDKs sent
//! (`fixtures/*.jsonl`, copied from `shared/authing/captures/`): method, path, query,
//! headers and body.
//!
//! The stand-in is given the captures' credentials and answers the endpoint calls with a
//! scripted success, so the captures' user ids need not exist there.

use authing_core::{ManagementAuth, ManagementClient, ManagementEndpoint};
use authing_mfa::{GetOtpSecretByUser, ImportOtp, ImportOtpItem, SendEnrollFactorRequest};
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
