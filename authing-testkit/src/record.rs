//! What the stand-in saw: every request, as it arrived.

use axum::http::request::Parts;
use bytes::Bytes;
use serde_json::Value;

/// One request the stand-in received, recorded before it was answered (so also the ones
/// a [`Fault`](crate::Fault) answered, refused ones and unknown paths).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let stand_in = authing_testkit::StandIn::start().await?;
/// reqwest::Client::new()
///     .get(format!("{}/api/v3/get-otp-secret-by-user?userId=a%20b", stand_in.base_url()))
///     .header("X-Authing-Lang", "en-US")
///     .send()
///     .await?;
/// let seen = &stand_in.requests()[0];
/// assert_eq!(seen.method, "GET");
/// assert_eq!(seen.path, "/api/v3/get-otp-secret-by-user");
/// assert_eq!(seen.query_param("userId"), Some("a b"));
/// assert_eq!(seen.header("x-authing-lang"), Some("en-US"));
/// assert!(!seen.scripted);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The method, such as `GET`.
    pub method: String,
    /// The path as sent, still percent-encoded, without the query.
    pub path: String,
    /// The query parameters in order, percent-decoded (`+` read as a space).
    pub query: Vec<(String, String)>,
    /// Every header in order, names lowercase, values as text (bytes that are not UTF-8
    /// replaced by U+FFFD).
    pub headers: Vec<(String, String)>,
    /// The body as text (invalid UTF-8 replaced by U+FFFD). Empty for a body refused as
    /// larger than 1 MiB, which the stand-in does not read.
    pub body: String,
    /// Whether a scripted [`Fault`](crate::Fault) was used up by this request.
    pub scripted: bool,
}

impl RecordedRequest {
    /// The value of the first header called `name` (any case).
    ///
    /// Example: see [`RecordedRequest`].
    pub fn header(&self, name: &str) -> Option<&str> {
        first(&self.headers, |key| key.eq_ignore_ascii_case(name))
    }

    /// The value of the first query parameter called `name` (exact case).
    ///
    /// Example: see [`RecordedRequest`].
    pub fn query_param(&self, name: &str) -> Option<&str> {
        first(&self.query, |key| key == name)
    }

    /// The body parsed as JSON, or `None` when it is empty or not JSON.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// reqwest::Client::new()
    ///     .post(format!("{}/api/v3/import-otp", stand_in.base_url()))
    ///     .body(r#"{"list":[]}"#)
    ///     .send()
    ///     .await?;
    /// assert_eq!(stand_in.requests()[0].json(), Some(serde_json::json!({"list": []})));
    /// # Ok(()) }
    /// ```
    pub fn json(&self) -> Option<Value> {
        serde_json::from_str(&self.body).ok()
    }

    /// A record of a request whose head is `parts` and whose body is `body`.
    pub(crate) fn new(parts: &Parts, body: &[u8]) -> Self {
        let query = parts.uri.query().unwrap_or_default();
        Self {
            method: parts.method.as_str().to_owned(),
            path: parts.uri.path().to_owned(),
            query: form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect(),
            headers: parts
                .headers
                .iter()
                .map(|(name, value)| {
                    let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                    (name.as_str().to_owned(), value)
                })
                .collect(),
            body: String::from_utf8_lossy(body).into_owned(),
            scripted: false,
        }
    }
}

fn first(pairs: &[(String, String)], matches: impl Fn(&str) -> bool) -> Option<&str> {
    pairs
        .iter()
        .find(|(key, _)| matches(key))
        .map(|(_, value)| value.as_str())
}

/// A request as handlers see it: the record plus the body's exact bytes (the record's
/// text may have replaced invalid UTF-8, which must not turn bad JSON into good).
#[derive(Debug)]
pub(crate) struct Incoming {
    pub(crate) record: RecordedRequest,
    pub(crate) body: Bytes,
}

impl Incoming {
    /// The first header called `name` (lowercase).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.record.header(name)
    }

    /// The headers as the borrowed pairs that `string_to_sign` takes.
    pub(crate) fn header_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.record
            .headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }
}
