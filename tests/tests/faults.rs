//! The fault suite: what the SDK does when the network, a gateway or Authing misbehaves.
//!
//! Every test runs against a real server on 127.0.0.1: the stand-in with its fault hooks
//! for what an HTTP server can answer, and the testkit's raw sockets
//! (`authing_testkit::raw`) for what no HTTP server would do (close before answering,
//! never answer, stall or cut mid-body, stream forever). Each one asserts how many attempts reached the server and the error's
//! variant and fields. Durations are real and short (tens to hundreds of milliseconds):
//! tokio's paused clock would auto-advance while a loopback socket is merely slow.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::ThreadId;
use std::time::{Duration, Instant, SystemTime};

use authing_core::{
    ApiError, CallOptions, Endpoint, Error, ManagementAuth, ManagementClient, RetryPolicy,
    TimeoutKind, endpoint,
};
use authing_testkit::raw::{self, BlackHole, RawServer};
use authing_testkit::{Fault, StandIn};
use serde::Deserialize;

const JSON: &str = "application/json";
const SUCCESS: &str =
    r#"{"statusCode":200,"message":"ok","requestId":"r-ok","data":{"value":"v"}}"#;
const TOKEN_PATH: &str = "/api/v3/get-management-token";

/// The `data` of the test endpoints.
#[derive(Debug, Deserialize)]
struct Probed {
    value: String,
}

/// A GET: idempotent by its method.
#[endpoint(GET, "/api/v3/fault-probe", response = Probed)]
struct Probe;

/// A POST that changes something: never sent twice once it may have arrived.
#[endpoint(POST, "/api/v3/fault-write", response = ())]
struct Write {
    value: String,
}

/// A POST that only reads, declared idempotent.
#[endpoint(POST, "/api/v3/fault-read", response = Probed, idempotent)]
struct ReadPost {
    value: String,
}

/// Any call, made first so that the management token is fetched before what is timed
/// or counted.
#[endpoint(GET, "/api/v3/fault-warm-up", response = ())]
struct WarmUp;

async fn warm_up(client: &ManagementClient) {
    // The stand-in does not know the path: the answer is a refusal, the token is cached.
    client.send(&WarmUp).await.unwrap_err();
}

fn write() -> Write {
    Write { value: "w".into() }
}

fn path<E: Endpoint>() -> &'static str {
    E::METADATA.path
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Three attempts, as by default, with backoff short enough for tests.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().backoff(ms(1), ms(5))
}

/// A management client on `host` with fast retries and timeouts that bound every test:
/// connect 1 s, attempt 2 s, call 5 s (each test shortens what it exercises).
fn client_for(host: &str, auth: ManagementAuth) -> authing_core::ManagementClientBuilder {
    AttemptLog::install();
    ManagementClient::builder("AK_FAULTS", "SK_FAULTS_SECRET")
        .host(host)
        .auth(auth)
        .retry(fast_retries())
        .connect_timeout(Duration::from_secs(1))
        .attempt_timeout(Duration::from_secs(2))
        .call_timeout(Duration::from_secs(5))
}

/// A client of `stand_in` with the token scheme (the default), so that token fetches
/// are part of what is exercised.
fn client(stand_in: &StandIn) -> authing_core::ManagementClientBuilder {
    AttemptLog::install();
    stand_in
        .management_client()
        .retry(fast_retries())
        .connect_timeout(Duration::from_secs(1))
        .attempt_timeout(Duration::from_secs(2))
        .call_timeout(Duration::from_secs(5))
}

/// A client of a raw server: signed requests, so every request goes to the endpoint.
fn raw_client(server: &RawServer) -> authing_core::ManagementClientBuilder {
    client_for(server.url(), ManagementAuth::Signature)
}

async fn stand_in() -> StandIn {
    StandIn::start().await.expect("the stand-in starts")
}

