//! `GET /oidc/auth` and `GET /oauth/auth`: the authorization endpoint. There is no
//! login page: the request signs in a stand-in user at once and redirects back.

use std::sync::Arc;

use axum::extract::{Extension, State as AxumState};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::claims::has_scope;
use super::error::error_page;
use super::grants::{Challenge, NewCode, Protocol};
use super::params::Params;
use super::token::is_valid_verifier;
use crate::app::App;
use crate::record::Incoming;
use crate::users::User;

pub(crate) async fn authorize(
    AxumState(app): AxumState<Arc<App>>,
    Extension(req): Extension<Arc<Incoming>>,
) -> Response {
    let params = match Params::query(&req) {
        Ok(params) => params,
        Err(error) => return error_page(error.error(), error.description()),
    };
    let protocol = Protocol::of_path(&req.record.path);
    let client_id = match params.require("client_id") {
        Ok(id) => id,
        Err(error) => return error_page(error.error(), error.description()),
    };
    let registered = app
        .oidc
        .state()
        .app(client_id)
        .map(|a| a.redirect_uris.clone());
    let Some(registered) = registered else {
        return error_page(
            "invalid_client",
            &format!("client {client_id:?} is unknown"),
        );
    };
    let Some(redirect_uri) = params.get("redirect_uri") else {
        return error_page(
            "invalid_request",
            "missing required parameter 'redirect_uri'",
        );
    };
    if !registered.iter().any(|uri| uri == redirect_uri) {
        return error_page(
            "invalid_redirect_uri",
            "redirect_uri did not match any of the client's registered redirect_uris",
        );
    }
    // From here on, problems go back to the client, as RFC 6749 §4.1.2.1 says.
    let back = Redirect {
        uri: redirect_uri,
        state: params.get("state"),
    };
    match new_code(&app, &params, protocol) {
        Ok(code) => back.to(&[("code", &code)]),
        Err((error, description)) => {
            back.to(&[("error", error), ("error_description", &description)])
        }
    }
}

/// Checks the rest of the request, signs a user in and makes the code.
fn new_code(
    app: &App,
    params: &Params,
    protocol: Protocol,
) -> Result<String, (&'static str, String)> {
    let invalid = |why: &str| ("invalid_request", why.to_owned());
    match params.get("response_type") {
        None => return Err(invalid("missing required parameter 'response_type'")),
        Some("code") => {}
        Some(other) => {
            return Err((
                "unsupported_response_type",
                format!("response_type {other:?} is not answered by the stand-in, only code"),
            ));
        }
    }
    if params
        .get("response_mode")
        .is_some_and(|mode| mode != "query")
    {
        return Err(invalid("the stand-in answers response_mode query only"));
    }
    let scope = match (protocol, params.get("scope")) {
        (Protocol::Oidc, Some(scope)) if has_scope(scope, "openid") => scope.to_owned(),
        (Protocol::Oidc, _) => {
            return Err(invalid(
                "openid scope must be requested when using the oidc protocol",
            ));
        }
        (Protocol::Oauth, scope) => scope.unwrap_or("user").to_owned(),
    };
    let challenge = challenge(params).map_err(|why| invalid(&why))?;
    let user = signed_in_user(app.store().users(), params.get("login_hint")).ok_or_else(|| {
        (
            "access_denied",
            "no stand-in user matches login_hint".to_owned(),
        )
    })?;
    let mut state = app.oidc.state();
    let sid = state.open_session();
    Ok(state.new_code(NewCode {
        client_id: params.get("client_id").unwrap_or_default().to_owned(),
        redirect_uri: params.get("redirect_uri").unwrap_or_default().to_owned(),
        user_id: user.id,
        scope,
        nonce: params.get("nonce").map(str::to_owned),
        challenge,
        sid,
        protocol,
    }))
}

/// The PKCE challenge, if any: `S256` or `plain` (the default, RFC 7636 §4.3).
fn challenge(params: &Params) -> Result<Option<Challenge>, String> {
    let method = params.get("code_challenge_method");
    let Some(value) = params.get("code_challenge") else {
        return match method {
            Some(_) => Err("code_challenge_method was sent without a code_challenge".into()),
            None => Ok(None),
        };
    };
    let s256 = match method.unwrap_or("plain") {
        "S256" => true,
        "plain" => false,
        other => {
            return Err(format!(
                "not supported value of code_challenge_method: {other:?} (S256 or plain)"
            ));
        }
    };
    if !is_valid_verifier(value) {
        return Err("code_challenge must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~".into());
    }
    Ok(Some(Challenge {
        value: value.to_owned(),
        s256,
    }))
}

/// The user `hint` names by id, e-mail (any case), username or phone; the first
/// (seeded) user when there is no hint.
pub(crate) fn signed_in_user(users: &[User], hint: Option<&str>) -> Option<User> {
    let Some(hint) = hint else {
        return users.first().cloned();
    };
    users
        .iter()
        .find(|u| {
            u.id == hint
                || u.email.eq_ignore_ascii_case(hint)
                || u.username == hint
                || u.phone == hint
        })
        .cloned()
}

/// A redirect back to the client's URI with parameters (and `state`, when given).
struct Redirect<'a> {
    uri: &'a str,
    state: Option<&'a str>,
}

impl Redirect<'_> {
    fn to(&self, pairs: &[(&str, &str)]) -> Response {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.extend_pairs(pairs);
        if let Some(state) = self.state {
            query.append_pair("state", state);
        }
        let separator = if self.uri.contains('?') { '&' } else { '?' };
        let location = format!("{}{separator}{}", self.uri, query.finish());
        found(&location)
    }
}

/// `302 Found` to `location`.
pub(crate) fn found(location: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, location.to_owned())]).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hint_picks_a_user_by_any_of_its_names() {
        let users = [User::seeded()];
        let user = &users[0];
        for hint in [
            &user.id,
            &user.email.to_uppercase(),
            &user.username,
            &user.phone,
        ] {
            assert_eq!(
                signed_in_user(&users, Some(hint)).as_ref(),
                Some(user),
                "{hint}"
            );
        }
        assert_eq!(signed_in_user(&users, None).as_ref(), Some(user));
        assert_eq!(signed_in_user(&users, Some("nobody")), None);
    }

    #[test]
    fn redirects_keep_an_existing_query_and_encode_values() {
        let back = Redirect {
            uri: "http://h/cb?x=1",
            state: Some("a b"),
        };
        let response = back.to(&[("code", "c&d")]);
        assert_eq!(response.status(), StatusCode::FOUND);
        assert_eq!(
            response.headers()[header::LOCATION],
            "http://h/cb?x=1&code=c%26d&state=a+b"
        );
    }
}
