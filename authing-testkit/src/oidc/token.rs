//! `POST /oidc/token` and `POST /oauth/token`: the authorization code (with PKCE),
//! refresh token and client credentials grants.

use std::sync::Arc;

use axum::extract::{Extension, State as AxumState};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest as _, Sha256};

use super::app::{OidcApp, TokenAuthMethod};
use super::claims::has_scope;
use super::client_auth::authenticate;
use super::error::{OAuthError, no_store_json};
use super::grants::{Challenge, CodeRefusal, Grant, Protocol, State, TokenKind};
use super::issue::{IdTokenContext, Refresh, admit_for_api, token_set};
use super::params::Params;
use crate::app::App;
use crate::auth::constant_time_eq;
use crate::record::Incoming;
use crate::users::User;

pub(crate) async fn token(
    AxumState(app): AxumState<Arc<App>>,
    Extension(req): Extension<Arc<Incoming>>,
) -> Response {
    match answer(&app, &req) {
        Ok(body) => no_store_json(body.to_string()),
        Err(error) => error.into_response(),
    }
}

fn answer(app: &App, req: &Incoming) -> Result<serde_json::Value, OAuthError> {
    let params = Params::form(req)?;
    let protocol = Protocol::of_path(&req.record.path);
    let grant_type = params.require("grant_type")?;
    let users = app.store().users().to_vec();
    let issuer = app.oidc.issuer();
    let tokens = {
        let mut state = app.oidc.state();
        let client = authenticate(&state, req, &params)?;
        let exchange = Exchange {
            state: &mut state,
            issuer: &issuer,
            client: &client,
            params: &params,
            protocol,
            users: &users,
        };
        match grant_type {
            "authorization_code" => exchange.authorization_code(),
            "refresh_token" => exchange.refresh_token(),
            "client_credentials" => exchange.client_credentials(),
            other => Err(OAuthError::unsupported_grant_type(format!(
                "unsupported grant_type {other:?}: the stand-in answers authorization_code, refresh_token and client_credentials"
            ))),
        }?
    };
    admit_for_api(app, &tokens);
    Ok(tokens)
}

/// One token request, authenticated.
struct Exchange<'a> {
    state: &'a mut State,
    issuer: &'a str,
    client: &'a OidcApp,
    params: &'a Params,
    protocol: Protocol,
    users: &'a [User],
}

impl Exchange<'_> {
    fn authorization_code(self) -> Result<serde_json::Value, OAuthError> {
        let code_text = self.params.require("code")?;
        let code = self
            .state
            .redeem_code(code_text, &self.client.client_id, self.protocol)
            .map_err(|refusal| {
                OAuthError::invalid_grant(match refusal {
                    CodeRefusal::Unknown => "grant request is invalid: the code is unknown",
                    CodeRefusal::Expired => "grant request is invalid: the code has expired",
                    CodeRefusal::Replayed => {
                        "grant request is invalid: the code was already used; the tokens it gave are revoked"
                    }
                })
            })?;
        if self.params.get("redirect_uri") != Some(code.redirect_uri.as_str()) {
            return Err(OAuthError::invalid_grant(
                "grant request is invalid: redirect_uri does not match the authorization request",
            ));
        }
        check_pkce(code.challenge.as_ref(), self.params.get("code_verifier"))?;
        let user = find_user(self.users, &code.user_id)?;
        let grant = Grant {
            grant_id: code.grant_id.clone(),
            client_id: code.client_id.clone(),
            user_id: Some(code.user_id.clone()),
            scope: code.scope.clone(),
            sid: Some(code.sid.clone()),
            protocol: self.protocol,
        };
        let id_token =
            (self.protocol == Protocol::Oidc && has_scope(&code.scope, "openid")).then(|| {
                IdTokenContext {
                    nonce: code.nonce.clone(),
                    auth_time: code.auth_time,
                }
            });
        let refresh = if has_scope(&code.scope, "offline_access") {
            Refresh::New
        } else {
            Refresh::No
        };
        token_set(
            self.state,
            self.issuer,
            self.client,
            &grant,
            Some(user),
            id_token,
            refresh,
        )
    }

    fn refresh_token(self) -> Result<serde_json::Value, OAuthError> {
        let text = self.params.require("refresh_token")?;
        let refused = || {
            OAuthError::invalid_grant(
                "grant request is invalid: the refresh token is unknown, expired or revoked",
            )
        };
        let token = self
            .state
            .active_token(text)
            .filter(|t| {
                t.kind == TokenKind::Refresh
                    && t.client_id == self.client.client_id
                    && t.protocol == self.protocol
            })
            .cloned()
            .ok_or_else(refused)?;
        let scope = match self.params.get("scope") {
            Some(asked) => narrowed(&token.scope, asked)?,
            None => token.scope.clone(),
        };
        let user_id = token.user_id.clone().ok_or_else(refused)?;
        let user = find_user(self.users, &user_id)?;
        let grant = Grant {
            grant_id: token.grant_id.clone(),
            client_id: token.client_id.clone(),
            user_id: Some(user_id),
            scope: scope.clone(),
            sid: token.sid.clone(),
            protocol: self.protocol,
        };
        // The refresh token was made when the code was exchanged, right after sign-in.
        let context = IdTokenContext {
            nonce: None,
            auth_time: token.iat,
        };
        let id_token =
            (self.protocol == Protocol::Oidc && has_scope(&scope, "openid")).then_some(context);
        token_set(
            self.state,
            self.issuer,
            self.client,
            &grant,
            Some(user),
            id_token,
            Refresh::Keep(text.to_owned()),
        )
    }

    fn client_credentials(self) -> Result<serde_json::Value, OAuthError> {
        if self.client.token_endpoint_auth_method == TokenAuthMethod::None {
            return Err(OAuthError::unauthorized_client(
                "a public client (token_endpoint_auth_method none) may not use client_credentials",
            ));
        }
        let grant = Grant {
            grant_id: crate::ids::hex(16),
            client_id: self.client.client_id.clone(),
            user_id: None,
            scope: self.params.get("scope").unwrap_or_default().to_owned(),
            sid: None,
            protocol: self.protocol,
        };
        token_set(
            self.state,
            self.issuer,
            self.client,
            &grant,
            None,
            None,
            Refresh::No,
        )
    }
}

