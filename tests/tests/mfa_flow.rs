//! A whole MFA enrollment against the stand-in, through the SDK: request, code from the
//! otpauth URI, enroll, list, get, verify, reset; and an imported secret used as an
//! enrolled factor.

use authing_core::{AuthenticationClient, Error};
use authing_mfa::{
    EnrollFactor, FactorType, GetFactor, GetOtpSecretByUser, ImportOtp, ImportOtpItem,
    ListEnrolledFactors, MfaTotpVerify, ResetFactor, SendEnrollFactorRequest, Totp,
};
use authing_testkit::{StandIn, api_code};

fn api_code_of(err: &Error) -> Option<i64> {
    err.api().and_then(|api| api.api_code)
}

/// A code of `totp` that is wrong now: a valid-looking code from an hour ago.
fn stale_code(totp: &Totp) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let old = totp.code_at(now - 3600);
    let current = totp.code_now();
    // One in a million the old code is today's too; then any other 6 digits will do.
    if old == current || totp.verify_now(old.expose()) {
        return if current.expose() == "000000" {
            "111111"
        } else {
            "000000"
        }
        .to_owned();
    }
    old.expose().to_owned()
}

async fn user_of(stand_in: &StandIn) -> AuthenticationClient {
    stand_in.authentication_client().build().unwrap()
}

#[tokio::test]
async fn request_code_enroll_list_get_verify_reset() {
    let stand_in = StandIn::start().await.unwrap();
    let user = user_of(&stand_in).await;
    assert!(user.send(&ListEnrolledFactors).await.unwrap().is_empty());

    // Request: the answer's URI is what the authenticator app scans.
    let started = user.send(&SendEnrollFactorRequest::otp()).await.unwrap();
    let otp = started.otp_data.expect("an OTP enrollment answers otpData");
    let app = Totp::from_uri(otp.qr_code_uri.expose()).unwrap();
    assert_eq!(app.account(), stand_in.user().username);

    // A wrong code is refused with Authing's apiCode and leaves the enrollment open.
    let token = started.enrollment_token;
    let err = user
        .send(&EnrollFactor::otp(token.clone(), stale_code(&app)))
        .await
        .unwrap_err();
    assert_eq!(api_code_of(&err), Some(api_code::WRONG_TOTP_CODE), "{err}");

    // Code, enroll.
    user.send(&EnrollFactor::otp(token.clone(), app.code_now()))
        .await
        .unwrap();
    // The token enrolls once.
    let again = user
        .send(&EnrollFactor::otp(token, app.code_now()))
        .await
        .unwrap_err();
    assert_eq!(
        api_code_of(&again),
        Some(api_code::ENROLLMENT_TOKEN_INVALID)
    );

    // List, get.
    let factors = user.send(&ListEnrolledFactors).await.unwrap();
    assert_eq!(factors.len(), 1);
    assert_eq!(factors[0].factor_type, FactorType::Otp);
    let factor_id = factors[0].factor_id.clone();
    let factor = user.send(&GetFactor::new(factor_id.clone())).await.unwrap();
    assert_eq!(factor.factor_id, factor_id);

    // Verify: the app's code passes, a stale one does not.
    let ok = user
        .send(&MfaTotpVerify::new(app.code_now()))
        .await
        .unwrap();
    assert!(ok.verified);
    let wrong = user
        .send(&MfaTotpVerify::new(stale_code(&app)))
        .await
        .unwrap();
    assert!(!wrong.verified);

    // The enrolled secret is the user's OTP secret on the management side too.
    let management = stand_in.management_client().build().unwrap();
    let secret = management
        .send(&GetOtpSecretByUser::new(stand_in.user_id()))
        .await
        .unwrap()
        .secret;
    assert_eq!(&secret, app.secret());

    // Reset: the factor is gone everywhere.
    user.send(&ResetFactor::new(factor_id.clone()))
        .await
        .unwrap();
    assert!(user.send(&ListEnrolledFactors).await.unwrap().is_empty());
    let gone = user.send(&GetFactor::new(factor_id)).await.unwrap_err();
    assert_eq!(api_code_of(&gone), Some(api_code::FACTOR_NOT_FOUND));
    let unbound = user
        .send(&MfaTotpVerify::new(app.code_now()))
        .await
        .unwrap_err();
    assert_eq!(api_code_of(&unbound), Some(api_code::OTP_NOT_SET));
}

#[tokio::test]
async fn an_imported_secret_is_an_enrolled_factor_that_verifies_and_resets() {
    let stand_in = StandIn::start().await.unwrap();
    let management = stand_in.management_client().build().unwrap();
    let user = user_of(&stand_in).await;
    let fresh = Totp::fresh("stand-in", "user").unwrap();
    let item = ImportOtpItem::new(stand_in.user_id(), fresh.secret().clone());
    management.send(&ImportOtp::new(vec![item])).await.unwrap();

    let factors = user.send(&ListEnrolledFactors).await.unwrap();
    assert_eq!(factors.len(), 1);
    assert_eq!(factors[0].factor_type, FactorType::Otp);
    let verified = user
        .send(&MfaTotpVerify::new(fresh.code_now()))
        .await
        .unwrap();
    assert!(verified.verified);

    user.send(&ResetFactor::new(factors[0].factor_id.clone()))
        .await
        .unwrap();
    let err = management
        .send(&GetOtpSecretByUser::new(stand_in.user_id()))
        .await
        .unwrap_err();
    assert_eq!(api_code_of(&err), Some(api_code::OTP_NOT_SET));
}

#[tokio::test]
async fn only_otp_enrollments_can_be_finished_and_unknown_tokens_are_refused() {
    let stand_in = StandIn::start().await.unwrap();
    let user = user_of(&stand_in).await;
    let sms = user
        .send(&EnrollFactor::sms("whatever", "123456"))
        .await
        .unwrap_err();
    assert_eq!(api_code_of(&sms), Some(api_code::FACTOR_TYPE_UNSUPPORTED));
    let unknown = user
        .send(&EnrollFactor::otp("never-issued", "123456"))
        .await
        .unwrap_err();
    assert_eq!(
        api_code_of(&unknown),
        Some(api_code::ENROLLMENT_TOKEN_INVALID)
    );
}
