//! A user's MFA state, read and set by the user pool: management side.

use authing_core::{Secret, endpoint};
use serde::{Deserialize, Serialize};

use crate::{UserIdType, lenient};

/// Reads which MFA factors a user has bound.
///
/// ```no_run
/// use authing_mfa::GetUserMfaInfo;
/// # async fn run(client: authing_core::ManagementClient) -> Result<(), authing_core::Error> {
/// let info = client.send(&GetUserMfaInfo::new("6229ffaxxxxxxxxcade3e3d9")).await?;
/// if !info.totp {
///     println!("no authenticator app bound yet");
/// }
/// # Ok(())
/// # }
/// ```
#[endpoint(GET, "/api/v3/get-user-mfa-info", response = UserMfaInfo, sensitive)]
#[derive(Debug, Clone)]
pub struct GetUserMfaInfo {
    /// The user's id, of the kind `user_id_type` says.
    pub user_id: String,
    /// What kind of id `user_id` is; sent always, `user_id` by default.
    pub user_id_type: UserIdType,
}

impl GetUserMfaInfo {
    /// Looks the user up by Authing user id.
    ///
    /// ```
    /// let get = authing_mfa::GetUserMfaInfo::new("u1");
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
    /// use authing_mfa::{GetUserMfaInfo, UserIdType};
    /// let get = GetUserMfaInfo::new("a@example.com").id_type(UserIdType::Email);
    /// assert_eq!(get.user_id_type, UserIdType::Email);
    /// ```
    pub fn id_type(mut self, user_id_type: UserIdType) -> Self {
        self.user_id_type = user_id_type;
        self
    }
}

/// Which factors a user has bound, as [`GetUserMfaInfo`] answers it.
///
/// Authing's types say each status is the string `"enabled"` or `"disabled"`; its
/// documented examples show `true`/`false`. Both decode, to `true` for enabled; a status
/// that is absent decodes as `false`.
///
/// ```
/// let json = r#"{"totpStatus":"enabled","faceMfaStatus":"disabled","smsMfaStatus":true}"#;
/// let info: authing_mfa::UserMfaInfo = serde_json::from_str(json).unwrap();
/// assert!(info.totp && info.sms);
/// assert!(!info.face && !info.email);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct UserMfaInfo {
    /// An authenticator app (TOTP) is bound.
    #[serde(rename = "totpStatus", default, deserialize_with = "lenient::enabled")]
    pub totp: bool,
    /// Face recognition is bound.
    #[serde(
        rename = "faceMfaStatus",
        default,
        deserialize_with = "lenient::enabled"
    )]
    pub face: bool,
    /// SMS codes are bound.
    #[serde(
        rename = "smsMfaStatus",
        default,
        deserialize_with = "lenient::enabled"
    )]
    pub sms: bool,
    /// E-mailed codes are bound.
    #[serde(
        rename = "emailMfaStatus",
        default,
        deserialize_with = "lenient::enabled"
    )]
    pub email: bool,
}

/// A user's MFA trigger data: the MFA token, where codes go, and the MFA policies of
/// each application. [`GetMfaStatus`] and [`GetMfaTriggerData`] answer it;
/// [`SetMfaStatus`] sends it.
///
/// ```
/// let data = authing_mfa::MfaTriggerData::new("MFA_TOKEN");
/// let json = serde_json::to_value(&data).unwrap();
/// assert_eq!(json, serde_json::json!({"mfaToken": "MFA_TOKEN", "applicationMfa": []}));
/// assert!(!format!("{data:?}").contains("MFA_TOKEN"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MfaTriggerData {
    /// The MFA token; it proves a first factor passed, so it is kept secret.
    pub mfa_token: Secret,
    /// The phone number SMS codes go to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_phone: Option<String>,
    /// That phone's country code, e.g. `+86`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_phone_country_code: Option<String>,
    /// The address e-mailed codes go to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_email: Option<String>,
    /// The user's nickname.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    /// The user's username.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The user's phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// The user's phone's country code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_country_code: Option<String>,
    /// Face recognition is enabled for the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face_mfa_enabled: Option<bool>,
    /// An authenticator app (TOTP) is enabled for the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totp_mfa_enabled: Option<bool>,
    /// The MFA policy of each application; one object decodes as a list of one.
    #[serde(default, deserialize_with = "lenient::one_or_many")]
    pub application_mfa: Vec<ApplicationMfa>,
}

