//! A server that quotes the request back in its message (`Fault::echo`) puts no secret the
//! request carried into an error's `Display` or `Debug`, a log line at trace level or the
//! span's outcome: not the OTP secret or recovery code of a body, not a secret sent in a
//! query string, not the access key secret of a token fetch, not a management or user
//! token sent as a header. A test binary of its own, like `trace_logs.rs`: a thread-scoped
//! subscriber can miss events whose callsites other tests registered first.

use authing_core::{Error, ManagementAuth, Secret, endpoint};
use authing_mfa::{ImportOtp, ImportOtpItem, SendEnrollFactorRequest};
use authing_testkit::{Fault, StandIn};
use authing_tests::Captured;

const OTP_SECRET: &str = "HZ2F6J3AGNAVSOTVQWERTY234567";
const RECOVERY_CODE: &str = "b471-8ec0-874a-087f-bccb-cd54";
/// Sent in a query string, with characters that percent-encoding changes.
const QUERY_SECRET: &str = "p@ss w/rd+?&=ü";

/// A GET that carries a secret in its query and is not declared `sensitive`, so its
/// bodies are logged at trace level.
#[endpoint(GET, "/api/v3/check-code", response = ())]
struct CheckCode {
    code: Secret,
}

/// Everything an error shows: Display, Debug and every cause.
fn shown(err: &Error) -> String {
    let mut text = format!("{err}\n{err:?}");
    let mut cause = std::error::Error::source(err);
    while let Some(inner) = cause {
        text.push_str(&format!("\n{inner}"));
        cause = inner.source();
    }
    text
}

fn assert_hides(text: &str, secrets: &[String]) {
    for secret in secrets {
        assert!(
            !text.contains(secret.as_str()),
            "`{secret}` leaked into:\n{text}"
        );
    }
}

#[tokio::test]
async fn secrets_a_server_echoes_back_reach_no_error_and_no_log() {
    let logs = Captured::default();
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("trace"))
        .with_ansi(false)
        .with_writer(move || sink.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let stand_in = StandIn::start().await.unwrap();
    let mut errors = Vec::new();
    let import = ImportOtp::new(vec![
        ImportOtpItem::new(stand_in.user_id(), OTP_SECRET).with_recovery_code(RECOVERY_CODE),
    ]);
    let check = CheckCode {
        code: Secret::from(QUERY_SECRET),
    };
    for auth in [ManagementAuth::Token, ManagementAuth::Signature] {
        let management = stand_in.management_client().auth(auth).build().unwrap();
        if auth == ManagementAuth::Token {
            // The token fetch's body carries the access key secret.
            stand_in.script_for("/api/v3/get-management-token", Fault::echo(400));
            let err = management.send(&import).await.unwrap_err();
            assert!(matches!(err, Error::Credentials(_)), "{err:?}");
            errors.push(err);
        }
        stand_in.script_for("/api/v3/import-otp", Fault::echo(400));
        errors.push(management.send(&import).await.unwrap_err());
        stand_in.script_for("/api/v3/check-code", Fault::echo(400));
        errors.push(management.send(&check).await.unwrap_err());
    }
    let user = stand_in.authentication_client().build().unwrap();
    stand_in.script_for("/api/v3/send-enroll-factor-request", Fault::echo(400));
    errors.push(
        user.send(&SendEnrollFactorRequest::otp())
            .await
            .unwrap_err(),
    );

    // The stand-in did echo each secret back, and it arrived redacted.
    assert_eq!(stand_in.pending_faults(), 0);
    for err in &errors {
        let api = err
            .api()
            .unwrap_or_else(|| panic!("an echo answer: {err:?}"));
        assert!(api.message.starts_with("you sent: "), "{api}");
        assert!(api.message.contains("[REDACTED]"), "{api}");
    }
    let mut secrets = vec![
        stand_in.access_key_secret().to_owned(),
        stand_in.user_access_token().to_owned(),
        OTP_SECRET.to_owned(),
        RECOVERY_CODE.to_owned(),
        QUERY_SECRET.to_owned(),
        "p%40ss%20w%2Frd%2B%3F%26%3D%C3%BC".to_owned(), // as the query carried it
    ];
    let tokens = stand_in.requests().into_iter().filter_map(|r| {
        r.header("authorization")
            .and_then(|a| a.strip_prefix("Bearer "))
            .map(str::to_owned)
    });
    secrets.extend(tokens);
    assert!(secrets.len() > 6, "a management token was sent");
    for err in &errors {
        assert_hides(&shown(err), &secrets);
    }
    let text = logs.text();
    assert!(
        text.contains("outcome=Authing answered statusCode 400"),
        "{text}"
    );
    assert!(
        text.contains("[REDACTED]"),
        "the echoes were logged, redacted:\n{text}"
    );
    assert_hides(&text, &secrets);
}
