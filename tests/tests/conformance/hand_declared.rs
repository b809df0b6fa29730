//! Endpoints declared by hand (`inventory/hand-declared.tsv`), built from the official
//! SDK method's arguments through their public constructors and fields, so the test
//! checks the API a user calls, not a back door.

use authing_core::{AuthenticationEndpoint, ManagementEndpoint};
use authing_mfa::{
    DisableGlobalMfaSettings, EnrollFactor, EnrollmentData, FactorProfile, GetFactor,
    GetGlobalMfaSettings, GetMfaStatus, GetMfaTriggerData, GetOtpSecretByUser, GetUserMfaInfo,
    ImportOtp, ImportOtpItem, IntrospectMfaToken, ListEnrolledFactors, ListFactorsToEnroll,
    MfaTotpVerify, ResetFactor, SendEnrollFactorRequest, SetMfaStatus,
    UpdateApplicationMfaSettings, UpdateGlobalMfaSettings, WebauthnMfaBindInitialize,
    WebauthnMfaVerifyInitialize,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{Call, Clients, Fixture, signin};

/// The call for `fixture` when a hand-declared endpoint answers its SDK method.
pub(crate) fn call<'a>(
    clients: &'a Clients,
    fixture: &Fixture,
) -> Option<Result<Call<'a>, String>> {
    if let Some(call) = signin::call(clients, fixture) {
        return Some(call);
    }
    let args = Args(&fixture.args);
    let m = Management(clients);
    let a = Authentication(clients);
    Some(match (fixture.side.as_str(), fixture.sdk_method.as_str()) {
        ("management", "importOtp") => m.call(import_otp(args)),
        ("management", "getOtpSecretByUser") => m.call(by_user(
            args,
            GetOtpSecretByUser::new,
            GetOtpSecretByUser::id_type,
        )),
        ("management", "getUserMfaInfo") => {
            m.call(by_user(args, GetUserMfaInfo::new, GetUserMfaInfo::id_type))
        }
        ("management", "getUserMfaStatus") => {
            m.call(by_user(args, GetMfaStatus::new, GetMfaStatus::id_type))
        }
        ("management", "getMfaTriggerData") => m.call(get_mfa_trigger_data(args)),
        ("management", "setUsersMfaStatus") => m.call(set_mfa_status(args)),
        ("management", "getGlobalMfaSettings") => m.call(Ok(GetGlobalMfaSettings)),
        ("management", "updateGlobalMfaSettings") => m.call(
            args.first()
                .and_then(|a| a.field("enabledFactors")?.decode())
                .map(UpdateGlobalMfaSettings::new),
        ),
        ("management", "closeGlobalMfaSettings") => m.call(
            args.first()
                .and_then(|a| a.field("disableFactors")?.decode())
                .map(DisableGlobalMfaSettings::new),
        ),
        ("management", "updateApplicationMfaSettings") => {
            m.call(update_application_mfa_settings(args))
        }
        ("authentication", "sendEnrollFactorRequest") => a.call(send_enroll_factor_request(args)),
        ("authentication", "enrollFactor") => a.call(enroll_factor(args)),
        ("authentication", "resetFactor") => a.call(
            args.first()
                .and_then(|a| a.string("factorId"))
                .map(ResetFactor::new),
        ),
        ("authentication", "getFactor") => a.call(
            args.first()
                .and_then(|a| a.string("factorId"))
                .map(GetFactor::new),
        ),
        ("authentication", "listEnrolledFactors") => a.call(Ok(ListEnrolledFactors)),
        ("authentication", "listFactorsToEnroll") => a.call(Ok(ListFactorsToEnroll)),
        ("authentication", "mfaOtpVerify") => a.call(
            args.first()
                .and_then(|a| a.string("totp"))
                .map(MfaTotpVerify::new),
        ),
        ("authentication", "verifyMfaToken") => a.call(
            args.first()
                .and_then(|a| a.string("token"))
                .map(IntrospectMfaToken::new),
        ),
        ("authentication", "webAuthnMfaBindInitialize") => a.call(Ok(WebauthnMfaBindInitialize)),
        ("authentication", "webAuthnMfaVerifyInitalize") => a.call(Ok(WebauthnMfaVerifyInitialize)),
        _ => return None,
    })
}

/// Sends built endpoints through the management client.
struct Management<'a>(&'a Clients);

impl<'a> Management<'a> {
    fn call<E: ManagementEndpoint + 'a>(
        &self,
        built: Result<E, String>,
    ) -> Result<Call<'a>, String> {
        let clients = self.0;
        built.map(|endpoint| -> Call<'a> {
            Box::pin(async move {
                clients
                    .management
                    .send(&endpoint)
                    .await
                    .map(drop)
                    .map_err(|e| e.to_string())
            })
        })
    }
}

/// Sends built endpoints through the authentication client.
pub(crate) struct Authentication<'a>(pub(crate) &'a Clients);

impl<'a> Authentication<'a> {
    pub(crate) fn call<E: AuthenticationEndpoint + 'a>(
        &self,
        built: Result<E, String>,
    ) -> Result<Call<'a>, String> {
        let clients = self.0;
        built.map(|endpoint| -> Call<'a> {
            Box::pin(async move {
                clients
                    .authentication
                    .send(&endpoint)
                    .await
                    .map(drop)
                    .map_err(|e| e.to_string())
            })
        })
    }
}

