//! Both management credential schemes against the stand-in, which checks tokens and
//! verifies signatures as Authing does.

use std::sync::Arc;
use std::time::Duration;

use authing_core::{Error, ManagementAuth, ManagementClient, ManagementClientBuilder, RetryPolicy};
use authing_mfa::{GetOtpSecretByUser, ImportOtp, ImportOtpItem};
use authing_testkit::{Fault, StandIn};

const OTP_PATH: &str = "/api/v3/get-otp-secret-by-user";
const TOKEN_PATH: &str = "/api/v3/get-management-token";

/// A management client of the stand-in, to be configured further.
fn builder(stand_in: &StandIn) -> ManagementClientBuilder {
    stand_in.management_client()
}

fn builder_with_secret(stand_in: &StandIn, secret: &str) -> ManagementClientBuilder {
    ManagementClient::builder(stand_in.access_key_id(), secret).host(stand_in.base_url())
}

fn client(stand_in: &StandIn, auth: ManagementAuth) -> ManagementClient {
    builder(stand_in).auth(auth).build().unwrap()
}

async fn with_imported_otp(stand_in: &StandIn) {
    let importer = client(stand_in, ManagementAuth::Signature);
    let item = ImportOtpItem::new(stand_in.user_id(), "HZ2F6J3AGNAVSOTV");
    importer.send(&ImportOtp::new(vec![item])).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_token_fetch_for_1000_concurrent_cold_calls() {
    let stand_in = StandIn::start().await.unwrap();
    with_imported_otp(&stand_in).await;
    let client = client(&stand_in, ManagementAuth::Token);
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..1000 {
        let client = client.clone();
        let user = stand_in.user_id().to_owned();
        calls.spawn(async move { client.send(&GetOtpSecretByUser::new(user)).await });
    }
    while let Some(result) = calls.join_next().await {
        assert_eq!(result.unwrap().unwrap().secret.expose(), "HZ2F6J3AGNAVSOTV");
    }
    assert_eq!(stand_in.token_fetches(), 1);
    assert_eq!(stand_in.requests_to(OTP_PATH).len(), 1000);
}

#[tokio::test]
async fn a_failed_first_fetch_is_an_error_and_is_not_cached() {
    let stand_in = StandIn::start().await.unwrap();
    with_imported_otp(&stand_in).await;
    let client = builder(&stand_in)
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    stand_in.script_for(TOKEN_PATH, Fault::http(503));
    let get = GetOtpSecretByUser::new(stand_in.user_id());
    let err = client.send(&get).await.unwrap_err();
    let Error::Credentials(inner) = &err else {
        panic!("expected Credentials, got {err:?}")
    };
    assert!(matches!(**inner, Error::Api(ref api) if api.status_code == 503));
    client.send(&get).await.unwrap();
    assert_eq!(stand_in.token_fetches(), 2);
}

#[tokio::test]
async fn wrong_credentials_say_so() {
    let stand_in = StandIn::start().await.unwrap();
    let client = builder_with_secret(&stand_in, "not-the-secret")
        .build()
        .unwrap();
    let err = client
        .send(&GetOtpSecretByUser::new("u"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("access key"), "{err}");
    assert_eq!(err.api().map(|a| a.status_code), Some(401));
    assert_eq!(
        stand_in.token_fetches(),
        1,
        "a refused fetch is not retried"
    );
}

#[tokio::test]
async fn a_revoked_token_is_replaced_and_the_call_replayed_once() {
    let stand_in = StandIn::start().await.unwrap();
    with_imported_otp(&stand_in).await;
    let client = client(&stand_in, ManagementAuth::Token);
    let get = GetOtpSecretByUser::new(stand_in.user_id());
    client.send(&get).await.unwrap();
    stand_in.revoke_tokens();
    let answer = client.send(&get).await.unwrap();
    assert_eq!(answer.secret.expose(), "HZ2F6J3AGNAVSOTV");
    assert_eq!(stand_in.token_fetches(), 2);
    let seen = stand_in.requests_to(OTP_PATH);
    assert_eq!(
        seen.len(),
        3,
        "first call, the rejected attempt, the replay"
    );
    assert_ne!(
        seen[1].header("authorization"),
        seen[2].header("authorization")
    );
}

#[tokio::test]
async fn a_401_is_replayed_only_once() {
    let stand_in = StandIn::start().await.unwrap();
    let client = client(&stand_in, ManagementAuth::Token);
    stand_in.script_for(OTP_PATH, Fault::envelope(401, None).times(3));
    let err = client
        .send(&GetOtpSecretByUser::new(stand_in.user_id()))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Api(ref api) if api.is_unauthorized()),
        "{err:?}"
    );
    assert_eq!(stand_in.requests_to(OTP_PATH).len(), 2);
    assert_eq!(stand_in.token_fetches(), 2);
}

