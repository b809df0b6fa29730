//! The one path every call takes: credentials, attempts with timeouts, bounded bodies,
//! retries within a budget, a single replay after a rejected token, and one tracing span.
//!
//! Nothing here is generic over the endpoint type, so hundreds of endpoints share one copy
//! of this code; only serialising the request and decoding `data` are per endpoint.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};
use futures_util::FutureExt as _;
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
use crate::redact::Carried;
use crate::response::Response;
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
        let http = match &options.http_client {
            Some(_) if !options.root_certificates.is_empty() => {
                return Err(Error::config(
                    "`add_root_certificate` cannot change a client you built yourself: add the \
                     CA to your reqwest client (`tls_certs_merge`) and drop the call",
                ));
            }
            Some(own) => own.clone(),
            None => Self::http_client(&options)?,
        };
        Ok(Arc::new(Self {
            http,
            options,
            budget: RetryBudget::new(),
        }))
    }

    /// The SDK's own HTTP client: no redirects, the connect timeout, the extra roots.
    fn http_client(options: &TransportOptions) -> Result<reqwest::Client, Error> {
        let builder = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(options.timeouts.effective_connect())
            // A redirected POST would turn into a GET without its body, and credentials
            // must go only to the host they were configured for.
            .redirect(reqwest::redirect::Policy::none())
            // Retries are the SDK's own, in one place under one budget and deadline,
            // including the refusals reqwest would otherwise retry on its own (see
            // `retry::is_refused`). Without retries of its own reqwest does not copy
            // every request (headers, URL, extensions) to keep for them either.
            .retry(reqwest::retry::never().max_retries_per_request(0));
        with_root_certificates(builder, &options.root_certificates)?
            .build()
            .map_err(|e| Error::config(format!("could not set up the HTTP client: {e}")))
    }
}

/// Adds the PEM bundles in `pems` to the roots `builder` trusts.
#[cfg(any(feature = "rustls", feature = "native-tls"))]
fn with_root_certificates(
    mut builder: reqwest::ClientBuilder,
    pems: &[Vec<u8>],
) -> Result<reqwest::ClientBuilder, Error> {
    {
        let mut certificates = Vec::new();
        for pem in pems {
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
    }
    Ok(builder)
}

/// Without a TLS backend there is nothing to add roots to.
#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
fn with_root_certificates(
    builder: reqwest::ClientBuilder,
    pems: &[Vec<u8>],
) -> Result<reqwest::ClientBuilder, Error> {
    if pems.is_empty() {
        Ok(builder)
    } else {
        Err(Error::config(
            "authing-core was built without TLS (features `rustls` and `native-tls` both off), \
             so a root certificate has no use: enable one of them",
        ))
    }
}

/// One client's way to Authing: the shared parts, its host and its credentials, and what
/// every request of this client starts from, worked out once when the client is built.
#[derive(Debug)]
pub(crate) struct Transport {
    pub(crate) shared: Arc<Shared>,
    base: String,
    /// The host, parsed once: each request's URL is a copy with its path and query set,
    /// so that no call formats a URL string and parses it again (host included).
    base_url: Url,
    /// Whether the host has a path of its own (a private deployment may serve under
    /// one), which endpoint paths go after rather than replace.
    host_has_path: bool,
    /// The headers every attempt carries before the endpoint's own and the credentials.
    headers: HeaderMap,
    pub(crate) credentials: Credentials,
}

/// Whose attempts a retry loop makes: the caller's own, which its deadline bounds and
/// which wait for a management token when the scheme uses one, or a management token
/// fetch nested inside them, which runs under the caller's timer already.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Attempts {
    Caller,
    TokenFetch,
}

impl Transport {
    pub(crate) fn new(shared: Arc<Shared>, host: &Url, credentials: Credentials) -> Self {
        Self {
            headers: client_headers(&shared.options, &credentials),
            shared,
            base: host.as_str().trim_end_matches('/').to_owned(),
            base_url: host.clone(),
            host_has_path: host.path() != "/",
            credentials,
        }
    }

    /// The same host and shared parts with other credentials.
    pub(crate) fn with_credentials(&self, credentials: Credentials) -> Self {
        Self {
            shared: self.shared.clone(),
            base: self.base.clone(),
            base_url: self.base_url.clone(),
            host_has_path: self.host_has_path,
            headers: client_headers(&self.shared.options, &credentials),
            credentials,
        }
    }

    /// The host requests go to.
    pub(crate) fn base(&self) -> &str {
        &self.base
    }

