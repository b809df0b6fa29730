//! An entry point for fuzzing how answers are decoded; not a public API, and exempt from
//! semver.
//!
//! It runs on one answer exactly what the transport runs on every answer: reading
//! `Retry-After`, `envelope::classify` (the envelope, or the typed error that describes
//! the body), `envelope::decode_data` into a few response types, and the retry
//! classification of the error (`retry::retryable`, `retry::decide`). The
//! cargo-fuzz target `fuzz/fuzz_targets/envelope.rs` and the deterministic corpus test
//! `tests/tests/fuzz_corpus.rs` call it; whatever the input, it must return (never
//! panic), and what it returns must be one of the outcomes the transport documents.
//!
//! ```
//! use authing_core::__fuzz::{Retry, decode};
//!
//! let outcome = decode(503, Some(b"7"), b"<html>Service Unavailable</html>").unwrap();
//! assert!(matches!(outcome.unit, Err(authing_core::Error::HttpStatus { .. })));
//! assert_eq!(outcome.retry, Some(Retry::MaybeProcessed));
//! assert!(outcome.retried_get && !outcome.retried_post);
//! assert_eq!(outcome.retry_after, Some(std::time::Duration::from_secs(7)));
//! ```

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
use serde::Deserialize;

use crate::config::RetryPolicy;
use crate::endpoint::{Metadata, Method};
use crate::envelope;
use crate::error::Error;
use crate::retry::{self, Decision, Retryable};
use crate::secret::Secret;

/// What the SDK made of one answer.
#[derive(Debug)]
pub struct Outcome {
    /// The `Retry-After` the transport read from the header given, if any.
    pub retry_after: Option<Duration>,
    /// The answer sent by an endpoint whose response is `()`: `data` ignored.
    pub unit: Result<(), Error>,
    /// The answer sent by an endpoint whose response is any JSON (`serde_json::Value`).
    pub value: Result<serde_json::Value, Error>,
    /// The answer sent by an endpoint with a typed response ([`Typed`]).
    pub typed: Result<Typed, Error>,
    /// How the transport sorts the failure of the attempt, when [`unit`](Self::unit)
    /// failed (decoding `data` happens after the retry loop, so its failures are
    /// never retried and do not appear here).
    pub retry: Option<Retry>,
    /// Whether a GET, after this answer to its first attempt, would be tried again
    /// (default policy, 30 s left, budget aside).
    pub retried_get: bool,
    /// The same for a POST not declared idempotent.
    pub retried_post: bool,
}

/// A response type like an endpoint's: a required string, optional fields, a secret.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Typed {
    /// Required.
    pub value: String,
    /// Optional.
    pub count: Option<u32>,
    /// Optional, redacted.
    pub secret: Option<Secret>,
    /// Defaults to empty.
    #[serde(default)]
    pub items: Vec<i64>,
}

/// Why a failed attempt may be tried again (mirrors the transport's private enum).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Nothing reached the server: any call.
    NotSent,
    /// Throttled: any call, after at least the hinted wait.
    Throttled(Option<Duration>),
    /// The server may have acted: idempotent calls only.
    MaybeProcessed,
}

/// Decodes one answer: HTTP `status`, the `Retry-After` header's raw bytes if there is
/// one (bytes a header cannot carry count as no header, as on the wire), and the body.
/// `None` when `status` is not an HTTP status (outside 100–999).
pub fn decode(status: u16, retry_after: Option<&[u8]>, body: &[u8]) -> Option<Outcome> {
    let status = StatusCode::from_u16(status).ok()?;
    let mut headers = HeaderMap::new();
    if let Some(value) = retry_after.and_then(|v| HeaderValue::from_bytes(v).ok()) {
        headers.insert(RETRY_AFTER, value);
    }
    let retry_after = retry::retry_after(&headers, SystemTime::now());
    let classified =
        || envelope::classify(status, retry_after, bytes::Bytes::copy_from_slice(body));
    let unit = classified().and_then(|s| envelope::decode_data::<()>(&s));
    let value = classified().and_then(|s| envelope::decode_data::<serde_json::Value>(&s));
    let typed = classified().and_then(|s| envelope::decode_data::<Typed>(&s));
    let (retry, retried_get, retried_post) = match classified() {
        Ok(_) => (None, false, false),
        Err(err) => {
            let policy = RetryPolicy::default();
            let left = Duration::from_secs(30);
            let retried = |meta: &Metadata| {
                matches!(
                    retry::decide(&err, meta, &policy, 1, left),
                    Decision::RetryAfter(..)
                )
            };
            let get = Metadata::new(Method::Get, "/fuzz");
            let post = Metadata::new(Method::Post, "/fuzz");
            (
                retry::retryable(&err).map(Retry::from),
                retried(&get),
                retried(&post),
            )
        }
    };
    Some(Outcome {
        retry_after,
        unit,
        value,
        typed,
        retry,
        retried_get,
        retried_post,
    })
}

impl From<Retryable> for Retry {
    fn from(kind: Retryable) -> Self {
        match kind {
            // A refusal is an HTTP/2 error, not an answer: no input here makes one.
            Retryable::NotSent | Retryable::Refused => Retry::NotSent,
            Retryable::Throttled(hint) => Retry::Throttled(hint),
            Retryable::MaybeProcessed => Retry::MaybeProcessed,
        }
    }
}
