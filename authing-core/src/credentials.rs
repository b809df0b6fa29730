//! How a request proves who sends it: a cached management token, a per-request signature,
//! or a signed-in user's access token.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::SystemTime;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};

use crate::client_auth::ClientAuth;
use crate::endpoint::{Authorization, Metadata};
use crate::error::Error;
use crate::prepared::PreparedRequest;
use crate::secret::Secret;
use crate::signing;
use crate::token_cache::{FetchedToken, GetManagementToken, ManagementToken, TokenCache};

/// How a [`ManagementClient`](crate::ManagementClient) proves it acts for a user pool.
/// Authing accepts both; the official SDKs each speak one.
///
/// ```
/// assert_eq!(authing_core::ManagementAuth::default(), authing_core::ManagementAuth::Token);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ManagementAuth {
    /// Fetch a management token with the access key, cache it, send it as `Bearer`
    /// (the Python, Go and PHP SDKs' way).
    #[default]
    Token,
    /// Sign every request with HMAC-SHA1 over the access key secret (the Node.js and C#
    /// SDKs' way); the secret never travels.
    Signature,
}

/// A user pool's access key.
#[derive(Clone)]
pub(crate) struct AccessKey {
    pub(crate) id: String,
    pub(crate) secret: Secret,
}

impl fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessKey")
            .field("id", &self.id)
            .field("secret", &self.secret)
            .finish()
    }
}

/// The credentials of one client, applied to every attempt.
#[derive(Debug)]
pub(crate) enum Credentials {
    /// Management calls with a cached token.
    Token {
        key: AccessKey,
        cache: TokenCache,
        tenant_id: Option<String>,
    },
    /// Management calls signed one by one.
    Signature {
        key: AccessKey,
        /// The secret set up as an HMAC key once, not once per request.
        signer: signing::Signer,
        tenant_id: Option<String>,
    },
    /// Authentication calls for one signed-in user, and for the application itself at
    /// the endpoints declared `auth = client`.
    User {
        app_id: String,
        access_token: Option<Secret>,
        client: ClientAuth,
    },
}

/// `x-authing-userpool-id`, which goes with a management token.
const USERPOOL_ID: HeaderName = HeaderName::from_static("x-authing-userpool-id");
/// The application id (authentication side), also used as the tenant id (management side).
const APP_ID: HeaderName = HeaderName::from_static("x-authing-app-id");

impl Credentials {
    /// Management credentials that sign every request with `key`.
    pub(crate) fn signature(key: AccessKey, tenant_id: Option<String>) -> Self {
        Credentials::Signature {
            signer: signing::Signer::new(key.secret.expose()),
            key,
            tenant_id,
        }
    }

