//! Importing and reading users' OTP (TOTP) secrets: management side.

use authing_core::{Secret, endpoint};
use serde::{Deserialize, Serialize};

use crate::UserIdType;

/// Imports OTP (TOTP) secrets for existing users, e.g. when moving them from another
/// authenticator so their authenticator apps keep working.
///
/// Authing answers no data. A user that does not exist fails the call with apiCode 2004.
///
/// Declared `idempotent`: importing the same secrets again leaves every user as the
/// first import did, so the transport may retry it after a timeout or a 5xx.
///
/// ```no_run
/// use authing_mfa::{ImportOtp, ImportOtpItem};
/// # async fn run(client: authing_core::ManagementClient) -> Result<(), authing_core::Error> {
/// let import = ImportOtp::new(vec![
///     ImportOtpItem::new("635215b413xxxxf5f63c511a", "HZ2F6J3AGNAVSOTV")
///         .with_recovery_code("b471-8ec0-874a-087f-bccb-cd54"),
/// ]);
/// client.send(&import).await?;
/// # Ok(())
/// # }
/// ```
#[endpoint(POST, "/api/v3/import-otp", response = (), idempotent, sensitive)]
#[derive(Debug, Clone)]
pub struct ImportOtp {
    /// The users and their OTP data.
    pub list: Vec<ImportOtpItem>,
}

impl ImportOtp {
    /// Imports `list`.
    ///
    /// ```
    /// let import = authing_mfa::ImportOtp::new(vec![]);
    /// assert!(import.list.is_empty());
    /// ```
    pub fn new(list: Vec<ImportOtpItem>) -> Self {
        Self { list }
    }
}

/// One user's OTP data in an [`ImportOtp`].
///
/// ```
/// let item = authing_mfa::ImportOtpItem::new("user-1", "HZ2F6J3AGNAVSOTV");
/// assert_eq!(item.user_id, "user-1");
/// assert!(format!("{item:?}").contains("REDACTED"));
/// ```
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportOtpItem {
    /// The user's Authing id.
    pub user_id: String,
    /// The OTP secret and recovery code.
    pub otp: OtpData,
}

impl ImportOtpItem {
    /// A user's OTP secret (base32, e.g. `HZ2F6J3AGNAVSOTV`) with no recovery code.
    pub fn new(user_id: impl Into<String>, secret: impl Into<Secret>) -> Self {
        Self {
            user_id: user_id.into(),
            otp: OtpData {
                secret: secret.into(),
                recovery_code: None,
            },
        }
    }

    /// Adds the user's recovery code, e.g. `b471-8ec0-874a-087f-bccb-cd54`.
    ///
    /// ```
    /// let item = authing_mfa::ImportOtpItem::new("u", "S").with_recovery_code("r");
    /// assert!(item.otp.recovery_code.is_some());
    /// ```
    pub fn with_recovery_code(mut self, code: impl Into<Secret>) -> Self {
        self.otp.recovery_code = Some(code.into());
        self
    }
}

/// An OTP secret and its optional recovery code.
///
/// ```
/// let data = authing_mfa::OtpData { secret: "S".into(), recovery_code: None };
/// assert_eq!(serde_json::to_string(&data).unwrap(), r#"{"secret":"S"}"#);
/// ```
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OtpData {
    /// The OTP secret, base32.
    pub secret: Secret,
    /// The recovery code that can stand in for a one-time password once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery_code: Option<Secret>,
}

/// Reads the OTP secret a user has bound, by any kind of user id.
///
/// A user without OTP, or one that does not exist, fails the call with statusCode 404.
///
/// ```no_run
/// use authing_mfa::{GetOtpSecretByUser, UserIdType};
/// # async fn run(client: authing_core::ManagementClient) -> Result<(), authing_core::Error> {
/// let by_phone = GetOtpSecretByUser::new("188xxxx8888").id_type(UserIdType::Phone);
/// let otp = client.send(&by_phone).await?;
/// println!("{}", otp.secret.masked());
/// # Ok(())
/// # }
/// ```
#[endpoint(GET, "/api/v3/get-otp-secret-by-user", response = OtpSecret, sensitive)]
#[derive(Debug, Clone)]
pub struct GetOtpSecretByUser {
    /// The user's id, of the kind `user_id_type` says.
    pub user_id: String,
    /// What kind of id `user_id` is; sent always, `user_id` by default.
    pub user_id_type: UserIdType,
}

impl GetOtpSecretByUser {
    /// Looks the user up by Authing user id.
    ///
    /// ```
    /// let get = authing_mfa::GetOtpSecretByUser::new("u1");
    /// assert_eq!(get.user_id_type, authing_mfa::UserIdType::UserId);
    /// ```
    pub fn new(user_id: impl Into<String>) -> Self {
        Self {
            user_id: user_id.into(),
            user_id_type: UserIdType::UserId,
        }
    }

    /// Looks the user up by another kind of id.
    ///
    /// ```
    /// use authing_mfa::{GetOtpSecretByUser, UserIdType};
    /// let get = GetOtpSecretByUser::new("a@example.com").id_type(UserIdType::Email);
    /// assert_eq!(get.user_id_type, UserIdType::Email);
    /// ```
    pub fn id_type(mut self, user_id_type: UserIdType) -> Self {
        self.user_id_type = user_id_type;
        self
    }
}

/// A user's OTP secret, as [`GetOtpSecretByUser`] answers it.
///
/// ```
/// let otp: authing_mfa::OtpSecret = serde_json::from_str(r#"{"secret":"S"}"#).unwrap();
/// assert_eq!(otp.secret.expose(), "S");
/// assert_eq!(format!("{otp:?}"), "OtpSecret { secret: Secret([REDACTED]) }");
/// ```
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct OtpSecret {
    /// The OTP secret, base32.
    pub secret: Secret,
}
