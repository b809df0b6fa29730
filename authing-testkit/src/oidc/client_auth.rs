//! Client authentication at the token, introspection and revocation endpoints: the
//! method the application is registered with, and only that one.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use percent_encoding::percent_decode_str;

use super::app::{OidcApp, TokenAuthMethod};
use super::error::OAuthError;
use super::grants::State;
use super::params::Params;
use crate::auth::constant_time_eq;
use crate::record::Incoming;

/// The application that `req` authenticates as, or `invalid_client` saying why not.
pub(crate) fn authenticate(
    state: &State,
    req: &Incoming,
    params: &Params,
) -> Result<OidcApp, OAuthError> {
    let (methods, client_id, secret) = presented(req, params)?;
    let app = state
        .app(&client_id)
        .ok_or_else(|| OAuthError::invalid_client(format!("client {client_id:?} is unknown")))?;
    if !methods.contains(&app.token_endpoint_auth_method) {
        return Err(OAuthError::invalid_client(format!(
            "the client is registered for {} but authenticated with {}",
            app.token_endpoint_auth_method.as_str(),
            methods[0].as_str()
        )));
    }
    if let Some(secret) = secret
        && !constant_time_eq(secret.as_bytes(), app.client_secret.as_bytes())
    {
        return Err(OAuthError::invalid_client("invalid secret provided"));
    }
    Ok(app.clone())
}

/// Which methods the request satisfies (the first is the one it meant), for which
/// client id, with which secret.
fn presented(
    req: &Incoming,
    params: &Params,
) -> Result<(Vec<TokenAuthMethod>, String, Option<String>), OAuthError> {
    let basic = req.header("authorization").and_then(|value| {
        value
            .strip_prefix("Basic ")
            .or_else(|| value.strip_prefix("basic "))
    });
    if let Some(credentials) = basic {
        let (id, secret) = decode_basic(credentials.trim())?;
        if params.get("client_id").is_some_and(|given| given != id) {
            return Err(OAuthError::invalid_request(
                "client_id in the body does not match the authorization header",
            ));
        }
        // The official Node SDK sends both for client credentials under
        // client_secret_basic; when they agree, either registration is satisfied.
        let mut methods = vec![TokenAuthMethod::ClientSecretBasic];
        match params.get("client_secret") {
            None => {}
            Some(body) if body == secret => methods.push(TokenAuthMethod::ClientSecretPost),
            Some(_) => {
                return Err(OAuthError::invalid_request(
                    "client_secret in the body does not match the authorization header",
                ));
            }
        }
        return Ok((methods, id, Some(secret)));
    }
    let Some(client_id) = params.get("client_id") else {
        return Err(OAuthError::invalid_client(
            "no client authentication mechanism provided",
        ));
    };
    Ok(match params.get("client_secret") {
        Some(secret) => (
            vec![TokenAuthMethod::ClientSecretPost],
            client_id.to_owned(),
            Some(secret.to_owned()),
        ),
        None => (vec![TokenAuthMethod::None], client_id.to_owned(), None),
    })
}

/// `base64(id:secret)`, each part percent-decoded as RFC 6749 §2.3.1 says (ids and
/// secrets of Authing are hex, so clients that do not encode them also work).
fn decode_basic(credentials: &str) -> Result<(String, String), OAuthError> {
    let refuse = || OAuthError::invalid_client("the Basic authorization header is malformed");
    let bytes = STANDARD.decode(credentials).map_err(|_| refuse())?;
    let text = String::from_utf8(bytes).map_err(|_| refuse())?;
    let (id, secret) = text.split_once(':').ok_or_else(refuse)?;
    let decode = |part: &str| {
        percent_decode_str(part)
            .decode_utf8()
            .map(|text| text.into_owned())
            .map_err(|_| refuse())
    };
    Ok((decode(id)?, decode(secret)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_decode_and_malformed_ones_are_refused() {
        let encoded = STANDARD.encode("app%3A1:s%25cret");
        assert_eq!(
            decode_basic(&encoded).ok(),
            Some(("app:1".to_owned(), "s%cret".to_owned()))
        );
        assert!(decode_basic("***").is_err());
        assert!(decode_basic(&STANDARD.encode("no-colon")).is_err());
    }
}