    /// Sends `endpoint` and decodes its `data`.
    pub(crate) fn send<E: Endpoint>(
        &self,
        endpoint: &E,
        options: CallOptions,
    ) -> impl Future<Output = Result<E::Response, Error>> {
        self.send_then(endpoint, options, |data, _, _| data)
    }

    /// Sends `endpoint` and returns its `data` with the answer's request id, message and
    /// HTTP status.
    pub(crate) fn send_with_meta<E: Endpoint>(
        &self,
        endpoint: &E,
        options: CallOptions,
    ) -> impl Future<Output = Result<Response<E::Response>, Error>> {
        self.send_then(endpoint, options, |data, success, carried| {
            let message = envelope::message(success).map(|m| carried.scrub(&m).into_owned());
            let request_id = success.request_id.clone();
            Response::new(data, request_id, message, success.status.as_u16())
        })
    }

    /// Sends `endpoint`, decodes its `data`, and hands it to `finish` with the answer
    /// and the secrets the call carried (to keep them out of what it reads there).
    ///
    /// The one `async` function between a caller and the retry loop: `send` and
    /// `send_with_meta` return its future as it is, which saves a layer of future (built,
    /// moved and polled on every call) per wrapper.
    async fn send_then<E: Endpoint, T>(
        &self,
        endpoint: &E,
        options: CallOptions,
        finish: impl FnOnce(E::Response, &Success, Carried<'_>) -> T,
    ) -> Result<T, Error> {
        let params = self.credentials.params(&E::METADATA)?;
        let request = PreparedRequest::new(endpoint, &params)?;
        let (success, token) = self.execute(&request, &options).await;
        let carried = self.carried(&request, token.as_deref());
        let success = success?;
        let data = decode(&request, &success, carried)?;
        Ok(finish(data, &success, carried))
    }

    /// The secrets an attempt of `request` carried, with `token` if it sent one.
    fn carried<'a>(
        &'a self,
        request: &'a PreparedRequest,
        token: Option<&'a ManagementToken>,
    ) -> Carried<'a> {
        Carried::new(
            &request.secrets,
            self.credentials.secret(&request.meta),
            token.map(|t| &t.access_token),
        )
    }

    /// One call: a span, and the retry loop under the whole-call deadline.
    ///
    /// The deadline has no timer of its own: everything a call waits for is bounded by
    /// it where it waits (each attempt's timer fires at the earlier of its own timeout
    /// and the deadline, a token fetch runs under it, and no backoff outlasts it), so a
    /// call that succeeds at once arms one timer, not two. Resolves to the management
    /// token last used too, whose value the decoding keeps out of its errors.
    ///
    /// A plain function rather than an `async` one: the deadline is worked out as the
    /// call starts (the caller awaits this at once), and the call's future is the retry
    /// loop in its span, one layer less to build, move and poll on every call.
    fn execute<'a>(
        &'a self,
        request: &'a PreparedRequest,
        options: &'a CallOptions,
    ) -> impl Future<Output = (Result<Success, Error>, Option<Arc<ManagementToken>>)> + 'a {
        let call_timeout = options
            .call_timeout
            .unwrap_or(self.shared.options.timeouts.call);
        let policy = options.retry.as_ref().unwrap_or(&self.shared.options.retry);
        // `Duration::MAX` means "no limit" to a caller; it must not overflow the clock.
        let deadline = Deadline {
            at: Instant::now()
                .checked_add(call_timeout)
                .unwrap_or_else(|| Instant::now() + FOREVER),
            after: call_timeout,
        };
        traced(request, |span| {
            self.with_retries(request, policy, deadline, Attempts::Caller, span)
        })
    }

    /// Attempts until success, a failure that must not be retried, the policy's limit or
    /// an empty budget; then, if Authing rejected the management token a caller's
    /// attempt carried, once more from the first attempt with a fresh one. Returns the
    /// management token last used.
    ///
    /// `span` is the call's own (see [`traced`]), where the attempt number and the outcome
    /// go: not the current span, which is the application's when the call's is disabled.
    async fn with_retries(
        &self,
        request: &PreparedRequest,
        policy: &RetryPolicy,
        deadline: Deadline,
        whose: Attempts,
        span: tracing::Span,
    ) -> (Result<Success, Error>, Option<Arc<ManagementToken>>) {
        let mut attempt = 1;
        let mut spent = 0;
        let mut replayed = false;
        loop {
            span.record("attempt", attempt);
            let token = match whose {
                // The fetch is declared `auth = none`: it carries no credentials.
                Attempts::TokenFetch => None,
                Attempts::Caller => {
                    let fetch = |fetch| self.fetch_token(fetch, policy, deadline);
                    // Ready at once with a cached token, so this timer is only armed
                    // when a fetch (or a wait for another caller's fetch) happens.
                    let token = tokio::time::timeout_at(
                        deadline.at,
                        self.credentials.management_token(request, fetch),
                    );
                    match token.await.unwrap_or_else(|_| Err(deadline.error())) {
                        Ok(token) => token,
                        Err(err) => return finished(&span, Err(err), None),
                    }
                }
            };
            let carried = self.carried(request, token.as_deref());
            // A token fetch's attempts run inside the timer above, so only the
            // caller's own attempts are bounded by the deadline themselves.
            let bound = (whose == Attempts::Caller).then_some(deadline);
            let err = match self
                .attempt(request, token.as_deref(), carried, bound)
                .await
            {
                Ok(success) => {
                    self.shared.budget.refund(spent);
                    return finished(&span, Ok(success), token);
                }
                Err(err) => err,
            };
            let time_left = deadline.at.saturating_duration_since(Instant::now());
            match retry::decide(&err, &request.meta, policy, attempt, time_left) {
                Decision::RetryAfter(wait, cost) if self.shared.budget.try_take(cost) => {
                    tracing::info!(error = %err, ?wait, "attempt {attempt} failed; retrying");
                    spent += cost;
                    attempt += 1;
                    tokio::time::sleep(wait).await;
                }
                _ => match token {
                    Some(rejected) if !replayed && err.rejects_credentials() => {
                        tracing::debug!(
                            "management token rejected; fetching a new one and replaying once"
                        );
                        self.credentials.reject(&rejected);
                        (attempt, spent, replayed) = (1, 0, true);
                    }
                    _ => return finished(&span, Err(err), token),
                },
            }
        }
    }

    /// This attempt's headers before credentials: the client's, the body's type and the
    /// endpoint's own.
    ///
    /// A new map with room for what the SDK adds before the attempt leaves it (the
    /// credentials' headers and reqwest's `user-agent`), filled from the client's: a clone
    /// of the client's map would have room for only what it copied and grow as the rest
    /// went in. Sized to that, not rounded up to a fixed margin: a map of more than six
    /// headers is over a kilobyte, which glibc serves from its large bins after
    /// consolidating its small ones (with a margin of seven, 64 concurrent token calls
    /// took 1.16x the hand-written call's CPU, against 1.08x sized like this; hyper's
    /// `host` still goes in after).
    fn attempt_headers(&self, request: &PreparedRequest) -> HeaderMap {
        let has_body = request.body.is_some();
        let user_agent = 1;
        let mut headers = HeaderMap::with_capacity(
            self.headers.len()
                + usize::from(has_body)
                + request.headers.len()
                + self.credentials.added_headers()
                + user_agent,
        );
        headers.extend(self.headers.iter().map(|(n, v)| (n.clone(), v.clone())));
        if has_body {
            let content_type = request.meta.body.content_type();
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        for (name, value) in &request.headers {
            headers.insert(name.clone(), value.clone());
        }
        headers
    }

    /// The request's URL: the endpoint's path and query resolved against the parsed
    /// host, which only parses what they add.
    fn url(&self, request: &PreparedRequest) -> Result<Url, Error> {
        let target = request.path_and_query();
        let resolved = if !self.host_has_path && !target.starts_with("//") {
            self.base_url.join(target)
        } else {
            // Host and path as one string, parsed whole: a host with a path of its own,
            // or a path that would otherwise resolve as another host (`//…`).
            Url::parse(&format!("{}{}", self.base, target))
        };
        resolved.map_err(|e| {
            Error::invalid_request(format!(
                "the path `{}` does not make a URL with the host: {e}",
                request.path()
            ))
        })
    }

    /// Fetches a management token for the call that needs it: under that call's
    /// deadline (so the whole-call timeout, not a second timer of the fetch's own, is what
    /// fires) and with the call's retry policy, in a span of its own.
    async fn fetch_token(
        &self,
        fetch: GetManagementToken<'_>,
        policy: &RetryPolicy,
        deadline: Deadline,
    ) -> Result<FetchedToken, Error> {
        let request = PreparedRequest::new(&fetch, &[])?;
        let attempts = traced(&request, |span| {
            self.with_retries(&request, policy, deadline, Attempts::TokenFetch, span)
        });
        let (result, _) = Box::pin(attempts).await;
        decode(&request, &result?, self.carried(&request, None))
    }

    /// One attempt under one timer, at the earlier of the per-attempt timeout and the
    /// call's deadline (`bound`).
    ///
    /// A plain function: the timer wraps the exchange directly rather than inside an
    /// `async` layer of its own, and the error a firing timer gives is made only then.
    fn attempt<'a>(
        &'a self,
        request: &'a PreparedRequest,
        token: Option<&ManagementToken>,
        carried: Carried<'a>,
        bound: Option<Deadline>,
    ) -> impl Future<Output = Result<Success, Error>> + 'a {
        let timeout = self.shared.options.timeouts.attempt;
        let own_end = Instant::now() + timeout;
        let (end, call_deadline) = match bound {
            Some(deadline) if deadline.at <= own_end => (deadline.at, Some(deadline)),
            _ => (own_end, None),
        };
        let expired = move || match call_deadline {
            Some(deadline) => deadline.error(),
            None => Error::Timeout {
                which: TimeoutKind::Attempt,
                after: timeout,
            },
        };
        let sending = self.start(request, token, carried);
        tokio::time::timeout_at(end, self.exchange(request, sending, carried))
            .map(move |done| done.unwrap_or_else(|_| Err(expired())))
    }

    /// The attempt's request with its credentials (`token`, if the scheme uses one),
    /// handed to reqwest: what it sends once polled.
    ///
    /// Put together outside any `async` function, so that neither the request nor the
    /// headers it is made of take room in the future of every call.
    fn start(
        &self,
        request: &PreparedRequest,
        token: Option<&ManagementToken>,
        carried: Carried<'_>,
    ) -> Result<impl Future<Output = reqwest::Result<reqwest::Response>> + use<>, Error> {
        let url = self.url(request)?;
        let mut headers = self.attempt_headers(request);
        self.credentials.authorize(&mut headers, request, token)?;
        let mut http_request = reqwest::Request::new(request.meta.method.to_reqwest(), url);
        // Moved in whole: a builder's `.headers()` would copy them one by one.
        *http_request.headers_mut() = headers;
        if let Some(body) = &request.body {
            if !request.meta.sensitive {
                tracing::trace!(body = %carried.scrub(&String::from_utf8_lossy(body)), "request body");
            }
            *http_request.body_mut() = Some(body.clone().into());
        }
        Ok(self.shared.http.execute(http_request))
    }

    /// Waits for the answer to the request `sending` sends, reads the bounded body and
    /// classifies the answer.
    ///
    /// Whatever the server says back passes through `carried` before it is logged or
    /// kept: no secret the attempt carried may come back out of it.
    async fn exchange(
        &self,
        request: &PreparedRequest,
        sending: Result<impl Future<Output = reqwest::Result<reqwest::Response>>, Error>,
        carried: Carried<'_>,
    ) -> Result<Success, Error> {
        let mut response = sending?
            .await
            .map_err(|e| send_error(e, self.shared.options.timeouts.effective_connect()))?;
        let status = response.status();
        let retry_after = retry::retry_after(response.headers(), SystemTime::now());
        tracing::debug!(
            %status,
            request_id = header_request_id(response.headers()).map(|id| carried.scrub(id)).as_deref(),
            "answer received"
        );
        let body = read_bounded(&mut response, self.shared.options.max_response_bytes).await?;
        if !request.meta.sensitive {
            tracing::trace!(body = %carried.scrub(&String::from_utf8_lossy(&body)), "response body");
        }
        let classified = match request.meta.answer {
            AnswerFormat::Envelope => envelope::classify(status, retry_after, body),
            AnswerFormat::Plain => plain::classify(status, retry_after, body),
        };
        let mut success =
            classified.map_err(|err| carried.scrub_error(redact_if_sensitive(request, err)))?;
        if let Some(clean) = success
            .request_id
            .as_deref()
            .and_then(|id| carried.scrub_changed(id))
        {
            success.request_id = Some(clean);
        }
        Ok(success)
    }
}

