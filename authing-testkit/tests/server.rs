//! The HTTP layer: recording, unknown paths, body limits, request ids, shutdown.

mod common;

use std::time::Duration;

use authing_testkit::{MAX_BODY_BYTES, StandIn};
use common::{Answer, IMPORT_PATH, SECRET_PATH, url};

#[tokio::test]
async fn every_request_is_recorded_with_decoded_query_and_lowercase_headers() {
    let stand_in = StandIn::start().await.expect("start");
    reqwest::Client::new()
        .post(format!("{}?a=1&b=x%20y&b=z+w", url(&stand_in, IMPORT_PATH)))
        .header("X-Authing-SDK-Version", "test:1")
        .body("{\"list\":[]}")
        .send()
        .await
        .expect("request");
    reqwest::get(url(&stand_in, "/nowhere"))
        .await
        .expect("request");

    let requests = stand_in.requests();
    assert_eq!(requests.len(), 2);
    let first = &requests[0];
    assert_eq!(
        (first.method.as_str(), first.path.as_str()),
        ("POST", IMPORT_PATH)
    );
    let query = [("a", "1"), ("b", "x y"), ("b", "z w")].map(|(k, v)| (k.to_owned(), v.to_owned()));
    assert_eq!(first.query, query);
    assert!(
        first
            .headers
            .iter()
            .any(|(n, v)| n == "x-authing-sdk-version" && v == "test:1")
    );
    assert!(
        first
            .headers
            .iter()
            .all(|(n, _)| *n == n.to_ascii_lowercase())
    );
    assert_eq!(first.body, "{\"list\":[]}");
    assert_eq!(requests[1].path, "/nowhere");
}

#[tokio::test]
async fn unknown_paths_and_methods_get_http_404_with_an_envelope() {
    let stand_in = StandIn::start().await.expect("start");
    let client = reqwest::Client::new();
    for response in [
        client.get(url(&stand_in, "/api/v3/nope")).send().await,
        client.delete(url(&stand_in, IMPORT_PATH)).send().await,
        client.post(url(&stand_in, SECRET_PATH)).send().await,
    ] {
        let answer = Answer::read(response.expect("request")).await;
        assert_eq!(
            (answer.http, answer.status_code()),
            (404, 404),
            "{}",
            answer.json
        );
    }
}

#[tokio::test]
async fn bodies_over_one_mib_get_413_and_one_mib_is_accepted() {
    let stand_in = StandIn::start().await.expect("start");
    let client = reqwest::Client::new();
    let too_big = vec![b' '; MAX_BODY_BYTES + 1];
    let answer = Answer::read(
        client
            .post(url(&stand_in, IMPORT_PATH))
            .body(too_big)
            .send()
            .await
            .expect("request"),
    )
    .await;
    assert_eq!(
        (answer.http, answer.status_code()),
        (413, 413),
        "{}",
        answer.json
    );

    let limit = vec![b' '; MAX_BODY_BYTES];
    let answer = Answer::read(
        client
            .post(url(&stand_in, IMPORT_PATH))
            .body(limit)
            .send()
            .await
            .expect("request"),
    )
    .await;
    assert_eq!(answer.http, 200, "{}", answer.json);
    assert_eq!(
        stand_in.requests().len(),
        2,
        "refused bodies are recorded too"
    );
}

#[tokio::test]
async fn every_answer_has_a_fresh_request_id() {
    let stand_in = StandIn::start().await.expect("start");
    let first = Answer::read(
        reqwest::get(url(&stand_in, SECRET_PATH))
            .await
            .expect("request"),
    )
    .await;
    let second = Answer::read(
        reqwest::get(url(&stand_in, SECRET_PATH))
            .await
            .expect("request"),
    )
    .await;
    let id = |answer: &Answer| {
        answer.json["requestId"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(id(&first).len(), 36);
    assert_ne!(id(&first), id(&second));
}

#[tokio::test]
async fn dropping_the_stand_in_stops_the_server() {
    let stand_in = StandIn::start().await.expect("start");
    let base = stand_in.base_url().to_owned();
    reqwest::get(&base).await.expect("serving");
    drop(stand_in);
    // Shutdown runs on the server task; give it a moment.
    let mut refused = false;
    for _ in 0..50 {
        if reqwest::Client::new().get(&base).send().await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(refused, "still serving after drop");
}

#[tokio::test]
async fn shutdown_cuts_a_scripted_delay_short() {
    let stand_in = StandIn::start().await.expect("start");
    stand_in.script(authing_testkit::Fault::delay(Duration::from_secs(60)));
    let target = url(&stand_in, SECRET_PATH);
    let pending = tokio::spawn(async move { reqwest::get(target).await.map(|r| r.status()) });
    while stand_in.requests().is_empty() {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::timeout(Duration::from_secs(5), stand_in.shutdown())
        .await
        .expect("shutdown does not wait for the delay");
    let status = pending.await.expect("join").expect("answered");
    assert_eq!(status, 503);
}

#[tokio::test]
async fn stand_ins_run_side_by_side_with_their_own_credentials() {
    let first = StandIn::start().await.expect("start");
    let second = StandIn::start().await.expect("start");
    assert_ne!(first.base_url(), second.base_url());
    assert_ne!(first.access_key_secret(), second.access_key_secret());
    assert_ne!(first.user_id(), second.user_id());
}

#[test]
fn a_stand_in_can_be_shared_across_tasks() {
    fn shareable<T: Send + Sync + 'static>() {}
    shareable::<StandIn>();
    shareable::<authing_testkit::Fault>();
    shareable::<authing_testkit::RecordedRequest>();
}
