//! The one path every call takes: credentials, attempts with timeouts, bounded bodies,
//! retries within a budget, a single replay after a rejected token, and one tracing span.
//!
//! Nothing here is generic over the endpoint type, so hundreds of endpoints share one copy
//! of this code; only serialising the request and decoding `data` are per endpoint.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};
use reqwest::Url;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use tokio::time::Instant;
use tracing::{Instrument, field};

use crate::config::{CallOptions, RetryPolicy, SDK_VERSION, TransportOptions, USER_AGENT};
use crate::credentials::Credentials;
use crate::endpoint::{AnswerFormat, Endpoint};
use crate::envelope::{self, Success};
use crate::error::{Error, TimeoutKind};
use crate::plain;
use crate::prepared::PreparedRequest;
use crate::retry::{self, Decision, RetryBudget};
use crate::token_cache::{FetchedToken, GetManagementToken, ManagementToken};

/// A deadline far enough away to mean none.
const FOREVER: Duration = Duration::from_secs(100 * 365 * 24 * 60 * 60);

/// What clients built from one another share: the connection pool, the settings and the
/// retry budget.
#[derive(Debug)]
pub(crate) struct Shared {
    http: reqwest::Client,
    pub(crate) options: TransportOptions,
    budget: RetryBudget,
}

impl Shared {
    pub(crate) fn new(options: TransportOptions) -> Result<Arc<Self>, Error> {
        let mut builder = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(options.timeouts.effective_connect())
            // A redirected POST would turn into a GET without its body, and credentials
            // must go only to the host they were configured for.
            .redirect(reqwest::redirect::Policy::none());
        let mut certificates = Vec::new();
        for pem in &options.root_certificates {
            let certs = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| Error::config(format!("a root certificate is not valid PEM: {e}")))?;
            // Text without a single PEM block parses as an empty bundle: refuse it rather
            // than build a client that silently lacks the CA it was given.
            if certs.is_empty() {
                return Err(Error::config(
                    "a root certificate holds no PEM certificate \
                     (`-----BEGIN CERTIFICATE-----`); pass the CA's PEM text",
                ));
            }
            certificates.extend(certs);
        }
        if !certificates.is_empty() {
            builder = builder.tls_certs_merge(certificates);
        }
        let http = builder
            .build()
            .map_err(|e| Error::config(format!("could not set up the HTTP client: {e}")))?;
        Ok(Arc::new(Self {
            http,
            options,
            budget: RetryBudget::new(),
        }))
    }
}

/// One client's way to Authing: the shared parts, its host and its credentials.
#[derive(Debug)]
pub(crate) struct Transport {
    pub(crate) shared: Arc<Shared>,
    base: String,
    pub(crate) credentials: Credentials,
}

impl Transport {
    pub(crate) fn new(shared: Arc<Shared>, host: &Url, credentials: Credentials) -> Self {
        Self {
            shared,
            base: host.as_str().trim_end_matches('/').to_owned(),
            credentials,
        }
    }

    /// The same host and shared parts with other credentials.
    pub(crate) fn with_credentials(&self, credentials: Credentials) -> Self {
        Self {
            shared: self.shared.clone(),
            base: self.base.clone(),
            credentials,
        }
    }

    /// The host requests go to.
    pub(crate) fn base(&self) -> &str {
        &self.base
    }

    /// Sends `endpoint` and decodes its `data`.
    pub(crate) async fn send<E: Endpoint>(
        &self,
        endpoint: &E,
        options: &CallOptions,
    ) -> Result<E::Response, Error> {
        let params = self.credentials.params(&E::METADATA)?;
        let request = PreparedRequest::new(endpoint, &params)?;
        let success = self.execute(&request, options).await?;
        decode(&request, &success)
    }

    /// One call: a span, the whole-call timeout, and the retry loop inside.
    async fn execute(
        &self,
        request: &PreparedRequest,
        options: &CallOptions,
    ) -> Result<Success, Error> {
        let call_timeout = options
            .call_timeout
            .unwrap_or(self.shared.options.timeouts.call);
        let policy = options.retry.unwrap_or(self.shared.options.retry);
        // `Duration::MAX` means "no limit" to a caller; it must not overflow the clock.
        let deadline = Instant::now()
            .checked_add(call_timeout)
            .unwrap_or_else(|| Instant::now() + FOREVER);
        let attempts = self.with_replay(request, &policy, deadline);
        traced(request, async {
            tokio::time::timeout_at(deadline, attempts)
                .await
                .unwrap_or(Err(Error::Timeout {
                    which: TimeoutKind::Call,
                    after: call_timeout,
                }))
        })
        .await
    }