/// `count()` once it reaches `expected` or 2 s have passed: for a request the client gave
/// up on (a timeout) before the stand-in had recorded it.
async fn eventually(expected: usize, count: impl Fn() -> usize) -> usize {
    let give_up = Instant::now() + Duration::from_secs(2);
    loop {
        let now = count();
        if now >= expected || Instant::now() >= give_up {
            return now;
        }
        tokio::time::sleep(ms(5)).await;
    }
}

fn api(err: &Error) -> &ApiError {
    match err {
        Error::Api(api) => api,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

fn assert_api(err: &Error, http_status: u16, status_code: i64, api_code: Option<i64>) {
    let api = api(err);
    assert_eq!(
        (api.http_status, api.status_code, api.api_code),
        (http_status, status_code, api_code),
        "{err}"
    );
}

fn assert_timeout(err: &Error, kind: TimeoutKind, after: Duration) {
    assert!(
        matches!(err, Error::Timeout { which, after: a } if *which == kind && *a == after),
        "expected the {kind} timeout of {after:?}, got {err:?}"
    );
}

fn assert_network(err: &Error, was_sent: bool) {
    assert!(
        matches!(err, Error::Network { sent, .. } if *sent == was_sent),
        "expected Network {{ sent: {was_sent} }}, got {err:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Retries by status: idempotent calls only, and never for what retrying cannot change.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_get_answered_503_503_200_succeeds_on_the_third_attempt() {
    let stand_in = stand_in().await;
    stand_in.script_for(path::<Probe>(), Fault::http(503).times(2));
    stand_in.script_for(path::<Probe>(), Fault::raw(200, JSON, SUCCESS));
    let answer = client(&stand_in).build().unwrap().send(&Probe).await;
    assert_eq!(answer.expect("the third attempt succeeds").value, "v");
    assert_eq!(stand_in.requests_to(path::<Probe>()).len(), 3);
    assert_eq!(stand_in.pending_faults(), 0);
}

#[tokio::test]
async fn a_post_answered_503_fails_after_one_attempt() {
    let stand_in = stand_in().await;
    stand_in.script_for(path::<Write>(), Fault::http(503).times(3));
    let err = client(&stand_in)
        .build()
        .unwrap()
        .send(&write())
        .await
        .unwrap_err();
    assert_api(&err, 503, 503, None);
    assert_eq!(stand_in.requests_to(path::<Write>()).len(), 1);
}

#[tokio::test]
async fn a_post_declared_idempotent_is_retried_like_a_get() {
    let stand_in = stand_in().await;
    stand_in.script_for(path::<ReadPost>(), Fault::http(504).times(2));
    stand_in.script_for(path::<ReadPost>(), Fault::raw(200, JSON, SUCCESS));
    let read = ReadPost { value: "r".into() };
    let answer = client(&stand_in).build().unwrap().send(&read).await;
    assert_eq!(answer.expect("the third attempt succeeds").value, "v");
    assert_eq!(stand_in.requests_to(path::<ReadPost>()).len(), 3);
}

#[tokio::test]
async fn every_transient_server_status_is_retried_until_the_attempts_run_out() {
    let stand_in = stand_in().await;
    let client = client(&stand_in).build().unwrap();
    let mut seen = 0;
    for status in [500, 502, 503, 504] {
        stand_in.script_for(path::<Probe>(), Fault::http(status).times(3));
        let err = client.send(&Probe).await.unwrap_err();
        assert_api(&err, status, i64::from(status), None);
        seen += 3;
        assert_eq!(
            stand_in.requests_to(path::<Probe>()).len(),
            seen,
            "{status}"
        );
    }
}

#[tokio::test]
async fn other_4xx_are_never_retried() {
    let stand_in = stand_in().await;
    let client = client(&stand_in).build().unwrap();
    for (round, status) in [400, 403, 404, 409, 413, 422].into_iter().enumerate() {
        stand_in.script_for(path::<Probe>(), Fault::http(status).times(3));
        let err = client.send(&Probe).await.unwrap_err();
        assert_api(&err, status, i64::from(status), None);
        assert_eq!(
            stand_in.requests_to(path::<Probe>()).len(),
            round + 1,
            "{status}"
        );
        stand_in.clear_faults();
    }
}

#[tokio::test]
async fn status_code_500_inside_http_200_is_retried_for_a_get_only() {
    let stand_in = stand_in().await;
    let client = client(&stand_in).build().unwrap();
    stand_in.script_for(path::<Probe>(), Fault::envelope(500, None).times(2));
    stand_in.script_for(path::<Probe>(), Fault::raw(200, JSON, SUCCESS));
    assert_eq!(client.send(&Probe).await.unwrap().value, "v");
    assert_eq!(stand_in.requests_to(path::<Probe>()).len(), 3);

    stand_in.script_for(path::<Write>(), Fault::envelope(500, None).times(3));
    let err = client.send(&write()).await.unwrap_err();
    assert_api(&err, 200, 500, None);
    assert_eq!(stand_in.requests_to(path::<Write>()).len(), 1);
}

#[tokio::test]
async fn a_business_error_with_an_api_code_is_never_retried_even_as_500() {
    let stand_in = stand_in().await;
    stand_in.script_for(
        path::<Probe>(),
        Fault::envelope(500, Some(1000))
            .message("系统繁忙")
            .times(3),
    );
    let err = client(&stand_in)
        .build()
        .unwrap()
        .send(&Probe)
        .await
        .unwrap_err();
    assert_api(&err, 200, 500, Some(1000));
    assert_eq!(api(&err).message, "系统繁忙");
    assert_eq!(stand_in.requests_to(path::<Probe>()).len(), 1);
}

#[tokio::test]
async fn an_html_502_page_is_http_status_and_retried_for_a_get() {
    let stand_in = stand_in().await;
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    stand_in.script_for(path::<Probe>(), Fault::http(502).html(page).times(3));
    let err = client(&stand_in)
        .build()
        .unwrap()
        .send(&Probe)
        .await
        .unwrap_err();
    match &err {
        Error::HttpStatus {
            status,
            body,
            retry_after,
        } => {
            assert_eq!(status.as_u16(), 502);
            assert_eq!(body.as_str(), page);
            assert_eq!(*retry_after, None);
        }
        other => panic!("expected HttpStatus, got {other:?}"),
    }
    assert_eq!(stand_in.requests_to(path::<Probe>()).len(), 3);
}

// ---------------------------------------------------------------------------------------
// Bodies that do not decode: never retried, each its own variant.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn truncated_json_is_not_json_and_not_retried() {
    let stand_in = stand_in().await;
    let truncated = r#"{"statusCode":200,"data":{"val"#;
    stand_in.script_for(path::<Probe>(), Fault::raw(200, JSON, truncated).times(3));
    let err = client(&stand_in)
        .build()
        .unwrap()
        .send(&Probe)
        .await
        .unwrap_err();
    match &err {
        Error::NotJson {
            status,
            body,
            source,
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(body.as_str(), truncated);
            assert!(source.is_eof(), "{source}");
        }
        other => panic!("expected NotJson, got {other:?}"),
    }
    assert_eq!(stand_in.requests_to(path::<Probe>()).len(), 1);
}

#[tokio::test]
async fn json_of_the_wrong_shape_is_unexpected_shape_and_not_retried() {
    let stand_in = stand_in().await;
    let client = client(&stand_in).build().unwrap();
    // Not an envelope at all, then an envelope whose data has the wrong type.
    let cases = [
        r#"{"hello":"world"}"#,
        r#"{"statusCode":200,"data":{"value":5}}"#,
    ];
    for (round, body) in cases.into_iter().enumerate() {
        stand_in.script_for(path::<Probe>(), Fault::raw(200, JSON, body).times(3));
        let err = client.send(&Probe).await.unwrap_err();
        match &err {
            Error::UnexpectedShape {
                status, body: b, ..
            } => {
                assert_eq!((status.as_u16(), b.as_str()), (200, body));
            }
            other => panic!("expected UnexpectedShape for {body}, got {other:?}"),
        }
        assert_eq!(stand_in.requests_to(path::<Probe>()).len(), round + 1);
        stand_in.clear_faults();
    }
}

#[tokio::test]
async fn an_empty_body_is_not_json_under_200_and_a_retried_http_status_under_503() {
    let stand_in = stand_in().await;
    let client = client(&stand_in).build().unwrap();
    stand_in.script_for(path::<Probe>(), Fault::raw(200, "", "").times(3));
    let err = client.send(&Probe).await.unwrap_err();
    assert!(
        matches!(&err, Error::NotJson { status, body, .. } if *status == 200 && body.as_str().is_empty()),
        "{err:?}"
    );
    assert_eq!(stand_in.requests_to(path::<Probe>()).len(), 1);
    stand_in.clear_faults();

    stand_in.script_for(path::<Probe>(), Fault::raw(503, "", "").times(3));
    let err = client.send(&Probe).await.unwrap_err();
    assert!(
        matches!(&err, Error::HttpStatus { status, .. } if *status == 503),
        "{err:?}"
    );
    assert_eq!(stand_in.requests_to(path::<Probe>()).len(), 1 + 3);
}

// ---------------------------------------------------------------------------------------
// Bounded bodies.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_body_over_the_cap_is_body_too_large_and_one_at_the_cap_is_read() {
    let stand_in = stand_in().await;
    let client = client(&stand_in).max_response_bytes(1024).build().unwrap();
    stand_in.script_for(path::<Probe>(), Fault::oversized(1025).times(3));
    let err = client.send(&Probe).await.unwrap_err();
    assert!(
        matches!(&err, Error::BodyTooLarge { status, limit: 1024 } if *status == 200),
        "{err:?}"
    );
    assert_eq!(
        stand_in.requests_to(path::<Probe>()).len(),
        1,
        "not retried"
    );
    stand_in.clear_faults();

    stand_in.script_for(path::<Write>(), Fault::oversized(1024));
    client
        .send(&write())
        .await
        .expect("exactly the cap is accepted");
}

#[tokio::test]
async fn the_default_cap_is_16_mib() {
    let stand_in = stand_in().await;
    stand_in.script_for(path::<Write>(), Fault::oversized(16 * 1024 * 1024 + 1));
    let err = client(&stand_in)
        .build()
        .unwrap()
        .send(&write())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::BodyTooLarge { limit, .. } if *limit == 16 * 1024 * 1024),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_endless_body_without_length_ends_at_the_cap_without_reading_the_rest() {
    let server = RawServer::endless_body().await.expect("bind");
    let client = raw_client(&server)
        .max_response_bytes(64 * 1024)
        .attempt_timeout(Duration::from_secs(3))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.send(&Probe).await.unwrap_err();
    // Buffering the whole body would never end: only the attempt timeout would stop it.
    assert!(
        matches!(&err, Error::BodyTooLarge { status, limit: 65536 } if *status == 200),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(seen(&server, 1).await, 1, "not retried");
}

// ---------------------------------------------------------------------------------------
// Broken connections: raw sockets.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_server_that_closes_before_answering_is_retried_for_a_get_only() {
    let server = RawServer::close_before_answer().await.expect("bind");
    let client = raw_client(&server).build().unwrap();
    let err = client.send(&Probe).await.unwrap_err();
    assert_network(&err, true);
    assert_eq!(seen(&server, 3).await, 3);

    let err = client.send(&write()).await.unwrap_err();
    assert_network(&err, true);
    assert_eq!(seen(&server, 3 + 1).await, 3 + 1);
}

#[tokio::test]
async fn a_connection_cut_mid_answer_is_retried_for_a_get_only() {
    let server = RawServer::cut_mid_body().await.expect("bind");
    let client = raw_client(&server).build().unwrap();
    let err = client.send(&Probe).await.unwrap_err();
    assert_network(&err, true);
    assert_eq!(seen(&server, 3).await, 3);

    let err = client.send(&write()).await.unwrap_err();
    assert_network(&err, true);
    assert_eq!(seen(&server, 3 + 1).await, 3 + 1);
}

#[tokio::test]
async fn a_server_that_never_answers_hits_the_attempt_timeout_on_each_attempt() {
    let server = RawServer::never_answer().await.expect("bind");
    let client = raw_client(&server)
        .attempt_timeout(ms(250))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.send(&Probe).await.unwrap_err();
    assert_timeout(&err, TimeoutKind::Attempt, ms(250));
    assert!(started.elapsed() >= ms(3 * 250), "{:?}", started.elapsed());
    assert_eq!(seen(&server, 3).await, 3);

    let err = client.send(&write()).await.unwrap_err();
    assert_timeout(&err, TimeoutKind::Attempt, ms(250));
    assert_eq!(
        seen(&server, 3 + 1).await,
        3 + 1,
        "a POST that timed out is not sent again"
    );
}

#[tokio::test]
async fn a_server_that_stalls_mid_body_hits_the_attempt_timeout() {
    let server = RawServer::stall_mid_body().await.expect("bind");
    let client = raw_client(&server)
        .attempt_timeout(ms(250))
        .build()
        .unwrap();
    let err = client.send(&Probe).await.unwrap_err();
    assert_timeout(&err, TimeoutKind::Attempt, ms(250));
    assert_eq!(seen(&server, 3).await, 3);

    let err = client.send(&write()).await.unwrap_err();
    assert_timeout(&err, TimeoutKind::Attempt, ms(250));
    assert_eq!(seen(&server, 3 + 1).await, 3 + 1);
}

#[tokio::test]
async fn connection_refused_is_retried_for_any_call_then_network_not_sent() {
    let host = raw::refused_url().await.expect("bind");
    let client = client_for(&host, ManagementAuth::Signature)
        .build()
        .unwrap();

    let err = client.send(&write()).await.unwrap_err();
    assert_network(&err, false);
    assert_eq!(
        AttemptLog::here(path::<Write>()),
        3,
        "a POST that never left is retried"
    );

    let err = client.send(&Probe).await.unwrap_err();
    assert_network(&err, false);
    assert_eq!(AttemptLog::here(path::<Probe>()), 3);
}

#[tokio::test]
async fn a_connect_that_hangs_hits_the_connect_timeout_and_is_retried_for_any_call() {
    let full = BlackHole::start()
        .await
        .expect("a full accept queue makes connect hang (Linux drops the SYN)");
    let client = client_for(full.url(), ManagementAuth::Signature)
        .connect_timeout(ms(100))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.send(&write()).await.unwrap_err();
    assert_timeout(&err, TimeoutKind::Connect, ms(100));
    assert!(started.elapsed() >= ms(3 * 100), "{:?}", started.elapsed());
    assert_eq!(
        AttemptLog::here(path::<Write>()),
        3,
        "nothing was sent, so a POST is retried"
    );
}

#[tokio::test]
async fn a_connect_longer_than_the_attempt_timeout_is_still_a_connect_timeout() {
    let full = BlackHole::start()
        .await
        .expect("a full accept queue makes connect hang (Linux drops the SYN)");
    let client = client_for(full.url(), ManagementAuth::Signature)
        .connect_timeout(Duration::from_secs(5))
        .attempt_timeout(ms(100))
        .build()
        .unwrap();
    let err = client.send(&write()).await.unwrap_err();
    // Cut to nine tenths of the attempt, so it fires before the attempt timeout does.
    assert_timeout(&err, TimeoutKind::Connect, ms(90));
    assert_eq!(
        AttemptLog::here(path::<Write>()),
        3,
        "nothing was sent, so a POST is retried"
    );
}

// ---------------------------------------------------------------------------------------
// Throttling: any call, at least the hinted wait, and never past the cap or the deadline.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_429_with_retry_after_1_waits_at_least_a_second_even_for_a_post() {
    let stand_in = stand_in().await;
    let client = client(&stand_in).build().unwrap();
    warm_up(&client).await;
    stand_in.script_for(path::<Write>(), Fault::http(429).retry_after("1"));
    stand_in.script_for(path::<Write>(), Fault::raw(200, JSON, SUCCESS));
    let started = Instant::now();
    client
        .send(&write())
        .await
        .expect("the second attempt succeeds");
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(1), "{waited:?}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
    assert_eq!(stand_in.requests_to(path::<Write>()).len(), 2);
}

