//! The blocking clients (`authing_core::blocking`, cargo feature `blocking`) against the
//! stand-in: the same calls and errors as the async clients, from threads without a
//! runtime, from many threads at once, and from inside async code without a panic.
//!
//! The stand-in runs on a runtime of its own in each test, so that a blocked caller
//! never stalls the server it is waiting for.

use std::time::{Duration, Instant};

use authing_core::{
    CallOptions, Error, ManagementAuth, RetryPolicy, TimeoutKind, blocking, endpoint,
};
use authing_mfa::{GetOtpSecretByUser, ImportOtp, ImportOtpItem, SendEnrollFactorRequest};
use authing_testkit::{Fault, StandIn};

const SECRET: &str = "JBSWY3DPEHPK3PXP";

/// A stand-in served by a runtime that lives as long as the value.
struct Served {
    stand_in: StandIn,
    runtime: Option<tokio::runtime::Runtime>,
}

/// Started on a thread of its own, so that async tests can start one too.
fn served() -> Served {
    std::thread::spawn(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime for the stand-in");
        let stand_in = runtime
            .block_on(StandIn::start())
            .expect("the stand-in starts");
        Served {
            stand_in,
            runtime: Some(runtime),
        }
    })
    .join()
    .expect("the stand-in's runtime starts")
}

impl Drop for Served {
    fn drop(&mut self) {
        // Without waiting: dropping a runtime inside an async test would panic.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

fn management(stand_in: &StandIn, auth: ManagementAuth) -> blocking::ManagementClient {
    stand_in
        .management_client()
        .auth(auth)
        .build_blocking()
        .expect("a blocking client")
}

fn import(user_id: &str) -> ImportOtp {
    ImportOtp::new(vec![ImportOtpItem::new(user_id, SECRET)])
}

#[test]
fn a_blocking_management_client_imports_and_reads_back_under_both_schemes() {
    let served = served();
    let stand_in = &served.stand_in;
    for auth in [ManagementAuth::Token, ManagementAuth::Signature] {
        let client = management(stand_in, auth);
        client.send(&import(stand_in.user_id())).unwrap();
        let read = client
            .send(&GetOtpSecretByUser::new(stand_in.user_id()))
            .unwrap();
        assert_eq!(read.secret.expose(), SECRET, "{auth:?}");
    }
    assert_eq!(stand_in.token_fetches(), 1, "the token scheme fetched once");
}

#[test]
fn a_blocking_authentication_client_and_its_per_user_clones_act_for_their_user() {
    let served = served();
    let stand_in = &served.stand_in;
    let app = stand_in.authentication_client().build_blocking().unwrap();
    let started = app.send(&SendEnrollFactorRequest::otp()).unwrap();
    assert!(started.otp_data.is_some());

    let stranger = app.with_access_token("not-a-token");
    let err = stranger.send(&SendEnrollFactorRequest::otp()).unwrap_err();
    assert!(
        matches!(&err, Error::Api(api) if api.status_code == 401),
        "{err}"
    );
}

#[test]
fn errors_timeouts_and_answer_details_are_those_of_the_async_client() {
    let served = served();
    let stand_in = &served.stand_in;
    let client = management(stand_in, ManagementAuth::Signature);

    let err = client.send(&GetOtpSecretByUser::new("nobody")).unwrap_err();
    assert!(
        matches!(&err, Error::Api(api) if api.status_code == 404),
        "{err}"
    );

    // The runtime's timer works: a slow answer hits the per-call timeout.
    stand_in.script(Fault::delay(Duration::from_secs(5)));
    let options = CallOptions::new()
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::disabled());
    let started = Instant::now();
    let err = client
        .send_with(&GetOtpSecretByUser::new(stand_in.user_id()), &options)
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Timeout {
                which: TimeoutKind::Call,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );

    client.send(&import(stand_in.user_id())).unwrap();
    let answer = client
        .send_with_meta(
            &GetOtpSecretByUser::new(stand_in.user_id()),
            &CallOptions::new(),
        )
        .unwrap();
    assert_eq!(answer.http_status, 200);
    assert!(answer.request_id.is_some_and(|id| !id.is_empty()));
    assert_eq!(answer.data.secret.expose(), SECRET);
}

#[test]
fn clones_on_many_threads_share_one_client() {
    let served = served();
    let stand_in = &served.stand_in;
    let client = management(stand_in, ManagementAuth::Token);
    client.send(&import(stand_in.user_id())).unwrap();
    std::thread::scope(|scope| {
        for _ in 0..8 {
            let client = client.clone();
            scope.spawn(move || {
                for _ in 0..5 {
                    let read = client
                        .send(&GetOtpSecretByUser::new(stand_in.user_id()))
                        .unwrap();
                    assert_eq!(read.secret.expose(), SECRET);
                }
            });
        }
    });
    assert_eq!(
        stand_in.token_fetches(),
        1,
        "one token cache for every clone"
    );
}

/// Calls made from async code do not panic (starting a runtime inside one would), and
/// neither does dropping the client there.
#[tokio::test(flavor = "current_thread")]
async fn inside_an_async_runtime_a_blocking_call_still_answers() {
    let served = served();
    let stand_in = &served.stand_in;
    let client = management(stand_in, ManagementAuth::Signature);
    client.send(&import(stand_in.user_id())).unwrap();
    let read = client
        .send(&GetOtpSecretByUser::new(stand_in.user_id()))
        .unwrap();
    assert_eq!(read.secret.expose(), SECRET);
    drop(client);
    // And the runtime it was called from still works.
    tokio::time::sleep(Duration::from_millis(1)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inside_spawn_blocking_a_blocking_call_answers() {
    let served = served();
    let host = served.stand_in.base_url().to_owned();
    let (id, secret) = (
        served.stand_in.access_key_id().to_owned(),
        served.stand_in.access_key_secret().to_owned(),
    );
    let user_id = served.stand_in.user_id().to_owned();
    let outcome = tokio::task::spawn_blocking(move || {
        let client = authing_core::ManagementClient::builder(id, secret)
            .host(host)
            .build_blocking()?;
        client.send(&import(&user_id))
    })
    .await
    .expect("no panic");
    assert!(outcome.is_ok(), "{outcome:?}");
}

/// An endpoint declared here, to show the blocking client takes any endpoint.
#[endpoint(GET, "/api/v3/blocking-probe", response = ())]
struct Probe;

#[test]
fn a_blocking_call_to_nowhere_is_a_network_error_after_the_retries() {
    let refused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let client = authing_core::ManagementClient::builder("AK", "SK")
        .host(format!("http://{refused}"))
        .auth(ManagementAuth::Signature)
        .retry(RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(2)))
        .build_blocking()
        .unwrap();
    let err = client.send(&Probe).unwrap_err();
    assert!(matches!(err, Error::Network { sent: false, .. }), "{err:?}");
}