impl MfaTriggerData {
    /// Trigger data with only the MFA token set; fill the rest as needed.
    ///
    /// ```
    /// let mut data = authing_mfa::MfaTriggerData::new("T");
    /// data.mfa_email = Some("a@example.com".into());
    /// assert_eq!(data.mfa_token.expose(), "T");
    /// ```
    pub fn new(mfa_token: impl Into<Secret>) -> Self {
        Self {
            mfa_token: mfa_token.into(),
            mfa_phone: None,
            mfa_phone_country_code: None,
            mfa_email: None,
            nickname: None,
            username: None,
            phone: None,
            phone_country_code: None,
            face_mfa_enabled: None,
            totp_mfa_enabled: None,
            application_mfa: Vec::new(),
        }
    }
}

/// One application's MFA policy for a user.
///
/// ```
/// let json = r#"{"mfaPolicy":"OTP","status":1,"sort":0}"#;
/// let policy: authing_mfa::ApplicationMfa = serde_json::from_str(json).unwrap();
/// assert_eq!((policy.mfa_policy.as_str(), policy.status), ("OTP", 1));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ApplicationMfa {
    /// The policy, named as Authing names it (e.g. a factor type such as `OTP`).
    pub mfa_policy: String,
    /// The policy's status, a number Authing does not document further.
    pub status: i64,
    /// The policy's position in the order factors are offered.
    pub sort: i64,
}

impl ApplicationMfa {
    /// A policy with its status and position.
    ///
    /// ```
    /// let p = authing_mfa::ApplicationMfa::new("OTP", 1, 0);
    /// assert_eq!(p.sort, 0);
    /// ```
    pub fn new(mfa_policy: impl Into<String>, status: i64, sort: i64) -> Self {
        Self {
            mfa_policy: mfa_policy.into(),
            status,
            sort,
        }
    }
}

/// Sets a user's MFA trigger data (Authing's "set user MFA status").
///
/// ```no_run
/// use authing_mfa::{MfaTriggerData, SetMfaStatus};
/// # async fn run(client: authing_core::ManagementClient) -> Result<(), authing_core::Error> {
/// let mut data = MfaTriggerData::new("MFA_TOKEN");
/// data.totp_mfa_enabled = Some(true);
/// let done = client.send(&SetMfaStatus::new("6229ffaxxxxxxxxcade3e3d9", data)).await?;
/// assert!(done.success);
/// # Ok(())
/// # }
/// ```
#[endpoint(POST, "/api/v3/set-mfa-status", response = Success, sensitive)]
#[derive(Debug, Clone)]
pub struct SetMfaStatus {
    /// The trigger data to store.
    pub mfa_trigger_data: MfaTriggerData,
    /// The user's id, of the kind `user_id_type` says.
    pub user_id: String,
    /// What kind of id `user_id` is; left out (Authing's default, `user_id`) when `None`.
    pub user_id_type: Option<UserIdType>,
}

impl SetMfaStatus {
    /// Sets `data` for the user with Authing user id `user_id`.
    ///
    /// ```
    /// let set = authing_mfa::SetMfaStatus::new("u1", authing_mfa::MfaTriggerData::new("T"));
    /// assert_eq!(set.user_id_type, None);
    /// ```
    pub fn new(user_id: impl Into<String>, data: MfaTriggerData) -> Self {
        Self {
            mfa_trigger_data: data,
            user_id: user_id.into(),
            user_id_type: None,
        }
    }

