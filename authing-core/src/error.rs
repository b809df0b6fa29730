//! One error type for everything a call can meet, each variant saying what went wrong and
//! what to do about it.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

/// Everything that can go wrong with an Authing call.
///
/// Failures that Authing reports itself are [`Error::Api`], with the fields support asks
/// for. What a gateway, a proxy or a broken connection produces gets its own variant, with
/// the HTTP status and the start of the body where there was one.
///
/// ```
/// use authing_core::Error;
///
/// fn explain(err: &Error) -> String {
///     match err {
///         Error::Api(api) if api.api_code == Some(6001) => "wrong TOTP code".into(),
///         Error::Api(api) => format!("Authing said {} (request {:?})", api.message, api.request_id),
///         other => other.to_string(),
///     }
/// }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Authing answered with its envelope and a `statusCode` other than 200.
    #[error(transparent)]
    Api(Box<ApiError>),

    /// An OAuth 2.0 or OpenID Connect endpoint (declared `answer = plain`) refused with
    /// OAuth's `{"error", "error_description"}`, e.g. `invalid_grant` for a used code.
    #[error(transparent)]
    OAuth(Box<OAuthError>),

    /// A non-2xx HTTP answer that is not an Authing envelope: a gateway's or proxy's page.
    #[error(
        "HTTP {status} without an Authing answer (a gateway or proxy in between?); body starts: {body}{}",
        retry_hint(*retry_after)
    )]
    HttpStatus {
        /// The HTTP status.
        status: StatusCode,
        /// The start of the body.
        body: BodySnippet,
        /// How long the server asked to wait (`Retry-After`), if it said.
        retry_after: Option<Duration>,
    },

    /// A 2xx answer whose body is not JSON.
    #[error("HTTP {status} with a body that is not JSON ({source}); body starts: {body}")]
    NotJson {
        /// The HTTP status.
        status: StatusCode,
        /// The start of the body.
        body: BodySnippet,
        /// Where parsing stopped.
        source: serde_json::Error,
    },

    /// JSON that is not the envelope, or whose `data` does not have the expected shape.
    #[error(
        "HTTP {status} with JSON of an unexpected shape ({source}); body starts: {body}. \
         If Authing changed this answer, please report it"
    )]
    UnexpectedShape {
        /// The HTTP status.
        status: StatusCode,
        /// The start of the body.
        body: BodySnippet,
        /// What did not match.
        source: serde_json::Error,
    },

    /// The answer's body was larger than the client accepts; the rest was not read.
    #[error(
        "HTTP {status} with a body over the {limit}-byte limit; raise `max_response_bytes` if it is expected"
    )]
    BodyTooLarge {
        /// The HTTP status.
        status: StatusCode,
        /// The limit that was exceeded, in bytes.
        limit: u64,
    },

    /// A timeout fired.
    #[error(
        "the {which} timeout ({after:?}) fired; raise it in the client builder if the network is slow"
    )]
    Timeout {
        /// Which of the timeouts fired.
        which: TimeoutKind,
        /// Its configured length.
        after: Duration,
    },

    /// The connection failed or broke.
    #[error(
        "{}: {source}",
        if *sent { "the connection broke after the request was sent" } else { "the request did not reach Authing" }
    )]
    Network {
        /// Whether Authing may have acted on the request: `false` when it was never
        /// sent (the connection could not be made), or when the server refused it before
        /// acting on it (an HTTP/2 `REFUSED_STREAM`, or a graceful `GOAWAY` that left it
        /// out). Either way sending it again is safe, whatever the endpoint.
        sent: bool,
        /// The underlying error.
        source: reqwest::Error,
    },

    /// The management token could not be obtained; the message says why (the key was
    /// refused, Authing was unavailable, the request timed out, the network failed) and
    /// the source is the token request's own error.
    #[error("could not obtain a management token: {}", why_no_token(.0))]
    Credentials(#[source] Box<Error>),

    /// The request could not be built from the endpoint's value; nothing was sent.
    #[error("invalid request, nothing was sent: {reason}")]
    InvalidRequest {
        /// What is wrong.
        reason: String,
    },

    /// A client was configured in a way that cannot work.
    #[error("invalid client configuration: {reason}")]
    Config {
        /// What is wrong and what to do.
        reason: String,
    },
}

impl Error {
    pub(crate) fn invalid_request(reason: impl Into<String>) -> Self {
        Error::InvalidRequest {
            reason: reason.into(),
        }
    }

    pub(crate) fn config(reason: impl Into<String>) -> Self {
        Error::Config {
            reason: reason.into(),
        }
    }