/// When a call must be over, and the timeout that set it (for the error).
#[derive(Clone, Copy)]
struct Deadline {
    at: Instant,
    after: Duration,
}

impl Deadline {
    fn error(self) -> Error {
        Error::Timeout {
            which: TimeoutKind::Call,
            after: self.after,
        }
    }
}

/// The headers every request of a client carries, before the endpoint's own and the
/// credentials: built once per client.
fn client_headers(options: &TransportOptions, credentials: &Credentials) -> HeaderMap {
    let mut headers = HeaderMap::with_capacity(16);
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    headers.insert(
        HeaderName::from_static("x-authing-sdk-version"),
        HeaderValue::from_static(SDK_VERSION),
    );
    if let Ok(lang) = HeaderValue::from_str(&options.lang) {
        headers.insert(HeaderName::from_static("x-authing-lang"), lang);
    }
    credentials.static_headers(&mut headers);
    headers
}

/// Decodes the answer's `data` into the endpoint's response type.
fn decode<T: serde::de::DeserializeOwned + 'static>(
    request: &PreparedRequest,
    success: &Success,
    carried: Carried<'_>,
) -> Result<T, Error> {
    envelope::decode_data(success)
        .map_err(|err| carried.scrub_error(redact_if_sensitive(request, err)))
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

/// Sorts a failed send by whether the server may have acted on the request.
///
/// The URL is dropped from the error: its query can hold personal data (a phone number
/// as `userId`), and errors end up in logs.
fn send_error(err: reqwest::Error, connect_timeout: Duration) -> Error {
    let err = err.without_url();
    if retry::is_refused(&err) {
        return Error::Network {
            sent: false,
            source: err,
        };
    }
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
async fn read_bounded(response: &mut reqwest::Response, limit: u64) -> Result<Bytes, Error> {
    let status = response.status();
    let too_large = || Error::BodyTooLarge { status, limit };
    if response.content_length().is_some_and(|len| len > limit) {
        return Err(too_large());
    }
    let cut = |source: reqwest::Error| Error::Network {
        sent: true,
        source: source.without_url(),
    };
    // A small answer comes in one chunk: kept as it is, not copied.
    let Some(first) = response.chunk().await.map_err(cut)? else {
        return Ok(Bytes::new());
    };
    if first.len() as u64 > limit {
        return Err(too_large());
    }
    let Some(second) = response.chunk().await.map_err(cut)? else {
        return Ok(first);
    };
    let mut body = BytesMut::with_capacity(first.len() + second.len());
    body.extend_from_slice(&first);
    let mut next = Some(second);
    while let Some(chunk) = next {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
        next = response.chunk().await.map_err(cut)?;
    }
    Ok(body.freeze())
}

/// Runs one call's attempts, made by `call` from the call's own `authing.call` span (a
/// token fetch is a call of its own), in that span; the retry loop records in it how
/// the call ended (see [`finished`]).
fn traced<F: Future>(
    request: &PreparedRequest,
    call: impl FnOnce(tracing::Span) -> F,
) -> tracing::instrument::Instrumented<F> {
    let span = tracing::info_span!(
        "authing.call",
        method = %request.meta.method,
        path = %request.path(),
        attempt = field::Empty,
        request_id = field::Empty,
        outcome = field::Empty,
    );
    call(span.clone()).instrument(span)
}

/// The retry loop's answer, once its outcome is recorded in the call's `span`.
fn finished<T>(
    span: &tracing::Span,
    result: Result<Success, Error>,
    token: T,
) -> (Result<Success, Error>, T) {
    record_outcome(span, &result);
    (result, token)
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
    use crate::credentials::AccessKey;
    use crate::endpoint::{Metadata, Method};

    #[derive(serde::Serialize)]
    struct Probe {
        q: &'static str,
    }

    impl Endpoint for Probe {
        type Response = ();
        const METADATA: Metadata = Metadata::new(Method::Get, "/api/v3/probe");
    }

    /// A path that would resolve as another host if it were joined to the host.
    #[derive(serde::Serialize)]
    struct HostLike;

    impl Endpoint for HostLike {
        type Response = ();
        const METADATA: Metadata = Metadata::new(Method::Get, "//elsewhere.example/x");
    }

    fn transport(host: &str) -> Transport {
        let key = AccessKey {
            id: "AK".to_owned(),
            secret: "SK".into(),
        };
        let shared = Shared::new(TransportOptions::default()).unwrap();
        Transport::new(
            shared,
            &Url::parse(host).unwrap(),
            Credentials::signature(key, None),
        )
    }

    #[test]
    fn request_urls_keep_the_host_its_own_path_and_the_encoded_query() {
        let probe = PreparedRequest::new(&Probe { q: "a b/é" }, &[]).unwrap();
        for (host, url) in [
            (
                "http://127.0.0.1:9",
                "http://127.0.0.1:9/api/v3/probe?q=a%20b%2F%C3%A9",
            ),
            (
                "http://127.0.0.1:9/under/",
                "http://127.0.0.1:9/under/api/v3/probe?q=a%20b%2F%C3%A9",
            ),
        ] {
            assert_eq!(transport(host).url(&probe).unwrap().as_str(), url);
        }
        let host_like = PreparedRequest::new(&HostLike, &[]).unwrap();
        let url = transport("http://127.0.0.1:9").url(&host_like).unwrap();
        assert_eq!(url.host_str(), Some("127.0.0.1"), "{url}");
    }

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
