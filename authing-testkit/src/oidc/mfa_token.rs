//! `POST /mfa/token/introspection`: whether an MFA token is still good, and whose it is.
//!
//! Authing hands a sign-in that still has to pass multi-factor authentication an MFA
//! token; a back end asks this endpoint about it. Authing's reference gives the answer
//! (`{active, userPoolId, userId, exp, iat}`, not enveloped) but no request fields, and
//! the official SDKs send an empty body. The stand-in takes what token introspection
//! takes everywhere else (RFC 7662, and Authing's own `/oidc/token/introspection`): the
//! token as the form field `token`, from an authenticated client.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Extension, State as AxumState};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::client_auth::authenticate;
use super::error::{OAuthError, no_store_json};
use super::grants::unix_now;
use super::params::Params;
use crate::app::App;
use crate::record::Incoming;

/// How long an MFA token is good for. Authing does not document it; ten minutes is
/// enough for a user to open an authenticator app, and short enough to test expiry
/// with [`MfaTokens::issue_expiring_at`].
pub(crate) const MFA_TOKEN_LIFETIME_SECS: u64 = 600;

/// One MFA token the stand-in handed out.
#[derive(Debug, Clone)]
struct MfaToken {
    user_id: String,
    iat: u64,
    exp: u64,
}

/// The MFA tokens handed out so far, by their text.
#[derive(Debug, Default)]
pub(crate) struct MfaTokens(HashMap<String, MfaToken>);

impl MfaTokens {
    /// A fresh token for `user_id`, good for [`MFA_TOKEN_LIFETIME_SECS`].
    pub(crate) fn issue(&mut self, user_id: &str) -> String {
        let now = unix_now();
        self.issue_expiring_at(user_id, now, now + MFA_TOKEN_LIFETIME_SECS)
    }

    /// A token for `user_id` issued at `iat` that expires at `exp` (Unix seconds).
    pub(crate) fn issue_expiring_at(&mut self, user_id: &str, iat: u64, exp: u64) -> String {
        let text = crate::ids::hex(32);
        let token = MfaToken {
            user_id: user_id.to_owned(),
            iat,
            exp,
        };
        self.0.insert(text.clone(), token);
        text
    }

    /// The introspection answer for `text`: what is known of a live token, only
    /// `active: false` for an unknown or expired one (RFC 7662 §2.2).
    fn introspect(&self, text: &str, userpool_id: &str) -> Value {
        match self.0.get(text).filter(|t| t.exp > unix_now()) {
            Some(token) => json!({
                "active": true,
                "userPoolId": userpool_id,
                "userId": token.user_id,
                "exp": token.exp,
                "iat": token.iat,
            }),
            None => json!({"active": false}),
        }
    }
}

pub(crate) async fn introspect(
    AxumState(app): AxumState<Arc<App>>,
    Extension(req): Extension<Arc<Incoming>>,
) -> Response {
    let answer = || -> Result<Value, OAuthError> {
        let params = Params::form(&req)?;
        let text = params.require("token")?;
        authenticate(&app.oidc.state(), &req, &params)?;
        Ok(app
            .oidc
            .mfa_tokens()
            .introspect(text, &app.config.userpool_id))
    };
    match answer() {
        Ok(body) => no_store_json(body.to_string()),
        Err(error) => error.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_token_names_its_user_and_an_expired_or_unknown_one_is_inactive() {
        let mut tokens = MfaTokens::default();
        let live = tokens.issue("u1");
        let now = unix_now();
        let expired = tokens.issue_expiring_at("u1", now - 20, now - 10);
        let answer = tokens.introspect(&live, "pool");
        assert_eq!(answer["active"], true);
        assert_eq!(answer["userId"], "u1");
        assert_eq!(answer["userPoolId"], "pool");
        assert_eq!(
            answer["exp"].as_u64(),
            answer["iat"]
                .as_u64()
                .map(|iat| iat + MFA_TOKEN_LIFETIME_SECS)
        );
        assert_eq!(
            tokens.introspect(&expired, "pool"),
            json!({"active": false})
        );
        assert_eq!(tokens.introspect("nope", "pool"), json!({"active": false}));
    }
}
