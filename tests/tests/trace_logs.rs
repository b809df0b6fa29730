//! At trace level, the logs show every call and no secret. A test binary of its own: a
//! thread-scoped tracing subscriber can miss events whose callsites other tests running
//! in parallel registered first.

use authing_core::ManagementAuth;
use authing_mfa::{GetOtpSecretByUser, ImportOtp, ImportOtpItem, SendEnrollFactorRequest};
use authing_testkit::StandIn;
use authing_tests::Captured;

const OTP_SECRET: &str = "HZ2F6J3AGNAVSOTVQWERTY234567";
const RECOVERY_CODE: &str = "b471-8ec0-874a-087f-bccb-cd54";

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
        let management = stand_in.management_client().auth(auth).build().unwrap();
        let import = ImportOtp::new(vec![
            ImportOtpItem::new(stand_in.user_id(), OTP_SECRET).with_recovery_code(RECOVERY_CODE),
        ]);
        management.send(&import).await.unwrap();
        management
            .send(&GetOtpSecretByUser::new(stand_in.user_id()))
            .await
            .unwrap();
    }
    let user = stand_in.authentication_client().build().unwrap();
    let started = user.send(&SendEnrollFactorRequest::otp()).await.unwrap();

    let text = logs.text();
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
    let mut secrets = vec![
        stand_in.access_key_secret().to_owned(),
        stand_in.user_access_token().to_owned(),
        OTP_SECRET.to_owned(),
        RECOVERY_CODE.to_owned(),
    ];
    secrets.extend(tokens);
    secrets.push(started.enrollment_token.expose().to_owned());
    for secret in &secrets {
        assert!(
            !text.contains(secret.as_str()),
            "`{secret}` leaked into:\n{text}"
        );
    }
}
