//! What a new user meets: the README's own endpoint against the stand-in, Authing's
//! errors with all their fields, configuration mistakes caught before any request, and
//! clients that are cheap to share.

use authing_core::{AuthenticationClient, Error, ManagementClient};
use authing_mfa::{GetOtpSecretByUser, ImportOtp, ImportOtpItem};
use authing_testkit::StandIn;

/// The endpoint of the README's "Adding an endpoint", compiled from the very text the
/// README shows (checked below).
mod readme {
    include!("../snippets/list_enrolled_factors.rs");
}

const SNIPPET: &str = include_str!("../snippets/list_enrolled_factors.rs");
const README: &str = include_str!("../../README.md");

#[test]
fn the_readme_shows_this_very_endpoint() {
    assert!(
        README.contains(SNIPPET),
        "README's 'Adding an endpoint' drifted from tests/snippets/list_enrolled_factors.rs"
    );
    let lines = SNIPPET.lines().filter(|l| !l.trim().is_empty()).count();
    assert!(
        lines <= 15,
        "the README promises a new endpoint in at most 15 lines, it has {lines}"
    );
}

#[tokio::test]
async fn the_readme_endpoint_works_against_the_stand_in() {
    let stand_in = StandIn::start().await.unwrap();
    let management = stand_in.management_client().build().unwrap();
    let user = stand_in.authentication_client().build().unwrap();
    assert!(
        user.send(&readme::ListEnrolledFactors)
            .await
            .unwrap()
            .is_empty()
    );
    let item = ImportOtpItem::new(stand_in.user_id(), "HZ2F6J3AGNAVSOTV");
    management.send(&ImportOtp::new(vec![item])).await.unwrap();
    let factors = user.send(&readme::ListEnrolledFactors).await.unwrap();
    assert_eq!(factors.len(), 1);
    assert_eq!(factors[0].factor_type, "OTP");
    assert!(!factors[0].factor_id.is_empty());
}

#[tokio::test]
async fn authing_errors_carry_status_code_api_code_message_and_request_id() {
    let stand_in = StandIn::start().await.unwrap();
    let management = stand_in.management_client().build().unwrap();
    let err = management
        .send(&GetOtpSecretByUser::new("no-such-user"))
        .await
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(
        (api.http_status, api.status_code, api.api_code),
        (200, 404, Some(2004))
    );
    assert!(!api.message.is_empty());
    assert!(api.request_id.as_deref().is_some_and(|id| !id.is_empty()));
    let shown = err.to_string();
    assert!(
        shown.contains("2004") && shown.contains(api.request_id.as_deref().unwrap()),
        "{shown}"
    );
}

#[tokio::test]
async fn an_authentication_client_without_a_user_token_says_how_to_get_one() {
    let stand_in = StandIn::start().await.unwrap();
    let app = AuthenticationClient::builder(stand_in.app_id(), stand_in.base_url())
        .build()
        .unwrap();
    let err = app.send(&readme::ListEnrolledFactors).await.unwrap_err();
    assert!(
        matches!(err, Error::Config { .. }) && err.to_string().contains("with_access_token"),
        "{err}"
    );
    assert!(stand_in.requests().is_empty(), "nothing was sent");
    let alice = app.with_access_token(stand_in.user_access_token());
    alice.send(&readme::ListEnrolledFactors).await.unwrap();
}

#[test]
fn configuration_mistakes_fail_at_build_time_with_advice() {
    let insecure = ManagementClient::builder("ak", "sk")
        .host("http://authing.example.com")
        .build();
    let err = insecure.unwrap_err();
    assert!(
        matches!(err, Error::Config { .. }) && err.to_string().contains("allow_insecure_http"),
        "{err}"
    );
    assert!(
        ManagementClient::builder("ak", "sk")
            .host("http://authing.example.com")
            .allow_insecure_http(true)
            .build()
            .is_ok()
    );
    assert!(
        ManagementClient::builder("ak", "sk")
            .host("http://127.0.0.1:1")
            .build()
            .is_ok()
    );
    let err = ManagementClient::builder("", "sk").build().unwrap_err();
    assert!(err.to_string().contains("must not be empty"), "{err}");
    let err = AuthenticationClient::builder("app", "example.authing.cn")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("https://"), "{err}");
    let err = ManagementClient::builder("ak", "sk")
        .lang("zh-CN\n")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("language"), "{err}");
    let err = AuthenticationClient::builder("app\r\nx", "https://a.authing.cn")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("app id"), "{err}");
    let err = ManagementClient::builder("ak", "sk")
        .add_root_certificate("not a pem")
        .build();
    assert!(matches!(err, Err(Error::Config { .. })));
}

#[tokio::test]
async fn a_call_timeout_of_duration_max_means_no_limit() {
    let stand_in = StandIn::start().await.unwrap();
    let management = stand_in
        .management_client()
        .call_timeout(std::time::Duration::MAX)
        .build()
        .unwrap();
    let import = ImportOtp::new(vec![ImportOtpItem::new(
        stand_in.user_id(),
        "HZ2F6J3AGNAVSOTV",
    )]);
    management.send(&import).await.unwrap();
    let forever = authing_core::CallOptions::new().timeout(std::time::Duration::MAX);
    management.send_with(&import, &forever).await.unwrap();
}

#[test]
fn clients_are_send_sync_and_clone() {
    fn shareable<T: Send + Sync + Clone + 'static>() {}
    shareable::<ManagementClient>();
    shareable::<AuthenticationClient>();
    fn error_is_std<T: std::error::Error + Send + Sync + 'static>() {}
    error_is_std::<Error>();
}
