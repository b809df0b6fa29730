//! Authing's response envelope: `{statusCode, message, apiCode?, requestId, data?}`,
//! answered with HTTP 200 even for business failures, as Authing does.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use crate::api_code;

/// The message of a success. Authing answers in `zh-CN` unless told otherwise, and its
/// docs show exactly this text; failures are worded in English so test output reads well.
pub(crate) const SUCCESS_MESSAGE: &str = "操作成功";

/// `content-type` of every JSON answer.
pub(crate) const JSON: &str = "application/json; charset=utf-8";

/// One answer in Authing's envelope, success or failure, sent with HTTP 200 unless
/// [`with_http`](Self::with_http) says otherwise: what the stand-in's endpoints answer,
/// and what a route or [`Canned`](crate::Canned) answer of your own can answer.
/// Every answer gets a fresh `requestId`.
///
/// ```
/// use authing_testkit::Envelope;
///
/// let refusal = Envelope::failure(403, Some(2020), "not allowed").to_json();
/// assert_eq!(refusal["statusCode"], 403);
/// assert_eq!(refusal["apiCode"], 2020);
/// assert_eq!(refusal["message"], "not allowed");
/// assert!(refusal["requestId"].is_string());
/// ```
// Boxed, because it is the error side of every check and a `Result` should stay small
// on the happy path.
#[derive(Debug, Clone)]
pub struct Envelope(Box<Fields>);

#[derive(Debug, Clone)]
struct Fields {
    http: StatusCode,
    status_code: i64,
    message: String,
    api_code: Option<i64>,
    data: Option<Value>,
}

/// What a handler returns: both sides are envelopes, so `?` works on any check.
pub type Outcome = Result<Envelope, Envelope>;

impl Envelope {
    /// A success carrying `data`.
    ///
    /// ```
    /// let answer = authing_testkit::Envelope::ok(serde_json::json!({"id": 1})).to_json();
    /// assert_eq!((answer["statusCode"].as_i64(), answer["data"]["id"].as_i64()), (Some(200), Some(1)));
    /// ```
    pub fn ok(data: Value) -> Self {
        let mut envelope = Self::ok_empty();
        envelope.0.data = Some(data);
        envelope
    }

    /// A success without `data` (Authing's `CommonResponseDto`).
    ///
    /// ```
    /// let answer = authing_testkit::Envelope::ok_empty().to_json();
    /// assert_eq!(answer["statusCode"], 200);
    /// assert!(answer.get("data").is_none());
    /// ```
    pub fn ok_empty() -> Self {
        Self::failure(200, None, SUCCESS_MESSAGE)
    }

    /// A business answer with any `statusCode` and optional `apiCode`, sent with
    /// HTTP 200 as Authing does.
    ///
    /// Example: see [`Envelope`].
    pub fn failure(status_code: i64, api_code: Option<i64>, message: impl Into<String>) -> Self {
        Self(Box::new(Fields {
            http: StatusCode::OK,
            status_code,
            message: message.into(),
            api_code,
            data: None,
        }))
    }

    /// statusCode 400 with the stand-in's "malformed request" apiCode
    /// ([`api_code::MALFORMED_REQUEST`]).
    ///
    /// ```
    /// use authing_testkit::{Envelope, api_code};
    /// let answer = Envelope::bad_request("userId is required").to_json();
    /// assert_eq!(answer["apiCode"], api_code::MALFORMED_REQUEST);
    /// ```
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::failure(400, Some(api_code::MALFORMED_REQUEST), message)
    }

    /// statusCode 401 with the given apiCode.
    ///
    /// ```
    /// use authing_testkit::{Envelope, api_code};
    /// let answer = Envelope::unauthorized(api_code::NOT_SIGNED_IN, "who are you?").to_json();
    /// assert_eq!(answer["statusCode"], 401);
    /// ```
    pub fn unauthorized(api_code: i64, message: impl Into<String>) -> Self {
        Self::failure(401, Some(api_code), message)
    }

    /// Sends the envelope with a different HTTP status (for what a gateway or the HTTP
    /// layer would refuse, such as an unknown path or an oversized body).
    ///
    /// ```
    /// use authing_testkit::Envelope;
    /// use authing_testkit::axum::{http::StatusCode, response::IntoResponse};
    /// let response = Envelope::failure(503, None, "down").with_http(StatusCode::SERVICE_UNAVAILABLE);
    /// assert_eq!(response.into_response().status(), 503);
    /// ```
    #[must_use]
    pub fn with_http(mut self, http: StatusCode) -> Self {
        self.0.http = http;
        self
    }

    /// Puts `prefix` before the message, to say where in a nested body a problem is.
    pub(crate) fn prefixed(mut self, prefix: &str) -> Self {
        self.0.message.insert_str(0, prefix);
        self
    }

    /// The JSON body, with a fresh `requestId`.
    ///
    /// Example: see [`Envelope`].
    pub fn to_json(&self) -> Value {
        let fields = &self.0;
        let mut map = Map::new();
        map.insert("statusCode".into(), fields.status_code.into());
        map.insert("message".into(), fields.message.clone().into());
        if let Some(code) = fields.api_code {
            map.insert("apiCode".into(), code.into());
        }
        map.insert("requestId".into(), request_id().into());
        if let Some(data) = &fields.data {
            map.insert("data".into(), data.clone());
        }
        Value::Object(map)
    }
}

impl IntoResponse for Envelope {
    fn into_response(self) -> Response {
        let body = self.to_json().to_string();
        (self.0.http, [(header::CONTENT_TYPE, JSON)], body).into_response()
    }
}

/// A fresh request id shaped like Authing's (a UUID v4), one per answer.
pub(crate) fn request_id() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_uuid_shaped_and_fresh() {
        let a = request_id();
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert_ne!(a, request_id());
    }

    #[test]
    fn success_without_data_has_no_data_and_no_api_code() {
        let json = Envelope::ok_empty().to_json();
        assert_eq!(json["statusCode"], 200);
        assert!(json.get("data").is_none());
        assert!(json.get("apiCode").is_none());
        assert!(json["requestId"].is_string());
    }
}
