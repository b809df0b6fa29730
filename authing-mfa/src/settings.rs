//! Which MFA factors the user pool and its applications offer: management side.

use authing_core::endpoint;
use serde::{Deserialize, Serialize};

use crate::{FactorType, lenient};

/// The factors enabled, as the settings endpoints answer them.
///
/// ```
/// use authing_mfa::{FactorType, MfaSettings};
/// let s: MfaSettings = serde_json::from_str(r#"{"enabledFactors":["OTP","SMS"]}"#).unwrap();
/// assert_eq!(s.enabled_factors, [FactorType::Otp, FactorType::Sms]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MfaSettings {
    /// The enabled factors; one value decodes as a list of one, none as empty.
    #[serde(default, deserialize_with = "lenient::one_or_many")]
    pub enabled_factors: Vec<FactorType>,
}

/// Reads the user pool's global MFA settings.
///
/// ```no_run
/// use authing_mfa::{FactorType, GetGlobalMfaSettings};
/// # async fn run(client: authing_core::ManagementClient) -> Result<(), authing_core::Error> {
/// let settings = client.send(&GetGlobalMfaSettings).await?;
/// let otp_on = settings.enabled_factors.contains(&FactorType::Otp);
/// # let _ = otp_on;
/// # Ok(())
/// # }
/// ```
#[endpoint(GET, "/api/v3/get-global-mfa-settings", response = MfaSettings)]
#[derive(Debug, Clone, Copy)]
pub struct GetGlobalMfaSettings;

/// Sets the factors the user pool enables globally; Authing answers the new settings.
///
/// ```no_run
/// use authing_mfa::{FactorType, UpdateGlobalMfaSettings};
/// # async fn run(client: authing_core::ManagementClient) -> Result<(), authing_core::Error> {
/// let update = UpdateGlobalMfaSettings::new(vec![FactorType::Otp, FactorType::Email]);
/// let now = client.send(&update).await?;
/// assert!(now.enabled_factors.contains(&FactorType::Otp));
/// # Ok(())
/// # }
/// ```
#[endpoint(POST, "/api/v3/update-global-mfa-settings", response = MfaSettings)]
#[derive(Debug, Clone)]
pub struct UpdateGlobalMfaSettings {
    /// The factors to enable.
    pub enabled_factors: Vec<FactorType>,
}

impl UpdateGlobalMfaSettings {
    /// Enables `factors`.
    ///
    /// ```
    /// use authing_mfa::{FactorType, UpdateGlobalMfaSettings};
    /// let update = UpdateGlobalMfaSettings::new(vec![FactorType::Otp]);
    /// assert_eq!(update.enabled_factors, [FactorType::Otp]);
    /// ```
    pub fn new(factors: Vec<FactorType>) -> Self {
        Self {
            enabled_factors: factors,
        }
    }
}

/// Disables factors globally; Authing answers the new settings.
///
/// The wire field is `disableFactors` (not `disabledFactors`), as the official Node SDK
/// sends it.
///
/// ```no_run
/// use authing_mfa::{DisableGlobalMfaSettings, FactorType};
/// # async fn run(client: authing_core::ManagementClient) -> Result<(), authing_core::Error> {
/// let now = client.send(&DisableGlobalMfaSettings::new(vec![FactorType::Sms])).await?;
/// assert!(!now.enabled_factors.contains(&FactorType::Sms));
/// # Ok(())
/// # }
/// ```
#[endpoint(POST, "/api/v3/disable-global-mfa-settings", response = MfaSettings)]
#[derive(Debug, Clone)]
pub struct DisableGlobalMfaSettings {
    /// The factors to disable.
    pub disable_factors: Vec<FactorType>,
}

impl DisableGlobalMfaSettings {
    /// Disables `factors`.
    ///
    /// ```
    /// use authing_mfa::{DisableGlobalMfaSettings, FactorType};
    /// let off = DisableGlobalMfaSettings::new(vec![FactorType::Face]);
    /// assert_eq!(off.disable_factors, [FactorType::Face]);
    /// ```
    pub fn new(factors: Vec<FactorType>) -> Self {
        Self {
            disable_factors: factors,
        }
    }
}

/// Enables and disables factors for one application; Authing answers its new settings.
///
/// ```no_run
/// use authing_mfa::{FactorType, UpdateApplicationMfaSettings};
/// # async fn run(client: authing_core::ManagementClient) -> Result<(), authing_core::Error> {
/// let update = UpdateApplicationMfaSettings::new("APP_ID")
///     .enable(FactorType::Otp)
///     .disable(FactorType::Sms);
/// let now = client.send(&update).await?;
/// # let _ = now;
/// # Ok(())
/// # }
/// ```
#[endpoint(POST, "/api/v3/update-application-mfa-settings", response = MfaSettings)]
#[derive(Debug, Clone)]
pub struct UpdateApplicationMfaSettings {
    /// The application's id.
    pub app_id: String,
    /// Factors to enable; left out when `None`.
    pub enabled_factors: Option<Vec<FactorType>>,
    /// Factors to disable; left out when `None`.
    pub disabled_factors: Option<Vec<FactorType>>,
}

impl UpdateApplicationMfaSettings {
    /// Changes nothing yet for application `app_id`; add factors with
    /// [`enable`](Self::enable) and [`disable`](Self::disable).
    ///
    /// ```
    /// let update = authing_mfa::UpdateApplicationMfaSettings::new("app1");
    /// assert!(update.enabled_factors.is_none() && update.disabled_factors.is_none());
    /// ```
    pub fn new(app_id: impl Into<String>) -> Self {
        Self {
            app_id: app_id.into(),
            enabled_factors: None,
            disabled_factors: None,
        }
    }

    /// Adds `factor` to those to enable.
    ///
    /// ```
    /// use authing_mfa::{FactorType, UpdateApplicationMfaSettings};
    /// let update = UpdateApplicationMfaSettings::new("app1").enable(FactorType::Otp);
    /// assert_eq!(update.enabled_factors, Some(vec![FactorType::Otp]));
    /// ```
    pub fn enable(mut self, factor: FactorType) -> Self {
        self.enabled_factors
            .get_or_insert_with(Vec::new)
            .push(factor);
        self
    }

    /// Adds `factor` to those to disable.
    ///
    /// ```
    /// use authing_mfa::{FactorType, UpdateApplicationMfaSettings};
    /// let update = UpdateApplicationMfaSettings::new("app1").disable(FactorType::Face);
    /// assert_eq!(update.disabled_factors, Some(vec![FactorType::Face]));
    /// ```
    pub fn disable(mut self, factor: FactorType) -> Self {
        self.disabled_factors
            .get_or_insert_with(Vec::new)
            .push(factor);
        self
    }
}
