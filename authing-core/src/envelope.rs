//! Authing's response envelope, decoded once for every endpoint.
//!
//! `{"statusCode": 200, "message": "…", "apiCode": 0, "requestId": "…", "data": …}`:
//! statusCode 200 is success; anything else is a failure even under HTTP 200. Decoding is
//! split in two so the transport stays free of the response type: [`classify`] finds the
//! outcome and where `data` is, [`decode_data`] turns `data` into the caller's type.

use std::any::TypeId;
use std::time::Duration;

use reqwest::StatusCode;
use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::error::{ApiError, BodySnippet, Error, shape_error};

/// A successful answer: the body and the span of its `data` member, if any.
#[derive(Debug)]
pub(crate) struct Success {
    pub(crate) status: StatusCode,
    pub(crate) body: bytes::Bytes,
    pub(crate) request_id: Option<String>,
    data: Option<std::ops::Range<usize>>,
    /// The whole body is the response (`answer = plain`), not yet parsed as JSON.
    plain: bool,
}

/// The envelope's fields, borrowed from the body. Only `statusCode` decides the outcome,
/// so the others never fail a decoding: numbers are read leniently (a gateway or an older
/// deployment may send `"200"`), a `message` or `requestId` that is not a string is kept
/// as its JSON text, an `apiCode` that is not a number is dropped, and unknown fields are
/// ignored.
#[derive(Deserialize)]
struct RawEnvelope<'a> {
    #[serde(rename = "statusCode", default, deserialize_with = "lenient_int")]
    status_code: Option<i64>,
    /// Left raw: a success never reads it, so it is decoded only for an error.
    #[serde(borrow, default)]
    message: Option<&'a RawValue>,
    #[serde(rename = "apiCode", default, deserialize_with = "lenient_int")]
    api_code: Option<i64>,
    #[serde(rename = "requestId", default, deserialize_with = "lenient_text")]
    request_id: Option<String>,
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
}

/// An integer, an integral float or a string holding an integer; anything else is `None`.
fn lenient_int<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Number(n)) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        }),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    })
}

/// A string as is, `null` as `None`, any other value as its compact JSON text.
fn lenient_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::String(s)) => Some(s),
        Some(Value::Null) | None => None,
        Some(other) => Some(other.to_string()),
    })
}

/// [`lenient_text`] of a value left raw.
fn raw_text(raw: &RawValue) -> Option<String> {
    lenient_text(&mut serde_json::Deserializer::from_str(raw.get())).ok()?
}

/// Sorts an answer into success or the one typed error that describes it.
///
/// Tries the envelope first whatever the HTTP status, since Authing and its gateways send
/// envelopes with 4xx and 5xx too.
pub(crate) fn classify(
    status: StatusCode,
    retry_after: Option<Duration>,
    body: bytes::Bytes,
) -> Result<Success, Error> {
    if !starts_an_object(&body) {
        // serde reads a struct from an array too (`[200]` would be a success): refuse
        // anything but an object first, telling JSON (iterative check, no recursion
        // limit to hit) from what is not JSON at all.
        let source = match serde_json::from_slice::<IgnoredAny>(&body) {
            Err(source) => source,
            Ok(_) => shape_error("JSON that is not an object: not an Authing envelope"),
        };
        return Err(not_an_envelope(status, retry_after, &body, source));
    }
    let envelope = match serde_json::from_slice::<RawEnvelope<'_>>(&body) {
        Ok(envelope) => envelope,
        Err(source) => return Err(not_an_envelope(status, retry_after, &body, source)),
    };
    let Some(status_code) = envelope.status_code else {
        let source = shape_error("JSON without an integer `statusCode`: not an Authing envelope");
        return Err(not_an_envelope(status, retry_after, &body, source));
    };
    if status_code != 200 || !status.is_success() {
        let mut api = ApiError::new(
            status.as_u16(),
            status_code,
            envelope.api_code.filter(|&c| c != 0),
            envelope.message.and_then(raw_text).unwrap_or_default(),
            envelope.request_id,
        );
        api.retry_after = retry_after;
        return Err(api.into());
    }
    let data = envelope.data.map(|raw| span_within(&body, raw.get()));
    Ok(Success {
        status,
        request_id: envelope.request_id,
        data,
        plain: false,
        body,
    })
}