fn import_otp(args: Args<'_>) -> Result<ImportOtp, String> {
    let list = args.first()?.field("list")?.array()?;
    let items = list
        .iter()
        .map(|item| {
            let otp = item.field("otp")?;
            let mut built = ImportOtpItem::new(item.string("userId")?, otp.string("secret")?);
            if let Some(code) = otp.optional_string("recoveryCode")? {
                built = built.with_recovery_code(code);
            }
            Ok(built)
        })
        .collect::<Result<_, String>>()?;
    Ok(ImportOtp::new(items))
}

/// A management read of one user: `{userId, userIdType}`.
fn by_user<E, T: DeserializeOwned>(
    args: Args<'_>,
    new: impl FnOnce(String) -> E,
    id_type: impl FnOnce(E, T) -> E,
) -> Result<E, String> {
    let fields = args.first()?;
    let built = new(fields.string("userId")?);
    Ok(match fields.optional("userIdType") {
        Some(kind) => id_type(built, kind.decode()?),
        None => built,
    })
}

fn get_mfa_trigger_data(args: Args<'_>) -> Result<GetMfaTriggerData, String> {
    let fields = args.first()?;
    let built = GetMfaTriggerData::new(fields.string("appId")?, fields.string("userId")?);
    Ok(match fields.optional("userIdType") {
        Some(kind) => built.id_type(kind.decode()?),
        None => built,
    })
}

fn set_mfa_status(args: Args<'_>) -> Result<SetMfaStatus, String> {
    let body = args.first()?;
    let built = SetMfaStatus::new(
        body.string("userId")?,
        body.field("mfaTriggerData")?.decode()?,
    );
    Ok(match body.optional("userIdType") {
        Some(kind) => built.id_type(kind.decode()?),
        None => built,
    })
}

fn update_application_mfa_settings(args: Args<'_>) -> Result<UpdateApplicationMfaSettings, String> {
    let body = args.first()?;
    let mut built = UpdateApplicationMfaSettings::new(body.string("appId")?);
    if let Some(factors) = body.optional("enabledFactors") {
        built.enabled_factors = Some(factors.decode()?);
    }
    if let Some(factors) = body.optional("disabledFactors") {
        built.disabled_factors = Some(factors.decode()?);
    }
    Ok(built)
}

fn send_enroll_factor_request(args: Args<'_>) -> Result<SendEnrollFactorRequest, String> {
    let body = args.first()?;
    let profile = body.field("profile")?;
    Ok(SendEnrollFactorRequest {
        profile: FactorProfile {
            phone_number: profile.optional_string("phoneNumber")?,
            phone_country_code: profile.optional_string("phoneCountryCode")?,
            email: profile.optional_string("email")?,
        },
        factor_type: body.field("factorType")?.decode()?,
    })
}

fn enroll_factor(args: Args<'_>) -> Result<EnrollFactor, String> {
    let body = args.first()?;
    let data = body.field("enrollmentData")?;
    Ok(EnrollFactor {
        enrollment_token: body.string("enrollmentToken")?.into(),
        factor_type: body.field("factorType")?.decode()?,
        enrollment_data: EnrollmentData {
            pass_code: data.optional_string("passCode")?.map(Into::into),
            photo: data.optional_string("photo")?,
            is_external_photo: data
                .optional("isExternalPhoto")
                .map(|a| a.decode())
                .transpose()?,
        },
    })
}

/// The SDK method's arguments.
#[derive(Clone, Copy)]
pub(crate) struct Args<'a>(pub(crate) &'a [Value]);

impl<'a> Args<'a> {
    pub(crate) fn first(self) -> Result<Arg<'a>, String> {
        self.0
            .first()
            .map(|value| Arg {
                path: "args[0]".to_owned(),
                value,
            })
            .ok_or_else(|| "the fixture has no arguments".to_owned())
    }
}

/// One JSON value among the arguments, with where it was found for error messages.
pub(crate) struct Arg<'a> {
    path: String,
    pub(crate) value: &'a Value,
}

impl<'a> Arg<'a> {
    pub(crate) fn optional(&self, name: &str) -> Option<Arg<'a>> {
        self.value
            .get(name)
            .filter(|v| !v.is_null())
            .map(|value| Arg {
                path: format!("{}.{name}", self.path),
                value,
            })
    }

    pub(crate) fn field(&self, name: &str) -> Result<Arg<'a>, String> {
        self.optional(name)
            .ok_or_else(|| format!("{} has no `{name}`", self.path))
    }

    pub(crate) fn string(&self, name: &str) -> Result<String, String> {
        self.field(name)?.decode()
    }

    pub(crate) fn optional_string(&self, name: &str) -> Result<Option<String>, String> {
        self.optional(name).map(|arg| arg.decode()).transpose()
    }

    pub(crate) fn array(&self) -> Result<Vec<Arg<'a>>, String> {
        let items = self
            .value
            .as_array()
            .ok_or_else(|| format!("{} is not an array", self.path))?;
        Ok(items
            .iter()
            .enumerate()
            .map(|(i, value)| Arg {
                path: format!("{}[{i}]", self.path),
                value,
            })
            .collect())
    }

    pub(crate) fn decode<T: DeserializeOwned>(&self) -> Result<T, String> {
        serde_json::from_value(self.value.clone())
            .map_err(|e| format!("{} ({}): {e}", self.path, self.value))
    }
}
