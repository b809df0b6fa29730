//! The authentication side's MFA factors: `POST /api/v3/send-enroll-factor-request`,
//! the first step of binding one, and `GET /api/v3/list-enrolled-factors`.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Extension, State};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value, json};

use super::{json_object, optional_str};
use crate::app::App;
use crate::envelope::{Envelope, Outcome};
use crate::record::Incoming;
use crate::users::User;
use crate::{auth, base32, ids, qr};

/// Left as is in the `otpauth://` label and issuer: RFC 3986 unreserved characters.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FactorType {
    Otp,
    Sms,
    Email,
    Face,
}

impl FactorType {
    fn parse(value: Option<&Value>) -> Result<Self, Envelope> {
        match value.and_then(Value::as_str) {
            Some("OTP") => Ok(Self::Otp),
            Some("SMS") => Ok(Self::Sms),
            Some("EMAIL") => Ok(Self::Email),
            Some("FACE") => Ok(Self::Face),
            _ => Err(Envelope::bad_request(format!(
                "factorType must be one of \"OTP\", \"SMS\", \"EMAIL\", \"FACE\", not {}",
                value.map_or_else(|| "nothing".to_owned(), Value::to_string)
            ))),
        }
    }
}

/// `FactorProfile`: where a code goes.
struct Profile<'a> {
    phone_number: Option<&'a str>,
    phone_country_code: Option<&'a str>,
    email: Option<&'a str>,
}

impl<'a> Profile<'a> {
    fn parse(body: &'a Map<String, Value>) -> Result<Self, Envelope> {
        let Some(Value::Object(profile)) = body.get("profile") else {
            return Err(Envelope::bad_request(
                "profile is required: an object {phoneNumber?, phoneCountryCode?, email?}",
            ));
        };
        let field = |name| optional_str(profile, name).map_err(|e| e.prefixed("profile."));
        Ok(Self {
            phone_number: field("phoneNumber")?.filter(|s| !s.is_empty()),
            phone_country_code: field("phoneCountryCode")?.filter(|s| !s.is_empty()),
            email: field("email")?.filter(|s| !s.is_empty()),
        })
    }
}

/// `GET /api/v3/list-enrolled-factors`: the signed-in user's factors. The stand-in
/// counts an imported OTP secret as an enrolled OTP factor, the only way it has to
/// enroll one; its id is derived from the user so it stays the same between calls.
pub(crate) async fn list_enrolled_factors(
    State(app): State<Arc<App>>,
    Extension(req): Extension<Arc<Incoming>>,
) -> Outcome {
    let user_id = &auth::authentication(&app, &req)?.user.id;
    let factors: Vec<Value> = app
        .store()
        .otp(user_id)
        .map(|_| super::mfa::otp_factor(user_id))
        .into_iter()
        .collect();
    Ok(Envelope::ok(Value::Array(factors)))
}

pub(crate) async fn send_enroll_factor_request(
    State(app): State<Arc<App>>,
    Extension(req): Extension<Arc<Incoming>>,
) -> Outcome {
    let caller = auth::authentication(&app, &req)?;
    let body = json_object(&req)?;
    let factor = FactorType::parse(body.get("factorType"))?;
    let profile = Profile::parse(&body)?;
    let enrollment_token = STANDARD.encode(ids::random_bytes(96));
    match factor {
        FactorType::Otp => {
            let (otp_data, secret, recovery_code) = otp_data(&app, &caller.user)?;
            let user_id = &caller.user.id;
            app.store().enrollments_mut().start(
                enrollment_token.clone(),
                user_id,
                secret,
                recovery_code,
                Instant::now(),
            );
            Ok(Envelope::ok(json!({
                "enrollmentToken": enrollment_token,
                "otpData": otp_data,
            })))
        }
        FactorType::Sms | FactorType::Email => {
            throttle(&app, recipient(factor, &profile)?)?;
            Ok(Envelope::ok(json!({ "enrollmentToken": enrollment_token })))
        }
        FactorType::Face => Ok(Envelope::ok(json!({ "enrollmentToken": enrollment_token }))),
    }
}

/// Where an SMS or e-mail code would go, normalised so that one recipient is throttled
/// however it is written: `+86 188…` for a phone (Authing's default country code),
/// the lowercase address for e-mail.
fn recipient(factor: FactorType, profile: &Profile<'_>) -> Result<String, Envelope> {
    if factor == FactorType::Sms {
        let phone = profile.phone_number.ok_or_else(|| {
            Envelope::bad_request("profile.phoneNumber is required for factorType SMS")
        })?;
        let country = profile.phone_country_code.unwrap_or("+86");
        return Ok(format!("{country} {phone}"));
    }
    let email = profile
        .email
        .ok_or_else(|| Envelope::bad_request("profile.email is required for factorType EMAIL"))?;
    Ok(email.to_ascii_lowercase())
}

/// Authing sends a phone number or an e-mail address one code a minute (configurable);
/// more is statusCode 429, without an apiCode as in Authing's documented example.
fn throttle(app: &App, recipient: String) -> Result<(), Envelope> {
    let interval = app.config.send_interval;
    if app
        .store()
        .may_send(recipient.clone(), Instant::now(), interval)
    {
        return Ok(());
    }
    Err(Envelope::failure(
        429,
        None,
        format!(
            "a code was sent to {recipient} less than {}s ago; try again later",
            interval.as_secs()
        ),
    ))
}

/// A fresh TOTP secret (20 random bytes, as authenticator apps expect) with its
/// `otpauth://` URI, the URI's QR code and a recovery code: the `otpData` to answer,
/// and the secret and recovery code to remember for enroll-factor.
fn otp_data(app: &App, user: &User) -> Result<(Value, String, String), Envelope> {
    let secret = base32::encode(&ids::random_bytes(20));
    let uri = otpauth_uri(&app.config.userpool_id, &user.username, &secret);
    let qr_code = qr::png_data_url(&uri).map_err(|e| Envelope::failure(500, None, e))?;
    let recovery_code = ids::recovery_code();
    let data = json!({
        "qrCodeUri": uri,
        "qrCodeDataUrl": qr_code,
        "recoveryCode": recovery_code,
    });
    Ok((data, secret, recovery_code))
}

/// `otpauth://totp/<pool>:<user>?secret=…&period=30&digits=6&algorithm=SHA1&issuer=<pool>`.
fn otpauth_uri(pool: &str, user: &str, secret: &str) -> String {
    let pool = utf8_percent_encode(pool, UNRESERVED);
    let user = utf8_percent_encode(user, UNRESERVED);
    format!(
        "otpauth://totp/{pool}:{user}?secret={secret}&period=30&digits=6&algorithm=SHA1&issuer={pool}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_otpauth_label_is_percent_encoded() {
        let uri = otpauth_uri("my pool", "ä", "MY");
        assert_eq!(
            uri,
            "otpauth://totp/my%20pool:%C3%A4?secret=MY&period=30&digits=6&algorithm=SHA1&issuer=my%20pool"
        );
    }
}
