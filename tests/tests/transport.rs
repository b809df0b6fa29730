//! What the transport makes of an answer beyond its `data`, and how it treats failures
//! that no retry can fix: against the stand-in and other loopback servers.

use std::time::Duration;

use authing_core::{
    AuthenticationClient, CallOptions, Error, ManagementAuth, ManagementClient, RetryPolicy,
};
use authing_mfa::{GetOtpSecretByUser, ImportOtp, ImportOtpItem, SendEnrollFactorRequest};
use authing_testkit::{Fault, StandIn};

const OTP_SECRET: &str = "HZ2F6J3AGNAVSOTVQWERTY234567";

/// The send methods return their futures as plain functions (not `async fn`), which
/// must not cost them `Send`: a call has to be spawnable on a multi-threaded runtime.
/// Checked by the compiler; the futures are dropped unpolled, so nothing is sent.
#[test]
fn every_send_method_gives_a_future_another_thread_can_run() {
    fn spawnable<F: Future + Send>(_: F) {}
    let host = "http://127.0.0.1:9";
    let management = ManagementClient::builder("AK", "SK")
        .host(host)
        .build()
        .unwrap();
    let user = AuthenticationClient::builder("app-1", host)
        .build()
        .unwrap()
        .with_access_token("user-token");
    let (get, start) = (
        GetOtpSecretByUser::new("user-1"),
        SendEnrollFactorRequest::sms("188xxxx8888", "+86"),
    );
    let options = CallOptions::new();
    spawnable(management.send(&get));
    spawnable(management.send_with(&get, &options));
    spawnable(management.send_with_meta(&get, &options));
    spawnable(user.send(&start));
    spawnable(user.send_with(&start, &options));
    spawnable(user.send_with_meta(&start, &options));
}

#[tokio::test]
async fn send_with_meta_gives_the_request_id_message_and_status_with_the_typed_data() {
    let stand_in = StandIn::start().await.unwrap();
    let client = stand_in
        .management_client()
        .auth(ManagementAuth::Signature)
        .build()
        .unwrap();
    let import = ImportOtp::new(vec![ImportOtpItem::new(stand_in.user_id(), OTP_SECRET)]);
    client.send(&import).await.unwrap();

    let get = GetOtpSecretByUser::new(stand_in.user_id());
    let answer = client
        .send_with_meta(&get, &CallOptions::new())
        .await
        .unwrap();
    assert_eq!(answer.http_status, 200);
    assert_eq!(answer.message.as_deref(), Some("操作成功"));
    let request_id = answer
        .request_id
        .clone()
        .expect("the stand-in sends a requestId");
    assert_eq!(request_id.len(), 36, "{request_id}");
    assert_eq!(answer.into_data().secret.expose(), OTP_SECRET);

    // A success whose message quotes the secret the request carried: kept out.
    let quoting = format!(
        r#"{{"statusCode":200,"message":"imported {OTP_SECRET}","requestId":"req-42","data":null}}"#
    );
    stand_in.script_for(
        "/api/v3/import-otp",
        Fault::raw(201, "application/json", quoting),
    );
    let answer = client
        .send_with_meta(&import, &CallOptions::new())
        .await
        .unwrap();
    assert_eq!(answer.request_id.as_deref(), Some("req-42"));
    assert_eq!(answer.message.as_deref(), Some("imported [REDACTED]"));
    assert_eq!(answer.http_status, 201);
}

/// On tokio's paused clock: a minute of waiting takes no real time.
#[tokio::test(start_paused = true)]
async fn a_bare_429_is_retried_after_a_minute_if_the_call_has_one_else_it_is_the_answer() {
    use tokio::time::Instant;

    const IMPORT: &str = "/api/v3/import-otp";
    let stand_in = StandIn::start().await.unwrap();
    let import = ImportOtp::new(vec![ImportOtpItem::new(stand_in.user_id(), OTP_SECRET)]);
    let patient = stand_in
        .management_client()
        .auth(ManagementAuth::Signature)
        .attempt_timeout(Duration::from_secs(100))
        .call_timeout(Duration::from_secs(180))
        .build()
        .unwrap();
    stand_in.script_for(IMPORT, Fault::http(429));
    let started = Instant::now();
    patient.send(&import).await.unwrap();
    let waited = started.elapsed();
    assert!(
        (Duration::from_secs(60)..Duration::from_secs(67)).contains(&waited),
        "{waited:?}"
    );
    assert_eq!(stand_in.requests_to(IMPORT).len(), 2);

    // The default 30 s call cannot outlast the limit: the 429 comes back at once.
    let default = stand_in
        .management_client()
        .auth(ManagementAuth::Signature)
        .build()
        .unwrap();
    stand_in.script_for(IMPORT, Fault::http(429));
    let started = Instant::now();
    let err = default.send(&import).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(err.api().map(|a| a.status_code), Some(429), "{err:?}");
    assert_eq!(stand_in.requests_to(IMPORT).len(), 3);
}

