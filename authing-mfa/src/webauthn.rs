//! Passkey (WebAuthn) as an MFA factor: the two initialise calls, authentication side.
//!
//! Authing types both answers as any JSON value: the WebAuthn options a browser passes
//! to `navigator.credentials.create()` or `.get()`. The SDK hands them on untouched.
//! Like the official SDKs, this SDK sends these POSTs without a body.

use authing_core::endpoint;
use serde_json::Value;

/// Starts binding a passkey as the signed-in user's MFA factor: answers the
/// credential-creation options for the browser.
///
/// ```no_run
/// use authing_mfa::WebauthnMfaBindInitialize;
/// # async fn run(user: authing_core::AuthenticationClient) -> Result<(), authing_core::Error> {
/// let options = user.send(&WebauthnMfaBindInitialize).await?;
/// println!("pass to navigator.credentials.create(): {options}");
/// # Ok(())
/// # }
/// ```
#[endpoint(POST, "/api/v3/webauthn/mfa-bind/initialize", response = Value, side = authentication, sensitive)]
#[derive(Debug, Clone, Copy)]
pub struct WebauthnMfaBindInitialize;

/// Starts an MFA check with the signed-in user's passkey: answers the credential-request
/// options for the browser.
///
/// ```no_run
/// use authing_mfa::WebauthnMfaVerifyInitialize;
/// # async fn run(user: authing_core::AuthenticationClient) -> Result<(), authing_core::Error> {
/// let options = user.send(&WebauthnMfaVerifyInitialize).await?;
/// println!("pass to navigator.credentials.get(): {options}");
/// # Ok(())
/// # }
/// ```
#[endpoint(POST, "/api/v3/webauthn/mfa-verify/initialize", response = Value, side = authentication, sensitive)]
#[derive(Debug, Clone, Copy)]
pub struct WebauthnMfaVerifyInitialize;
