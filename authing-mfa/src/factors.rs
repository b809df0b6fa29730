//! Finishing an enrollment, and the signed-in user's bound factors: authentication side.

use authing_core::{Secret, endpoint};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{FactorType, lenient};

/// Finishes enrolling the signed-in user in a factor: the enrollment token that
/// [`SendEnrollFactorRequest`](crate::SendEnrollFactorRequest) answered (valid one
/// minute) with the user's proof. Authing answers no data; a wrong code fails the call
/// (apiCode 6001 for a wrong OTP code).
///
/// ```no_run
/// use authing_mfa::{EnrollFactor, SendEnrollFactorRequest, Totp};
/// # async fn run(user: authing_core::AuthenticationClient) -> Result<(), Box<dyn std::error::Error>> {
/// let started = user.send(&SendEnrollFactorRequest::otp()).await?;
/// let otp = started.otp_data.ok_or("no otpData")?;
/// // What the user's authenticator app shows after scanning the QR code:
/// let code = Totp::from_uri(otp.qr_code_uri.expose())?.code_now();
/// user.send(&EnrollFactor::otp(started.enrollment_token, code)).await?;
/// # Ok(())
/// # }
/// ```
#[endpoint(POST, "/api/v3/enroll-factor", response = (), side = authentication, sensitive)]
#[derive(Debug, Clone)]
pub struct EnrollFactor {
    /// The token the enrollment request answered.
    pub enrollment_token: Secret,
    /// The factor being enrolled; the same as in the request.
    pub factor_type: FactorType,
    /// The user's proof.
    pub enrollment_data: EnrollmentData,
}

impl EnrollFactor {
    /// Finishes an OTP enrollment with a code from the user's authenticator app.
    ///
    /// ```
    /// use authing_mfa::{EnrollFactor, FactorType};
    /// let finish = EnrollFactor::otp("TOKEN", "123456");
    /// assert_eq!(finish.factor_type, FactorType::Otp);
    /// assert_eq!(finish.enrollment_data.pass_code.unwrap().expose(), "123456");
    /// ```
    pub fn otp(enrollment_token: impl Into<Secret>, code: impl Into<Secret>) -> Self {
        Self::with_code(enrollment_token, FactorType::Otp, code)
    }

    /// Finishes an SMS enrollment with the code Authing texted.
    ///
    /// ```
    /// let finish = authing_mfa::EnrollFactor::sms("TOKEN", "123456");
    /// assert_eq!(finish.factor_type, authing_mfa::FactorType::Sms);
    /// ```
    pub fn sms(enrollment_token: impl Into<Secret>, code: impl Into<Secret>) -> Self {
        Self::with_code(enrollment_token, FactorType::Sms, code)
    }

    /// Finishes an e-mail enrollment with the code Authing e-mailed.
    ///
    /// ```
    /// let finish = authing_mfa::EnrollFactor::email("TOKEN", "123456");
    /// assert_eq!(finish.factor_type, authing_mfa::FactorType::Email);
    /// ```
    pub fn email(enrollment_token: impl Into<Secret>, code: impl Into<Secret>) -> Self {
        Self::with_code(enrollment_token, FactorType::Email, code)
    }

    /// Finishes a face enrollment with the URL of a photo of the user;
    /// `is_external_photo` says whether the URL is outside Authing's storage.
    ///
    /// ```
    /// let finish = authing_mfa::EnrollFactor::face("TOKEN", "https://example.com/me.jpg", true);
    /// assert_eq!(finish.enrollment_data.is_external_photo, Some(true));
    /// ```
    pub fn face(
        enrollment_token: impl Into<Secret>,
        photo: impl Into<String>,
        is_external_photo: bool,
    ) -> Self {
        Self {
            enrollment_token: enrollment_token.into(),
            factor_type: FactorType::Face,
            enrollment_data: EnrollmentData {
                pass_code: None,
                photo: Some(photo.into()),
                is_external_photo: Some(is_external_photo),
            },
        }
    }

