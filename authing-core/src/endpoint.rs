//! The contract between a declared endpoint and the clients that send it.
//!
//! An endpoint is a plain struct that serialises to the endpoint's parameters, plus
//! constant [`Metadata`] saying where it goes. `#[endpoint]` writes the impls below; the
//! logic that turns an endpoint into an HTTP request lives in this crate, once, so each
//! expansion stays a few lines long however many endpoints there are.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::parts::RequestParts;

/// The HTTP method of an endpoint.
///
/// ```
/// use authing_core::Method;
/// assert_eq!(Method::Get.as_str(), "GET");
/// assert!(Method::Put.is_idempotent());
/// assert!(!Method::Post.is_idempotent());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`: parameters go to the query string.
    Get,
    /// `POST`: parameters go to a JSON body.
    Post,
    /// `PUT`: parameters go to a JSON body.
    Put,
    /// `PATCH`: parameters go to a JSON body.
    Patch,
    /// `DELETE`: parameters go to a JSON body.
    Delete,
}

impl Method {
    /// The method's name as it appears on the wire.
    ///
    /// ```
    /// assert_eq!(authing_core::Method::Delete.as_str(), "DELETE");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Whether HTTP defines this method as idempotent (RFC 9110 §9.2.2), so that sending
    /// it twice has the effect of sending it once.
    ///
    /// ```
    /// assert!(authing_core::Method::Get.is_idempotent());
    /// assert!(!authing_core::Method::Patch.is_idempotent());
    /// ```
    pub const fn is_idempotent(self) -> bool {
        matches!(self, Method::Get | Method::Put | Method::Delete)
    }

    /// Whether the endpoint's own fields go to the query string (`GET`) rather than to a
    /// JSON body (every other method).
    ///
    /// ```
    /// assert!(authing_core::Method::Get.params_in_query());
    /// assert!(!authing_core::Method::Post.params_in_query());
    /// ```
    pub const fn params_in_query(self) -> bool {
        matches!(self, Method::Get)
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a body method encodes its parameters.
///
/// ```
/// use authing_core::{BodyFormat, Metadata, Method};
/// const META: Metadata = Metadata::new(Method::Post, "/oidc/token").body(BodyFormat::Form);
/// assert_eq!(META.body, BodyFormat::Form);
/// assert_eq!(BodyFormat::Form.content_type(), "application/x-www-form-urlencoded");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BodyFormat {
    /// A JSON object (`application/json`), as Authing's V3 API takes it.
    #[default]
    Json,
    /// `application/x-www-form-urlencoded`, as OAuth 2.0's token endpoints take it. Each
    /// top-level field is one `name=value` pair, its value rendered as for a query string
    /// (strings as they are, numbers and booleans as JavaScript prints them, objects and
    /// arrays as compact JSON).
    Form,
}

impl BodyFormat {
    /// The `content-type` the body is sent with.
    ///
    /// ```
    /// assert_eq!(authing_core::BodyFormat::Json.content_type(), "application/json");
    /// ```
    pub const fn content_type(self) -> &'static str {
        match self {
            BodyFormat::Json => "application/json",
            BodyFormat::Form => "application/x-www-form-urlencoded",
        }
    }
}

/// How a successful answer carries the response.
///
/// ```
/// use authing_core::{AnswerFormat, Metadata, Method};
/// const META: Metadata = Metadata::new(Method::Post, "/oidc/token").answer(AnswerFormat::Plain);
/// assert_eq!(META.answer, AnswerFormat::Plain);
/// assert_eq!(Metadata::new(Method::Get, "/x").answer, AnswerFormat::Envelope);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AnswerFormat {
    /// Authing's envelope, `{"statusCode": 200, "data": ...}`: the response is its `data`.
    #[default]
    Envelope,
    /// The 2xx JSON body is the response itself, as OAuth 2.0 and OpenID Connect
    /// endpoints answer. A failure is read as OAuth's `{"error", "error_description"}`
    /// ([`Error::OAuth`](crate::Error::OAuth)), or as Authing's envelope when the body has
    /// a `statusCode` ([`Error::Api`](crate::Error::Api)). A response of `()` accepts any
    /// 2xx body, an empty one included.
    Plain,
}

