//! Starting the enrollment of an MFA factor: authentication side, for the signed-in user.

use authing_core::{Secret, endpoint};
use serde::{Deserialize, Serialize};

/// Starts enrolling the signed-in user in an MFA factor.
///
/// Authing answers an enrollment token (valid one minute) to pass to the enroll-factor
/// endpoint with the user's proof: for SMS and e-mail a code Authing sends now, for OTP a
/// one-time password from the authenticator app the user set up with the answer's
/// [`OtpEnrollment`]. A phone number or e-mail address may be sent one request a minute.
///
/// ```no_run
/// use authing_mfa::SendEnrollFactorRequest;
/// # async fn run(client: authing_core::AuthenticationClient) -> Result<(), authing_core::Error> {
/// let started = client.send(&SendEnrollFactorRequest::otp()).await?;
/// if let Some(otp) = &started.otp_data {
///     // Show otp.qr_code_data_url as an image for the user to scan.
///     # let _ = otp;
/// }
/// let by_sms = client.send(&SendEnrollFactorRequest::sms("188xxxx8888", "+86")).await?;
/// # let _ = by_sms;
/// # Ok(())
/// # }
/// ```
#[endpoint(
    POST,
    "/api/v3/send-enroll-factor-request",
    response = EnrollmentStarted,
    side = authentication,
    sensitive
)]
#[derive(Debug, Clone)]
pub struct SendEnrollFactorRequest {
    /// Where Authing sends the code: the phone number or e-mail address.
    pub profile: FactorProfile,
    /// The factor to enroll.
    pub factor_type: FactorType,
}

impl SendEnrollFactorRequest {
    /// Enrolls an authenticator app (TOTP); the answer carries the QR code.
    ///
    /// ```
    /// use authing_mfa::{FactorType, SendEnrollFactorRequest};
    /// assert_eq!(SendEnrollFactorRequest::otp().factor_type, FactorType::Otp);
    /// ```
    pub fn otp() -> Self {
        Self {
            profile: FactorProfile::default(),
            factor_type: FactorType::Otp,
        }
    }

    /// Enrolls a phone for SMS codes; `country_code` like `+86` (Authing's default).
    ///
    /// ```
    /// let req = authing_mfa::SendEnrollFactorRequest::sms("188xxxx8888", "+86");
    /// assert_eq!(req.profile.phone_number.as_deref(), Some("188xxxx8888"));
    /// ```
    pub fn sms(phone_number: impl Into<String>, country_code: impl Into<String>) -> Self {
        Self {
            profile: FactorProfile {
                phone_number: Some(phone_number.into()),
                phone_country_code: Some(country_code.into()),
                email: None,
            },
            factor_type: FactorType::Sms,
        }
    }

    /// Enrolls an e-mail address for e-mailed codes.
    ///
    /// ```
    /// let req = authing_mfa::SendEnrollFactorRequest::email("a@example.com");
    /// assert_eq!(req.profile.email.as_deref(), Some("a@example.com"));
    /// ```
    pub fn email(address: impl Into<String>) -> Self {
        Self {
            profile: FactorProfile {
                email: Some(address.into()),
                ..FactorProfile::default()
            },
            factor_type: FactorType::Email,
        }
    }

    /// Enrolls face recognition.
    ///
    /// ```
    /// use authing_mfa::{FactorType, SendEnrollFactorRequest};
    /// assert_eq!(SendEnrollFactorRequest::face().factor_type, FactorType::Face);
    /// ```
    pub fn face() -> Self {
        Self {
            profile: FactorProfile::default(),
            factor_type: FactorType::Face,
        }
    }
}

/// An MFA factor type.
///
/// ```
/// assert_eq!(serde_json::to_string(&authing_mfa::FactorType::Otp).unwrap(), "\"OTP\"");
/// ```
///
/// Decoding is lenient: lowercase names are accepted, and a type this SDK does not know
/// (Authing may add factors) decodes as [`FactorType::Unknown`] instead of failing the
/// whole answer. `Unknown` cannot be sent: serialising it is an error.
///
/// ```
/// use authing_mfa::FactorType;
/// let read: Vec<FactorType> = serde_json::from_str(r#"["otp","PASSKEY"]"#).unwrap();
/// assert_eq!(read, [FactorType::Otp, FactorType::Unknown]);
/// assert!(serde_json::to_string(&FactorType::Unknown).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[non_exhaustive]
pub enum FactorType {
    /// A one-time password from an authenticator app (TOTP).
    #[serde(alias = "otp")]
    Otp,
    /// A code sent by SMS.
    #[serde(alias = "sms")]
    Sms,
    /// A code sent by e-mail.
    #[serde(alias = "email")]
    Email,
    /// Face recognition.
    #[serde(alias = "face")]
    Face,
    /// A factor type Authing answered that this SDK does not know.
    #[serde(other, skip_serializing)]
    Unknown,
}

/// Where a factor's codes go. SMS needs `phone_number`, e-mail needs `email`; OTP and
/// face need neither.
///
/// ```
/// let p = authing_mfa::FactorProfile::default();
/// assert_eq!(serde_json::to_string(&p).unwrap(), "{}");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FactorProfile {
    /// The phone number for SMS codes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// The phone's country code, e.g. `+86` (Authing's default). International SMS
    /// needs a provider configured in the console.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_country_code: Option<String>,
    /// The e-mail address for e-mailed codes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// What [`SendEnrollFactorRequest`] answers.
///
/// ```
/// let json = r#"{"enrollmentToken":"T","otpData":{"qrCodeUri":"otpauth://totp/p:u?secret=S",
///     "qrCodeDataUrl":"data:image/png;base64,AA","recoveryCode":"r"}}"#;
/// let started: authing_mfa::EnrollmentStarted = serde_json::from_str(json).unwrap();
/// assert_eq!(started.enrollment_token.expose(), "T");
/// assert!(!format!("{started:?}").contains("secret=S"));
/// ```
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EnrollmentStarted {
    /// Passed to the enroll-factor endpoint with the user's proof; valid one minute.
    pub enrollment_token: Secret,
    /// For OTP only: what the user's authenticator app needs.
    #[serde(default)]
    pub otp_data: Option<OtpEnrollment>,
}

/// What an authenticator app needs to enroll: all of it is secret, since the URI and
/// the QR code both carry the OTP secret.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OtpEnrollment {
    /// `otpauth://totp/<pool>:<user>?secret=…&period=30&digits=6&algorithm=SHA1&issuer=<pool>`.
    pub qr_code_uri: Secret,
    /// The same URI as a QR code: a `data:image/png;base64,…` URL.
    pub qr_code_data_url: Secret,
    /// The recovery code that can stand in for a one-time password once.
    pub recovery_code: Secret,
}
