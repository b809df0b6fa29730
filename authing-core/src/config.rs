//! Settings shared by both clients: language, timeouts, retries, body cap, TLS, and the
//! per-call overrides.

use std::time::Duration;

use reqwest::Url;

use crate::error::Error;

/// The SDK's name and version as Authing sees them in `x-authing-sdk-version`.
pub(crate) const SDK_VERSION: &str = concat!("authing-rust-sdk:", env!("CARGO_PKG_VERSION"));

/// The `User-Agent` every request carries.
pub(crate) const USER_AGENT: &str = concat!("authing-rust-sdk/", env!("CARGO_PKG_VERSION"));

/// The three timeouts of a call.
///
/// ```
/// use std::time::Duration;
/// let t = authing_core::Timeouts::default();
/// assert_eq!(t.attempt, Duration::from_secs(10)); // Authing's documented default
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Opening a connection (TCP and TLS). Default 5 s.
    pub connect: Duration,
    /// One attempt, from sending the request to the last byte of the answer. Default 10 s,
    /// Authing's documented request timeout.
    pub attempt: Duration,
    /// The whole call: every attempt, the waits between them and any token fetch.
    /// Default 30 s.
    pub call: Duration,
}

impl Timeouts {
    /// The connect timeout in force. A connection is part of an attempt, and a hung
    /// connect must end as a connect timeout, not an attempt timeout: nothing was sent, so
    /// any call may be retried. So a connect timeout not shorter than the attempt timeout
    /// is cut to nine tenths of it, which fires first even on a busy machine.
    ///
    /// ```
    /// use std::time::Duration;
    /// let t = authing_core::Timeouts { attempt: Duration::from_secs(2), ..Default::default() };
    /// assert_eq!(t.effective_connect(), Duration::from_millis(1800));
    /// assert_eq!(authing_core::Timeouts::default().effective_connect(), Duration::from_secs(5));
    /// ```
    pub fn effective_connect(&self) -> Duration {
        if self.connect < self.attempt {
            self.connect
        } else {
            self.attempt.mul_f64(0.9)
        }
    }
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(5),
            attempt: Duration::from_secs(10),
            call: Duration::from_secs(30),
        }
    }
}

/// When and how often a failed attempt is tried again.
///
/// Which failures are retried is fixed by what is safe (see the crate's README): a
/// connection that failed before sending and a 429 for any call; 500, 502, 503, 504, a
/// timeout after sending and a connection cut mid-answer only for idempotent calls. This
/// policy decides how many attempts and how long to wait between them: full-jitter
/// exponential backoff, and at least what `Retry-After` asks, up to a cap.
///
/// ```
/// use std::time::Duration;
/// use authing_core::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(5)
///     .backoff(Duration::from_millis(50), Duration::from_secs(2));
/// assert_eq!(policy.attempts(), 5);
/// assert_eq!(RetryPolicy::disabled().attempts(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    throttle_wait: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, backoff from 100 ms up to 5 s, `Retry-After` honoured up to 30 s, a
    /// 429 without one waited out for 60 s when the call's deadline allows.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
            throttle_wait: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// One attempt only: nothing is retried.
    ///
    /// ```
    /// assert_eq!(authing_core::RetryPolicy::disabled().attempts(), 1);
    /// ```
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// At most `n` attempts in all (at least 1).
    ///
    /// ```
    /// assert_eq!(authing_core::RetryPolicy::default().max_attempts(0).attempts(), 1);
    /// ```
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// Backoff before retry `k` is drawn uniformly from `0..=min(max, initial * 2^(k-1))`.
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = authing_core::RetryPolicy::default()
    ///     .backoff(Duration::from_millis(100), Duration::from_millis(300));
    /// assert_eq!(p.backoff_ceiling(1), Duration::from_millis(100));
    /// assert_eq!(p.backoff_ceiling(2), Duration::from_millis(200));
    /// assert_eq!(p.backoff_ceiling(3), Duration::from_millis(300)); // capped
    /// ```
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// The longest `Retry-After` that is waited for; a longer one fails the call at once,
    /// with the wait on the error ([`Error::retry_after`]).
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = authing_core::RetryPolicy::default().max_retry_after(Duration::from_secs(5));
    /// assert_eq!(p.retry_after_cap(), Duration::from_secs(5));
    /// ```
    pub fn max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// How long a 429 without `Retry-After` waits before it is tried again (plus up to a
    /// tenth more, at random, so that throttled clients do not all return at once).
    /// Default 60 s: Authing limits SMS and e-mail sends to one a minute and refuses a
    /// sooner try the same way. When the call's deadline (default 30 s, see
    /// [`ClientBuilder::call_timeout`](crate::ClientBuilder::call_timeout)) leaves less
    /// time than this, the call fails at once with the 429.
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = authing_core::RetryPolicy::default().throttle_wait(Duration::from_secs(5));
    /// assert_eq!(p.throttle_wait_time(), Duration::from_secs(5));
    /// assert_eq!(authing_core::RetryPolicy::default().throttle_wait_time(), Duration::from_secs(60));
    /// ```
    pub fn throttle_wait(mut self, wait: Duration) -> Self {
        self.throttle_wait = wait;
        self
    }

    /// The wait before retrying a 429 that gave no `Retry-After` (see
    /// [`throttle_wait`](Self::throttle_wait)).
    ///
    /// ```
    /// let p = authing_core::RetryPolicy::disabled();
    /// assert_eq!(p.throttle_wait_time(), std::time::Duration::from_secs(60));
    /// ```
    pub fn throttle_wait_time(&self) -> Duration {
        self.throttle_wait
    }

    /// The maximum number of attempts.
    ///
    /// ```
    /// assert_eq!(authing_core::RetryPolicy::default().attempts(), 3);
    /// ```
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The longest `Retry-After` honoured (default 30 s).
    ///
    /// ```
    /// use std::time::Duration;
    /// assert_eq!(authing_core::RetryPolicy::default().retry_after_cap(), Duration::from_secs(30));
    /// ```
    pub fn retry_after_cap(&self) -> Duration {
        self.max_retry_after
    }

    /// The longest backoff before retry number `retry` (1 for the first retry):
    /// `min(max, initial * 2^(retry-1))`. The wait itself is drawn uniformly below it.
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = authing_core::RetryPolicy::default(); // 100 ms doubling up to 5 s
    /// assert_eq!(p.backoff_ceiling(4), Duration::from_millis(800));
    /// assert_eq!(p.backoff_ceiling(40), Duration::from_secs(5));
    /// ```
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retry.saturating_sub(1)));
        exp.min(self.max_backoff)
    }

    /// The full-jitter backoff before retry number `retry`.
    pub(crate) fn backoff_before(&self, retry: u32) -> Duration {
        self.backoff_ceiling(retry).mul_f64(rand::random::<f64>())
    }

    /// A wait of at least `base` before retry number `retry` (a server's hint, or the
    /// throttle wait), with jitter above it: up to a tenth of `base` or the backoff
    /// ceiling, whichever is longer, so that clients told the same wait spread out.
    pub(crate) fn jittered_above(&self, base: Duration, retry: u32) -> Duration {
        let spread = (base / 10).max(self.backoff_ceiling(retry));
        base.saturating_add(spread.mul_f64(rand::random::<f64>()))
    }
}

