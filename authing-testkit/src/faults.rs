//! Scripted faults: answers the stand-in gives instead of (or before) its normal one, so
//! that a client's handling of gateways, throttling, slowness and garbage can be tested.

use std::collections::VecDeque;
use std::time::Duration;

use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::envelope::{Envelope, JSON, SUCCESS_MESSAGE, request_id};
use crate::record::RecordedRequest;

/// A scripted answer. Queue it with [`StandIn::script`](crate::StandIn::script) (any
/// path) or [`StandIn::script_for`](crate::StandIn::script_for) (one path); each
/// request uses up the first queued fault that applies to its path, before any normal
/// handling (authentication included), and is still recorded.
///
/// Constructors pick the answer; the builder methods adjust it:
///
/// | fault | answer |
/// | --- | --- |
/// | [`Fault::http(503)`](Fault::http) | HTTP 503, envelope `statusCode` 503 |
/// | [`Fault::http(502).html(…)`](Fault::html) | HTTP 502, `text/html` body |
/// | [`Fault::envelope(500, Some(1000))`](Fault::envelope) | HTTP 200, envelope `statusCode` 500, `apiCode` 1000 |
/// | [`Fault::http(429).retry_after("1")`](Fault::retry_after) | HTTP 429 with `Retry-After: 1` |
/// | [`Fault::raw(200, "application/json", "{\"statusC")`](Fault::raw) | exactly that (truncated JSON, wrong shape, empty body…) |
/// | [`Fault::delay(d)`](Fault::delay) | the normal answer, `d` later |
/// | [`Fault::oversized(n)`](Fault::oversized) | HTTP 200, a success envelope padded to `n` bytes |
/// | [`Fault::echo(400)`](Fault::echo) | HTTP 200, envelope `statusCode` 400 whose `message` quotes the request |
///
/// ```
/// use std::time::Duration;
/// use authing_testkit::{Fault, StandIn};
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let stand_in = StandIn::start().await?;
/// stand_in.script(Fault::http(503).times(2));
/// stand_in.script(Fault::http(429).retry_after("1"));
/// stand_in.script_for("/api/v3/import-otp", Fault::delay(Duration::from_millis(10)));
///
/// let url = format!("{}/api/v3/get-otp-secret-by-user", stand_in.base_url());
/// let client = reqwest::Client::new();
/// assert_eq!(client.get(&url).send().await?.status(), 503);
/// assert_eq!(client.get(&url).send().await?.status(), 503);
/// let throttled = client.get(&url).send().await?;
/// assert_eq!(throttled.headers()["retry-after"], "1");
/// assert_eq!(stand_in.pending_faults(), 1); // the delay waits for import-otp
/// # Ok(()) }
/// ```
///
/// # Panics
///
/// Constructors and builder methods panic on what HTTP cannot carry (a status outside
/// 100–999, a header name or value with forbidden characters): a mistake in a test's
/// script, reported where it was written rather than as a puzzling answer later.
#[derive(Debug, Clone)]
pub struct Fault {
    reply: Reply,
    delay: Duration,
    headers: Vec<(HeaderName, HeaderValue)>,
    times: usize,
}

#[derive(Debug, Clone)]
enum Reply {
    /// Answer as the stand-in normally would.
    Normal,
    Canned {
        status: StatusCode,
        content_type: Option<HeaderValue>,
        body: Body,
    },
}

#[derive(Debug, Clone)]
enum Body {
    Envelope {
        status_code: i64,
        api_code: Option<i64>,
        message: String,
    },
    Raw(Bytes),
    Oversized(usize),
    /// A failure envelope whose message quotes the request.
    Echo {
        status_code: i64,
    },
}

impl Fault {
    /// HTTP `status` with an envelope whose `statusCode` is `status` too, the way
    /// Authing itself answers what it refuses at the HTTP level. Add
    /// [`html`](Fault::html) for a gateway's HTML page instead.
    ///
    /// ```
    /// let fault = authing_testkit::Fault::http(503);
    /// assert_eq!(fault.http_status(), Some(503));
    /// ```
    pub fn http(status: u16) -> Self {
        let body = Body::Envelope {
            status_code: i64::from(status),
            api_code: None,
            message: format!("scripted fault: HTTP {status}"),
        };
        Self::canned(status, Some(HeaderValue::from_static(JSON)), body)
    }

    /// HTTP 200 with a failure envelope: `statusCode` `status_code`, `apiCode`
    /// `api_code` when given. This is how Authing reports business errors.
    ///
    /// ```
    /// let fault = authing_testkit::Fault::envelope(500, Some(1000)).message("系统繁忙");
    /// assert_eq!(fault.http_status(), Some(200));
    /// ```
    pub fn envelope(status_code: i64, api_code: Option<i64>) -> Self {
        let body = Body::Envelope {
            status_code,
            api_code,
            message: format!("scripted fault: statusCode {status_code}"),
        };
        Self::canned(200, Some(HeaderValue::from_static(JSON)), body)
    }