/// RFC 7636 §4.6: the verifier must hash (S256) or equal (plain) the challenge; a
/// verifier without a challenge, or the other way round, is refused too.
fn check_pkce(challenge: Option<&Challenge>, verifier: Option<&str>) -> Result<(), OAuthError> {
    let refuse = |why: &str| {
        Err(OAuthError::invalid_grant(format!(
            "PKCE verification failed: {why}"
        )))
    };
    match (challenge, verifier) {
        (None, None) => Ok(()),
        (None, Some(_)) => {
            refuse("a code_verifier was sent but the authorization request had no code_challenge")
        }
        (Some(_), None) => refuse("missing code_verifier"),
        (Some(challenge), Some(verifier)) => {
            if !is_valid_verifier(verifier) {
                return refuse("code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~");
            }
            let computed = if challenge.s256 {
                URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
            } else {
                verifier.to_owned()
            };
            if constant_time_eq(computed.as_bytes(), challenge.value.as_bytes()) {
                Ok(())
            } else {
                refuse("the code_verifier does not match the code_challenge")
            }
        }
    }
}

/// RFC 7636 §4.1's verifier (and plain challenge) syntax.
pub(crate) fn is_valid_verifier(text: &str) -> bool {
    (43..=128).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

/// `asked`, when every scope in it was granted.
fn narrowed(granted: &str, asked: &str) -> Result<String, OAuthError> {
    match asked
        .split_ascii_whitespace()
        .find(|s| !has_scope(granted, s))
    {
        Some(extra) => Err(OAuthError::invalid_scope(format!(
            "refresh token does not include the scope {extra:?}"
        ))),
        None => Ok(asked.to_owned()),
    }
}

fn find_user<'a>(users: &'a [User], id: &str) -> Result<&'a User, OAuthError> {
    users.iter().find(|user| user.id == id).ok_or_else(|| {
        OAuthError::invalid_grant("grant request is invalid: the user no longer exists")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    #[test]
    fn s256_matches_rfc_7636_appendix_b() {
        let challenge = Challenge {
            value: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".into(),
            s256: true,
        };
        assert!(check_pkce(Some(&challenge), Some(VERIFIER)).is_ok());
        let wrong = VERIFIER.replace('d', "e");
        assert!(check_pkce(Some(&challenge), Some(&wrong)).is_err());
        assert!(check_pkce(Some(&challenge), None).is_err());
    }

    #[test]
    fn plain_compares_and_a_lone_verifier_is_refused() {
        let challenge = Challenge {
            value: VERIFIER.into(),
            s256: false,
        };
        assert!(check_pkce(Some(&challenge), Some(VERIFIER)).is_ok());
        assert!(check_pkce(None, Some(VERIFIER)).is_err());
        assert!(check_pkce(None, None).is_ok());
        assert!(!is_valid_verifier("short"));
    }

    #[test]
    fn a_refresh_may_narrow_but_not_widen_the_scope() {
        assert_eq!(
            narrowed("openid email", "openid").ok().as_deref(),
            Some("openid")
        );
        assert!(narrowed("openid", "openid email").is_err());
    }
}