    /// The same error without the body it quotes: for answers of `sensitive` endpoints,
    /// whose bodies may hold secrets (a management token, an OTP secret).
    pub(crate) fn withhold_body(mut self) -> Self {
        match &mut self {
            Error::HttpStatus { body, .. } => *body = BodySnippet::withheld(),
            // serde's messages quote the offending value (`invalid type: string "eyJ…"`):
            // keep only where and what kind of error it was.
            Error::NotJson { body, source, .. } | Error::UnexpectedShape { body, source, .. } => {
                *body = BodySnippet::withheld();
                *source = shape_error(format!(
                    "{:?} error at line {} column {} (details withheld: the endpoint is sensitive)",
                    source.classify(),
                    source.line(),
                    source.column()
                ));
            }
            _ => {}
        }
        self
    }

    /// The envelope error, if Authing itself reported this failure.
    ///
    /// ```
    /// # let err = authing_core::Error::Api(Box::new(authing_core::ApiError::new(200, 404, Some(2004), "not found", None)));
    /// assert_eq!(err.api().and_then(|a| a.api_code), Some(2004));
    /// ```
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            Error::Credentials(inner) => inner.api(),
            _ => None,
        }
    }

    /// Whether the answer refused the credentials the attempt carried: Authing's 401
    /// envelope, or a plain HTTP 401 from a gateway in front of it that checks tokens.
    pub(crate) fn rejects_credentials(&self) -> bool {
        match self {
            Error::Api(api) => api.is_unauthorized(),
            Error::HttpStatus { status, .. } => *status == StatusCode::UNAUTHORIZED,
            _ => false,
        }
    }

    /// The OAuth error, if an OAuth 2.0 or OpenID Connect endpoint refused the call.
    ///
    /// ```
    /// use authing_core::{Error, OAuthError};
    /// let err = Error::OAuth(Box::new(OAuthError::new(400, "invalid_grant", None)));
    /// assert_eq!(err.oauth().map(|e| e.error.as_str()), Some("invalid_grant"));
    /// ```
    pub fn oauth(&self) -> Option<&OAuthError> {
        match self {
            Error::OAuth(oauth) => Some(oauth),
            _ => None,
        }
    }

    /// How long the server asked to wait before trying again, if it said.
    ///
    /// ```
    /// # let err = authing_core::Error::Config { reason: String::new() };
    /// assert_eq!(err.retry_after(), None);
    /// ```
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api(api) => api.retry_after,
            Error::OAuth(oauth) => oauth.retry_after,
            Error::HttpStatus { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

impl From<ApiError> for Error {
    fn from(api: ApiError) -> Self {
        Error::Api(Box::new(api))
    }
}

/// A decoding error that is about the shape of a body, not its syntax, or one whose
/// details are withheld; serde_json builds its own errors only while parsing.
pub(crate) fn shape_error(why: impl Into<String>) -> serde_json::Error {
    serde_json::Error::io(std::io::Error::other(why.into()))
}

/// What a failed token request means for the person reading the error, and what to do.
fn why_no_token(err: &Error) -> String {
    match err {
        Error::Api(api) if api.status_code == 429 || api.http_status == 429 => {
            "Authing throttled the token request; wait and try again".to_owned()
        }
        Error::Api(api) if (400..500).contains(&api.status_code) || api.is_unauthorized() => {
            format!(
                "Authing refused the access key (statusCode {}: {}); check the access key id \
                 and secret, and that they belong to this host's user pool",
                api.status_code, api.message
            )
        }
        Error::Api(api) => format!(
            "Authing could not issue one (statusCode {}: {}); it may be down or in \
             maintenance, try again later",
            api.status_code, api.message
        ),
        Error::HttpStatus { status, .. } if status.is_server_error() => format!(
            "the token request got HTTP {status} from a gateway; Authing may be down or \
             in maintenance, try again later"
        ),
        Error::HttpStatus { status, .. } => format!(
            "the token request got HTTP {status} without an Authing answer; check the host \
             and any proxy in between"
        ),
        Error::Timeout { which, after } => format!(
            "the token request hit the {which} timeout ({after:?}); Authing or the network \
             is slow: try again, or raise the timeout"
        ),
        Error::Network { .. } => {
            "could not reach Authing for it; check the host and the network".to_owned()
        }
        Error::NotJson { status, .. }
        | Error::UnexpectedShape { status, .. }
        | Error::BodyTooLarge { status, .. } => format!(
            "the answer to the token request (HTTP {status}) is not Authing's; check that \
             the host is an Authing deployment"
        ),
        other => other.to_string(),
    }
}

fn retry_hint(retry_after: Option<Duration>) -> String {
    retry_after
        .map(|d| format!(" (the server asked to wait {d:?})"))
        .unwrap_or_default()
}

/// Authing's own report of a failure: its envelope with a `statusCode` other than 200.
///
/// ```
/// let err = authing_core::ApiError::new(200, 404, Some(2004), "用户不存在", Some("req-1".into()));
/// assert_eq!(err.to_string(), "Authing answered statusCode 404, apiCode 2004: 用户不存在 (requestId req-1)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status of the answer (Authing usually answers 200 even for failures).
    pub http_status: u16,
    /// The envelope's `statusCode`: 400, 401, 403, 404, 429, 500 …
    pub status_code: i64,
    /// The envelope's `apiCode`, naming the precise error (e.g. 2004: user not found).
    pub api_code: Option<i64>,
    /// The envelope's `message`, in the client's language.
    pub message: String,
    /// The envelope's `requestId`: quote it to Authing support.
    pub request_id: Option<String>,
    /// How long the server asked to wait (`Retry-After`), if it said.
    pub retry_after: Option<Duration>,
}

