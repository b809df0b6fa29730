//! The endpoints the stand-in answers, and what they share.

mod enroll;
mod mfa;
mod otp;
mod token;

use std::sync::Arc;

use axum::Router;
use axum::extract::Extension;
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde_json::{Map, Value};

use crate::app::App;
use crate::envelope::Envelope;
use crate::record::Incoming;

/// Every route. Unknown paths, and known paths with another method (as Authing's
/// NestJS server does), answer HTTP 404 with an envelope.
pub(crate) fn router(app: Arc<App>) -> Router {
    Router::new()
        .route(
            "/api/v3/get-management-token",
            post(token::get_management_token),
        )
        .route("/api/v3/import-otp", post(otp::import_otp))
        .route(
            "/api/v3/get-otp-secret-by-user",
            get(otp::get_otp_secret_by_user),
        )
        .route("/api/v3/get-user-mfa-info", get(otp::get_user_mfa_info))
        .route(
            "/api/v3/send-enroll-factor-request",
            post(enroll::send_enroll_factor_request),
        )
        .route(
            "/api/v3/list-enrolled-factors",
            get(enroll::list_enrolled_factors),
        )
        .route("/api/v3/enroll-factor", post(mfa::enroll_factor))
        .route("/api/v3/get-factor", get(mfa::get_factor))
        .route("/api/v3/reset-factor", post(mfa::reset_factor))
        .route("/api/v3/mfa-totp-verify", post(mfa::mfa_totp_verify))
        .merge(crate::oidc::router())
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
        .with_state(app)
}

/// `extra` with the stand-in's `own` routes behind it: a path `extra` routes is wholly
/// its own (another method answers 404, as the stand-in's own paths do), every other
/// path goes on to `own`.
pub(crate) fn in_front_of(extra: Router, own: Router) -> Router {
    extra
        .method_not_allowed_fallback(not_found)
        .fallback_service(own)
}

async fn not_found(Extension(req): Extension<Arc<Incoming>>) -> Envelope {
    let message = format!(
        "Cannot {} {}: the stand-in does not serve this endpoint",
        req.record.method, req.record.path
    );
    Envelope::failure(404, None, message).with_http(StatusCode::NOT_FOUND)
}

/// The body as a JSON object, or statusCode 400 saying why not.
pub(crate) fn json_object(req: &Incoming) -> Result<Map<String, Value>, Envelope> {
    if req.body.iter().all(u8::is_ascii_whitespace) {
        return Err(Envelope::bad_request(
            "the body is empty; expected a JSON object",
        ));
    }
    serde_json::from_slice(&req.body)
        .map_err(|e| Envelope::bad_request(format!("the body must be a JSON object: {e}")))
}

/// A string field that must be present and non-empty.
pub(crate) fn required_str<'a>(
    object: &'a Map<String, Value>,
    name: &str,
) -> Result<&'a str, Envelope> {
    match object.get(name) {
        Some(Value::String(text)) if !text.is_empty() => Ok(text),
        Some(Value::String(_)) => Err(Envelope::bad_request(format!("{name} must not be empty"))),
        Some(other) => Err(Envelope::bad_request(format!(
            "{name} must be a string, not {other}"
        ))),
        None => Err(Envelope::bad_request(format!("{name} is required"))),
    }
}

/// A string field that may be absent (or null); any other type is statusCode 400.
pub(crate) fn optional_str<'a>(
    object: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a str>, Envelope> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(other) => Err(Envelope::bad_request(format!(
            "{name} must be a string, not {other}"
        ))),
    }
}