    /// The retry loop, then once more with a fresh token if Authing rejected the one used.
    async fn with_replay(
        &self,
        request: &PreparedRequest,
        policy: &RetryPolicy,
        deadline: Instant,
    ) -> Result<Success, Error> {
        let (result, token) = self.with_retries(request, policy, deadline).await;
        let (Err(err), Some(token)) = (&result, token) else {
            return result;
        };
        if !err.rejects_credentials() {
            return result;
        }
        tracing::debug!("management token rejected; fetching a new one and replaying once");
        self.credentials.reject(&token);
        self.with_retries(request, policy, deadline).await.0
    }

    /// Attempts until success, a failure that must not be retried, the policy's limit or
    /// an empty budget. Returns the management token last used, for the replay decision.
    async fn with_retries(
        &self,
        request: &PreparedRequest,
        policy: &RetryPolicy,
        deadline: Instant,
    ) -> (Result<Success, Error>, Option<Arc<ManagementToken>>) {
        let mut attempt = 1;
        let mut spent = 0;
        loop {
            tracing::Span::current().record("attempt", attempt);
            let mut headers = self.base_headers(request);
            let fetch = |fetch| self.fetch_token(fetch, policy, deadline);
            let token = match self
                .credentials
                .authorize(&mut headers, request, fetch)
                .await
            {
                Ok(token) => token,
                Err(err) => return (Err(err), None),
            };
            let err = match self.attempt(request, headers).await {
                Ok(success) => {
                    self.shared.budget.refund(spent);
                    return (Ok(success), token);
                }
                Err(err) => err,
            };
            let time_left = deadline.saturating_duration_since(Instant::now());
            match retry::decide(&err, &request.meta, policy, attempt, time_left) {
                Decision::RetryAfter(wait, cost) if self.shared.budget.try_take(cost) => {
                    tracing::info!(error = %err, ?wait, "attempt {attempt} failed; retrying");
                    spent += cost;
                    attempt += 1;
                    tokio::time::sleep(wait).await;
                }
                _ => return (Err(err), token),
            }
        }
    }

    /// The headers every attempt carries, before credentials.
    fn base_headers(&self, request: &PreparedRequest) -> HeaderMap {
        let mut headers = HeaderMap::with_capacity(12);
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if request.body.is_some() {
            let content_type = request.meta.body.content_type();
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        headers.insert(
            HeaderName::from_static("x-authing-sdk-version"),
            HeaderValue::from_static(SDK_VERSION),
        );
        if let Ok(lang) = HeaderValue::from_str(&self.shared.options.lang) {
            headers.insert(HeaderName::from_static("x-authing-lang"), lang);
        }
        self.credentials.static_headers(&mut headers);
        for (name, value) in &request.headers {
            headers.insert(name.clone(), value.clone());
        }
        headers
    }

    /// Fetches a management token for the call that needs it: under that call's
    /// deadline (so the whole-call timeout, not a second timer of the fetch's own, is what
    /// fires) and with the call's retry policy, in a span of its own.
    async fn fetch_token(
        &self,
        fetch: GetManagementToken<'_>,
        policy: &RetryPolicy,
        deadline: Instant,
    ) -> Result<FetchedToken, Error> {
        let request = PreparedRequest::new(&fetch, &[])?;
        let attempts = self.with_retries(&request, policy, deadline);
        let result = Box::pin(traced(&request, async { attempts.await.0 })).await;
        decode(&request, &result?)
    }

    /// One attempt under the per-attempt timeout: send, read the bounded body, classify.
    async fn attempt(
        &self,
        request: &PreparedRequest,
        headers: HeaderMap,
    ) -> Result<Success, Error> {
        let url = format!("{}{}", self.base, request.path_and_query);
        let mut builder = self
            .shared
            .http
            .request(request.meta.method.to_reqwest(), url)
            .headers(headers);
        if let Some(body) = &request.body {
            if !request.meta.sensitive {
                tracing::trace!(body = %String::from_utf8_lossy(body), "request body");
            }
            builder = builder.body(body.clone());
        }
        let timeout = self.shared.options.timeouts.attempt;
        let exchange = async {
            let connect = self.shared.options.timeouts.effective_connect();
            let response = builder.send().await.map_err(|e| send_error(e, connect))?;
            let status = response.status();
            let retry_after = retry::retry_after(response.headers(), SystemTime::now());
            tracing::debug!(%status, request_id = header_request_id(response.headers()), "answer received");
            let body = read_bounded(response, self.shared.options.max_response_bytes).await?;
            if !request.meta.sensitive {
                tracing::trace!(body = %String::from_utf8_lossy(&body), "response body");
            }
            let classified = match request.meta.answer {
                AnswerFormat::Envelope => envelope::classify(status, retry_after, body),
                AnswerFormat::Plain => plain::classify(status, retry_after, body),
            };
            classified.map_err(|err| redact_if_sensitive(request, err))
        };
        match tokio::time::timeout(timeout, exchange).await {
            Ok(result) => result,
            Err(_) => Err(Error::Timeout {
                which: TimeoutKind::Attempt,
                after: timeout,
            }),
        }
    }
}

/// Decodes the answer's `data` into the endpoint's response type.
fn decode<T: serde::de::DeserializeOwned + 'static>(
    request: &PreparedRequest,
    success: &Success,
) -> Result<T, Error> {
    envelope::decode_data(success).map_err(|err| redact_if_sensitive(request, err))
}

