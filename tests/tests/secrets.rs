//! Secrets never leak: not through `Debug` of any config, client, request or response,
//! and not through logs, even at trace level.

use authing_core::{ManagementAuth, Secret};
use authing_mfa::{GetOtpSecretByUser, ImportOtp, ImportOtpItem, SendEnrollFactorRequest};
use authing_testkit::StandIn;

const OTP_SECRET: &str = "HZ2F6J3AGNAVSOTVQWERTY234567";
const RECOVERY_CODE: &str = "b471-8ec0-874a-087f-bccb-cd54";

/// Asserts none of `secrets` appears in `text`.
fn assert_hides(text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!text.contains(secret), "`{secret}` leaked into:\n{text}");
    }
}

fn stand_in_secrets(stand_in: &StandIn) -> Vec<String> {
    vec![
        stand_in.access_key_secret().to_owned(),
        stand_in.user_access_token().to_owned(),
        OTP_SECRET.to_owned(),
        RECOVERY_CODE.to_owned(),
    ]
}

#[tokio::test]
async fn debug_of_builders_clients_requests_and_responses_redacts_secrets() {
    let stand_in = StandIn::start().await.unwrap();
    let secrets = stand_in_secrets(&stand_in);
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();

    let builder = stand_in.management_client();
    assert_hides(&format!("{builder:?}"), &secrets);
    let management = builder.build().unwrap();
    let signed = stand_in
        .management_client()
        .auth(ManagementAuth::Signature)
        .build()
        .unwrap();

    let import = ImportOtp::new(vec![
        ImportOtpItem::new(stand_in.user_id(), OTP_SECRET).with_recovery_code(RECOVERY_CODE),
    ]);
    assert_hides(&format!("{import:?}"), &secrets);
    management.send(&import).await.unwrap();
    let answer = management
        .send(&GetOtpSecretByUser::new(stand_in.user_id()))
        .await
        .unwrap();
    assert_eq!(answer.secret.expose(), OTP_SECRET);
    assert_hides(&format!("{answer:?}"), &secrets);

    // With a cached token now, the client's Debug must hide it too.
    let token = stand_in.requests_to("/api/v3/get-otp-secret-by-user")[0]
        .header("authorization")
        .unwrap()
        .trim_start_matches("Bearer ")
        .to_owned();
    let mut with_token = secrets.clone();
    with_token.push(&token);
    assert_hides(&format!("{management:?} {signed:?}"), &with_token);

    let app = stand_in.authentication_client();
    assert_hides(&format!("{app:?}"), &secrets);
    let user = app.build().unwrap();
    assert_hides(&format!("{user:?}"), &secrets);
    let started = user.send(&SendEnrollFactorRequest::otp()).await.unwrap();
    let otp = started.otp_data.as_ref().unwrap();
    let enrolled = [
        started.enrollment_token.expose(),
        otp.qr_code_uri.expose(),
        otp.recovery_code.expose(),
    ];
    assert_hides(&format!("{started:?}"), &enrolled);
}

#[test]
fn secret_has_no_display_and_a_redacted_debug() {
    let secret = Secret::from(OTP_SECRET);
    assert_eq!(format!("{secret:?}"), "Secret([REDACTED])");
    assert_hides(&secret.masked(), &[OTP_SECRET]);
}

/// An error quoting a body shows it whole: Display, Debug and every cause.
fn everything_shown(err: &authing_core::Error) -> String {
    let mut text = format!("{err} {err:?}");
    let mut cause = std::error::Error::source(err);
    while let Some(inner) = cause {
        text.push_str(&format!(" {inner} {inner:?}"));
        cause = inner.source();
    }
    text
}

#[tokio::test]
async fn errors_about_answers_of_sensitive_endpoints_do_not_quote_their_bodies() {
    use authing_testkit::Fault;
    const TOKEN: &str = "eyJTOKEN.THAT-MUST-NOT-LEAK.sig";
    let stand_in = StandIn::start().await.unwrap();
    let management = stand_in.management_client().build().unwrap();
    // A token answer of the wrong shape: the error must not carry the token.
    let odd_token =
        format!(r#"{{"statusCode":200,"data":{{"access_token":"{TOKEN}","expires_in":"soon"}}}}"#);
    stand_in.script_for(
        "/api/v3/get-management-token",
        Fault::raw(200, "application/json", odd_token),
    );
    let err = management
        .send(&GetOtpSecretByUser::new(stand_in.user_id()))
        .await
        .unwrap_err();
    let shown = everything_shown(&err);
    assert!(shown.contains("withheld"), "{shown}");
    assert_hides(&shown, &[TOKEN]);

    // serde's own message quotes a value of the wrong type: that must not show either.
    let quoted = format!(r#"{{"statusCode":200,"data":"{TOKEN}"}}"#);
    stand_in.script_for(
        "/api/v3/get-management-token",
        Fault::raw(200, "application/json", quoted),
    );
    let err = management
        .send(&GetOtpSecretByUser::new(stand_in.user_id()))
        .await
        .unwrap_err();
    assert_hides(&everything_shown(&err), &[TOKEN]);

    // An OTP secret answer of the wrong shape: the error must not carry the secret.
    let odd_secret = format!(r#"{{"statusCode":200,"data":"{OTP_SECRET}"}}"#);
    stand_in.script_for(
        "/api/v3/get-otp-secret-by-user",
        Fault::raw(200, "application/json", odd_secret),
    );
    let err = management
        .send(&GetOtpSecretByUser::new(stand_in.user_id()))
        .await
        .unwrap_err();
    assert!(
        matches!(err, authing_core::Error::UnexpectedShape { .. }),
        "{err:?}"
    );
    assert_hides(&everything_shown(&err), &[OTP_SECRET]);
}
