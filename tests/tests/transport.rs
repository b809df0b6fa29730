//! What the transport makes of an answer beyond its `data`, and how it treats failures
//! that no retry can fix: against the stand-in and other loopback servers.

use authing_core::{CallOptions, ManagementAuth};
use authing_mfa::{GetOtpSecretByUser, ImportOtp, ImportOtpItem};
use authing_testkit::{Fault, StandIn};

const OTP_SECRET: &str = "HZ2F6J3AGNAVSOTVQWERTY234567";

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
