//! What a call writes into spans when its own `authing.call` span is filtered out: into
//! none of the application's. A test binary of its own, like `trace_logs.rs`: a
//! thread-scoped subscriber can miss callsites other tests registered first.

use authing_mfa::{GetOtpSecretByUser, ImportOtp, ImportOtpItem};
use authing_testkit::StandIn;
use authing_tests::Captured;
use tracing::Instrument;
use tracing_subscriber::fmt::format::FmtSpan;

/// An application span with the same field names as the SDK's call span: when the SDK's
/// is disabled, the call must not fill the application's in (with Authing's request id,
/// the attempt number and the outcome), as recording into "the current span" would.
#[tokio::test]
async fn a_filtered_out_call_span_leaves_the_applications_span_alone() {
    let logs = Captured::default();
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter("warn,app=info")
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || sink.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let stand_in = StandIn::start().await.unwrap();
    let client = stand_in.management_client().build().unwrap();
    let handler = async {
        let import = ImportOtp::new(vec![ImportOtpItem::new(
            stand_in.user_id(),
            "HZ2F6J3AGNAVSOTVQWERTY234567",
        )]);
        client.send(&import).await.unwrap();
        client
            .send(&GetOtpSecretByUser::new(stand_in.user_id()))
            .await
            .unwrap();
    };
    let span = tracing::info_span!(
        target: "app",
        "handler",
        attempt = tracing::field::Empty,
        request_id = tracing::field::Empty,
        outcome = tracing::field::Empty,
    );
    handler.instrument(span).await;

    let text = logs.text();
    let closed = text
        .lines()
        .find(|line| line.contains("handler") && line.contains("close"))
        .unwrap_or_else(|| panic!("the application's span is logged when it closes:\n{text}"));
    for field in ["attempt=", "request_id=", "outcome="] {
        assert!(
            !closed.contains(field),
            "`{field}` written into the application's span: {closed}"
        );
    }
    assert!(
        !text.contains("authing.call"),
        "the call span is filtered out:\n{text}"
    );
}