/// Which credentials a request carries.
///
/// ```
/// use authing_core::{Authorization, Metadata, Method};
/// const TOKEN: Metadata =
///     Metadata::new(Method::Post, "/oidc/token").auth(Authorization::Client);
/// assert_eq!(TOKEN.auth, Authorization::Client);
/// assert!(TOKEN.sensitive, "a request that carries the client secret is sensitive");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Authorization {
    /// The client's own credentials: the management token or signature for a
    /// [`ManagementClient`](crate::ManagementClient), the signed-in user's access token for
    /// an [`AuthenticationClient`](crate::AuthenticationClient).
    #[default]
    Caller,
    /// The application itself, as OAuth 2.0 clients authenticate at the token,
    /// revocation and introspection endpoints: by the authentication client's
    /// [`TokenEndpointAuth`](crate::TokenEndpointAuth), its id and secret in the body
    /// (`client_secret_post`), a `Basic` authorization header (`client_secret_basic`), or
    /// only its id in the body (`none`). Only authentication endpoints can use it.
    Client,
    /// The signed-in user's access token as an OAuth 2.0 bearer token,
    /// `authorization: Bearer <token>` (RFC 6750 §2.1), as the userinfo endpoint takes it;
    /// Authing's own endpoints ([`Caller`](Self::Caller)) take the token without the
    /// scheme. The token is the [`AuthenticationClient`](crate::AuthenticationClient)'s
    /// (see [`with_access_token`](crate::AuthenticationClient::with_access_token)); only
    /// authentication endpoints can use it.
    Bearer,
    /// No credentials at all (e.g. a public discovery document).
    None,
}

/// What is known about an endpoint before any value of it exists: method, path and the
/// options that change how the transport treats it.
///
/// ```
/// use authing_core::{Metadata, Method};
/// const META: Metadata = Metadata::new(Method::Post, "/api/v3/list-things").idempotent();
/// assert!(META.retry_safe());
/// assert!(!META.sensitive);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metadata {
    /// The HTTP method.
    pub method: Method,
    /// The path template, starting with `/`; `{name}` stands for the path parameter `name`.
    pub path: &'static str,
    /// Declared idempotent: a `POST` that only reads, safe to retry after it was sent.
    pub idempotent: bool,
    /// The request or response carries secrets: bodies are never logged.
    pub sensitive: bool,
    /// No parameter goes to the body: a `POST`, `PUT`, `PATCH` or `DELETE` sends no body
    /// at all (rather than `{}`), as the official SDKs do for such calls.
    pub no_body: bool,
    /// How a body method encodes its parameters.
    pub body: BodyFormat,
    /// How a successful answer carries the response.
    pub answer: AnswerFormat,
    /// Which credentials the request carries.
    pub auth: Authorization,
}

impl Metadata {
    /// Metadata with the flags off and the defaults: a JSON body, an enveloped answer and
    /// the caller's credentials.
    ///
    /// ```
    /// let meta = authing_core::Metadata::new(authing_core::Method::Get, "/api/v3/x");
    /// assert_eq!(meta.path, "/api/v3/x");
    /// ```
    pub const fn new(method: Method, path: &'static str) -> Self {
        Self {
            method,
            path,
            idempotent: false,
            sensitive: false,
            no_body: false,
            body: BodyFormat::Json,
            answer: AnswerFormat::Envelope,
            auth: Authorization::Caller,
        }
    }

    /// Marks the endpoint idempotent (see [`Metadata::idempotent`](Self#structfield.idempotent)).
    ///
    /// ```
    /// use authing_core::{Metadata, Method};
    /// assert!(Metadata::new(Method::Post, "/x").idempotent().retry_safe());
    /// ```
    pub const fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    /// Marks the endpoint sensitive (see [`Metadata::sensitive`](Self#structfield.sensitive)).
    ///
    /// ```
    /// use authing_core::{Metadata, Method};
    /// assert!(Metadata::new(Method::Post, "/x").sensitive().sensitive);
    /// ```
    pub const fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }

    /// Marks the endpoint as having no body parameters (see
    /// [`Metadata::no_body`](Self#structfield.no_body)); `#[endpoint]` sets it when no
    /// field goes to the body.
    ///
    /// ```
    /// use authing_core::{Metadata, Method};
    /// assert!(Metadata::new(Method::Delete, "/api/v3/ip-list/{id}").no_body().no_body);
    /// ```
    pub const fn no_body(mut self) -> Self {
        self.no_body = true;
        self
    }

    /// Sets how a body method encodes its parameters (`GET` sends none).
    ///
    /// ```
    /// use authing_core::{BodyFormat, Metadata, Method};
    /// assert_eq!(Metadata::new(Method::Post, "/x").body(BodyFormat::Form).body, BodyFormat::Form);
    /// ```
    pub const fn body(mut self, body: BodyFormat) -> Self {
        self.body = body;
        self
    }

    /// Sets how a successful answer carries the response.
    ///
    /// ```
    /// use authing_core::{AnswerFormat, Metadata, Method};
    /// let meta = Metadata::new(Method::Get, "/oidc/me").answer(AnswerFormat::Plain);
    /// assert_eq!(meta.answer, AnswerFormat::Plain);
    /// ```
    pub const fn answer(mut self, answer: AnswerFormat) -> Self {
        self.answer = answer;
        self
    }

    /// Sets which credentials the request carries. [`Authorization::Client`] also marks
    /// the endpoint sensitive: its request carries the client secret.
    ///
    /// ```
    /// use authing_core::{Authorization, Metadata, Method};
    /// let meta = Metadata::new(Method::Get, "/x").auth(Authorization::None);
    /// assert_eq!(meta.auth, Authorization::None);
    /// assert!(!meta.sensitive);
    /// ```
    pub const fn auth(mut self, auth: Authorization) -> Self {
        self.auth = auth;
        if matches!(auth, Authorization::Client) {
            self.sensitive = true;
        }
        self
    }

    /// Whether a call that may already have reached the server can be sent again: the
    /// method is idempotent, or the endpoint was declared so.
    ///
    /// ```
    /// use authing_core::{Metadata, Method};
    /// assert!(Metadata::new(Method::Get, "/x").retry_safe());
    /// assert!(!Metadata::new(Method::Post, "/x").retry_safe());
    /// ```
    pub const fn retry_safe(&self) -> bool {
        self.idempotent || self.method.is_idempotent()
    }
}

