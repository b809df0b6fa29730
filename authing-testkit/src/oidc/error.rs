//! OAuth 2.0 error answers: `{"error": "...", "error_description": "..."}` with the
//! HTTP status RFC 6749 gives each code, as Authing's OIDC provider answers them.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

/// One refusal of a token, introspection, revocation or userinfo request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OAuthError {
    status: StatusCode,
    error: &'static str,
    description: String,
}

impl OAuthError {
    fn new(status: StatusCode, error: &'static str, description: impl Into<String>) -> Self {
        Self {
            status,
            error,
            description: description.into(),
        }
    }

    pub(crate) fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", description)
    }

    pub(crate) fn invalid_client(description: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_client", description)
    }

    pub(crate) fn invalid_grant(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_grant", description)
    }

    pub(crate) fn invalid_scope(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_scope", description)
    }

    pub(crate) fn unauthorized_client(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "unauthorized_client", description)
    }

    pub(crate) fn unsupported_grant_type(description: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            description,
        )
    }

    pub(crate) fn invalid_token(description: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_token", description)
    }

    pub(crate) fn server_error(description: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            description,
        )
    }

    pub(crate) fn error(&self) -> &'static str {
        self.error
    }

    pub(crate) fn description(&self) -> &str {
        &self.description
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let body = json!({"error": self.error, "error_description": self.description});
        let mut response = (self.status, no_store_json(body.to_string())).into_response();
        let challenge = match self.error {
            // RFC 6750 §3: a refused bearer token says why in WWW-Authenticate.
            "invalid_token" => Some(format!(
                "Bearer realm=\"authing\", error=\"invalid_token\", error_description=\"{}\"",
                self.description.replace('"', "'")
            )),
            "invalid_client" => Some("Basic realm=\"authing\"".to_owned()),
            _ => None,
        };
        if let Some(value) = challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, value);
        }
        response
    }
}

/// A JSON body with the `no-store` caching RFC 6749 §5.1 requires for token answers.
pub(crate) fn no_store_json(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::PRAGMA, "no-cache"),
        ],
        body,
    )
        .into_response()
}

/// An HTML error page, for the authorize and logout refusals that cannot be sent back
/// to the client because its redirect URI is unknown or not registered.
pub(crate) fn error_page(error: &str, description: &str) -> Response {
    let body = format!(
        "<!DOCTYPE html><html><head><title>{error}</title></head><body><h1>oops! something went wrong</h1><p>error: {error}</p><p>error_description: {}</p></body></html>",
        escape_html(description)
    );
    (StatusCode::BAD_REQUEST, Html(body)).into_response()
}

/// Escapes text for an HTML body, so that reflected parameters cannot inject markup.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_rfc_6749() {
        assert_eq!(
            OAuthError::invalid_client("x").status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            OAuthError::invalid_grant("x").status,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            OAuthError::invalid_token("x").status,
            StatusCode::UNAUTHORIZED
        );
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            escape_html("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