/// Overrides for one call.
///
/// ```
/// use std::time::Duration;
/// use authing_core::{CallOptions, RetryPolicy};
/// let once = CallOptions::new().retry(RetryPolicy::disabled()).timeout(Duration::from_secs(3));
/// assert_ne!(once, CallOptions::new()); // CallOptions::new() keeps the client's settings
/// // client.send_with(&endpoint, &once).await?;
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallOptions {
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) call_timeout: Option<Duration>,
}

impl CallOptions {
    /// No overrides: the client's settings apply.
    pub fn new() -> Self {
        Self::default()
    }

    /// Uses `policy` instead of the client's retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Uses `timeout` instead of the client's whole-call timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = Some(timeout);
        self
    }
}

/// Settings both clients share, gathered by their builders.
#[derive(Clone)]
pub(crate) struct TransportOptions {
    pub(crate) lang: String,
    pub(crate) timeouts: Timeouts,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_bytes: u64,
    pub(crate) allow_insecure_http: bool,
    pub(crate) root_certificates: Vec<Vec<u8>>,
    /// The caller's own HTTP client, used instead of one the SDK builds.
    pub(crate) http_client: Option<reqwest::Client>,
}

impl std::fmt::Debug for TransportOptions {
    /// Root certificates are counted, not dumped byte by byte.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransportOptions")
            .field("lang", &self.lang)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("root_certificates", &self.root_certificates.len())
            .field("own_http_client", &self.http_client.is_some())
            .finish()
    }
}

impl Default for TransportOptions {
    fn default() -> Self {
        Self {
            lang: "zh-CN".to_owned(),
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            max_response_bytes: 16 * 1024 * 1024,
            allow_insecure_http: false,
            root_certificates: Vec::new(),
            http_client: None,
        }
    }
}

/// Parses a host URL and checks the transport rules: `https` everywhere, plain `http`
/// only to a loopback address or when explicitly allowed.
pub(crate) fn parse_host(which: &str, host: &str, allow_insecure_http: bool) -> Result<Url, Error> {
    let url = Url::parse(host).map_err(|e| {
        Error::config(format!(
            "{which} `{host}` is not a URL ({e}); write it like `https://api.authing.cn`"
        ))
    })?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) || allow_insecure_http => {}
        "http" => {
            return Err(Error::config(format!(
                "{which} `{host}` uses plain http to a host that is not loopback, which would send \
                 credentials in clear text; use https, or call `allow_insecure_http(true)` if you \
                 really mean it"
            )));
        }
        other => {
            return Err(Error::config(format!(
                "{which} `{host}` has scheme `{other}`; only https (and http to loopback) work"
            )));
        }
    }
    if url.host().is_none() {
        return Err(Error::config(format!("{which} `{host}` has no host name")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(format!(
            "{which} `{host}` has a query or fragment; give only scheme, host, port and path"
        )));
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_is_accepted_for_loopback_only() {
        assert!(parse_host("host", "http://127.0.0.1:8080", false).is_ok());
        assert!(parse_host("host", "http://127.1.2.3", false).is_ok());
        assert!(parse_host("host", "http://localhost:1", false).is_ok());
        assert!(parse_host("host", "http://[::1]:1", false).is_ok());
        assert!(matches!(
            parse_host("host", "http://api.authing.cn", false),
            Err(Error::Config { .. })
        ));
        assert!(parse_host("host", "http://api.authing.cn", true).is_ok());
        assert!(parse_host("host", "https://api.authing.cn", false).is_ok());
        assert!(parse_host("host", "ftp://x", true).is_err());
        assert!(parse_host("host", "not a url", true).is_err());
        assert!(parse_host("host", "https://x.cn/?a=1", true).is_err());
    }

    #[test]
    fn backoff_stays_under_the_exponential_ceiling() {
        let p = RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_secs(1));
        for retry in 1..10 {
            let ceiling =
                Duration::from_millis(100 * 2u64.pow(retry - 1)).min(Duration::from_secs(1));
            for _ in 0..50 {
                assert!(p.backoff_before(retry) <= ceiling);
            }
        }
    }
}