#[tokio::test]
async fn status_code_429_inside_http_200_is_retried_for_a_post() {
    let stand_in = stand_in().await;
    stand_in.script_for(path::<Write>(), Fault::envelope(429, None).times(2));
    stand_in.script_for(path::<Write>(), Fault::raw(200, JSON, SUCCESS));
    client(&stand_in)
        .retry(fast_retries().throttle_wait(ms(10)))
        .build()
        .unwrap()
        .send(&write())
        .await
        .unwrap();
    assert_eq!(stand_in.requests_to(path::<Write>()).len(), 3);
}

#[tokio::test]
async fn a_retry_after_over_the_cap_fails_at_once_with_the_wait_on_the_error() {
    let stand_in = stand_in().await;
    let client = client(&stand_in)
        .retry(fast_retries().max_retry_after(Duration::from_secs(5)))
        .call_timeout(Duration::from_secs(10)) // time enough: only the cap refuses
        .build()
        .unwrap();
    warm_up(&client).await;
    stand_in.script_for(path::<Write>(), Fault::http(429).retry_after("6").times(3));
    let started = Instant::now();
    let err = client.send(&write()).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_api(&err, 429, 429, None);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(6)));
    assert_eq!(stand_in.requests_to(path::<Write>()).len(), 1);
}

