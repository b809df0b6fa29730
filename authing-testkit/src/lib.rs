//! A loopback stand-in for the Authing identity cloud's V3 API: a real HTTP server on
//! `127.0.0.1`, started inside a test, that speaks Authing's wire protocol closely
//! enough to exercise a client end to end, and records what it received.
//!
//! - **Both management schemes**: `POST /api/v3/get-management-token` issues HS256 JWTs
//!   (`scoped_userpool_id`, `iat`, `exp`, `jti`) that management calls send as
//!   `authorization: Bearer …` with `x-authing-userpool-id`; or each call is signed
//!   (`authorization: authing <accessKeyId>:<signature>`, HMAC-SHA1), verified with
//!   [`authing_core::signing`] exactly as the SDK signs, with Authing's apiCodes
//!   1300–1306 for each way a signature can fail.
//! - **The authentication side**: `x-authing-app-id` plus the user's access token as is.
//! - **Endpoints**: `import-otp`, `get-otp-secret-by-user` (every `userIdType` except
//!   `custom_field`, whose format Authing does not document) and
//!   `send-enroll-factor-request` (an `otpauth://` URI, a real PNG QR code, one code per
//!   phone or e-mail a minute); the OTP enrollment is remembered for one minute and
//!   `enroll-factor` finishes it when the code is right by the TOTP rules of its URI
//!   (SHA-1, 6 digits, 30 s, one step of skew); `list-enrolled-factors`, `get-factor`,
//!   `reset-factor` and `mfa-totp-verify` then use that factor. An imported OTP secret is
//!   the same thing as an enrolled one: it is listed, verifies codes and is reset.
//! - **An OIDC / OAuth 2.0 provider** ([`oidc`]) on Authing's paths: discovery, a JWKS
//!   of RS256 keys rotated on request, an authorize endpoint that signs a user in without
//!   a browser, the code (PKCE), refresh and client-credentials grants under
//!   `client_secret_post`, `client_secret_basic` and `none`, introspection, revocation,
//!   userinfo and logout, for `/oidc/...` and `/oauth/...`.
//! - **Authing's envelope** `{statusCode, message, apiCode?, requestId, data?}` with
//!   HTTP 200 for business errors and a fresh `requestId` per answer; HTTP 404 for
//!   unknown paths, HTTP 413 for bodies over [`MAX_BODY_BYTES`].
//! - **Faults** ([`Fault`]): gateway errors, HTML pages, throttling, delays, garbage and
//!   oversized bodies, scripted per path, for testing a client's reliability; and
//!   servers that misbehave below HTTP ([`raw`]): closing, stalling, cutting an answer,
//!   a body without end, a refused port, a connect that hangs.
//! - **Your own endpoints**: a [`Canned`] answer for any method and path behind the
//!   same access checks, more [`User`]s and [`Application`]s
//!   ([`StandIn::add_user`], [`StandIn::sign_in`]), and routes of your own
//!   ([`StandInBuilder::routes`]) with extractors for the checks and the state
//!   ([`Management`], [`SignedIn`], [`Context`]).
//!
//! The apiCodes it answers are named in [`api_code`].
//!
//! ```
//! use authing_testkit::{Fault, StandIn, api_code};
//! use serde_json::Value;
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let stand_in = StandIn::start().await?;
//! let http = reqwest::Client::new();
//! let url = format!("{}/api/v3/import-otp", stand_in.base_url());
//!
//! // Business errors come back as HTTP 200 with a failure envelope.
//! let answer: Value = http.post(&url).body("{}").send().await?.json().await?;
//! assert_eq!(answer["statusCode"], 401);
//! assert_eq!(answer["apiCode"], api_code::NOT_SIGNED_IN);
//!
//! // A scripted fault answers first, and is recorded like any request.
//! stand_in.script(Fault::http(502).html("<html>Bad Gateway</html>"));
//! assert_eq!(http.post(&url).send().await?.status(), 502);
//! assert!(stand_in.requests()[1].scripted);
//! # Ok(()) }
//! ```
//!
//! For other clients (or a shell), the `authing-stand-in` binary of this crate starts
//! one and prints its base URL and credentials as `AUTHING_*=` lines.
#![warn(missing_docs)]

pub mod api_code;
mod app;
mod application;
mod auth;
mod base32;
mod canned;
mod enrollments;
mod envelope;
mod extract;
mod faults;
mod ids;
mod jwt;
pub mod oidc;
mod qr;
pub mod raw;
mod record;
mod routes;
mod server;
mod stand_in;
mod store;
mod totp;
mod users;

pub use application::Application;
pub use auth::MAX_CLOCK_SKEW;
/// The axum this crate is built on, for routes added with
/// [`StandInBuilder::routes`] without a version to keep in step.
pub use axum;
pub use canned::{Access, Canned};
pub use envelope::{Envelope, Outcome};
pub use extract::{Context, Management, SignedIn};
pub use faults::Fault;
pub use record::RecordedRequest;
pub use server::MAX_BODY_BYTES;
pub use stand_in::{StandIn, StandInBuilder};
pub use store::ImportedOtp;
pub use users::User;
