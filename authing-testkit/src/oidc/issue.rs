//! Making token sets: one place for every grant (and for the sign-in endpoints), so
//! every token the stand-in hands out has the same claims and is remembered the same way.

use serde_json::{Map, Value, json};

use super::app::{IdTokenAlg, OidcApp};
use super::claims::{at_hash, user_claims};
use super::error::OAuthError;
use super::grants::{Grant, State, TokenKind, unix_now};
use super::keys::sign_hs256;
use crate::app::App;
use crate::ids;
use crate::users::User;

/// What an ID token of this token set says beyond the user's claims.
#[derive(Debug, Clone, Default)]
pub(crate) struct IdTokenContext {
    /// The `nonce` of the authorization request, carried over as is.
    pub(crate) nonce: Option<String>,
    /// When the user signed in.
    pub(crate) auth_time: u64,
}

/// Whether the token set carries a refresh token.
#[derive(Debug, Clone)]
pub(crate) enum Refresh {
    /// None (the scope lacks `offline_access`, or the grant never gives one).
    No,
    /// A fresh one.
    New,
    /// The one being used again (refresh tokens are not rotated).
    Keep(String),
}

/// Makes, remembers and answers a token set: `access_token`, `expires_in`, `id_token`
/// when `id_token` is given and there is a user, `refresh_token` as `refresh` says,
/// `scope` and `token_type`.
pub(crate) fn token_set(
    state: &mut State,
    issuer: &str,
    app: &OidcApp,
    grant: &Grant,
    user: Option<&User>,
    id_token: Option<IdTokenContext>,
    refresh: Refresh,
) -> Result<Value, OAuthError> {
    let keys_failed = |_| OAuthError::server_error("the stand-in could not sign a token");
    let iat = unix_now();
    let lifetime = app.access_token_lifetime;
    let jti = ids::hex(16);
    let subject = grant
        .user_id
        .clone()
        .unwrap_or_else(|| app.client_id.clone());
    let claims = json!({
        "jti": jti,
        "sub": subject,
        "iat": iat,
        "exp": iat.saturating_add(lifetime.as_secs()),
        "scope": grant.scope,
        "iss": issuer,
        "aud": app.client_id,
    });
    let access_token = state
        .keys()
        .map_err(keys_failed)?
        .sign_rs256(&claims)
        .map_err(keys_failed)?;
    state.remember(
        access_token.clone(),
        TokenKind::Access,
        jti,
        grant,
        (iat, lifetime),
    );

    let mut answer = Map::new();
    answer.insert("access_token".into(), access_token.clone().into());
    answer.insert("expires_in".into(), lifetime.as_secs().into());
    if let (Some(context), Some(user)) = (id_token, user) {
        let token = id_token_for(state, issuer, app, grant, user, &context, &access_token)?;
        answer.insert("id_token".into(), token.into());
    }
    let refresh_token = match refresh {
        Refresh::No => None,
        Refresh::Keep(token) => Some(token),
        Refresh::New => {
            let token = ids::hex(32);
            let lifetime = (iat, app.refresh_token_lifetime);
            state.remember(
                token.clone(),
                TokenKind::Refresh,
                ids::hex(16),
                grant,
                lifetime,
            );
            Some(token)
        }
    };
    if let Some(token) = refresh_token {
        answer.insert("refresh_token".into(), token.into());
    }
    answer.insert("scope".into(), grant.scope.clone().into());
    answer.insert("token_type".into(), "Bearer".into());
    Ok(Value::Object(answer))
}

fn id_token_for(
    state: &mut State,
    issuer: &str,
    app: &OidcApp,
    grant: &Grant,
    user: &User,
    context: &IdTokenContext,
    access_token: &str,
) -> Result<String, OAuthError> {
    let iat = unix_now();
    let lifetime = app.id_token_lifetime;
    let mut claims = user_claims(user, &grant.scope);
    claims.insert("aud".into(), app.client_id.clone().into());
    claims.insert("iat".into(), iat.into());
    claims.insert("exp".into(), iat.saturating_add(lifetime.as_secs()).into());
    claims.insert("iss".into(), issuer.into());
    claims.insert("auth_time".into(), context.auth_time.into());
    if let Some(nonce) = &context.nonce {
        claims.insert("nonce".into(), nonce.clone().into());
    }
    if let Some(sid) = &grant.sid {
        claims.insert("sid".into(), sid.clone().into());
    }
    claims.insert("at_hash".into(), at_hash(access_token).into());
    let claims = Value::Object(claims);
    let token = match app.id_token_alg {
        IdTokenAlg::Rs256 => state
            .keys()
            .and_then(|keys| keys.sign_rs256(&claims))
            .map_err(|_| OAuthError::server_error("the stand-in could not sign a token"))?,
        IdTokenAlg::Hs256 => sign_hs256(app.client_secret.as_bytes(), &claims),
    };
    state.remember(
        token.clone(),
        TokenKind::Id,
        ids::hex(16),
        grant,
        (iat, lifetime),
    );
    Ok(token)
}

/// Lets authentication-side calls (`x-authing-app-id` plus the token as is) accept the
/// user access token of `tokens`, as Authing's API accepts the tokens its provider
/// issues. Called without the provider's lock held.
pub(crate) fn admit_for_api(app: &App, tokens: &Value) {
    let Some(access_token) = tokens["access_token"].as_str() else {
        return;
    };
    let owner = app
        .oidc
        .state()
        .token(access_token)
        .and_then(|t| Some((t.user_id.clone()?, t.client_id.clone())));
    if let Some((user_id, client_id)) = owner {
        app.store()
            .remember_user_token(access_token.to_owned(), &user_id, &client_id);
    }
}