    fn with_code(
        enrollment_token: impl Into<Secret>,
        factor_type: FactorType,
        code: impl Into<Secret>,
    ) -> Self {
        Self {
            enrollment_token: enrollment_token.into(),
            factor_type,
            enrollment_data: EnrollmentData {
                pass_code: Some(code.into()),
                photo: None,
                is_external_photo: None,
            },
        }
    }
}

/// The proof an [`EnrollFactor`] carries: a code for SMS, e-mail and OTP, a photo for
/// face recognition.
///
/// ```
/// let data = authing_mfa::EnrollmentData { pass_code: Some("1".into()), photo: None, is_external_photo: None };
/// assert_eq!(serde_json::to_string(&data).unwrap(), r#"{"passCode":"1"}"#);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnrollmentData {
    /// The SMS, e-mail or OTP code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pass_code: Option<Secret>,
    /// For face recognition: the photo's URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub photo: Option<String>,
    /// For face recognition: the photo is not in Authing's storage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_external_photo: Option<bool>,
}

/// Unbinds one of the signed-in user's factors by its id. Authing answers no data.
///
/// ```no_run
/// use authing_mfa::{ListEnrolledFactors, ResetFactor};
/// # async fn run(user: authing_core::AuthenticationClient) -> Result<(), authing_core::Error> {
/// for factor in user.send(&ListEnrolledFactors).await? {
///     user.send(&ResetFactor::new(factor.factor_id)).await?;
/// }
/// # Ok(())
/// # }
/// ```
#[endpoint(POST, "/api/v3/reset-factor", response = (), side = authentication, sensitive)]
#[derive(Debug, Clone)]
pub struct ResetFactor {
    /// The factor's id, as [`Factor::factor_id`] gives it.
    pub factor_id: String,
}

impl ResetFactor {
    /// Unbinds factor `factor_id`.
    ///
    /// ```
    /// assert_eq!(authing_mfa::ResetFactor::new("f1").factor_id, "f1");
    /// ```
    pub fn new(factor_id: impl Into<String>) -> Self {
        Self {
            factor_id: factor_id.into(),
        }
    }
}

/// Lists the signed-in user's bound factors.
///
/// Authing's types say the answer is an array; its documented example shows one object.
/// Both decode, an object as a list of one, with [`Factors`].
///
/// ```no_run
/// use authing_mfa::{FactorType, ListEnrolledFactors};
/// # async fn run(user: authing_core::AuthenticationClient) -> Result<(), authing_core::Error> {
/// let factors = user.send(&ListEnrolledFactors).await?;
/// let has_otp = factors.iter().any(|f| f.factor_type == FactorType::Otp);
/// # let _ = has_otp;
/// # Ok(())
/// # }
/// ```
#[endpoint(GET, "/api/v3/list-enrolled-factors", response = Factors<Factor>, side = authentication, sensitive)]
#[derive(Debug, Clone, Copy)]
pub struct ListEnrolledFactors;

/// A list answered by an endpoint whose documentation shows one object where its type
/// says an array: both decode. It dereferences to a slice and iterates as a `Vec`.
///
/// ```
/// use authing_mfa::{Factor, Factors};
/// let one: Factors<Factor> =
///     serde_json::from_str(r#"{"factorId":"f1","factorType":"OTP","profile":{}}"#).unwrap();
/// assert_eq!(one.len(), 1);
/// let many: Factors<Factor> = serde_json::from_str("[]").unwrap();
/// assert!(many.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Factors<T>(pub Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Factors<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        lenient::one_or_many(deserializer).map(Factors)
    }
}

