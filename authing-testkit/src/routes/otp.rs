//! The management side of OTP: `POST /api/v3/import-otp`,
//! `GET /api/v3/get-otp-secret-by-user` and `GET /api/v3/get-user-mfa-info`.

use std::collections::HashSet;
use std::sync::Arc;

use axum::extract::{Extension, State};
use serde_json::{Map, Value, json};

use super::{json_object, optional_str, required_str};
use crate::app::App;
use crate::envelope::{Envelope, Outcome};
use crate::record::Incoming;
use crate::store::ImportedOtp;
use crate::{api_code, auth, base32, users};

/// Validates the whole list before storing anything, so a bad item never leaves half an
/// import behind.
pub(crate) async fn import_otp(
    State(app): State<Arc<App>>,
    Extension(req): Extension<Arc<Incoming>>,
) -> Outcome {
    auth::management(&app, &req)?;
    let items = parse_list(&json_object(&req)?)?;
    let mut store = app.store();
    // A set, not a scan per item: a migration imports batches into a pool of thousands.
    let known: HashSet<&str> = store.users().iter().map(|user| user.id.as_str()).collect();
    if let Some((missing, _)) = items
        .iter()
        .find(|(user_id, _)| !known.contains(user_id.as_str()))
    {
        return Err(users::not_found(missing));
    }
    store.import_otps(items);
    Ok(Envelope::ok_empty())
}

fn parse_list(body: &Map<String, Value>) -> Result<Vec<(String, ImportedOtp)>, Envelope> {
    let Some(Value::Array(list)) = body.get("list") else {
        return Err(Envelope::bad_request(
            "list is required: an array of {userId, otp: {secret, recoveryCode?}}",
        ));
    };
    list.iter()
        .enumerate()
        .map(|(index, item)| parse_item(index, item))
        .collect()
}

fn parse_item(index: usize, item: &Value) -> Result<(String, ImportedOtp), Envelope> {
    let at = |error: Envelope| error.prefixed(&format!("list[{index}]."));
    let Value::Object(item) = item else {
        return Err(Envelope::bad_request(format!(
            "list[{index}] must be an object"
        )));
    };
    let user_id = required_str(item, "userId").map_err(at)?;
    let Some(Value::Object(otp)) = item.get("otp") else {
        return Err(Envelope::bad_request(format!(
            "list[{index}].otp is required: {{secret, recoveryCode?}}"
        )));
    };
    let secret = required_str(otp, "secret").map_err(|e| at(e.prefixed("otp.")))?;
    if !base32::is_valid(secret) {
        return Err(Envelope::failure(
            400,
            Some(api_code::INVALID_OTP_SECRET),
            format!(
                "list[{index}].otp.secret must be base32 (letters A-Z and digits 2-7), not {secret:?}"
            ),
        ));
    }
    let recovery_code = optional_str(otp, "recoveryCode").map_err(|e| at(e.prefixed("otp.")))?;
    let otp = ImportedOtp {
        secret: secret.to_owned(),
        recovery_code: recovery_code.map(str::to_owned),
    };
    Ok((user_id.to_owned(), otp))
}

/// The user a management GET names with `userId` and `userIdType`.
fn queried_user(app: &App, req: &Incoming) -> Result<String, Envelope> {
    let user_id = match req.record.query_param("userId") {
        Some(id) if !id.is_empty() => id,
        _ => return Err(Envelope::bad_request("query parameter userId is required")),
    };
    let id_type = req.record.query_param("userIdType");
    let store = app.store();
    Ok(users::find(store.users(), user_id, id_type)?.id.clone())
}

/// `GET /api/v3/get-user-mfa-info`: which factors the user has bound, as Authing's
/// types say, `"enabled"` or `"disabled"`. The stand-in binds OTP only.
pub(crate) async fn get_user_mfa_info(
    State(app): State<Arc<App>>,
    Extension(req): Extension<Arc<Incoming>>,
) -> Outcome {
    auth::management(&app, &req)?;
    let user_id = queried_user(&app, &req)?;
    let status = |on: bool| if on { "enabled" } else { "disabled" };
    let totp = app.store().otp(&user_id).is_some();
    Ok(Envelope::ok(json!({
        "totpStatus": status(totp),
        "faceMfaStatus": status(false),
        "smsMfaStatus": status(false),
        "emailMfaStatus": status(false),
    })))
}

pub(crate) async fn get_otp_secret_by_user(
    State(app): State<Arc<App>>,
    Extension(req): Extension<Arc<Incoming>>,
) -> Outcome {
    auth::management(&app, &req)?;
    let user_id = queried_user(&app, &req)?;
    let store = app.store();
    let otp = store.otp(&user_id).ok_or_else(|| {
        Envelope::failure(
            404,
            Some(api_code::OTP_NOT_SET),
            format!("user {user_id:?} has no OTP; import one with POST /api/v3/import-otp first"),
        )
    })?;
    Ok(Envelope::ok(json!({ "secret": otp.secret })))
}
