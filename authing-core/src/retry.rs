//! Which failures may be tried again, how long to wait, and the per-client budget that
//! keeps an outage from multiplying the load on Authing.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::config::RetryPolicy;
use crate::endpoint::Metadata;
use crate::error::{Error, TimeoutKind};

/// Why a failed attempt may be tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retryable {
    /// Nothing reached the server: safe for any call.
    NotSent,
    /// The server refused the request before acting on it, on a connection it is
    /// draining or with too many requests open: safe for any call, and at once, since a
    /// new stream or connection is all it takes.
    Refused,
    /// Throttled (429): safe for any call, after at least the hinted wait.
    Throttled(Option<Duration>),
    /// The server may have acted on the request: safe only for idempotent calls.
    MaybeProcessed,
}

/// How many budget tokens retrying `err` costs; timeouts cost more, since they hold a
/// connection the longest (the weights aws-sdk-rust uses).
fn retry_cost(err: &Error) -> u32 {
    if matches!(err, Error::Timeout { .. }) {
        10
    } else {
        5
    }
}

/// Sorts a failure by whether, and when, it may be retried.
pub(crate) fn retryable(err: &Error) -> Option<Retryable> {
    match err {
        Error::Network {
            sent: false,
            source,
        } if is_refused(source) => Some(Retryable::Refused),
        Error::Network {
            sent: false,
            source,
        } if is_permanent(source) => None,
        Error::Network { sent: false, .. }
        | Error::Timeout {
            which: TimeoutKind::Connect,
            ..
        } => Some(Retryable::NotSent),
        Error::Network { sent: true, .. }
        | Error::Timeout {
            which: TimeoutKind::Attempt,
            ..
        } => Some(Retryable::MaybeProcessed),
        Error::Api(api) if api.status_code == 429 || api.http_status == 429 => {
            Some(Retryable::Throttled(api.retry_after))
        }
        // A business error names itself with an apiCode: retrying cannot change it.
        Error::Api(api)
            if api.api_code.is_none()
                && (is_transient_server_status(api.status_code)
                    || is_transient_server_status(i64::from(api.http_status))) =>
        {
            Some(Retryable::MaybeProcessed)
        }
        Error::OAuth(oauth) if oauth.http_status == 429 => {
            Some(Retryable::Throttled(oauth.retry_after))
        }
        // RFC 6749 §5.2's codes for a server that could not answer; every other code
        // names a fault of the request that retrying cannot change.
        Error::OAuth(oauth)
            if oauth.is("temporarily_unavailable")
                || oauth.is("server_error")
                || is_transient_server_status(i64::from(oauth.http_status)) =>
        {
            Some(Retryable::MaybeProcessed)
        }
        Error::HttpStatus {
            status,
            retry_after,
            ..
        } if *status == StatusCode::TOO_MANY_REQUESTS => Some(Retryable::Throttled(*retry_after)),
        Error::HttpStatus { status, .. }
            if is_transient_server_status(i64::from(status.as_u16())) =>
        {
            Some(Retryable::MaybeProcessed)
        }
        _ => None,
    }
}

/// Whether a failed connect will fail the same way however often it is tried: the host
/// name does not resolve, or TLS refused the server (an untrusted or mismatched
/// certificate, a failed handshake). Read from the error's causes, since reqwest only
/// says "connect": rustls reports through an `InvalidData` I/O error, hyper's resolver
/// as "dns error", native-tls in its own words about certificates and handshakes.
///
/// Every resolution failure counts, a resolver's passing hiccup too: it is rare, and
/// three quick tries seldom outlast it.
fn is_permanent(err: &reqwest::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(inner) = cause {
        let io_kind = inner.downcast_ref::<std::io::Error>().map(|io| io.kind());
        if io_kind == Some(std::io::ErrorKind::InvalidData) {
            return true;
        }
        let text = inner.to_string().to_ascii_lowercase();
        if text == "dns error"
            || text.starts_with("error resolving dns")
            || text.contains("certificate")
            || text.contains("handshake")
        {
            return true;
        }
        cause = inner.source();
    }
    false
}

/// Whether the server refused the request without acting on it: an HTTP/2 stream reset
/// with `REFUSED_STREAM`, or a graceful `GOAWAY` (`NO_ERROR`) that did not take it in
/// (RFC 9113 §8.7). Both come from the server (`is_remote`): the same reasons raised by
/// this side say nothing about what the server did.
pub(crate) fn is_refused(err: &reqwest::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(inner) = cause {
        if let Some(h2) = inner.downcast_ref::<h2::Error>() {
            let reason = h2.reason();
            return h2.is_remote()
                && ((h2.is_reset() && reason == Some(h2::Reason::REFUSED_STREAM))
                    || (h2.is_go_away() && reason == Some(h2::Reason::NO_ERROR)));
        }
        cause = inner.source();
    }
    false
}