#[tokio::test]
async fn a_credentials_error_tells_an_outage_a_timeout_and_a_dead_host_from_a_bad_key() {
    const TOKEN: &str = "/api/v3/get-management-token";
    let stand_in = StandIn::start().await.unwrap();
    let get = GetOtpSecretByUser::new(stand_in.user_id());
    let client = stand_in
        .management_client()
        .retry(RetryPolicy::disabled())
        .attempt_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let credentials_error = |err: Error| {
        assert!(matches!(err, Error::Credentials(_)), "{err:?}");
        err.to_string()
    };

    stand_in.script_for(TOKEN, Fault::http(503));
    let down = credentials_error(client.send(&get).await.unwrap_err());
    assert!(
        down.contains("statusCode 503") && down.contains("try again later"),
        "{down}"
    );
    assert!(!down.contains("check the access key"), "{down}");

    stand_in.script_for(TOKEN, Fault::delay(Duration::from_secs(2)));
    let slow = credentials_error(client.send(&get).await.unwrap_err());
    assert!(slow.contains("per-attempt timeout"), "{slow}");

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_host = format!("http://127.0.0.1:{}", closed.local_addr().unwrap().port());
    drop(closed);
    let dead = ManagementClient::builder("AK", "SK")
        .host(dead_host)
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let unreachable = credentials_error(dead.send(&get).await.unwrap_err());
    assert!(
        unreachable.contains("could not reach Authing"),
        "{unreachable}"
    );

    let wrong = ManagementClient::builder(stand_in.access_key_id(), "not-the-secret")
        .host(stand_in.base_url())
        .build()
        .unwrap();
    let refused = credentials_error(wrong.send(&get).await.unwrap_err());
    assert!(refused.contains("refused the access key"), "{refused}");
    assert!(
        refused.contains("check the access key id and secret"),
        "{refused}"
    );
}

/// The caller's client is the one that sends: its proxy and default headers apply. The
/// stand-in plays the proxy too (it routes a proxied request by its path), so the host
/// named, which does not resolve, is never looked up.
#[tokio::test]
async fn a_callers_own_http_client_sends_through_its_proxy() {
    use authing_core::reqwest;

    let stand_in = StandIn::start().await.unwrap();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-corporate-tag", "team-7".parse().unwrap());
    let http = reqwest::Client::builder()
        .proxy(reqwest::Proxy::http(stand_in.base_url()).unwrap())
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = ManagementClient::builder(stand_in.access_key_id(), stand_in.access_key_secret())
        .host("http://authing.invalid")
        .allow_insecure_http(true)
        .auth(ManagementAuth::Signature)
        .http_client(http.clone())
        .build()
        .unwrap();
    let import = ImportOtp::new(vec![ImportOtpItem::new(stand_in.user_id(), OTP_SECRET)]);
    client.send(&import).await.unwrap();
    let seen = stand_in.requests_to("/api/v3/import-otp");
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].header("host"), Some("authing.invalid"));
    assert_eq!(seen[0].header("x-corporate-tag"), Some("team-7"));

    // The SDK cannot add a root certificate to a client it did not build: it says so.
    let err = ManagementClient::builder("AK", "SK")
        .http_client(http)
        .add_root_certificate("-----BEGIN CERTIFICATE-----")
        .build()
        .unwrap_err();
    assert!(
        matches!(&err, Error::Config { reason } if reason.contains("tls_certs_merge")),
        "{err}"
    );
}
