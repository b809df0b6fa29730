//! Authing V3's multi-factor authentication (MFA) endpoints, declared with
//! [`#[endpoint]`](authing_core::endpoint) and sent through the clients of
//! [`authing_core`].
//!
//! | endpoint | side | what it does |
//! | --- | --- | --- |
//! | [`ImportOtp`] | management | imports users' OTP (TOTP) secrets |
//! | [`GetOtpSecretByUser`] | management | reads a user's OTP secret |
//! | [`SendEnrollFactorRequest`] | authentication | starts enrolling the signed-in user in a factor |
//!
//! ```no_run
//! use authing_core::{AuthenticationClient, ManagementClient};
//! use authing_mfa::{GetOtpSecretByUser, ImportOtp, ImportOtpItem, SendEnrollFactorRequest};
//!
//! # async fn run() -> Result<(), authing_core::Error> {
//! let management = ManagementClient::builder("ACCESS_KEY_ID", "ACCESS_KEY_SECRET").build()?;
//! management
//!     .send(&ImportOtp::new(vec![ImportOtpItem::new("USER_ID", "HZ2F6J3AGNAVSOTV")]))
//!     .await?;
//! let otp = management.send(&GetOtpSecretByUser::new("USER_ID")).await?;
//! assert_eq!(otp.secret.expose(), "HZ2F6J3AGNAVSOTV");
//!
//! let user = AuthenticationClient::builder("APP_ID", "https://example.authing.cn")
//!     .access_token("USER_ACCESS_TOKEN")
//!     .build()?;
//! let started = user.send(&SendEnrollFactorRequest::otp()).await?;
//! println!("enrollment token: {:?}", started.enrollment_token); // Secret([REDACTED])
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs)]

mod enroll;
mod otp;
mod user_id;

pub use enroll::{
    EnrollmentStarted, FactorProfile, FactorType, OtpEnrollment, SendEnrollFactorRequest,
};
pub use otp::{GetOtpSecretByUser, ImportOtp, ImportOtpItem, OtpData, OtpSecret};
pub use user_id::UserIdType;
