//! Secrets never leak: not through `Debug` of any config, client, request or response,
//! and not through logs, even at trace level.

use std::io::Write;
use std::sync::{Arc, Mutex};

use authing_core::{AuthenticationClient, ManagementAuth, ManagementClient, Secret};
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

    let builder = ManagementClient::builder(stand_in.access_key_id(), stand_in.access_key_secret())
        .host(stand_in.base_url());
    assert_hides(&format!("{builder:?}"), &secrets);
    let management = builder.build().unwrap();
    let signed = ManagementClient::builder(stand_in.access_key_id(), stand_in.access_key_secret())
        .host(stand_in.base_url())
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

    let app = AuthenticationClient::builder(stand_in.app_id(), stand_in.base_url())
        .access_token(stand_in.user_access_token());
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

/// A log sink the test can read.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn trace_level_logs_show_calls_but_no_secret() {
    let logs = Captured::default();
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || sink.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let stand_in = StandIn::start().await.unwrap();
    for auth in [ManagementAuth::Token, ManagementAuth::Signature] {
        let management =
            ManagementClient::builder(stand_in.access_key_id(), stand_in.access_key_secret())
                .host(stand_in.base_url())
                .auth(auth)
                .build()
                .unwrap();
        let import = ImportOtp::new(vec![
            ImportOtpItem::new(stand_in.user_id(), OTP_SECRET).with_recovery_code(RECOVERY_CODE),
        ]);
        management.send(&import).await.unwrap();
        management
            .send(&GetOtpSecretByUser::new(stand_in.user_id()))
            .await
            .unwrap();
    }
    let user = AuthenticationClient::builder(stand_in.app_id(), stand_in.base_url())
        .access_token(stand_in.user_access_token())
        .build()
        .unwrap();
    let started = user.send(&SendEnrollFactorRequest::otp()).await.unwrap();

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("authing.call"),
        "the call spans are logged:\n{text}"
    );
    assert!(text.contains("/api/v3/import-otp"));
    let tokens: Vec<String> = stand_in
        .requests()
        .iter()
        .filter_map(|r| r.header("authorization").map(str::to_owned))
        .collect();
    let mut secrets = stand_in_secrets(&stand_in);
    secrets.extend(tokens);
    secrets.push(started.enrollment_token.expose().to_owned());
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    assert_hides(&text, &secrets);
}