impl ApiError {
    /// An envelope error with no `Retry-After`.
    ///
    /// ```
    /// let err = authing_core::ApiError::new(200, 400, None, "bad", None);
    /// assert_eq!(err.status_code, 400);
    /// ```
    pub fn new(
        http_status: u16,
        status_code: i64,
        api_code: Option<i64>,
        message: impl Into<String>,
        request_id: Option<String>,
    ) -> Self {
        Self {
            http_status,
            status_code,
            api_code,
            message: message.into(),
            request_id,
            retry_after: None,
        }
    }

    /// Whether Authing needs a multi-factor step before it answers (apiCode 1635, 1636):
    /// not a fault, a next step.
    ///
    /// ```
    /// let err = authing_core::ApiError::new(200, 499, Some(1635), "MFA", None);
    /// assert!(err.is_mfa_required());
    /// ```
    pub fn is_mfa_required(&self) -> bool {
        matches!(self.api_code, Some(1635 | 1636))
    }

    /// Whether the credentials were refused (statusCode 401).
    ///
    /// ```
    /// assert!(authing_core::ApiError::new(200, 401, None, "expired", None).is_unauthorized());
    /// ```
    pub fn is_unauthorized(&self) -> bool {
        self.status_code == 401 || self.http_status == 401
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Authing answered statusCode {}", self.status_code)?;
        if let Some(code) = self.api_code {
            write!(f, ", apiCode {code}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " (requestId {id})")?;
        }
        if let Some(wait) = self.retry_after {
            write!(f, " (asked to wait {wait:?})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// An OAuth 2.0 error answer (RFC 6749 §5.2, RFC 6750 §3.1, RFC 7662): what an OAuth or
/// OpenID Connect endpoint sends instead of Authing's envelope when it refuses.
///
/// ```
/// let err = authing_core::OAuthError::new(400, "invalid_grant", Some("the code has expired".into()));
/// assert_eq!(
///     err.to_string(),
///     "the OAuth endpoint refused with `invalid_grant` (HTTP 400): the code has expired"
/// );
/// assert!(err.is("invalid_grant"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OAuthError {
    /// The HTTP status of the answer.
    pub http_status: u16,
    /// The `error` code: `invalid_request`, `invalid_client`, `invalid_grant`,
    /// `unauthorized_client`, `unsupported_grant_type`, `invalid_scope`, `invalid_token`…
    pub error: String,
    /// `error_description`: what the server says went wrong, for a developer.
    pub description: Option<String>,
    /// `error_uri`: a page about the error, if the server gives one.
    pub uri: Option<String>,
    /// How long the server asked to wait (`Retry-After`), if it said.
    pub retry_after: Option<Duration>,
}

impl OAuthError {
    /// An OAuth error with no `error_uri` and no `Retry-After`.
    ///
    /// ```
    /// let err = authing_core::OAuthError::new(401, "invalid_client", None);
    /// assert_eq!(err.http_status, 401);
    /// ```
    pub fn new(http_status: u16, error: impl Into<String>, description: Option<String>) -> Self {
        Self {
            http_status,
            error: error.into(),
            description,
            uri: None,
            retry_after: None,
        }
    }

    /// Whether the `error` code is `code`.
    ///
    /// ```
    /// let err = authing_core::OAuthError::new(400, "invalid_grant", None);
    /// assert!(!err.is("invalid_client"));
    /// ```
    pub fn is(&self, code: &str) -> bool {
        self.error == code
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the OAuth endpoint refused with `{}` (HTTP {})",
            self.error, self.http_status
        )?;
        if let Some(description) = &self.description {
            write!(f, ": {description}")?;
        }
        if let Some(uri) = &self.uri {
            write!(f, " (see {uri})")?;
        }
        if let Some(wait) = self.retry_after {
            write!(f, " (asked to wait {wait:?})")?;
        }
        Ok(())
    }
}

impl std::error::Error for OAuthError {}

/// Which timeout fired.
///
/// ```
/// assert_eq!(authing_core::TimeoutKind::Attempt.to_string(), "per-attempt");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Opening the TCP (and TLS) connection.
    Connect,
    /// One attempt: from sending the request to the end of the answer.
    Attempt,
    /// The whole call: every attempt, the waits between them and the token fetch.
    Call,
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutKind::Connect => "connect",
            TimeoutKind::Attempt => "per-attempt",
            TimeoutKind::Call => "whole-call",
        })
    }
}