/// Errors quote the start of the body they could not read; the answer of a sensitive
/// endpoint (a management token, an OTP secret) must not end up in a log that way.
fn redact_if_sensitive(request: &PreparedRequest, err: Error) -> Error {
    if request.meta.sensitive {
        err.withhold_body()
    } else {
        err
    }
}

/// Sorts a failed send by whether the request may have reached the server.
///
/// The URL is dropped from the error: its query can hold personal data (a phone number
/// as `userId`), and errors end up in logs.
fn send_error(err: reqwest::Error, connect_timeout: Duration) -> Error {
    let err = err.without_url();
    if err.is_connect() {
        if err.is_timeout() {
            return Error::Timeout {
                which: TimeoutKind::Connect,
                after: connect_timeout,
            };
        }
        return Error::Network {
            sent: false,
            source: err,
        };
    }
    Error::Network {
        sent: true,
        source: err,
    }
}

/// Reads at most `limit` bytes of the body; a larger one ends the read (and the
/// connection) with [`Error::BodyTooLarge`] rather than buffering the rest.
async fn read_bounded(mut response: reqwest::Response, limit: u64) -> Result<Bytes, Error> {
    let status = response.status();
    let too_large = || Error::BodyTooLarge { status, limit };
    if response.content_length().is_some_and(|len| len > limit) {
        return Err(too_large());
    }
    let mut body = BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(|source| Error::Network {
        sent: true,
        source: source.without_url(),
    })? {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// Runs one call's attempts in its own `authing.call` span (a token fetch is a call of
/// its own), and records how it ended.
async fn traced(
    request: &PreparedRequest,
    call: impl Future<Output = Result<Success, Error>>,
) -> Result<Success, Error> {
    let span = tracing::info_span!(
        "authing.call",
        method = %request.meta.method,
        path = %request.path,
        attempt = field::Empty,
        request_id = field::Empty,
        outcome = field::Empty,
    );
    let result = call.instrument(span.clone()).await;
    record_outcome(&span, &result);
    result
}

fn header_request_id(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("x-authing-request-id")
        .or_else(|| headers.get("x-request-id"))
        .and_then(|v| v.to_str().ok())
}

fn record_outcome(span: &tracing::Span, result: &Result<Success, Error>) {
    match result {
        Ok(success) => {
            if let Some(id) = &success.request_id {
                span.record("request_id", id.as_str());
            }
            span.record("outcome", "ok");
        }
        Err(err) => {
            if let Some(id) = err.api().and_then(|a| a.request_id.as_deref()) {
                span.record("request_id", id);
            }
            span.record("outcome", field::display(err));
        }
    }
    if let Err(err) = result {
        tracing::debug!(parent: span, error = %err, "call failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_root_certificate_without_a_pem_block_is_refused() {
        for pem in [&b"not a pem"[..], b""] {
            let options = TransportOptions {
                root_certificates: vec![pem.to_vec()],
                ..TransportOptions::default()
            };
            let err = Shared::new(options).unwrap_err();
            assert!(
                matches!(&err, Error::Config { reason } if reason.contains("PEM")),
                "{err}"
            );
        }
    }
}