impl<T> std::ops::Deref for Factors<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<T> IntoIterator for Factors<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Factors<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// One bound factor, as [`ListEnrolledFactors`] and [`GetFactor`] answer it.
///
/// ```
/// let json = r#"{"factorId":"f1","factorType":"SMS","profile":{"phoneNumber":"188xxxx8888"}}"#;
/// let factor: authing_mfa::Factor = serde_json::from_str(json).unwrap();
/// assert_eq!(factor.profile["phoneNumber"], "188xxxx8888");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Factor {
    /// The factor's id, for [`GetFactor`] and [`ResetFactor`].
    pub factor_id: String,
    /// What kind of factor it is.
    pub factor_type: FactorType,
    /// Where its codes go (phone, e-mail), as Authing answers it; Authing types it as
    /// any JSON value. `Value::Null` when absent.
    #[serde(default)]
    pub profile: Value,
}

/// Reads one of the signed-in user's bound factors by its id.
///
/// ```no_run
/// use authing_mfa::GetFactor;
/// # async fn run(user: authing_core::AuthenticationClient) -> Result<(), authing_core::Error> {
/// let factor = user.send(&GetFactor::new("FACTOR_ID")).await?;
/// println!("{:?}", factor.factor_type);
/// # Ok(())
/// # }
/// ```
#[endpoint(GET, "/api/v3/get-factor", response = Factor, side = authentication, sensitive)]
#[derive(Debug, Clone)]
pub struct GetFactor {
    /// The factor's id.
    pub factor_id: String,
}

impl GetFactor {
    /// Reads factor `factor_id`.
    ///
    /// ```
    /// assert_eq!(authing_mfa::GetFactor::new("f1").factor_id, "f1");
    /// ```
    pub fn new(factor_id: impl Into<String>) -> Self {
        Self {
            factor_id: factor_id.into(),
        }
    }
}

/// Lists the factors the application enables that the signed-in user has not bound.
///
/// Authing's types say an array; its documented example shows one object. Both decode.
///
/// ```no_run
/// use authing_mfa::ListFactorsToEnroll;
/// # async fn run(user: authing_core::AuthenticationClient) -> Result<(), authing_core::Error> {
/// for offer in &user.send(&ListFactorsToEnroll).await? {
///     println!("may enroll {:?}", offer.factor_type);
/// }
/// # Ok(())
/// # }
/// ```
#[endpoint(GET, "/api/v3/list-factors-to-enroll", response = Factors<FactorToEnroll>, side = authentication)]
#[derive(Debug, Clone, Copy)]
pub struct ListFactorsToEnroll;

/// A factor the user may still enroll.
///
/// ```
/// let offer: authing_mfa::FactorToEnroll = serde_json::from_str(r#"{"factorType":"EMAIL"}"#).unwrap();
/// assert_eq!(offer.factor_type, authing_mfa::FactorType::Email);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FactorToEnroll {
    /// The factor's type.
    pub factor_type: FactorType,
}

/// Checks a TOTP code against the OTP factor the signed-in user has bound.
///
/// ```no_run
/// use authing_mfa::MfaTotpVerify;
/// # async fn run(user: authing_core::AuthenticationClient) -> Result<(), authing_core::Error> {
/// let answer = user.send(&MfaTotpVerify::new("123456")).await?;
/// if !answer.verified {
///     println!("wrong code");
/// }
/// # Ok(())
/// # }
/// ```
#[endpoint(POST, "/api/v3/mfa-totp-verify", response = TotpVerified, side = authentication, sensitive)]
#[derive(Debug, Clone)]
pub struct MfaTotpVerify {
    /// The code from the user's authenticator app.
    pub totp: Secret,
}

impl MfaTotpVerify {
    /// Checks `code`.
    ///
    /// ```
    /// assert_eq!(authing_mfa::MfaTotpVerify::new("123456").totp.expose(), "123456");
    /// ```
    pub fn new(code: impl Into<Secret>) -> Self {
        Self { totp: code.into() }
    }
}

/// What [`MfaTotpVerify`] answers.
///
/// ```
/// let v: authing_mfa::TotpVerified = serde_json::from_str(r#"{"verified":true}"#).unwrap();
/// assert!(v.verified);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct TotpVerified {
    /// Whether the code was right.
    pub verified: bool,
}