    /// HTTP 200 with a failure envelope (`statusCode` `status_code`) whose `message`
    /// quotes the request back: its method, path, query, headers and body, as a careless
    /// server's error message might (a signature mismatch showing what it parsed, an
    /// invalid-secret answer repeating the secret). For testing that a client keeps the
    /// secrets it sent out of its errors and logs.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use authing_testkit::{Fault, StandIn};
    /// let stand_in = StandIn::start().await?;
    /// stand_in.script(Fault::echo(400));
    /// let url = format!("{}/api/v3/x?code=123456", stand_in.base_url());
    /// let answer: serde_json::Value = reqwest::Client::new().post(&url).body("{\"secret\":\"s3\"}").send().await?.json().await?;
    /// assert_eq!(answer["statusCode"], 400);
    /// let message = answer["message"].as_str().unwrap();
    /// assert!(message.contains("code=123456") && message.contains(r#"{"secret":"s3"}"#), "{message}");
    /// # Ok(()) }
    /// ```
    pub fn echo(status_code: i64) -> Self {
        Self::canned(
            200,
            Some(HeaderValue::from_static(JSON)),
            Body::Echo { status_code },
        )
    }

    /// Exactly this answer: HTTP `status`, `content-type: content_type` (none when
    /// empty) and `body` byte for byte. For truncated JSON, a wrong shape, an empty
    /// body, invalid UTF-8…
    ///
    /// ```
    /// use authing_testkit::Fault;
    /// let truncated = Fault::raw(200, "application/json", r#"{"statusCode":20"#);
    /// let empty = Fault::raw(204, "", "");
    /// assert_eq!((truncated.http_status(), empty.http_status()), (Some(200), Some(204)));
    /// ```
    pub fn raw(status: u16, content_type: &str, body: impl AsRef<[u8]>) -> Self {
        let content_type = (!content_type.is_empty()).then(|| header_value(content_type));
        let body = Body::Raw(Bytes::copy_from_slice(body.as_ref()));
        Self::canned(status, content_type, body)
    }

    /// The normal answer, `delay` later: for timeouts. A delay still pending when the
    /// stand-in shuts down ends at once with HTTP 503.
    ///
    /// ```
    /// let slow = authing_testkit::Fault::delay(std::time::Duration::from_secs(30));
    /// assert_eq!(slow.http_status(), None); // the normal answer
    /// assert_eq!(slow.wait_before(), std::time::Duration::from_secs(30));
    /// ```
    pub fn delay(delay: Duration) -> Self {
        Self {
            reply: Reply::Normal,
            delay,
            headers: Vec::new(),
            times: 1,
        }
    }

    /// HTTP 200 with a well-formed success envelope padded to exactly `bytes` bytes (at
    /// least 2): for a client's limit on response size.
    ///
    /// ```
    /// let huge = authing_testkit::Fault::oversized(20 * 1024 * 1024);
    /// assert_eq!(huge.http_status(), Some(200));
    /// ```
    pub fn oversized(bytes: usize) -> Self {
        Self::canned(
            200,
            Some(HeaderValue::from_static(JSON)),
            Body::Oversized(bytes),
        )
    }

    /// Replaces the body with an HTML page (`text/html`), as a gateway in front of
    /// Authing would send. On a [`delay`](Fault::delay) fault, answers HTTP 200.
    ///
    /// ```
    /// let fault = authing_testkit::Fault::http(502).html("<html>Bad Gateway</html>");
    /// assert_eq!(fault.http_status(), Some(502));
    /// assert_eq!(authing_testkit::Fault::delay(Default::default()).html("<p/>").http_status(), Some(200));
    /// ```
    pub fn html(mut self, page: impl AsRef<[u8]>) -> Self {
        let status = match &self.reply {
            Reply::Canned { status, .. } => *status,
            Reply::Normal => StatusCode::OK,
        };
        self.reply = Reply::Canned {
            status,
            content_type: Some(HeaderValue::from_static("text/html; charset=utf-8")),
            body: Body::Raw(Bytes::copy_from_slice(page.as_ref())),
        };
        self
    }

    /// Adds a `Retry-After` header (seconds or an HTTP date, sent as given).
    ///
    /// ```
    /// let fault = authing_testkit::Fault::http(429).retry_after("1");
    /// assert_eq!(fault.header_value("Retry-After"), Some("1"));
    /// ```
    pub fn retry_after(self, value: &str) -> Self {
        self.header("retry-after", value)
    }

