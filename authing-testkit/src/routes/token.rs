//! `POST /api/v3/get-management-token`: access key in, management token out.

use std::sync::Arc;

use axum::extract::{Extension, State};
use serde_json::json;

use super::{json_object, required_str};
use crate::api_code;
use crate::app::App;
use crate::auth::{self, constant_time_eq};
use crate::envelope::{Envelope, Outcome};
use crate::record::Incoming;

pub(crate) async fn get_management_token(
    State(app): State<Arc<App>>,
    Extension(req): Extension<Arc<Incoming>>,
) -> Outcome {
    let body = json_object(&req)?;
    let id = required_str(&body, "accessKeyId")?;
    let secret = required_str(&body, "accessKeySecret")?;
    let config = &app.config;
    let known = id == config.access_key_id
        && constant_time_eq(secret.as_bytes(), config.access_key_secret.as_bytes());
    if !known {
        return Err(Envelope::unauthorized(
            api_code::WRONG_ACCESS_KEY,
            "accessKeyId or accessKeySecret is wrong",
        ));
    }
    let token = auth::issue_management_token(&app);
    Ok(Envelope::ok(json!({
        "access_token": token,
        "expires_in": config.token_lifetime.as_secs(),
    })))
}
