//! Authing V3's multi-factor authentication (MFA) endpoints, declared with
//! [`#[endpoint]`](authing_core::endpoint) and sent through the clients of
//! [`authing_core`], and TOTP helpers ([`Totp`]) to finish an OTP enrollment or check a
//! secret before importing it.
//!
//! | endpoint | side | what it does |
//! | --- | --- | --- |
//! | [`ImportOtp`] | management | imports users' OTP (TOTP) secrets |
//! | [`GetOtpSecretByUser`] | management | reads a user's OTP secret |
//! | [`GetUserMfaInfo`] | management | which factors a user has bound |
//! | [`SetMfaStatus`] | management | sets a user's MFA trigger data |
//! | [`GetMfaStatus`] | management | reads a user's MFA trigger data |
//! | [`GetMfaTriggerData`] | management | reads it within one application |
//! | [`UpdateApplicationMfaSettings`] | management | enables/disables factors for an application |
//! | [`GetGlobalMfaSettings`] | management | the user pool's enabled factors |
//! | [`UpdateGlobalMfaSettings`] | management | sets them |
//! | [`DisableGlobalMfaSettings`] | management | disables some |
//! | [`SendEnrollFactorRequest`] | authentication | starts enrolling the signed-in user in a factor |
//! | [`EnrollFactor`] | authentication | finishes it with the user's proof |
//! | [`ListEnrolledFactors`] | authentication | the user's bound factors |
//! | [`GetFactor`] | authentication | one of them |
//! | [`ResetFactor`] | authentication | unbinds one |
//! | [`ListFactorsToEnroll`] | authentication | enabled factors the user has not bound |
//! | [`MfaTotpVerify`] | authentication | checks a TOTP code |
//! | [`WebauthnMfaBindInitialize`] | authentication | starts binding a passkey |
//! | [`WebauthnMfaVerifyInitialize`] | authentication | starts a passkey check |
//! | [`IntrospectMfaToken`] | authentication (the app itself) | whether an MFA token is still good, and whose |
//!
//! Where Authing's documentation and its types disagree, answers decode either way: a
//! list shown as one object ([`Factors`]), a status shown as `true` instead of
//! `"enabled"` ([`UserMfaInfo`]), a factor type this SDK does not know
//! ([`FactorType::Unknown`]).
//!
//! ```no_run
//! use authing_core::{AuthenticationClient, ManagementClient};
//! use authing_mfa::{EnrollFactor, ListEnrolledFactors, SendEnrollFactorRequest, Totp};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let user = AuthenticationClient::builder("APP_ID", "https://example.authing.cn")
//!     .access_token("USER_ACCESS_TOKEN")
//!     .build()?;
//! let started = user.send(&SendEnrollFactorRequest::otp()).await?;
//! let otp = started.otp_data.ok_or("Authing answered no otpData")?;
//! let totp = Totp::from_uri(otp.qr_code_uri.expose())?;
//! user.send(&EnrollFactor::otp(started.enrollment_token, totp.code_now())).await?;
//! assert_eq!(user.send(&ListEnrolledFactors).await?.len(), 1);
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs)]

mod enroll;
mod factors;
mod introspection;
mod lenient;
pub mod migrate;
mod otp;
mod settings;
mod status;
mod totp;
mod user_id;
mod webauthn;

pub use enroll::{
    EnrollmentStarted, FactorProfile, FactorType, OtpEnrollment, SendEnrollFactorRequest,
};
pub use factors::{
    EnrollFactor, EnrollmentData, Factor, FactorToEnroll, Factors, GetFactor, ListEnrolledFactors,
    ListFactorsToEnroll, MfaTotpVerify, ResetFactor, TotpVerified,
};
pub use introspection::{IntrospectMfaToken, MfaTokenStatus};
pub use otp::{GetOtpSecretByUser, ImportOtp, ImportOtpItem, OtpData, OtpSecret};
pub use settings::{
    DisableGlobalMfaSettings, GetGlobalMfaSettings, MfaSettings, UpdateApplicationMfaSettings,
    UpdateGlobalMfaSettings,
};
pub use status::{
    ApplicationMfa, GetMfaStatus, GetMfaTriggerData, GetUserMfaInfo, MfaTriggerData, SetMfaStatus,
    Success, UserMfaInfo,
};
pub use totp::{
    DEFAULT_SKEW_STEPS, MIN_SECRET_BITS, Totp, TotpAlgorithm, TotpError, validate_secret,
};
pub use user_id::UserIdType;
pub use webauthn::{WebauthnMfaBindInitialize, WebauthnMfaVerifyInitialize};