    /// Adds any header to the answer (also to the normal answer of a
    /// [`delay`](Fault::delay) fault).
    ///
    /// ```
    /// let fault = authing_testkit::Fault::http(503).header("x-gateway", "edge-1");
    /// assert_eq!(fault.header_value("x-gateway"), Some("edge-1"));
    /// ```
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = HeaderName::from_bytes(name.as_bytes())
            .unwrap_or_else(|_| panic!("Fault::header: {name:?} is not a valid header name"));
        self.headers.push((name, header_value(value)));
        self
    }

    /// Sets the envelope's `message` (of [`http`](Fault::http) and
    /// [`envelope`](Fault::envelope) faults; other bodies have none and are left as
    /// they are).
    ///
    /// ```
    /// use authing_testkit::{Fault, StandIn};
    /// use serde_json::Value;
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let stand_in = StandIn::start().await?;
    /// stand_in.script(Fault::envelope(503, None).message("维护中"));
    /// let answer: Value = reqwest::get(stand_in.base_url()).await?.json().await?;
    /// assert_eq!(answer["message"], "维护中");
    /// # Ok(()) }
    /// ```
    pub fn message(mut self, text: impl Into<String>) -> Self {
        if let Reply::Canned {
            body: Body::Envelope { message, .. },
            ..
        } = &mut self.reply
        {
            *message = text.into();
        }
        self
    }

    /// Waits `delay` before answering (a slow gateway error, say).
    ///
    /// ```
    /// use std::time::Duration;
    /// let slow_503 = authing_testkit::Fault::http(503).after(Duration::from_millis(200));
    /// assert_eq!((slow_503.http_status(), slow_503.wait_before()), (Some(503), Duration::from_millis(200)));
    /// ```
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Answers the next `n` matching requests this way instead of one (`0` scripts
    /// nothing).
    ///
    /// ```
    /// let three_outages = authing_testkit::Fault::http(503).times(3);
    /// assert_eq!(three_outages.repeats(), 3);
    /// ```
    pub fn times(mut self, n: usize) -> Self {
        self.times = n;
        self
    }

    /// The HTTP status it answers with, or `None` for the stand-in's normal answer.
    ///
    /// Example: see [`http`](Fault::http).
    pub fn http_status(&self) -> Option<u16> {
        match &self.reply {
            Reply::Canned { status, .. } => Some(status.as_u16()),
            Reply::Normal => None,
        }
    }

    /// How long it waits before answering.
    ///
    /// Example: see [`delay`](Fault::delay).
    pub fn wait_before(&self) -> Duration {
        self.delay
    }

    /// How many requests it answers.
    ///
    /// Example: see [`times`](Fault::times).
    pub fn repeats(&self) -> usize {
        self.times
    }

    /// The first scripted header called `name` (any case).
    ///
    /// Example: see [`header`](Fault::header).
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(known, _)| known.as_str().eq_ignore_ascii_case(name))
            .and_then(|(_, value)| value.to_str().ok())
    }

    fn canned(status: u16, content_type: Option<HeaderValue>, body: Body) -> Self {
        let status = StatusCode::from_u16(status)
            .unwrap_or_else(|_| panic!("Fault: {status} is not an HTTP status (100-999)"));
        Self {
            reply: Reply::Canned {
                status,
                content_type,
                body,
            },
            delay: Duration::ZERO,
            headers: Vec::new(),
            times: 1,
        }
    }

    /// How long to wait before answering.
    pub(crate) fn wait(&self) -> Duration {
        self.delay
    }

    /// The scripted answer, or `None` when the stand-in answers normally.
    pub(crate) fn response(&self, seen: &RecordedRequest) -> Option<Response> {
        let Reply::Canned {
            status,
            content_type,
            body,
        } = &self.reply
        else {
            return None;
        };
        let mut response = (*status, body.render(seen)).into_response();
        response.headers_mut().remove(header::CONTENT_TYPE);
        if let Some(content_type) = content_type {
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, content_type.clone());
        }
        self.decorate(&mut response);
        Some(response)
    }

    /// Adds the scripted headers to `response`.
    pub(crate) fn decorate(&self, response: &mut Response) {
        for (name, value) in &self.headers {
            response.headers_mut().append(name.clone(), value.clone());
        }
    }
}

impl Body {
    fn render(&self, seen: &RecordedRequest) -> Bytes {
        match self {
            Body::Envelope {
                status_code,
                api_code,
                message,
            } => {
                let envelope = Envelope::failure(*status_code, *api_code, message.clone());
                Bytes::from(envelope.to_json().to_string())
            }
            Body::Raw(bytes) => bytes.clone(),
            Body::Oversized(bytes) => oversized_body(*bytes),
            Body::Echo { status_code } => {
                let envelope = Envelope::failure(*status_code, None, echo(seen));
                Bytes::from(envelope.to_json().to_string())
            }
        }
    }
}

