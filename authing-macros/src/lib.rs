//! The `#[endpoint]` attribute of authing-rs: declares an Authing V3 API endpoint on a
//! plain struct, one field per parameter.
//!
//! Use it through `authing_core`, which re-exports it as `authing_core::endpoint` and holds
//! what the generated code refers to. The syntax is described once, in the docs of
//! [`macro@endpoint`].
//!
//! ```
//! use authing_core::endpoint;
//!
//! /// Imports OTP secrets for users.
//! #[endpoint(POST, "/api/v3/import-otp", response = (), sensitive)]
//! pub struct ImportOtp {
//!     pub list: Vec<ImportOtpItem>,
//! }
//!
//! #[derive(serde::Serialize)]
//! #[serde(rename_all = "camelCase")]
//! pub struct ImportOtpItem {
//!     pub user_id: String,
//!     pub secret: String,
//! }
//! ```
//!
//! The crate is built like serde_derive and thiserror-impl: `attr` and `fields` parse,
//! `path` and `plan` check, `expand` writes the code, and every problem is reported at once
//! with the span of the user's own tokens; `fallback` stands in for the expansion then.
#![warn(missing_docs)]

mod attr;
mod errors;
mod expand;
mod fallback;
mod fields;
mod path;
mod plan;
mod suggest;
#[cfg(test)]
mod tests;

use proc_macro::TokenStream;