#[tokio::test]
async fn a_retry_after_date_is_read_and_an_hour_away_fails_at_once() {
    let stand_in = stand_in().await;
    let client = client(&stand_in).build().unwrap();
    let in_an_hour = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
    let page = "<html>Too Many Requests</html>";
    stand_in.script_for(
        path::<Probe>(),
        Fault::http(429)
            .html(page)
            .retry_after(&in_an_hour)
            .times(3),
    );
    let err = client.send(&Probe).await.unwrap_err();
    assert!(
        matches!(&err, Error::HttpStatus { status, .. } if *status == 429),
        "{err:?}"
    );
    let wait = err.retry_after().expect("the date is on the error");
    assert!(
        wait > Duration::from_secs(3590) && wait <= Duration::from_secs(3600),
        "{wait:?}"
    );
    assert_eq!(stand_in.requests_to(path::<Probe>()).len(), 1);
}

#[tokio::test]
async fn a_retry_after_longer_than_the_time_left_fails_at_once() {
    let stand_in = stand_in().await;
    let client = client(&stand_in).build().unwrap();
    warm_up(&client).await;
    stand_in.script_for(path::<Probe>(), Fault::http(429).retry_after("2").times(3));
    let started = Instant::now();
    let options = CallOptions::new().timeout(Duration::from_secs(1));
    let err = client.send_with(&Probe, &options).await.unwrap_err();
    assert!(started.elapsed() < ms(900), "{:?}", started.elapsed());
    assert_api(&err, 429, 429, None);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(2)));
    assert_eq!(stand_in.requests_to(path::<Probe>()).len(), 1);
}