    /// The management token an attempt of `request` carries: the cached one, or one
    /// `fetch` gets when the cache has none fresh. `None` for the other schemes and for
    /// endpoints that carry no caller credentials.
    ///
    /// The only step of authorizing that can wait, kept apart from
    /// [`authorize`](Self::authorize) so that an attempt's headers are put together only
    /// once nothing is left to wait for.
    ///
    /// `fetch` sends the token request: the transport's job, so that the fetch runs under
    /// the deadline and retry policy of the call that needs it.
    pub(crate) async fn management_token<'a, F, Fut>(
        &'a self,
        request: &PreparedRequest,
        fetch: F,
    ) -> Result<Option<Arc<ManagementToken>>, Error>
    where
        F: FnOnce(GetManagementToken<'a>) -> Fut,
        Fut: Future<Output = Result<FetchedToken, Error>>,
    {
        let Credentials::Token { key, cache, .. } = self else {
            return Ok(None);
        };
        if request.meta.auth != Authorization::Caller {
            return Ok(None);
        }
        let token = cache
            .get(|| {
                fetch(GetManagementToken {
                    access_key_id: &key.id,
                    access_key_secret: &key.secret,
                })
            })
            .await?;
        Ok(Some(token))
    }

    /// Adds this attempt's credentials to `headers`, which must already hold every other
    /// header of the attempt (a signature covers them). `token` is what
    /// [`management_token`](Self::management_token) gave for the attempt.
    pub(crate) fn authorize(
        &self,
        headers: &mut HeaderMap,
        request: &PreparedRequest,
        token: Option<&ManagementToken>,
    ) -> Result<(), Error> {
        match request.meta.auth {
            Authorization::Caller => {}
            Authorization::None => return Ok(()),
            Authorization::Client => {
                let (app_id, client) = self.client(&request.meta)?;
                if let Some(basic) = client.basic_header(app_id)? {
                    headers.insert(AUTHORIZATION, basic);
                }
                return Ok(());
            }
            Authorization::Bearer => {
                let token = self.user_token(&request.meta)?;
                headers.insert(
                    AUTHORIZATION,
                    sensitive(&format!("Bearer {}", token.expose())),
                );
                return Ok(());
            }
        }
        match self {
            Credentials::Token { .. } => {
                // Always there: `management_token` gives one for every caller endpoint.
                debug_assert!(
                    token.is_some(),
                    "a caller endpoint's attempt without its token"
                );
                if let Some(token) = token {
                    bearer(token, headers);
                }
            }
            Credentials::Signature { key, signer, .. } => sign(&key.id, signer, headers, request),
            Credentials::User { .. } => {
                let token = self.user_token(&request.meta)?;
                // As is: Authing expects no `Bearer ` prefix on a user's token.
                headers.insert(AUTHORIZATION, sensitive(token.expose()));
            }
        }
        Ok(())
    }

    /// The signed-in user's access token, which only an authentication client derived
    /// for a user has.
    fn user_token(&self, meta: &Metadata) -> Result<&Secret, Error> {
        match self {
            Credentials::User {
                access_token: Some(token),
                ..
            } => Ok(token),
            Credentials::User { .. } => Err(Error::config(
                "this authentication client has no user access token; \
                 use `with_access_token` to get one that acts for a signed-in user",
            )),
            _ => Err(Error::config(format!(
                "`{} {}` carries a signed-in user's access token, which only an \
                 authentication client holds: send it with an `AuthenticationClient`",
                meta.method, meta.path
            ))),
        }
    }

    /// The parameters an endpoint declared `auth = client` carries besides its own
    /// (`client_id`, and `client_secret` under `client_secret_post`); none for the others.
    pub(crate) fn params(&self, meta: &Metadata) -> Result<Vec<(&'static str, &str)>, Error> {
        if meta.auth != Authorization::Client {
            return Ok(Vec::new());
        }
        let (app_id, client) = self.client(meta)?;
        let params = client.params(app_id)?;
        // A GET's parameters are its URL, which proxies and access logs keep.
        if meta.method.params_in_query() && params.iter().any(|(name, _)| *name == "client_secret")
        {
            return Err(Error::config(format!(
                "`{} {}` sends its parameters in the URL, where client_secret_post would put \
                 the app secret (and so into every proxy's and server's log): authenticate \
                 with client_secret_basic for it",
                meta.method, meta.path
            )));
        }
        Ok(params)
    }

    /// The application's own credentials, which only an authentication client has.
    fn client(&self, meta: &Metadata) -> Result<(&str, &ClientAuth), Error> {
        match self {
            Credentials::User { app_id, client, .. } => Ok((app_id, client)),
            _ => Err(Error::config(format!(
                "`{} {}` authenticates an application with its client secret, which only an \
                 authentication client holds: send it with an `AuthenticationClient`",
                meta.method, meta.path
            ))),
        }
    }

    /// Forgets a management token Authing rejected, so that the next attempt fetches a
    /// new one.
    pub(crate) fn reject(&self, token: &Arc<ManagementToken>) {
        if let Credentials::Token { cache, .. } = self {
            cache.invalidate(token);
        }
    }

    /// The client's own secret that a request of `meta` carries: the access key secret,
    /// the app secret (for an endpoint declared `auth = client`), or the user's access
    /// token.
    pub(crate) fn secret(&self, meta: &Metadata) -> Option<&Secret> {
        match self {
            Credentials::Token { key, .. } | Credentials::Signature { key, .. } => {
                Some(&key.secret)
            }
            Credentials::User { client, .. } if meta.auth == Authorization::Client => {
                client.secret.as_ref()
            }
            Credentials::User { access_token, .. } => access_token.as_ref(),
        }
    }

    /// The most headers [`authorize`](Self::authorize) adds to an attempt, so that its
    /// map is made with room for them.
    pub(crate) fn added_headers(&self) -> usize {
        match self {
            // `authorization` and `x-authing-userpool-id`.
            Credentials::Token { .. } => 2,
            // `date`, the three `x-authing-signature-*` and `authorization`.
            Credentials::Signature { .. } => 5,
            // `authorization`, the user's token or the app's Basic credentials.
            Credentials::User { .. } => 1,
        }
    }

    /// Headers that do not depend on the attempt: the tenant or application id.
    pub(crate) fn static_headers(&self, headers: &mut HeaderMap) {
        let id = match self {
            Credentials::Token { tenant_id, .. } | Credentials::Signature { tenant_id, .. } => {
                tenant_id.as_deref()
            }
            Credentials::User { app_id, .. } => Some(app_id.as_str()),
        };
        if let Some(id) = id {
            headers.insert(APP_ID, header_value(id));
        }
        if let Credentials::User { .. } = self {
            headers.insert(
                HeaderName::from_static("x-authing-request-from"),
                HeaderValue::from_static("sdk"),
            );
        }
    }
}