fn is_transient_server_status(code: i64) -> bool {
    matches!(code, 500 | 502 | 503 | 504)
}

/// What to do after failed attempt number `attempt`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Wait this long, then try again; costs this many budget tokens.
    RetryAfter(Duration, u32),
    /// Give up and return the error.
    GiveUp,
}

/// Decides whether to retry `err`, given the endpoint, the policy, the attempt just made
/// and the time left before the whole-call deadline.
pub(crate) fn decide(
    err: &Error,
    meta: &Metadata,
    policy: &RetryPolicy,
    attempt: u32,
    time_left: Duration,
) -> Decision {
    let Some(kind) = retryable(err) else {
        return Decision::GiveUp;
    };
    if attempt >= policy.attempts() {
        return Decision::GiveUp;
    }
    if kind == Retryable::MaybeProcessed && !meta.retry_safe() {
        return Decision::GiveUp;
    }
    if kind == Retryable::Refused {
        return Decision::RetryAfter(Duration::ZERO, retry_cost(err));
    }
    // A 429 must carry its hint; a 503 (Authing's maintenance) may carry one too.
    let hint = match kind {
        Retryable::Throttled(hint) => hint,
        _ => err.retry_after(),
    };
    let floor = match (kind, hint) {
        // A hint we cannot honour fails now, with the hint on the error, rather than
        // being cut short (a storm) or waited out past the deadline.
        (_, Some(hint)) if hint > policy.retry_after_cap() => return Decision::GiveUp,
        (_, Some(hint)) => hint,
        // A bare 429 is most often a once-a-minute limit: a quick retry meets it again.
        (Retryable::Throttled(None), None) => policy.throttle_wait_time(),
        (_, None) => {
            let backoff = policy.backoff_before(attempt);
            return if backoff < time_left {
                Decision::RetryAfter(backoff, retry_cost(err))
            } else {
                Decision::GiveUp
            };
        }
    };
    if floor >= time_left {
        return Decision::GiveUp;
    }
    // Jitter above the floor, unless it would cross the deadline: then the floor itself.
    let wait = Some(policy.jittered_above(floor, attempt))
        .filter(|wait| *wait < time_left)
        .unwrap_or(floor);
    Decision::RetryAfter(wait, retry_cost(err))
}

/// Reads `Retry-After`: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many seconds for a u64 is still a wait, and a long one: saturate rather
        // than drop the hint (which would retry at once, against the server's wish).
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A token bucket shared by every call of a client: each retry takes tokens, each success
/// puts some back. When it runs dry (a long outage), calls fail on their first error
/// instead of multiplying the load.
///
/// One atomic, not a lock: every successful call refunds, from every thread at once, and
/// a full bucket (the usual state) is only read, so that concurrent calls do not take
/// turns writing one shared cache line.
#[derive(Debug)]
pub(crate) struct RetryBudget {
    tokens: AtomicU32,
}

impl RetryBudget {
    /// Room for 100 ordinary retries in a row.
    pub(crate) const CAPACITY: u32 = 500;

    pub(crate) fn new() -> Self {
        Self {
            tokens: AtomicU32::new(Self::CAPACITY),
        }
    }