#[tokio::test]
async fn a_retry_after_too_large_for_a_number_counts_as_too_long() {
    let stand_in = stand_in().await;
    stand_in.script_for(
        path::<Probe>(),
        Fault::http(429)
            .retry_after("99999999999999999999999")
            .times(3),
    );
    let err = client(&stand_in)
        .build()
        .unwrap()
        .send(&Probe)
        .await
        .unwrap_err();
    assert_api(&err, 429, 429, None);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(u64::MAX)));
    assert_eq!(stand_in.requests_to(path::<Probe>()).len(), 1);
}

// ---------------------------------------------------------------------------------------
// The retry budget, per-call overrides, the whole-call timeout.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn the_retry_budget_runs_dry_for_every_clone_of_a_client_but_not_for_others() {
    let stand_in = stand_in().await;
    let many = fast_retries().max_attempts(1000);
    let client = client(&stand_in).retry(many).build().unwrap();
    warm_up(&client).await;

    // 500 tokens, 5 per retry: 100 retries, then the call gives up on its error.
    stand_in.script_for(path::<Probe>(), Fault::http(503).times(1000));
    let err = client.send(&Probe).await.unwrap_err();
    assert_api(&err, 503, 503, None);
    assert_eq!(stand_in.requests_to(path::<Probe>()).len(), 101);

    // A clone shares the empty budget: its first error is final.
    let err = client.clone().send(&Probe).await.unwrap_err();
    assert_api(&err, 503, 503, None);
    assert_eq!(stand_in.requests_to(path::<Probe>()).len(), 102);

    // Another client has its own budget.
    let other = self::client(&stand_in).build().unwrap();
    other.send(&Probe).await.unwrap_err();
    assert_eq!(stand_in.requests_to(path::<Probe>()).len(), 105);
}