#[tokio::test]
async fn a_gateways_plain_401_on_a_cached_token_gets_one_replay_with_a_new_token() {
    let stand_in = StandIn::start().await.unwrap();
    with_imported_otp(&stand_in).await;
    let client = client(&stand_in, ManagementAuth::Token);
    let get = GetOtpSecretByUser::new(stand_in.user_id());
    client.send(&get).await.unwrap();
    stand_in.script_for(
        OTP_PATH,
        Fault::http(401).html("<html>401 Authorization Required</html>"),
    );
    let answer = client.send(&get).await.unwrap();
    assert_eq!(answer.secret.expose(), "HZ2F6J3AGNAVSOTV");
    assert_eq!(
        stand_in.token_fetches(),
        2,
        "the refused token was replaced"
    );
    let seen = stand_in.requests_to(OTP_PATH);
    assert_eq!(seen.len(), 3, "first call, the refused attempt, the replay");
    assert_ne!(
        seen[1].header("authorization"),
        seen[2].header("authorization")
    );

    // Refused again: the page is the answer, no third attempt.
    stand_in.script_for(OTP_PATH, Fault::http(401).html("<html>401</html>").times(3));
    let err = client.send(&get).await.unwrap_err();
    assert!(
        matches!(err, Error::HttpStatus { status, .. } if status == 401),
        "{err:?}"
    );
    assert_eq!(stand_in.requests_to(OTP_PATH).len(), 5);
}

#[tokio::test]
async fn concurrent_rejections_of_one_token_fetch_one_replacement() {
    let stand_in = StandIn::start().await.unwrap();
    with_imported_otp(&stand_in).await;
    let client = client(&stand_in, ManagementAuth::Token);
    let get = Arc::new(GetOtpSecretByUser::new(stand_in.user_id()));
    client.send(&*get).await.unwrap();
    stand_in.revoke_tokens();
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let (client, get) = (client.clone(), get.clone());
            tokio::spawn(async move { client.send(&*get).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    // Calls rejected with the old token invalidate it only if it is still cached, so
    // the replacement fetched by the first of them is reused, not thrown away.
    assert_eq!(stand_in.token_fetches(), 2);
}

#[tokio::test]
async fn signed_requests_are_accepted_and_each_attempt_is_signed_afresh() {
    let stand_in = StandIn::start().await.unwrap();
    with_imported_otp(&stand_in).await;
    let client = builder(&stand_in)
        .auth(ManagementAuth::Signature)
        .retry(RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(5)))
        .build()
        .unwrap();
    stand_in.script_for(OTP_PATH, Fault::http(503));
    let answer = client
        .send(&GetOtpSecretByUser::new(stand_in.user_id()))
        .await
        .unwrap();
    assert_eq!(answer.secret.expose(), "HZ2F6J3AGNAVSOTV");
    let seen = stand_in.requests_to(OTP_PATH);
    assert_eq!(seen.len(), 2);
    let nonce = |i: usize| {
        seen[i]
            .header("x-authing-signature-nonce")
            .map(str::to_owned)
    };
    assert_ne!(nonce(0), nonce(1), "a retry carries a fresh nonce");
    assert_eq!(stand_in.token_fetches(), 0);
}

#[tokio::test]
async fn a_wrong_secret_fails_the_signature_check() {
    let stand_in = StandIn::start().await.unwrap();
    let client = builder_with_secret(&stand_in, "not-the-secret")
        .auth(ManagementAuth::Signature)
        .build()
        .unwrap();
    let err = client
        .send(&GetOtpSecretByUser::new(stand_in.user_id()))
        .await
        .unwrap_err();
    let api = err.api().expect("an envelope error");
    assert_eq!((api.status_code, api.api_code), (401, Some(1300)), "{api}");
}

#[tokio::test]
async fn a_tenant_id_is_sent_and_signed() {
    let stand_in = StandIn::start().await.unwrap();
    with_imported_otp(&stand_in).await;
    let client = builder(&stand_in)
        .auth(ManagementAuth::Signature)
        .tenant_id("tenant-1")
        .build()
        .unwrap();
    client
        .send(&GetOtpSecretByUser::new(stand_in.user_id()))
        .await
        .unwrap();
    let seen = stand_in.requests_to(OTP_PATH);
    assert_eq!(seen[0].header("x-authing-app-id"), Some("tenant-1"));
}