/// Adds the signature headers (`date`, the `x-authing-signature-*` trio, and
/// `authorization`) computed over `headers` as they stand, which must already hold
/// every other header of the attempt.
fn sign(
    access_key_id: &str,
    signer: &signing::Signer,
    headers: &mut HeaderMap,
    request: &PreparedRequest,
) {
    headers.insert(
        HeaderName::from_static("x-authing-signature-method"),
        HeaderValue::from_static(signing::SIGNATURE_METHOD),
    );
    headers.insert(
        HeaderName::from_static("x-authing-signature-version"),
        HeaderValue::from_static(signing::SIGNATURE_VERSION),
    );
    headers.insert(
        HeaderName::from_static("x-authing-signature-nonce"),
        signing::nonce_value(),
    );
    headers.insert(
        reqwest::header::DATE,
        signing::date_value(SystemTime::now()),
    );
    let method = request.meta.method.as_str();
    let params = request.signed_params();
    // Only the signed headers are read, in place: one whose value is not UTF-8 (which the
    // SDK never writes itself) makes the lossy copies that let it be signed all the same.
    let signed = || {
        headers
            .iter()
            .filter(|(name, _)| signing::is_signed_header(name.as_str()))
    };
    fn utf8(value: &HeaderValue) -> Option<&str> {
        std::str::from_utf8(value.as_bytes()).ok()
    }
    // Hashed as it is written: a large body's fields are not copied into one string first.
    let signature = signer.signature_of(|hash| {
        if signed().all(|(_, v)| utf8(v).is_some()) {
            let texts = signed().filter_map(|(n, v)| Some((n.as_str(), utf8(v)?)));
            signing::write_string_to_sign(method, texts, request.path(), params, hash);
        } else {
            let lossy: Vec<(&str, String)> = signed()
                .map(|(n, v)| {
                    (
                        n.as_str(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let texts = lossy.iter().map(|(n, v)| (*n, v.as_str()));
            signing::write_string_to_sign(method, texts, request.path(), params, hash);
        }
    });
    headers.insert(
        AUTHORIZATION,
        signed_authorization(access_key_id, &signature),
    );
}

/// `authing <access key id>:<signature>`, written once into the buffer the header keeps.
fn signed_authorization(access_key_id: &str, signature: &[u8]) -> HeaderValue {
    let mut text = Vec::with_capacity("authing :".len() + access_key_id.len() + signature.len());
    text.extend_from_slice(b"authing ");
    text.extend_from_slice(access_key_id.as_bytes());
    text.push(b':');
    text.extend_from_slice(signature);
    let mut value = HeaderValue::from_maybe_shared(bytes::Bytes::from(text)).unwrap_or_else(|_| {
        // An id a header cannot carry: spelled as `header_value` spells it.
        header_value(&format!(
            "authing {access_key_id}:{}",
            String::from_utf8_lossy(signature)
        ))
    });
    value.set_sensitive(true);
    value
}

/// Adds a management token's headers, made when the token was fetched.
fn bearer(token: &ManagementToken, headers: &mut HeaderMap) {
    headers.insert(AUTHORIZATION, token.authorization.clone());
    headers.insert(USERPOOL_ID, token.userpool_header.clone());
}

/// A header value from text the SDK itself produced or validated; characters a header
/// cannot carry are replaced rather than panicking.
fn header_value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).unwrap_or_else(|_| {
        let cleaned: String = text
            .chars()
            .map(|c| {
                if c.is_ascii_graphic() || c == ' ' {
                    c
                } else {
                    '?'
                }
            })
            .collect();
        HeaderValue::from_str(&cleaned).unwrap_or(HeaderValue::from_static(""))
    })
}

/// A header value that HTTP/2 must not index and that `Debug` of the header map hides.
fn sensitive(text: &str) -> HeaderValue {
    let mut value = header_value(text);
    value.set_sensitive(true);
    value
}