#[tokio::test]
async fn a_per_call_policy_overrides_the_clients_both_ways() {
    let stand_in = stand_in().await;
    let client = client(&stand_in).build().unwrap();
    stand_in.script_for(path::<Probe>(), Fault::http(503).times(3));
    let once = CallOptions::new().retry(RetryPolicy::disabled());
    let err = client.send_with(&Probe, &once).await.unwrap_err();
    assert_api(&err, 503, 503, None);
    assert_eq!(stand_in.requests_to(path::<Probe>()).len(), 1);
    stand_in.clear_faults();

    let never = self::client(&stand_in)
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    stand_in.script_for(path::<Probe>(), Fault::http(503).times(5));
    let err = never.send(&Probe).await.unwrap_err();
    assert_api(&err, 503, 503, None);
    assert_eq!(stand_in.requests_to(path::<Probe>()).len(), 1 + 1);
    let four = CallOptions::new().retry(fast_retries().max_attempts(4));
    let err = never.send_with(&Probe, &four).await.unwrap_err();
    assert_api(&err, 503, 503, None);
    assert_eq!(stand_in.requests_to(path::<Probe>()).len(), 1 + 1 + 4);
}

#[tokio::test]
async fn the_whole_call_timeout_cuts_the_retries_short() {
    let server = RawServer::never_answer().await.expect("bind");
    let client = raw_client(&server)
        .attempt_timeout(ms(500))
        .call_timeout(ms(750))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.send(&Probe).await.unwrap_err();
    let took = started.elapsed();
    // 250 ms between the deadline and either attempt's timer: room for a loaded machine.
    assert_timeout(&err, TimeoutKind::Call, ms(750));
    assert!(took >= ms(750) && took < ms(1500), "{took:?}");
    assert_eq!(seen(&server, 2).await, 2, "one full attempt, one cut short");
}

