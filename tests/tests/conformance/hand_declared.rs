//! Endpoints declared by hand (`inventory/hand-declared.tsv`), built from the official
//! SDK method's arguments through their public constructors and fields, so the test
//! checks the API a user calls, not a back door.

use authing_core::{AuthenticationEndpoint, ManagementEndpoint};
use authing_mfa::{
    FactorProfile, GetOtpSecretByUser, ImportOtp, ImportOtpItem, SendEnrollFactorRequest,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{Call, Clients, Fixture};

/// The call for `fixture` when a hand-declared endpoint answers its SDK method.
pub(crate) fn call<'a>(
    clients: &'a Clients,
    fixture: &Fixture,
) -> Option<Result<Call<'a>, String>> {
    let args = Args(&fixture.args);
    let built = match (fixture.side.as_str(), fixture.sdk_method.as_str()) {
        ("management", "importOtp") => import_otp(args).map(|e| management(clients, e)),
        ("management", "getOtpSecretByUser") => {
            get_otp_secret_by_user(args).map(|e| management(clients, e))
        }
        ("authentication", "sendEnrollFactorRequest") => {
            send_enroll_factor_request(args).map(|e| authentication(clients, e))
        }
        _ => return None,
    };
    Some(built)
}

fn management<'a, E: ManagementEndpoint + 'a>(clients: &'a Clients, endpoint: E) -> Call<'a> {
    Box::pin(async move { clients.management.send(&endpoint).await.map(drop) })
}

fn authentication<'a, E: AuthenticationEndpoint + 'a>(
    clients: &'a Clients,
    endpoint: E,
) -> Call<'a> {
    Box::pin(async move { clients.authentication.send(&endpoint).await.map(drop) })
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

fn get_otp_secret_by_user(args: Args<'_>) -> Result<GetOtpSecretByUser, String> {
    let fields = args.first()?;
    let mut built = GetOtpSecretByUser::new(fields.string("userId")?);
    if let Some(kind) = fields.optional("userIdType") {
        built = built.id_type(kind.decode()?);
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

/// The SDK method's arguments.
#[derive(Clone, Copy)]
struct Args<'a>(&'a [Value]);

impl<'a> Args<'a> {
    fn first(self) -> Result<Arg<'a>, String> {
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
struct Arg<'a> {
    path: String,
    value: &'a Value,
}

impl<'a> Arg<'a> {
    fn optional(&self, name: &str) -> Option<Arg<'a>> {
        self.value
            .get(name)
            .filter(|v| !v.is_null())
            .map(|value| Arg {
                path: format!("{}.{name}", self.path),
                value,
            })
    }

    fn field(&self, name: &str) -> Result<Arg<'a>, String> {
        self.optional(name)
            .ok_or_else(|| format!("{} has no `{name}`", self.path))
    }

    fn string(&self, name: &str) -> Result<String, String> {
        self.field(name)?.decode()
    }

    fn optional_string(&self, name: &str) -> Result<Option<String>, String> {
        self.optional(name).map(|arg| arg.decode()).transpose()
    }

    fn array(&self) -> Result<Vec<Arg<'a>>, String> {
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

    fn decode<T: DeserializeOwned>(&self) -> Result<T, String> {
        serde_json::from_value(self.value.clone())
            .map_err(|e| format!("{} ({}): {e}", self.path, self.value))
    }
}
