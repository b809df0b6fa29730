//! Scripted faults: order, scope, each kind of answer, and that they are recorded.

mod common;

use std::time::{Duration, Instant};

use authing_testkit::{Fault, StandIn};
use common::{IMPORT_PATH, SECRET_PATH, TOKEN_PATH, url};

async fn get(stand_in: &StandIn, path: &str) -> reqwest::Response {
    reqwest::get(url(stand_in, path)).await.expect("request")
}

#[tokio::test]
async fn faults_are_consumed_in_order_then_normal_answers_resume() {
    let stand_in = StandIn::start().await.expect("start");
    stand_in.script(Fault::http(503));
    stand_in.script(Fault::http(502).html("<html>Bad Gateway</html>"));
    stand_in.script(Fault::envelope(500, Some(1000)));
    assert_eq!(stand_in.pending_faults(), 3);

    let first = get(&stand_in, SECRET_PATH).await;
    assert_eq!(first.status(), 503);
    let envelope: serde_json::Value = first.json().await.expect("JSON");
    assert_eq!(envelope["statusCode"], 503);

    let second = get(&stand_in, SECRET_PATH).await;
    assert_eq!(second.status(), 502);
    assert!(
        second.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/html")
    );
    assert_eq!(
        second.text().await.expect("body"),
        "<html>Bad Gateway</html>"
    );

    let third = get(&stand_in, SECRET_PATH).await;
    assert_eq!(third.status(), 200);
    let envelope: serde_json::Value = third.json().await.expect("JSON");
    assert_eq!(
        (
            envelope["statusCode"].as_i64(),
            envelope["apiCode"].as_i64()
        ),
        (Some(500), Some(1000))
    );

    // Back to normal: no credentials, so 401.
    let fourth: serde_json::Value = get(&stand_in, SECRET_PATH)
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(fourth["statusCode"], 401);
    assert_eq!(stand_in.pending_faults(), 0);
}

#[tokio::test]
async fn faults_are_recorded_as_requests() {
    let stand_in = StandIn::start().await.expect("start");
    stand_in.script(Fault::http(503));
    get(&stand_in, SECRET_PATH).await;
    get(&stand_in, SECRET_PATH).await;
    let requests = stand_in.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests[0].scripted);
    assert!(!requests[1].scripted);
}

#[tokio::test]
async fn a_scoped_fault_waits_for_its_path() {
    let stand_in = StandIn::start().await.expect("start");
    stand_in.script_for(SECRET_PATH, Fault::http(503));
    let other = reqwest::Client::new()
        .post(url(&stand_in, IMPORT_PATH))
        .send()
        .await
        .expect("request");
    assert_eq!(other.status(), 200);
    assert_eq!(stand_in.pending_faults(), 1);
    assert_eq!(get(&stand_in, SECRET_PATH).await.status(), 503);
    assert_eq!(stand_in.pending_faults(), 0);
}

#[tokio::test]
async fn a_fault_with_times_answers_that_many_requests() {
    let stand_in = StandIn::start().await.expect("start");
    stand_in.script_for(TOKEN_PATH, Fault::http(503).times(2));
    let client = reqwest::Client::new();
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let response = client
            .post(url(&stand_in, TOKEN_PATH))
            .send()
            .await
            .expect("request");
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [503, 503, 200]);
    assert_eq!(
        stand_in.token_fetches(),
        3,
        "fetches answered by faults count"
    );
}

#[tokio::test]
async fn a_throttling_fault_carries_retry_after() {
    let stand_in = StandIn::start().await.expect("start");
    stand_in.script(Fault::http(429).retry_after("1"));
    let response = get(&stand_in, SECRET_PATH).await;
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "1");
}

#[tokio::test]
async fn raw_faults_send_exactly_their_bytes() {
    let stand_in = StandIn::start().await.expect("start");
    stand_in.script(Fault::raw(200, "application/json", r#"{"statusCode":20"#));
    stand_in.script(Fault::raw(
        200,
        "application/json",
        r#"{"unexpected":["shape"]}"#,
    ));
    stand_in.script(Fault::raw(204, "", ""));
    stand_in.script(Fault::raw(200, "application/json", [0xff, 0xfe]));

    let truncated = get(&stand_in, SECRET_PATH).await;
    assert_eq!(truncated.text().await.expect("body"), r#"{"statusCode":20"#);
    let shape = get(&stand_in, SECRET_PATH).await;
    assert_eq!(
        shape.text().await.expect("body"),
        r#"{"unexpected":["shape"]}"#
    );
    let empty = get(&stand_in, SECRET_PATH).await;
    assert_eq!(empty.status(), 204);
    assert!(empty.headers().get("content-type").is_none());
    assert!(empty.bytes().await.expect("body").is_empty());
    let binary = get(&stand_in, SECRET_PATH).await;
    assert_eq!(&binary.bytes().await.expect("body")[..], [0xff, 0xfe]);
}

#[tokio::test]
async fn a_delay_fault_answers_normally_after_the_delay() {
    let stand_in = StandIn::start().await.expect("start");
    stand_in.script(Fault::delay(Duration::from_millis(300)).header("x-delayed", "yes"));
    let started = Instant::now();
    let response = get(&stand_in, SECRET_PATH).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(response.headers()["x-delayed"], "yes");
    let envelope: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(envelope["statusCode"], 401, "the normal answer");
}

#[tokio::test]
async fn a_delay_trips_a_client_timeout() {
    let stand_in = StandIn::start().await.expect("start");
    stand_in.script(Fault::delay(Duration::from_secs(5)));
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(100))
        .build()
        .expect("client");
    let error = client
        .get(url(&stand_in, SECRET_PATH))
        .send()
        .await
        .expect_err("timeout");
    assert!(error.is_timeout(), "{error}");
}

#[tokio::test]
async fn an_oversized_answer_has_exactly_the_requested_length() {
    let stand_in = StandIn::start().await.expect("start");
    let size = 3 * 1024 * 1024;
    stand_in.script(Fault::oversized(size));
    let response = get(&stand_in, SECRET_PATH).await;
    assert_eq!(response.status(), 200);
    let body = response.bytes().await.expect("body");
    assert_eq!(body.len(), size);
    let envelope: serde_json::Value = serde_json::from_slice(&body).expect("valid JSON");
    assert_eq!(envelope["statusCode"], 200);
}

#[tokio::test]
async fn a_fault_message_replaces_the_default() {
    let stand_in = StandIn::start().await.expect("start");
    stand_in.script(Fault::envelope(503, None).message("维护中"));
    let envelope: serde_json::Value = get(&stand_in, SECRET_PATH)
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(envelope["message"], "维护中");
    assert!(envelope.get("apiCode").is_none());
}

#[tokio::test]
async fn cleared_faults_are_not_answered() {
    let stand_in = StandIn::start().await.expect("start");
    stand_in.script(Fault::http(503).times(4));
    stand_in.clear_faults();
    assert_eq!(get(&stand_in, SECRET_PATH).await.status(), 200);
}