#[tokio::test]
async fn a_per_call_timeout_overrides_the_clients() {
    let stand_in = stand_in().await;
    let client = client(&stand_in).build().unwrap();
    warm_up(&client).await;
    stand_in.script_for(path::<Probe>(), Fault::delay(Duration::from_secs(10)));
    let started = Instant::now();
    let options = CallOptions::new().timeout(ms(250));
    let err = client.send_with(&Probe, &options).await.unwrap_err();
    assert_timeout(&err, TimeoutKind::Call, ms(250));
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    let seen = eventually(1, || stand_in.requests_to(path::<Probe>()).len()).await;
    assert_eq!(seen, 1);
}

#[tokio::test]
async fn the_whole_call_timeout_includes_the_token_fetch() {
    let stand_in = stand_in().await;
    stand_in.script_for(TOKEN_PATH, Fault::delay(Duration::from_secs(10)));
    let client = client(&stand_in).call_timeout(ms(500)).build().unwrap();
    let err = client.send(&Probe).await.unwrap_err();
    assert_timeout(&err, TimeoutKind::Call, ms(500));
    assert_eq!(eventually(1, || stand_in.token_fetches()).await, 1);
    assert!(stand_in.requests_to(path::<Probe>()).is_empty());
}

/// `server.wait_for_requests(expected)` within 2 s: a client that gave up on an attempt
/// may return before the server has read that attempt's request.
async fn seen(server: &RawServer, expected: usize) -> usize {
    server
        .wait_for_requests(expected, Duration::from_secs(2))
        .await
}