/// Declares an Authing V3 API endpoint: the struct's fields are its parameters.
///
/// ```
/// use authing_core::endpoint;
/// # #[derive(serde::Deserialize)] pub struct Thing {}
/// # #[derive(serde::Serialize)] pub struct Extra {}
///
/// /// Reads a thing. (Docs are kept; a line saying what it sends and answers is added.)
/// #[endpoint(GET, "/api/v3/things/{id}", response = Thing, side = authentication, idempotent, sensitive)]
/// pub struct GetThing {
///     /// `{id}` in the path: filled from the field of that (Rust) name.
///     pub id: String,
///     /// A GET sends its fields as the query string; `None` is left out.
///     pub page: Option<u32>,
///     /// Moved to the JSON body.
///     #[endpoint(body)]
///     pub extra: Option<Extra>,
///     /// Sent as a header.
///     #[endpoint(header = "x-authing-app-id")]
///     pub app: Option<String>,
///     /// serde attributes pass through.
///     #[serde(rename = "userIDs")]
///     pub ids: Vec<String>,
/// }
///
/// /// An endpoint without parameters.
/// #[endpoint(GET, "/api/v3/list-enrolled-factors", response = Vec<Thing>, side = authentication)]
/// pub struct ListEnrolledFactors;
///
/// /// A POST whose fields go to the JSON body, but one to the query string.
/// #[endpoint(POST, "/api/v3/import-things", response = ())]
/// pub struct ImportThings<'a> {
///     pub list: Vec<&'a str>,
///     #[endpoint(query)]
///     pub dry_run: bool,
/// }
///
/// /// An OAuth 2.0 token endpoint: a form-encoded body, an answer without Authing's
/// /// envelope, and the application's own credentials (its client secret).
/// #[endpoint(POST, "/oidc/token", response = Tokens, side = authentication,
///            body = form, answer = plain, auth = client)]
/// #[serde(rename_all = "snake_case")] // OAuth's names: `grant_type=refresh_token&...`
/// pub struct RefreshTokens {
///     pub grant_type: &'static str,
///     pub refresh_token: authing_core::Secret,
/// }
///
/// #[derive(serde::Deserialize)]
/// pub struct Tokens {
///     pub access_token: authing_core::Secret,
/// }
///
/// use authing_core::{AnswerFormat, Authorization, BodyFormat, Endpoint};
/// assert_eq!(RefreshTokens::METADATA.body, BodyFormat::Form);
/// assert_eq!(RefreshTokens::METADATA.answer, AnswerFormat::Plain);
/// assert_eq!(RefreshTokens::METADATA.auth, Authorization::Client);
/// assert!(RefreshTokens::METADATA.sensitive, "`auth = client` implies `sensitive`");
/// ```
///
/// # The attribute
///
/// `#[endpoint(METHOD, "PATH", response = Type, side = ..., body = ..., answer = ..., auth = ..., idempotent, sensitive)]`
///
/// - `METHOD`, first: `GET`, `POST`, `PUT`, `PATCH` or `DELETE`, bare and uppercase.
/// - `"PATH"`, second: a string literal starting with `/`. `{name}` is a path parameter,
///   filled from the field called `name` (the Rust name, not the camelCase wire name).
/// - `response = Type` (required): the type of the `data` Authing answers, which must be
///   `DeserializeOwned`; `response = ()` when it answers no data.
/// - `side = management` (the default) or `side = authentication`: which client may send
///   the endpoint, `ManagementClient` or `AuthenticationClient`.
/// - `body = json` (the default) or `body = form`: how a body method encodes its fields,
///   as a JSON object or as `application/x-www-form-urlencoded` pairs (each top-level
///   field one pair, its value rendered as in a query string). Not for `GET`, which has
///   no body.
/// - `answer = envelope` (the default) or `answer = plain`: where the response is. In
///   Authing's envelope, `response` is the type of its `data`; with `plain`, as OAuth 2.0
///   and OpenID Connect endpoints answer, the 2xx JSON body is the response itself, and a
///   failure is OAuth's `{"error", "error_description"}` (`Error::OAuth`) or, when the body
///   has a `statusCode`, Authing's envelope (`Error::Api`). A plain `response = ()`
///   accepts any 2xx body, an empty one included.
/// - `auth = client`, `auth = bearer` or `auth = none`: which credentials the request carries instead of
///   the side's own (the management token or signature, the signed-in user's access
///   token). `client` is the application itself, as OAuth 2.0 token, revocation and
///   introspection endpoints want it: by the client's `TokenEndpointAuth`, its id and
///   secret in the body (`client_secret_post`), a `Basic` authorization header
///   (`client_secret_basic`) or its id alone (`none`). It needs `side = authentication`
///   and implies `sensitive`. `bearer` is the signed-in user's access token as RFC 6750's
///   `Bearer <token>` (Authing's V3 endpoints take it without the scheme), as userinfo
///   wants it; it needs `side = authentication` too. `none` sends no credentials.
/// - `idempotent`: a `POST` (or `PATCH`) that only reads, so that it may be retried.
/// - `sensitive`: the request or the answer carries secrets; bodies are never logged.
///
/// Timeouts, retries, the bound on the answer's size and the handling of secrets are the
/// same whatever the options.
///
/// # The struct
///
/// A struct with named fields, or a unit struct for an endpoint without parameters. Put
/// `#[endpoint]` on it once; other attributes may come before or after it.
/// Lifetimes are allowed (`pub struct X<'a> { id: &'a str }`); type and const generics,
/// tuple structs, enums and unions are not. `#[endpoint]` derives `Serialize` itself, so
/// do not derive it; other derives (`Debug`, `Clone`, `Deserialize`...) are fine.
///
/// Fields are serialised with serde in camelCase (`user_id` is sent as `userId`), unless
/// the struct says `#[serde(rename_all = "snake_case")]` (as OAuth 2.0's parameters are
/// named; no other `rename_all` is accepted), and go to the query string for `GET` and to
/// the body for every other method. A body method none of whose fields goes to the body
/// (a unit struct, or every field in the path, query or headers) sends no body at all, as
/// the official SDK does. A field of
/// type `Option<..>` is left out when `None`. serde attributes on fields pass through:
/// `rename`, `skip_serializing_if`, `flatten`, `serialize_with`...
///
/// A field goes elsewhere when:
/// - its name is a `{placeholder}` of the path: it fills the placeholder (it cannot be an
///   `Option`, and takes no option below);
/// - it has `#[endpoint(query)]`: it goes to the query string, even for a body method;
/// - it has `#[endpoint(body)]`: it goes to the JSON body, even for `GET`;
/// - it has `#[endpoint(header = "x-name")]`: it is sent as that header (a lowercase HTTP
///   header name), and left out when `None`.
///
/// A field moved to the query or the body keeps its wire name: its serde `rename`, else
/// its camelCase name. A field that goes elsewhere is written on its own, by value, not
/// through serde's derive, so `serialize_with`, `with`, `skip` and `skip_serializing_if`
/// cannot act on it; they are compile errors there (give the field a type with its own
/// `Serialize` instead).
///
/// # What it generates
///
/// - the struct, with `#[derive(Serialize)]`, `rename_all = "camelCase"`,
///   `skip_serializing_if` on `Option` fields, `#[serde(skip)]` on the fields that go
///   elsewhere, and a line added to its docs saying what it sends and answers;
/// - `impl authing_core::Endpoint`, with `Response`, `METADATA` and, only when some field
///   goes elsewhere, `write_parts`;
/// - `impl authing_core::ManagementEndpoint` or `impl authing_core::AuthenticationEndpoint`.
///
/// Mistakes are compile errors on the tokens at fault, all reported at once, each saying
/// how to fix it: an unknown method, key, side or field option (with the closest valid
/// one), a path that is not a string literal starting with `/`, unbalanced or empty `{}`,
/// a placeholder no field fills, a path parameter that is an `Option` or also has an
/// option, a flag given a value, a key given twice, a missing `response`, an invalid or
/// repeated header name, `body = form` on a `GET`, `auth = client` on the management side,
/// a derive of `Serialize`, and items that cannot be endpoints.
#[proc_macro_attribute]
pub fn endpoint(attr: TokenStream, item: TokenStream) -> TokenStream {
    let (attr, item) = (
        proc_macro2::TokenStream::from(attr),
        proc_macro2::TokenStream::from(item),
    );
    match expand::expand(attr.clone(), item.clone()) {
        Ok(tokens) => tokens.into(),
        Err(errors) => {
            let mut tokens = fallback::fallback(attr, item);
            tokens.extend(errors.to_compile_error());
            tokens.into()
        }
    }
}