/// An Authing API call: a value that serialises to the call's parameters, with constant
/// metadata saying where it goes and what it answers.
///
/// Implement it with [`#[endpoint]`](crate::endpoint) rather than by hand; the macro also
/// implements [`ManagementEndpoint`] or [`AuthenticationEndpoint`], which decides the client
/// that can send it.
///
/// The value serialises (with serde) to a JSON object whose top-level fields are the
/// parameters: the query string for `GET`, the JSON body for other methods. Fields that go
/// elsewhere (path parameters, headers, the other of query and body) are skipped by serde
/// and written by [`Endpoint::write_parts`].
///
/// ```
/// use authing_core::{Endpoint, ManagementEndpoint, Metadata, Method};
///
/// /// Hand-written equivalent of `#[endpoint(GET, "/api/v3/get-user", response = User)]`.
/// #[derive(serde::Serialize)]
/// #[serde(rename_all = "camelCase")]
/// struct GetUser {
///     user_id: String,
/// }
///
/// #[derive(serde::Deserialize)]
/// struct User {
///     #[serde(rename = "userId")]
///     user_id: String,
/// }
///
/// impl Endpoint for GetUser {
///     type Response = User;
///     const METADATA: Metadata = Metadata::new(Method::Get, "/api/v3/get-user");
/// }
/// impl ManagementEndpoint for GetUser {}
/// ```
pub trait Endpoint: Serialize {
    /// The `data` of Authing's envelope on success; `()` for endpoints that return none
    /// (whatever `data` such an answer carries is then ignored).
    type Response: DeserializeOwned + 'static;

    /// Method, path template and options.
    const METADATA: Metadata;

    /// Writes what does not travel with the serialised parameters: path parameters,
    /// headers, and fields moved to the query or the body. The default writes nothing.
    ///
    /// # Errors
    /// When a value cannot be written, e.g. a header value with a line break.
    fn write_parts(&self, parts: &mut RequestParts) -> Result<(), Error> {
        let _ = parts;
        Ok(())
    }
}

/// An endpoint of the management API, sent with a
/// [`ManagementClient`](crate::ManagementClient) on behalf of a user pool.
///
/// ```
/// fn takes_management<E: authing_core::ManagementEndpoint>() {}
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a management endpoint, so `ManagementClient` cannot send it",
    label = "this endpoint belongs to the authentication side",
    note = "send it with `AuthenticationClient::send`, which acts for a signed-in user",
    note = "if the endpoint really is a management one, declare it without `side = authentication`"
)]
pub trait ManagementEndpoint: Endpoint {}

/// An endpoint of the authentication API, sent with an
/// [`AuthenticationClient`](crate::AuthenticationClient) on behalf of one signed-in user.
///
/// ```
/// fn takes_authentication<E: authing_core::AuthenticationEndpoint>() {}
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an authentication endpoint, so `AuthenticationClient` cannot send it",
    label = "this endpoint belongs to the management side",
    note = "send it with `ManagementClient::send`, which acts for the user pool",
    note = "if the endpoint really is an authentication one, declare it with `side = authentication`"
)]
pub trait AuthenticationEndpoint: Endpoint {}