impl Success {
    /// A success whose whole body is the response, as a plain answer's is.
    pub(crate) fn whole(status: StatusCode, body: bytes::Bytes) -> Self {
        Self {
            status,
            request_id: None,
            data: Some(0..body.len()),
            plain: true,
            body,
        }
    }
}

/// Whether the first byte after JSON whitespace opens an object.
fn starts_an_object(body: &[u8]) -> bool {
    body.iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        .is_some_and(|&b| b == b'{')
}

/// Where `inner`, a slice borrowed from `outer`, sits in it.
fn span_within(outer: &[u8], inner: &str) -> std::ops::Range<usize> {
    let start = inner.as_ptr() as usize - outer.as_ptr() as usize;
    start..start + inner.len()
}

fn not_an_envelope(
    status: StatusCode,
    retry_after: Option<Duration>,
    body: &[u8],
    source: serde_json::Error,
) -> Error {
    let snippet = BodySnippet::new(body);
    if !status.is_success() {
        Error::HttpStatus {
            status,
            body: snippet,
            retry_after,
        }
    } else if source.is_syntax() || source.is_eof() {
        Error::NotJson {
            status,
            body: snippet,
            source,
        }
    } else {
        Error::UnexpectedShape {
            status,
            body: snippet,
            source,
        }
    }
}

/// The `message` of a successful answer, read again from its body: only callers that
/// ask for it pay for it, not every call.
pub(crate) fn message(success: &Success) -> Option<String> {
    #[derive(Deserialize)]
    struct Message {
        #[serde(default, deserialize_with = "lenient_text")]
        message: Option<String>,
    }
    serde_json::from_slice::<Message>(&success.body)
        .ok()
        .and_then(|m| m.message)
}

