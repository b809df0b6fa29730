//! Finishing and using the signed-in user's OTP factor: `enroll-factor`, `get-factor`,
//! `reset-factor` and `mfa-totp-verify`.
//!
//! A user's OTP factor is their OTP secret in the store, however it got there: imported
//! by the user pool or enrolled by the user. So an imported secret counts as an
//! enrolled factor, and `get-otp-secret-by-user` reads an enrolled one.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Extension, State};
use serde_json::{Map, Value, json};

use super::{json_object, required_str};
use crate::app::App;
use crate::enrollments::Refused;
use crate::envelope::{Envelope, Outcome};
use crate::record::Incoming;
use crate::store::ImportedOtp;
use crate::{api_code, auth, totp};

/// The id of `user_id`'s OTP factor: derived from the user, since a user has at most
/// one, so it stays the same between calls.
pub(crate) fn otp_factor_id(user_id: &str) -> String {
    format!("otp-{user_id}")
}

/// `FactorDto` of `user_id`'s OTP factor.
pub(crate) fn otp_factor(user_id: &str) -> Value {
    json!({"factorId": otp_factor_id(user_id), "factorType": "OTP", "profile": {}})
}

/// The signed-in user's id.
fn caller(app: &App, req: &Incoming) -> Result<String, Envelope> {
    Ok(auth::authentication(app, req)?.user.id)
}

/// `POST /api/v3/enroll-factor`: checks the code against the enrollment's secret with
/// the TOTP rules of Authing's URIs, then binds the secret as the user's OTP factor
/// (replacing one bound before) and forgets the token.
pub(crate) async fn enroll_factor(
    State(app): State<Arc<App>>,
    Extension(req): Extension<Arc<Incoming>>,
) -> Outcome {
    let user_id = caller(&app, &req)?;
    let body = json_object(&req)?;
    let token = required_str(&body, "enrollmentToken")?;
    match required_str(&body, "factorType")? {
        "OTP" => {}
        "SMS" | "EMAIL" | "FACE" => {
            return Err(Envelope::failure(
                400,
                Some(api_code::FACTOR_TYPE_UNSUPPORTED),
                "the stand-in finishes OTP enrollments only: it sends no SMS or e-mail and sees no faces",
            ));
        }
        other => {
            return Err(Envelope::bad_request(format!(
                "factorType must be one of \"OTP\", \"SMS\", \"EMAIL\", \"FACE\", not {other:?}"
            )));
        }
    }
    let code = pass_code(&body)?;
    let mut store = app.store();
    let pending = store
        .enrollments()
        .find(token, &user_id, Instant::now())
        .map_err(refused)?
        .clone();
    if !totp::code_is_valid(&pending.secret, code) {
        return Err(Envelope::failure(
            400,
            Some(api_code::WRONG_TOTP_CODE),
            "the OTP code is wrong: it must be the authenticator app's current 6-digit code for this enrollment",
        ));
    }
    store.enrollments_mut().finish(token);
    let otp = ImportedOtp {
        secret: pending.secret,
        recovery_code: Some(pending.recovery_code),
    };
    store.import_otps(vec![(user_id, otp)]);
    Ok(Envelope::ok_empty())
}

fn pass_code(body: &Map<String, Value>) -> Result<&str, Envelope> {
    let Some(Value::Object(data)) = body.get("enrollmentData") else {
        return Err(Envelope::bad_request(
            "enrollmentData is required: {passCode} for OTP",
        ));
    };
    required_str(data, "passCode").map_err(|e| e.prefixed("enrollmentData."))
}

fn refused(why: Refused) -> Envelope {
    let message = match why {
        Refused::Unknown => {
            "the enrollment token is unknown, used already or not yours: start again with send-enroll-factor-request"
        }
        Refused::Expired => {
            "the enrollment token is older than one minute: start again with send-enroll-factor-request"
        }
    };
    Envelope::failure(400, Some(api_code::ENROLLMENT_TOKEN_INVALID), message)
}

/// The signed-in user's factor `factor_id`, or 404.
fn own_factor(app: &App, user_id: &str, factor_id: &str) -> Result<Value, Envelope> {
    let bound = app.store().otp(user_id).is_some();
    if bound && factor_id == otp_factor_id(user_id) {
        return Ok(otp_factor(user_id));
    }
    Err(Envelope::failure(
        404,
        Some(api_code::FACTOR_NOT_FOUND),
        format!(
            "the signed-in user has no factor {factor_id:?}; list-enrolled-factors lists theirs"
        ),
    ))
}

/// `GET /api/v3/get-factor?factorId=…`.
pub(crate) async fn get_factor(
    State(app): State<Arc<App>>,
    Extension(req): Extension<Arc<Incoming>>,
) -> Outcome {
    let user_id = caller(&app, &req)?;
    let factor_id = match req.record.query_param("factorId") {
        Some(id) if !id.is_empty() => id,
        _ => {
            return Err(Envelope::bad_request(
                "query parameter factorId is required",
            ));
        }
    };
    Ok(Envelope::ok(own_factor(&app, &user_id, factor_id)?))
}

/// `POST /api/v3/reset-factor`: unbinds the factor; for OTP that removes the secret.
pub(crate) async fn reset_factor(
    State(app): State<Arc<App>>,
    Extension(req): Extension<Arc<Incoming>>,
) -> Outcome {
    let user_id = caller(&app, &req)?;
    let body = json_object(&req)?;
    own_factor(&app, &user_id, required_str(&body, "factorId")?)?;
    app.store().remove_otp(&user_id);
    Ok(Envelope::ok_empty())
}

/// `POST /api/v3/mfa-totp-verify`: `{verified}` for the code against the user's OTP
/// factor; a user without one is statusCode 400.
pub(crate) async fn mfa_totp_verify(
    State(app): State<Arc<App>>,
    Extension(req): Extension<Arc<Incoming>>,
) -> Outcome {
    let user_id = caller(&app, &req)?;
    let body = json_object(&req)?;
    let code = required_str(&body, "totp")?;
    let secret = app.store().otp(&user_id).map(|otp| otp.secret.clone());
    let Some(secret) = secret else {
        return Err(Envelope::failure(
            400,
            Some(api_code::OTP_NOT_SET),
            "the signed-in user has no OTP factor: enroll one, or import a secret for them",
        ));
    };
    Ok(Envelope::ok(
        json!({ "verified": totp::code_is_valid(&secret, code) }),
    ))
}