/// Left as they are when the echo percent-encodes a query value: RFC 3986 unreserved.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The request as a careless server quotes it: `you sent: METHOD path?query`, then the
/// headers and the body (query values percent-encoded again, as they were sent).
fn echo(seen: &RecordedRequest) -> String {
    let query: Vec<String> = seen
        .query
        .iter()
        .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, UNRESERVED)))
        .collect();
    let headers: Vec<String> = seen
        .headers
        .iter()
        .map(|(n, v)| format!("{n}: {v}"))
        .collect();
    format!(
        "you sent: {} {}?{}; headers: {}; body: {}",
        seen.method,
        seen.path,
        query.join("&"),
        headers.join(", "),
        seen.body
    )
}

/// A success envelope whose `data.padding` fills it to exactly `bytes` bytes; when that
/// is too short for an envelope, `{}` padded with spaces (still valid JSON).
fn oversized_body(bytes: usize) -> Bytes {
    let head = format!(
        r#"{{"statusCode":200,"message":"{SUCCESS_MESSAGE}","requestId":"{}","data":{{"padding":""#,
        request_id()
    );
    const TAIL: &str = r#""}}"#;
    let mut body = Vec::with_capacity(bytes.max(2));
    match bytes.checked_sub(head.len() + TAIL.len()) {
        Some(padding) => {
            body.extend_from_slice(head.as_bytes());
            body.resize(head.len() + padding, b'x');
            body.extend_from_slice(TAIL.as_bytes());
        }
        None => {
            body.extend_from_slice(b"{}");
            body.resize(bytes.max(2), b' ');
        }
    }
    Bytes::from(body)
}

fn header_value(value: &str) -> HeaderValue {
    HeaderValue::from_str(value)
        .unwrap_or_else(|_| panic!("Fault: {value:?} is not a valid header value"))
}

/// The queue of scripted faults, oldest first.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    entries: VecDeque<Scripted>,
}

#[derive(Debug)]
struct Scripted {
    path: Option<String>,
    fault: Fault,
    remaining: usize,
}

impl FaultQueue {
    /// Queues `fault` for `path` (every path when `None`).
    pub(crate) fn push(&mut self, path: Option<String>, fault: Fault) {
        let remaining = fault.times;
        if remaining > 0 {
            self.entries.push_back(Scripted {
                path,
                fault,
                remaining,
            });
        }
    }

    /// Uses up the oldest fault that applies to `path`. Faults scoped to other paths
    /// stay queued, in their order.
    pub(crate) fn take(&mut self, path: &str) -> Option<Fault> {
        let index = self
            .entries
            .iter()
            .position(|entry| entry.path.as_deref().is_none_or(|p| p == path))?;
        let entry = self.entries.get_mut(index)?;
        entry.remaining -= 1;
        let fault = entry.fault.clone();
        if entry.remaining == 0 {
            self.entries.remove(index);
        }
        Some(fault)
    }

    /// How many answers are still scripted (a fault with `times(n)` counts `n`).
    pub(crate) fn pending(&self) -> usize {
        self.entries.iter().map(|entry| entry.remaining).sum()
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oversized_bodies_have_the_exact_length_and_parse() {
        for size in [2, 10, 200, 1 << 20] {
            let body = oversized_body(size);
            assert_eq!(body.len(), size);
            assert!(
                serde_json::from_slice::<serde_json::Value>(&body).is_ok(),
                "{size}"
            );
        }
    }

    #[test]
    fn faults_are_taken_in_order_and_scoped_ones_wait_for_their_path() {
        let mut queue = FaultQueue::default();
        queue.push(Some("/b".into()), Fault::http(502));
        queue.push(None, Fault::http(503).times(2));
        assert_eq!(queue.pending(), 3);
        let (parts, _) = axum::http::Request::new(()).into_parts();
        let seen = RecordedRequest::new(&parts, b"");
        let status =
            |fault: Option<Fault>| fault.and_then(|f| f.response(&seen)).map(|r| r.status());
        assert_eq!(
            status(queue.take("/a")),
            Some(StatusCode::SERVICE_UNAVAILABLE)
        );
        assert_eq!(status(queue.take("/b")), Some(StatusCode::BAD_GATEWAY));
        assert_eq!(
            status(queue.take("/b")),
            Some(StatusCode::SERVICE_UNAVAILABLE)
        );
        assert!(queue.take("/a").is_none());
        assert_eq!(queue.pending(), 0);
    }

    #[test]
    fn times_zero_scripts_nothing() {
        let mut queue = FaultQueue::default();
        queue.push(None, Fault::http(503).times(0));
        assert_eq!(queue.pending(), 0);
    }

    #[test]
    #[should_panic(expected = "not an HTTP status")]
    fn an_impossible_status_is_refused_when_scripted() {
        let _ = Fault::http(1000);
    }
}
