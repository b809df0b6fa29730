//! How an application authenticates itself at the endpoints declared `auth = client`:
//! OAuth 2.0's token, revocation and introspection endpoints (RFC 6749 §2.3.1), and
//! Authing's sign-in endpoints, which take the same client credentials.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use percent_encoding::utf8_percent_encode;
use reqwest::header::HeaderValue;

use crate::error::Error;
use crate::parts::UNRESERVED;
use crate::secret::Secret;

/// How an [`AuthenticationClient`](crate::AuthenticationClient) proves it is the
/// application at the endpoints that need the application's own credentials (those
/// declared `auth = client`): the names are the OAuth 2.0 `token_endpoint_auth_method`s
/// the Authing console offers for an application.
///
/// ```
/// use authing_core::TokenEndpointAuth;
/// assert_eq!(TokenEndpointAuth::default(), TokenEndpointAuth::ClientSecretPost);
/// assert_eq!(TokenEndpointAuth::ClientSecretBasic.as_str(), "client_secret_basic");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenEndpointAuth {
    /// `client_id` and `client_secret` as parameters of the request body (the default, as
    /// in the official SDKs).
    #[default]
    ClientSecretPost,
    /// `authorization: Basic base64(client_id:client_secret)`, each part form-encoded
    /// first as RFC 6749 §2.3.1 says (Authing's ids and secrets are hex, which encoding
    /// leaves as they are).
    ClientSecretBasic,
    /// Only `client_id` in the body: a public client (a single-page or mobile app) that
    /// holds no secret, and proves the code is its own with PKCE instead.
    None,
}

impl TokenEndpointAuth {
    /// The method's OAuth 2.0 name.
    ///
    /// ```
    /// assert_eq!(authing_core::TokenEndpointAuth::None.as_str(), "none");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            TokenEndpointAuth::ClientSecretPost => "client_secret_post",
            TokenEndpointAuth::ClientSecretBasic => "client_secret_basic",
            TokenEndpointAuth::None => "none",
        }
    }

    /// Whether the method needs the application's secret.
    ///
    /// ```
    /// assert!(!authing_core::TokenEndpointAuth::None.needs_secret());
    /// ```
    pub const fn needs_secret(self) -> bool {
        !matches!(self, TokenEndpointAuth::None)
    }
}

/// An application's own credentials, as an authentication client holds them.
#[derive(Clone)]
pub(crate) struct ClientAuth {
    pub(crate) method: TokenEndpointAuth,
    pub(crate) secret: Option<Secret>,
}

impl ClientAuth {
    /// The secret the method needs, or why the call cannot be made.
    fn secret(&self) -> Result<&Secret, Error> {
        self.secret.as_ref().ok_or_else(|| {
            Error::config(format!(
                "this endpoint authenticates the application with `{}`, which needs the app \
                 secret: set `app_secret` on the client builder (the Authing console shows it \
                 on the application's page), or choose `TokenEndpointAuth::None` for a public \
                 client",
                self.method.as_str()
            ))
        })
    }

    /// The parameters that go with the request's own: `client_id` (and `client_secret`
    /// for `client_secret_post`). Nothing for `client_secret_basic`, which uses a header.
    pub(crate) fn params<'a>(
        &'a self,
        app_id: &'a str,
    ) -> Result<Vec<(&'static str, &'a str)>, Error> {
        Ok(match self.method {
            TokenEndpointAuth::ClientSecretPost => vec![
                ("client_id", app_id),
                ("client_secret", self.secret()?.expose()),
            ],
            TokenEndpointAuth::ClientSecretBasic => Vec::new(),
            TokenEndpointAuth::None => vec![("client_id", app_id)],
        })
    }

    /// The `authorization` header of `client_secret_basic`, marked sensitive; `None` for
    /// the other methods.
    pub(crate) fn basic_header(&self, app_id: &str) -> Result<Option<HeaderValue>, Error> {
        if self.method != TokenEndpointAuth::ClientSecretBasic {
            return Ok(None);
        }
        let credentials = format!(
            "{}:{}",
            utf8_percent_encode(app_id, UNRESERVED),
            utf8_percent_encode(self.secret()?.expose(), UNRESERVED)
        );
        let mut value = HeaderValue::try_from(format!("Basic {}", STANDARD.encode(credentials)))
            .map_err(|_| Error::config("the app id cannot travel in a header"))?;
        value.set_sensitive(true);
        Ok(Some(value))
    }
}

impl fmt::Debug for ClientAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientAuth")
            .field("method", &self.method)
            .field("secret", &self.secret)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth(method: TokenEndpointAuth, secret: Option<&str>) -> ClientAuth {
        ClientAuth {
            method,
            secret: secret.map(Secret::from),
        }
    }

    #[test]
    fn each_method_writes_its_own_credentials() {
        let post = auth(TokenEndpointAuth::ClientSecretPost, Some("s3"));
        assert_eq!(
            post.params("app1").unwrap(),
            [("client_id", "app1"), ("client_secret", "s3")]
        );
        assert!(post.basic_header("app1").unwrap().is_none());

        let basic = auth(TokenEndpointAuth::ClientSecretBasic, Some("s3"));
        assert!(basic.params("app1").unwrap().is_empty());
        let header = basic.basic_header("app1").unwrap().unwrap();
        // base64("app1:s3"), as the Node SDK computes it.
        assert_eq!(header, "Basic YXBwMTpzMw==");
        assert!(header.is_sensitive());

        let none = auth(TokenEndpointAuth::None, Some("ignored"));
        assert_eq!(none.params("app1").unwrap(), [("client_id", "app1")]);
        assert!(none.basic_header("app1").unwrap().is_none());
    }

    #[test]
    fn basic_encodes_the_parts_before_joining_them() {
        let basic = auth(TokenEndpointAuth::ClientSecretBasic, Some("a:b c"));
        let header = basic.basic_header("app").unwrap().unwrap();
        let decoded = STANDARD
            .decode(header.to_str().unwrap().trim_start_matches("Basic "))
            .unwrap();
        assert_eq!(decoded, b"app:a%3Ab%20c");
    }

    #[test]
    fn a_missing_secret_says_how_to_set_it() {
        for method in [
            TokenEndpointAuth::ClientSecretPost,
            TokenEndpointAuth::ClientSecretBasic,
        ] {
            let missing = auth(method, None);
            let err = missing
                .params("app")
                .and_then(|_| missing.basic_header("app"))
                .unwrap_err();
            assert!(
                matches!(&err, Error::Config { reason } if reason.contains("app_secret")),
                "{err}"
            );
        }
        assert!(auth(TokenEndpointAuth::None, None).params("app").is_ok());
    }

    #[test]
    fn debug_hides_the_secret() {
        let shown = format!(
            "{:?}",
            auth(TokenEndpointAuth::ClientSecretPost, Some("hunter2"))
        );
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}