/// Decodes `data` into the endpoint's response type. An absent `data` decodes as `null`,
/// which suits `()` and `Option<T>` and is an error for anything else. An endpoint that
/// answers `()` ignores whatever `data` holds: Authing adds data to answers documented
/// as having none, and that must not fail a call that succeeded.
pub(crate) fn decode_data<T: DeserializeOwned + 'static>(success: &Success) -> Result<T, Error> {
    let expects_nothing = TypeId::of::<T>() == TypeId::of::<()>();
    let raw = match &success.data {
        Some(span) if !expects_nothing => &success.body[span.clone()],
        _ => &b"null"[..],
    };
    serde_json::from_slice(raw).map_err(|source| {
        let (status, body) = (success.status, BodySnippet::new(&success.body));
        // A plain answer's body is first parsed here, so it can still turn out not to be
        // JSON; an envelope's `data` was checked as JSON already, so its errors (a number
        // out of range, nesting too deep) are about its shape.
        if success.plain && (source.is_syntax() || source.is_eof()) {
            Error::NotJson {
                status,
                body,
                source,
            }
        } else {
            Error::UnexpectedShape {
                status,
                body,
                source,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run<T: DeserializeOwned + 'static>(status: u16, body: &str) -> Result<T, Error> {
        let status = StatusCode::from_u16(status).unwrap();
        classify(status, None, bytes::Bytes::from(body.to_owned())).and_then(|s| decode_data(&s))
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Secret {
        secret: String,
    }

    #[test]
    fn status_code_200_gives_data() {
        let ok: Secret = run(
            200,
            r#"{"statusCode":200,"message":"ok","data":{"secret":"S"},"extra":1}"#,
        )
        .unwrap();
        assert_eq!(ok, Secret { secret: "S".into() });
    }

    #[test]
    fn absent_data_decodes_as_unit() {
        run::<()>(200, r#"{"statusCode":200,"message":"操作成功"}"#).unwrap();
    }

    #[test]
    fn unit_responses_ignore_unexpected_data_but_options_do_not() {
        run::<()>(200, r#"{"statusCode":200,"data":{"anything":[1]}}"#).unwrap();
        let none: Option<Secret> = run(200, r#"{"statusCode":200}"#).unwrap();
        assert_eq!(none, None);
        assert!(run::<Option<Secret>>(200, r#"{"statusCode":200,"data":[1]}"#).is_err());
    }

    #[test]
    fn other_status_code_is_api_error_with_all_fields() {
        let err = run::<()>(
            200,
            r#"{"statusCode":404,"message":"用户不存在","apiCode":2004,"requestId":"r1"}"#,
        )
        .unwrap_err();
        let Error::Api(api) = err else {
            panic!("expected Api, got {err:?}")
        };
        assert_eq!(
            (api.http_status, api.status_code, api.api_code),
            (200, 404, Some(2004))
        );
        assert_eq!(
            (api.message.as_str(), api.request_id.as_deref()),
            ("用户不存在", Some("r1"))
        );
    }

    #[test]
    fn envelope_inside_non_2xx_is_still_read() {
        let err = run::<()>(401, r#"{"statusCode":401,"message":"expired"}"#).unwrap_err();
        assert!(matches!(err, Error::Api(ref a) if a.http_status == 401 && a.is_unauthorized()));
    }

    #[test]
    fn html_gateway_page_is_http_status() {
        let err = run::<()>(502, "<html>502 Bad Gateway</html>").unwrap_err();
        assert!(matches!(err, Error::HttpStatus { status, ref body, .. }
            if status == 502 && body.as_str().contains("Bad Gateway")));
    }

    #[test]
    fn non_json_2xx_is_not_json() {
        assert!(matches!(
            run::<()>(200, "<html>").unwrap_err(),
            Error::NotJson { .. }
        ));
        assert!(matches!(
            run::<()>(200, "").unwrap_err(),
            Error::NotJson { .. }
        ));
        assert!(matches!(
            run::<()>(200, r#"{"statusCode":20"#).unwrap_err(),
            Error::NotJson { .. }
        ));
    }

    #[test]
    fn wrong_shapes_are_unexpected_shape() {
        for not_an_object in ["[1,2]", "[200]", " [500] ", "200", "\"ok\"", "null", "true"] {
            assert!(
                matches!(
                    run::<()>(200, not_an_object),
                    Err(Error::UnexpectedShape { .. })
                ),
                "{not_an_object}"
            );
        }
        assert!(matches!(
            run::<()>(200, "[200").unwrap_err(),
            Error::NotJson { .. }
        ));
        assert!(matches!(
            run::<()>(200, r#"{"hello":1}"#).unwrap_err(),
            Error::UnexpectedShape { .. }
        ));
        let err = run::<Secret>(200, r#"{"statusCode":200,"data":{"secret":5}}"#).unwrap_err();
        assert!(
            matches!(err, Error::UnexpectedShape { ref body, .. } if body.as_str().contains("secret"))
        );
        assert!(matches!(
            run::<Secret>(200, r#"{"statusCode":200}"#).unwrap_err(),
            Error::UnexpectedShape { .. }
        ));
    }

    #[test]
    fn fields_of_other_types_beside_status_code_never_fail_the_decoding() {
        let ok: Secret = run(
            200,
            r#"{"statusCode":200,"message":{"en":"ok"},"requestId":42,"apiCode":true,"data":{"secret":"S"}}"#,
        )
        .unwrap();
        assert_eq!(ok, Secret { secret: "S".into() });
        let err = run::<()>(
            200,
            r#"{"statusCode":503,"message":["维护中"],"requestId":7,"apiCode":[1]}"#,
        )
        .unwrap_err();
        let Error::Api(api) = err else {
            panic!("expected Api, got {err:?}")
        };
        assert_eq!((api.status_code, api.api_code), (503, None));
        assert_eq!(
            (api.message.as_str(), api.request_id.as_deref()),
            (r#"["维护中"]"#, Some("7"))
        );
    }

    #[test]
    fn a_status_code_that_is_not_an_integer_is_no_envelope() {
        for body in [
            r#"{"statusCode":200.5}"#,
            r#"{"statusCode":true}"#,
            r#"{"statusCode":[200]}"#,
            r#"{"statusCode":{}}"#,
            r#"{"statusCode":"OK"}"#,
            r#"{"statusCode":99999999999999999999}"#,
        ] {
            assert!(
                matches!(run::<()>(200, body), Err(Error::UnexpectedShape { .. })),
                "{body}"
            );
        }
    }

    #[test]
    fn lenient_numbers_and_zero_api_code() {
        run::<()>(200, r#"{"statusCode":"200","apiCode":0}"#).unwrap();
        let err = run::<()>(200, r#"{"statusCode":429.0,"apiCode":"1234567"}"#).unwrap_err();
        assert!(
            matches!(err, Error::Api(ref a) if a.status_code == 429 && a.api_code == Some(1_234_567))
        );
        let err = run::<()>(200, r#"{"statusCode":400,"apiCode":0}"#).unwrap_err();
        assert!(matches!(err, Error::Api(ref a) if a.api_code.is_none()));
    }
}