    /// Names the user by another kind of id.
    ///
    /// ```
    /// use authing_mfa::{MfaTriggerData, SetMfaStatus, UserIdType};
    /// let set = SetMfaStatus::new("alice", MfaTriggerData::new("T")).id_type(UserIdType::Username);
    /// assert_eq!(set.user_id_type, Some(UserIdType::Username));
    /// ```
    pub fn id_type(mut self, user_id_type: UserIdType) -> Self {
        self.user_id_type = Some(user_id_type);
        self
    }
}

/// Whether a call that answers only that did what it was asked.
///
/// ```
/// let ok: authing_mfa::Success = serde_json::from_str(r#"{"success":true}"#).unwrap();
/// assert!(ok.success);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Success {
    /// `true` when it did.
    pub success: bool,
}

/// Reads a user's MFA trigger data (Authing's "get user MFA status").
///
/// ```no_run
/// use authing_mfa::GetMfaStatus;
/// # async fn run(client: authing_core::ManagementClient) -> Result<(), authing_core::Error> {
/// let data = client.send(&GetMfaStatus::new("6229ffaxxxxxxxxcade3e3d9")).await?;
/// println!("{} application policies", data.application_mfa.len());
/// # Ok(())
/// # }
/// ```
#[endpoint(GET, "/api/v3/get-mfa-status", response = MfaTriggerData, sensitive)]
#[derive(Debug, Clone)]
pub struct GetMfaStatus {
    /// The user's id, of the kind `user_id_type` says.
    pub user_id: String,
    /// What kind of id `user_id` is; sent always, `user_id` by default.
    pub user_id_type: UserIdType,
}

impl GetMfaStatus {
    /// Looks the user up by Authing user id.
    ///
    /// ```
    /// assert_eq!(authing_mfa::GetMfaStatus::new("u1").user_id, "u1");
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
    /// use authing_mfa::{GetMfaStatus, UserIdType};
    /// let get = GetMfaStatus::new("188xxxx8888").id_type(UserIdType::Phone);
    /// assert_eq!(get.user_id_type, UserIdType::Phone);
    /// ```
    pub fn id_type(mut self, user_id_type: UserIdType) -> Self {
        self.user_id_type = user_id_type;
        self
    }
}

/// Reads a user's MFA trigger data within one application.
///
/// ```no_run
/// use authing_mfa::GetMfaTriggerData;
/// # async fn run(client: authing_core::ManagementClient) -> Result<(), authing_core::Error> {
/// let data = client.send(&GetMfaTriggerData::new("APP_ID", "6229ffaxxxxxxxxcade3e3d9")).await?;
/// println!("TOTP enabled: {:?}", data.totp_mfa_enabled);
/// # Ok(())
/// # }
/// ```
#[endpoint(GET, "/api/v3/get-mfa-trigger-data", response = MfaTriggerData, sensitive)]
#[derive(Debug, Clone)]
pub struct GetMfaTriggerData {
    /// The application's id.
    pub app_id: String,
    /// The user's id, of the kind `user_id_type` says.
    pub user_id: String,
    /// What kind of id `user_id` is; sent always, `user_id` by default.
    pub user_id_type: UserIdType,
}

impl GetMfaTriggerData {
    /// Looks the user up by Authing user id, within application `app_id`.
    ///
    /// ```
    /// let get = authing_mfa::GetMfaTriggerData::new("app1", "u1");
    /// assert_eq!((get.app_id.as_str(), get.user_id.as_str()), ("app1", "u1"));
    /// ```
    pub fn new(app_id: impl Into<String>, user_id: impl Into<String>) -> Self {
        Self {
            app_id: app_id.into(),
            user_id: user_id.into(),
            user_id_type: UserIdType::UserId,
        }
    }

    /// Looks the user up by another kind of id.
    ///
    /// ```
    /// use authing_mfa::{GetMfaTriggerData, UserIdType};
    /// let get = GetMfaTriggerData::new("app1", "alice").id_type(UserIdType::Username);
    /// assert_eq!(get.user_id_type, UserIdType::Username);
    /// ```
    pub fn id_type(mut self, user_id_type: UserIdType) -> Self {
        self.user_id_type = user_id_type;
        self
    }
}