/// The attempts each call made, read from the `attempt` field of its `authing.call` span:
/// for faults where no server sees the requests (nothing listening, a hung connect).
///
/// One global subscriber, installed by every client helper before any call is made, so
/// that tracing's per-callsite cache of interest is never decided without it (a
/// thread-scoped subscriber loses spans when another test thread registered the callsite
/// first). Counts are kept per test thread (`#[tokio::test]` runs a test and the calls it
/// makes on one thread of its own) and per path.
#[derive(Clone, Default)]
struct AttemptLog {
    counts: Arc<Mutex<HashMap<(ThreadId, String), u64>>>,
}

static ATTEMPT_LOG: OnceLock<AttemptLog> = OnceLock::new();

impl AttemptLog {
    fn install() -> &'static AttemptLog {
        ATTEMPT_LOG.get_or_init(|| {
            use tracing_subscriber::layer::SubscriberExt as _;
            let log = AttemptLog::default();
            let subscriber = tracing_subscriber::registry().with(log.clone());
            tracing::subscriber::set_global_default(subscriber)
                .expect("no other global subscriber in this test binary");
            log
        })
    }

    /// The attempts of the calls to `path` made so far by the current test.
    fn here(path: &str) -> u64 {
        let key = (std::thread::current().id(), path.to_owned());
        let counts = Self::install().counts.lock().unwrap();
        counts.get(&key).copied().unwrap_or(0)
    }
}

/// Where one `authing.call` span was opened: the test thread and the endpoint's path.
struct SpanKey(ThreadId, String);

#[derive(Default)]
struct Fields {
    path: Option<String>,
    attempt: Option<u64>,
}

impl tracing::field::Visit for Fields {
    fn record_u64(&mut self, field: &tracing::field::Field, value: u64) {
        if field.name() == "attempt" {
            self.attempt = Some(value);
        }
    }

    fn record_i64(&mut self, field: &tracing::field::Field, value: i64) {
        self.record_u64(field, value.unsigned_abs());
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "path" {
            self.path = Some(format!("{value:?}"));
        }
    }
}

impl<S> tracing_subscriber::Layer<S> for AttemptLog
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        if attrs.metadata().name() != "authing.call" {
            return;
        }
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        if let (Some(span), Some(path)) = (ctx.span(id), fields.path) {
            let thread = std::thread::current().id();
            span.extensions_mut().insert(SpanKey(thread, path));
        }
    }

    fn on_record(
        &self,
        id: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut fields = Fields::default();
        values.record(&mut fields);
        // Attempts are recorded 1, 2, 3…: each record is one more attempt.
        let (Some(_), Some(span)) = (fields.attempt, ctx.span(id)) else {
            return;
        };
        if let Some(SpanKey(thread, path)) = span.extensions().get::<SpanKey>() {
            let key = (*thread, path.clone());
            *self.counts.lock().unwrap().entry(key).or_default() += 1;
        }
    }
}
