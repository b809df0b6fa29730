//! Answers without Authing's envelope (`answer = plain`), as OAuth 2.0 and OpenID Connect
//! endpoints send them: on success the JSON body is the response itself; a refusal is
//! OAuth's `{"error", "error_description"}`, or Authing's envelope when the body has a
//! `statusCode` (its gateway answers some failures of these endpoints that way).

use std::time::Duration;

use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::Value;

use crate::envelope::{self, Success};
use crate::error::{BodySnippet, Error, OAuthError};

/// The members that tell a refusal from a success, read leniently: a member of an
/// unexpected type is as good as absent, and the others are not read at all.
#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    error: Option<Value>,
    #[serde(default)]
    error_description: Option<Value>,
    #[serde(default)]
    error_uri: Option<Value>,
    #[serde(rename = "statusCode", default)]
    status_code: Option<Value>,
}

/// Sorts a plain answer into success or the one typed error that describes it.
///
/// A 2xx body that is not JSON is still a success here: an endpoint answering `()` (a
/// revocation) accepts any body, and one answering data fails when decoding it.
pub(crate) fn classify(
    status: StatusCode,
    retry_after: Option<Duration>,
    body: bytes::Bytes,
) -> Result<Success, Error> {
    if let Some(probe) = probe(&body) {
        if let Some(Value::String(error)) = probe.error {
            let mut oauth = OAuthError::new(status.as_u16(), error, text(probe.error_description));
            oauth.uri = text(probe.error_uri);
            oauth.retry_after = retry_after;
            return Err(Error::OAuth(Box::new(oauth)));
        }
        let envelope_failure = probe.status_code.is_some_and(|code| {
            !status.is_success() || !(code == 200 || code.as_str() == Some("200"))
        });
        if envelope_failure {
            return envelope::classify(status, retry_after, body);
        }
    }
    if !status.is_success() {
        return Err(Error::HttpStatus {
            status,
            body: BodySnippet::new(&body),
            retry_after,
        });
    }
    Ok(Success::whole(status, body))
}

/// The probe of a body that is a JSON object; `None` for anything else.
fn probe(body: &[u8]) -> Option<Probe> {
    let first = body
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))?;
    if *first != b'{' {
        return None;
    }
    serde_json::from_slice(body).ok()
}

fn text(value: Option<Value>) -> Option<String> {
    match value {
        Some(Value::String(s)) => Some(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::DeserializeOwned;

    fn run<T: DeserializeOwned + 'static>(status: u16, body: &str) -> Result<T, Error> {
        let status = StatusCode::from_u16(status).unwrap();
        classify(status, None, bytes::Bytes::from(body.to_owned()))
            .and_then(|s| envelope::decode_data(&s))
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Tokens {
        access_token: String,
        expires_in: u64,
    }

    #[test]
    fn a_2xx_body_is_the_response_itself() {
        let tokens: Tokens = run(200, r#"{"access_token":"at","expires_in":3600,"x":1}"#).unwrap();
        assert_eq!(
            tokens,
            Tokens {
                access_token: "at".into(),
                expires_in: 3600
            }
        );
    }

    #[test]
    fn oauth_errors_are_typed_with_every_field() {
        let body = r#"{"error":"invalid_grant","error_description":"code expired","error_uri":"https://x/e"}"#;
        for status in [400, 401, 200] {
            let err = run::<Tokens>(status, body).unwrap_err();
            let Error::OAuth(oauth) = &err else {
                panic!("{err:?}")
            };
            assert_eq!(oauth.http_status, status);
            assert_eq!(oauth.error, "invalid_grant");
            assert_eq!(oauth.description.as_deref(), Some("code expired"));
            assert_eq!(oauth.uri.as_deref(), Some("https://x/e"));
        }
        let bare = run::<()>(401, r#"{"error":"invalid_client"}"#).unwrap_err();
        assert_eq!(bare.oauth().map(|o| o.description.is_none()), Some(true));
    }

    #[test]
    fn an_envelope_with_a_failing_status_code_is_an_api_error() {
        let body = r#"{"statusCode":400,"apiCode":2001,"message":"bad","requestId":"r1"}"#;
        for status in [200, 400] {
            let err = run::<Tokens>(status, body).unwrap_err();
            let api = err.api().unwrap_or_else(|| panic!("{err:?}"));
            assert_eq!((api.status_code, api.api_code), (400, Some(2001)));
            assert_eq!(api.request_id.as_deref(), Some("r1"));
        }
        // A 2xx body that merely has `statusCode: 200` is a plain body.
        let ok: Value = run(200, r#"{"statusCode":200,"active":true}"#).unwrap();
        assert_eq!(ok["active"], true);
    }

    #[test]
    fn other_non_2xx_answers_are_http_status() {
        for body in [
            "<html>502</html>",
            r#"{"message":"no"}"#,
            "",
            r#"{"error":42}"#,
        ] {
            let err = run::<Tokens>(502, body).unwrap_err();
            assert!(
                matches!(&err, Error::HttpStatus { status, .. } if status.as_u16() == 502),
                "{body}: {err:?}"
            );
        }
    }

    #[test]
    fn unit_accepts_any_2xx_body_and_data_needs_json() {
        for body in ["", "OK", "{}", "[1]"] {
            run::<()>(200, body).unwrap();
        }
        for body in ["", "OK", "{\"access_token\":"] {
            let err = run::<Tokens>(200, body).unwrap_err();
            assert!(matches!(err, Error::NotJson { .. }), "{body:?}: {err:?}");
        }
        let err = run::<Tokens>(200, r#"{"access_token":1}"#).unwrap_err();
        assert!(matches!(err, Error::UnexpectedShape { .. }), "{err:?}");
    }
}