/// The start of a response body, kept for error messages: at most
/// [`BodySnippet::MAX_BYTES`] bytes, decoded lossily as UTF-8.
///
/// ```
/// let s = authing_core::BodySnippet::new(b"<html>502 Bad Gateway</html>");
/// assert_eq!(s.as_str(), "<html>502 Bad Gateway</html>");
/// assert_eq!(authing_core::BodySnippet::new(b"").to_string(), "(empty)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodySnippet {
    text: String,
    truncated: bool,
    withheld: bool,
}

impl BodySnippet {
    /// How many bytes of a body are kept.
    pub const MAX_BYTES: usize = 512;

    /// Keeps the start of `body`.
    ///
    /// ```
    /// let long = vec![b'a'; 1000];
    /// assert_eq!(authing_core::BodySnippet::new(&long).as_str().len(), 512);
    /// ```
    pub fn new(body: &[u8]) -> Self {
        let truncated = body.len() > Self::MAX_BYTES;
        let kept = &body[..body.len().min(Self::MAX_BYTES)];
        Self {
            text: String::from_utf8_lossy(kept).into_owned(),
            truncated,
            withheld: false,
        }
    }

    /// Stands for a body that is not shown because it may carry secrets: the answer of
    /// an endpoint declared `sensitive`, such as a management token.
    ///
    /// ```
    /// let s = authing_core::BodySnippet::withheld();
    /// assert_eq!(s.as_str(), "");
    /// assert_eq!(s.to_string(), "(withheld: the endpoint is sensitive)");
    /// ```
    pub fn withheld() -> Self {
        Self {
            text: String::new(),
            truncated: false,
            withheld: true,
        }
    }

    /// Replaces the kept text by what `clean` makes of it (told whether the body was
    /// cut), when it returns something.
    pub(crate) fn clean(&mut self, clean: impl FnOnce(&str, bool) -> Option<String>) {
        if let Some(text) = clean(&self.text, self.truncated) {
            self.text = text;
        }
    }

    /// The kept text; empty when the body was [withheld](Self::withheld).
    ///
    /// ```
    /// assert_eq!(authing_core::BodySnippet::new(b"{}").as_str(), "{}");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for BodySnippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.withheld {
            return f.write_str("(withheld: the endpoint is sensitive)");
        }
        if self.text.is_empty() {
            return f.write_str("(empty)");
        }
        write!(f, "{:?}", self.text)?;
        if self.truncated {
            f.write_str("…")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credentials(inner: Error) -> String {
        Error::Credentials(Box::new(inner)).to_string()
    }

    #[test]
    fn a_credentials_error_says_what_happened_to_the_token_request() {
        let refused = credentials(ApiError::new(200, 401, Some(2400), "bad secret", None).into());
        assert!(refused.contains("refused the access key"), "{refused}");
        assert!(refused.contains("bad secret"), "{refused}");
        let down = credentials(ApiError::new(503, 503, None, "maintenance", None).into());
        assert!(
            down.contains("try again later") && !down.contains("check the access key"),
            "{down}"
        );
        let throttled = credentials(ApiError::new(429, 429, None, "slow down", None).into());
        assert!(throttled.contains("throttled"), "{throttled}");
        let gateway = credentials(Error::HttpStatus {
            status: StatusCode::BAD_GATEWAY,
            body: BodySnippet::new(b"<html>"),
            retry_after: None,
        });
        assert!(
            gateway.contains("HTTP 502") && gateway.contains("try again later"),
            "{gateway}"
        );
        let proxy = credentials(Error::HttpStatus {
            status: StatusCode::PROXY_AUTHENTICATION_REQUIRED,
            body: BodySnippet::new(b""),
            retry_after: None,
        });
        assert!(proxy.contains("proxy"), "{proxy}");
        let slow = credentials(Error::Timeout {
            which: TimeoutKind::Call,
            after: Duration::from_secs(30),
        });
        assert!(slow.contains("whole-call timeout (30s)"), "{slow}");
        let not_authing = credentials(Error::NotJson {
            status: StatusCode::OK,
            body: BodySnippet::new(b"<html>"),
            source: shape_error("x"),
        });
        assert!(not_authing.contains("not Authing's"), "{not_authing}");
    }
}