    /// Takes `cost` tokens if there are that many.
    pub(crate) fn try_take(&self, cost: u32) -> bool {
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| t.checked_sub(cost))
            .is_ok()
    }

    /// A call succeeded: refund what its retries took, or one token for a first-try success.
    pub(crate) fn refund(&self, spent_on_retries: u32) {
        let refund = spent_on_retries.max(1);
        // `Err` means the bucket is full already: nothing to write.
        let _ = self
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| {
                (t < Self::CAPACITY).then(|| t.saturating_add(refund).min(Self::CAPACITY))
            });
    }

    #[cfg(test)]
    pub(crate) fn available(&self) -> u32 {
        self.tokens.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::Method;
    use crate::error::{ApiError, BodySnippet};

    const GET: Metadata = Metadata::new(Method::Get, "/x");
    const POST: Metadata = Metadata::new(Method::Post, "/x");
    const LONG: Duration = Duration::from_secs(60);

    fn http(status: u16, retry_after: Option<Duration>) -> Error {
        Error::HttpStatus {
            status: StatusCode::from_u16(status).unwrap(),
            body: BodySnippet::new(b""),
            retry_after,
        }
    }

    fn envelope(status_code: i64, api_code: Option<i64>) -> Error {
        ApiError::new(200, status_code, api_code, "m", None).into()
    }

    fn retries(err: &Error, meta: &Metadata) -> bool {
        matches!(
            decide(err, meta, &RetryPolicy::default(), 1, LONG),
            Decision::RetryAfter(..)
        )
    }

    #[test]
    fn oauth_errors_are_retried_only_when_the_server_could_not_answer() {
        let oauth = |status: u16, code: &str| -> Error {
            Error::OAuth(Box::new(crate::error::OAuthError::new(status, code, None)))
        };
        let idempotent = POST.idempotent();
        for transient in [
            oauth(503, "temporarily_unavailable"),
            oauth(500, "server_error"),
            oauth(502, "bad_gateway"),
        ] {
            assert!(retries(&transient, &idempotent), "{transient}");
            assert!(!retries(&transient, &POST), "{transient}");
        }
        for permanent in [
            "invalid_grant",
            "invalid_client",
            "invalid_request",
            "invalid_token",
        ] {
            assert!(!retries(&oauth(400, permanent), &idempotent), "{permanent}");
        }
        let mut throttled = crate::error::OAuthError::new(429, "slow_down", None);
        throttled.retry_after = Some(Duration::from_secs(1));
        let throttled = Error::OAuth(Box::new(throttled));
        let decision = decide(&throttled, &POST, &RetryPolicy::default(), 1, LONG);
        assert!(
            matches!(decision, Decision::RetryAfter(wait, 5) if wait >= Duration::from_secs(1)),
            "a 429 is retried for any call, no sooner than the hint: {decision:?}"
        );
    }

    #[test]
    fn server_errors_are_retried_for_idempotent_calls_only() {
        for status in [500, 502, 503, 504] {
            assert!(retries(&http(status, None), &GET), "{status}");
            assert!(!retries(&http(status, None), &POST), "{status}");
            assert!(retries(&envelope(status.into(), None), &GET));
        }
        assert!(retries(&http(503, None), &POST.idempotent()));
    }

    #[test]
    fn client_errors_and_business_errors_are_never_retried() {
        for err in [
            http(400, None),
            http(404, None),
            envelope(400, Some(2004)),
            envelope(500, Some(1)),
        ] {
            assert!(!retries(&err, &GET), "{err}");
        }
    }

    #[test]
    fn throttling_is_retried_for_any_call_after_the_hint() {
        let hint = Duration::from_secs(2);
        match decide(
            &http(429, Some(hint)),
            &POST,
            &RetryPolicy::default(),
            1,
            LONG,
        ) {
            Decision::RetryAfter(wait, _) => assert!(wait >= hint),
            other => panic!("expected a retry, got {other:?}"),
        }
        let bare = decide(
            &envelope(429, None),
            &POST,
            &RetryPolicy::default(),
            1,
            Duration::from_secs(90),
        );
        assert!(matches!(bare, Decision::RetryAfter(..)));
    }

    #[test]
    fn a_hint_over_the_cap_or_the_time_left_gives_up_at_once() {
        let policy = RetryPolicy::default().max_retry_after(Duration::from_secs(5));
        let err = http(429, Some(Duration::from_secs(6)));
        assert_eq!(decide(&err, &GET, &policy, 1, LONG), Decision::GiveUp);
        let err = http(429, Some(Duration::from_secs(3)));
        assert_eq!(
            decide(&err, &GET, &policy, 1, Duration::from_secs(2)),
            Decision::GiveUp
        );
    }

    #[test]
    fn a_hint_on_a_503_is_honoured_too() {
        let hint = Duration::from_secs(2);
        match decide(
            &http(503, Some(hint)),
            &GET,
            &RetryPolicy::default(),
            1,
            LONG,
        ) {
            Decision::RetryAfter(wait, _) => assert!(wait >= hint),
            other => panic!("expected a retry, got {other:?}"),
        }
        let too_long = http(503, Some(Duration::from_secs(3600)));
        assert_eq!(
            decide(&too_long, &GET, &RetryPolicy::default(), 1, LONG),
            Decision::GiveUp
        );
    }

    #[test]
    fn attempts_are_capped_by_the_policy() {
        let policy = RetryPolicy::default().max_attempts(3);
        assert!(matches!(
            decide(&http(503, None), &GET, &policy, 2, LONG),
            Decision::RetryAfter(..)
        ));
        assert_eq!(
            decide(&http(503, None), &GET, &policy, 3, LONG),
            Decision::GiveUp
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_262_400);
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(7)));
        headers.insert(
            RETRY_AFTER,
            "Sat, 21 Nov 2026 12:00:30 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(30)));
        headers.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers, now), None);
        headers.insert(RETRY_AFTER, "99999999999999999999999".parse().unwrap());
        assert_eq!(
            retry_after(&headers, now),
            Some(Duration::from_secs(u64::MAX))
        );
        headers.insert(RETRY_AFTER, "-1".parse().unwrap());
        assert_eq!(retry_after(&headers, now), None);
    }

    #[test]
    fn budget_runs_dry_and_refills_on_success() {
        let budget = RetryBudget::new();
        let mut taken = 0;
        while budget.try_take(5) {
            taken += 1;
        }
        assert_eq!(taken, RetryBudget::CAPACITY / 5);
        budget.refund(5);
        assert!(budget.try_take(5));
        budget.refund(0);
        assert_eq!(budget.available(), 1);
        // A refund never fills the bucket past its capacity, and a full one stays full.
        budget.refund(RetryBudget::CAPACITY * 2);
        assert_eq!(budget.available(), RetryBudget::CAPACITY);
        budget.refund(1);
        assert_eq!(budget.available(), RetryBudget::CAPACITY);
    }

    fn wait(decision: Decision) -> Duration {
        match decision {
            Decision::RetryAfter(wait, _) => wait,
            other => panic!("expected a retry, got {other:?}"),
        }
    }

    #[test]
    fn a_bare_429_waits_out_a_once_a_minute_limit_when_the_deadline_allows() {
        let policy = RetryPolicy::default();
        for err in [http(429, None), envelope(429, None)] {
            let waits: Vec<Duration> = (0..50)
                .map(|_| wait(decide(&err, &POST, &policy, 1, Duration::from_secs(90))))
                .collect();
            for w in &waits {
                assert!(
                    (Duration::from_secs(60)..=Duration::from_secs(66)).contains(w),
                    "{w:?}"
                );
            }
            assert!(waits.iter().any(|w| *w != waits[0]), "jittered");
            // The default 30 s call cannot wait a minute: the 429 is the answer, now.
            let short = decide(&err, &POST, &policy, 1, Duration::from_secs(30));
            assert_eq!(short, Decision::GiveUp);
        }
        // Just enough time for the wait but not the jitter: the wait itself.
        let tight = Duration::from_secs(60) + Duration::from_millis(1);
        let w = wait(decide(&http(429, None), &GET, &policy, 1, tight));
        assert!(w >= Duration::from_secs(60) && w < tight, "{w:?}");
    }

    #[test]
    fn jitter_is_added_above_a_retry_after_hint() {
        let hint = Duration::from_secs(2);
        let policy = RetryPolicy::default();
        let waits: Vec<Duration> = (0..50)
            .map(|_| wait(decide(&http(429, Some(hint)), &GET, &policy, 1, LONG)))
            .collect();
        // Spread: a tenth of the hint (200 ms) or the first backoff (100 ms).
        let most = hint + Duration::from_millis(200);
        assert!(waits.iter().all(|w| (hint..=most).contains(w)), "{waits:?}");
        assert!(waits.iter().any(|w| *w != waits[0]), "jittered");
    }

    /// A real resolver failure and a real refused connection, through reqwest itself.
    #[tokio::test]
    async fn a_host_that_does_not_resolve_is_not_retried_but_a_refused_connect_is() {
        let client = reqwest::Client::new();
        let unresolvable = client.get("http://authing-rs-test.invalid/").send().await;
        let err = Error::Network {
            sent: false,
            source: unresolvable.unwrap_err(),
        };
        assert_eq!(retryable(&err), None, "{err:?}");
        assert_eq!(
            decide(&err, &GET, &RetryPolicy::default(), 1, LONG),
            Decision::GiveUp
        );

        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = closed.local_addr().unwrap().port();
        drop(closed);
        let refused = client.get(format!("http://127.0.0.1:{port}/")).send().await;
        let err = Error::Network {
            sent: false,
            source: refused.unwrap_err(),
        };
        assert_eq!(retryable(&err), Some(Retryable::NotSent), "{err:?}");
    }
}
