//! `POST /api/v3/signin` (password, passcode, LDAP, AD), `POST /api/v3/signin-by-mobile`
//! (codes of social providers' mobile SDKs) and `GET /api/v3/system` (the password
//! encryption keys). Sign-ins answer Authing's envelope around a token set made by the
//! same code as the token endpoint's.

use std::sync::Arc;

use axum::extract::{Extension, State as AxumState};
use serde_json::{Map, Value, json};

use super::accounts::Directory;
use super::app::OidcApp;
use super::claims::has_scope;
use super::client_auth::authenticate;
use super::grants::{Grant, Protocol, unix_now};
use super::issue::{IdTokenContext, Refresh, admit_for_api, token_set};
use super::params::Params;
use super::password::Encryption;
use crate::api_code;
use crate::app::App;
use crate::envelope::{Envelope, Outcome};
use crate::record::Incoming;
use crate::users::User;

/// The `connection`s of `signin-by-mobile`, as Authing's API names them.
pub(crate) const MOBILE_CONNECTIONS: [&str; 32] = [
    "apple",
    "wechat",
    "alipay",
    "wechatwork",
    "wechatwork_agency",
    "lark_internal",
    "lark_public",
    "lark_block",
    "yidun",
    "wechat_mini_program_code",
    "wechat_mini_program_phone",
    "wechat_mini_program_code_and_phone",
    "google",
    "facebook",
    "qq",
    "weibo",
    "baidu",
    "linkedin",
    "dingtalk",
    "github",
    "gitee",
    "gitlab",
    "douyin",
    "kuaishou",
    "xiaomi",
    "line",
    "slack",
    "oppo",
    "huawei",
    "amazon",
    "douyin_mini_program_code",
    "douyin_mini_program_code_and_phone",
];

pub(crate) async fn signin(
    AxumState(app): AxumState<Arc<App>>,
    Extension(req): Extension<Arc<Incoming>>,
) -> Outcome {
    let body = crate::routes::json_object(&req)?;
    let client = client(&app, &req, &body)?;
    let options = object(&body, "options")?.unwrap_or_default();
    let scope = optional_str(&options, "scope")?
        .unwrap_or("openid")
        .to_owned();
    let encryption = Encryption::parse(optional_str(&options, "passwordEncryptType")?)
        .map_err(Envelope::bad_request)?;
    let user = match required_str(&body, "connection")? {
        "PASSWORD" => by_password(&app, &body, encryption)?,
        "PASSCODE" => by_passcode(&app, &body)?,
        "LDAP" => by_directory(&app, &body, Directory::Ldap, "ldapPayload", encryption)?,
        "AD" => by_directory(&app, &body, Directory::Ad, "adPayload", encryption)?,
        other => {
            return Err(Envelope::bad_request(format!(
                "connection {other:?} is unknown; expected PASSWORD, PASSCODE, LDAP or AD"
            )));
        }
    };
    issue(&app, &client, &user, &scope)
}

pub(crate) async fn signin_by_mobile(
    AxumState(app): AxumState<Arc<App>>,
    Extension(req): Extension<Arc<Incoming>>,
) -> Outcome {
    let body = crate::routes::json_object(&req)?;
    let client = client(&app, &req, &body)?;
    required_str(&body, "extIdpConnidentifier")?;
    let connection = required_str(&body, "connection")?;
    if !MOBILE_CONNECTIONS.contains(&connection) {
        return Err(Envelope::bad_request(format!(
            "connection {connection:?} is not a mobile social connection of Authing's"
        )));
    }
    let payloads: Vec<&Map<String, Value>> = body
        .iter()
        .filter(|(name, _)| name.ends_with("Payload"))
        .filter_map(|(_, value)| value.as_object())
        .collect();
    let [payload] = payloads.as_slice() else {
        return Err(Envelope::bad_request(format!(
            "expected exactly one <connection>Payload object for {connection:?}, found {}",
            payloads.len()
        )));
    };
    // The stand-in cannot ask the social provider; any string in the payload that is a
    // code issued with StandIn::issue_social_code signs its user in.
    let user_id = payload
        .values()
        .filter_map(Value::as_str)
        .find_map(|value| {
            app.oidc
                .state()
                .accounts
                .take_social_code(connection, value)
        })
        .ok_or_else(|| wrong_credentials("the social provider's code is unknown or used"))?;
    let user = user_by_id(&app, &user_id)?;
    let options = object(&body, "options")?.unwrap_or_default();
    let scope = optional_str(&options, "scope")?
        .unwrap_or("openid")
        .to_owned();
    issue(&app, &client, &user, &scope)
}

pub(crate) async fn system(AxumState(app): AxumState<Arc<App>>) -> Outcome {
    let mut state = app.oidc.state();
    let keys = state
        .accounts
        .keys()
        .map_err(|_| Envelope::failure(500, None, "the stand-in could not generate its keys"))?;
    Ok(Envelope::ok(json!({
        "rsa": {"publicKey": keys.rsa_public_pem()},
        "sm2": {"publicKey": keys.sm2_public_hex()},
        "version": {"server": "stand-in", "console": "stand-in", "login": "stand-in"},
        "publicIps": ["127.0.0.1"],
    })))
}

/// The application of `x-authing-app-id`, authenticated the way it is registered:
/// `client_id` and `client_secret` in the body, a Basic header, or nothing.
fn client(app: &App, req: &Incoming, body: &Map<String, Value>) -> Result<OidcApp, Envelope> {
    let app_id = req.header("x-authing-app-id").ok_or_else(|| {
        Envelope::unauthorized(api_code::APP_NOT_FOUND, "missing x-authing-app-id")
    })?;
    let id = optional_str(body, "client_id")?.unwrap_or(app_id);
    let secret = optional_str(body, "client_secret")?.unwrap_or_default();
    let params = Params::from_pairs([("client_id", id), ("client_secret", secret)])
        .map_err(|e| Envelope::bad_request(e.description().to_owned()))?;
    let state = app.oidc.state();
    let client = authenticate(&state, req, &params).map_err(|e| {
        Envelope::unauthorized(
            api_code::CLIENT_AUTHENTICATION_FAILED,
            e.description().to_owned(),
        )
    })?;
    if client.client_id != app_id {
        return Err(Envelope::unauthorized(
            api_code::CLIENT_AUTHENTICATION_FAILED,
            "the client authenticated is not the application of x-authing-app-id",
        ));
    }
    Ok(client)
}

fn by_password(
    app: &App,
    body: &Map<String, Value>,
    encryption: Encryption,
) -> Result<User, Envelope> {
    let payload = required_object(body, "passwordPayload")?;
    let sent = required_str(&payload, "password")?;
    let named: Vec<(&str, &str)> = ["account", "email", "username", "phone"]
        .into_iter()
        .filter_map(|field| Some((field, optional_str(&payload, field).ok().flatten()?)))
        .collect();
    let [(field, value)] = named.as_slice() else {
        return Err(Envelope::bad_request(
            "passwordPayload needs exactly one of account, email, username and phone",
        ));
    };
    let user = app
        .store()
        .users()
        .iter()
        .find(|u| names(u, field, value))
        .cloned()
        .ok_or_else(|| wrong_credentials("wrong account or password"))?;
    let password = decrypt(app, encryption, sent)?;
    if app
        .oidc
        .state()
        .accounts
        .password_matches(&user.id, &password)
    {
        Ok(user)
    } else {
        Err(wrong_credentials("wrong account or password"))
    }
}

/// Whether `value`, as the sign-in field `field`, names `user`; `account` is any of
/// username, e-mail and phone.
fn names(user: &User, field: &str, value: &str) -> bool {
    let email = user.email.eq_ignore_ascii_case(value);
    match field {
        "email" => email,
        "username" => user.username == value,
        "phone" => user.phone == value,
        _ => email || user.username == value || user.phone == value,
    }
}

fn by_passcode(app: &App, body: &Map<String, Value>) -> Result<User, Envelope> {
    let payload = required_object(body, "passCodePayload")?;
    let code = required_str(&payload, "passCode")?;
    let (field, address) = match (
        optional_str(&payload, "email")?,
        optional_str(&payload, "phone")?,
    ) {
        (Some(email), None) => ("email", email),
        (None, Some(phone)) => ("phone", phone),
        _ => {
            return Err(Envelope::bad_request(
                "passCodePayload needs exactly one of email and phone",
            ));
        }
    };
    if !app.oidc.state().accounts.take_passcode(address, code) {
        return Err(Envelope::failure(
            400,
            Some(api_code::WRONG_PASSCODE),
            "the passcode is wrong, used or expired",
        ));
    }
    app.store()
        .users()
        .iter()
        .find(|u| names(u, field, address))
        .cloned()
        .ok_or_else(|| crate::users::not_found(address))
}

fn by_directory(
    app: &App,
    body: &Map<String, Value>,
    directory: Directory,
    field: &str,
    encryption: Encryption,
) -> Result<User, Envelope> {
    let payload = required_object(body, field)?;
    let account = required_str(&payload, "sAMAccountName")?;
    let password = decrypt(app, encryption, required_str(&payload, "password")?)?;
    let user_id = app
        .oidc
        .state()
        .accounts
        .directory_user(directory, account, &password)
        .map(str::to_owned)
        .ok_or_else(|| wrong_credentials("wrong account or password"))?;
    user_by_id(app, &user_id)
}

fn decrypt(app: &App, encryption: Encryption, sent: &str) -> Result<String, Envelope> {
    let mut state = app.oidc.state();
    let keys = state
        .accounts
        .keys()
        .map_err(|_| Envelope::failure(500, None, "the stand-in could not generate its keys"))?;
    keys.decrypt(encryption, sent).ok_or_else(|| {
        Envelope::failure(
            400,
            Some(api_code::PASSWORD_NOT_DECRYPTED),
            "the password does not decrypt with the key of GET /api/v3/system for the passwordEncryptType given",
        )
    })
}

fn user_by_id(app: &App, id: &str) -> Result<User, Envelope> {
    app.store()
        .users()
        .iter()
        .find(|u| u.id == id)
        .cloned()
        .ok_or_else(|| crate::users::not_found(id))
}

fn wrong_credentials(message: &str) -> Envelope {
    Envelope::failure(400, Some(api_code::WRONG_CREDENTIALS), message)
}

/// A token set for `user`, in a new session, answered as Authing's `LoginTokenRespDto`.
fn issue(app: &App, client: &OidcApp, user: &User, scope: &str) -> Outcome {
    let issuer = app.oidc.issuer();
    let mut state = app.oidc.state();
    let grant = Grant {
        grant_id: crate::ids::hex(16),
        client_id: client.client_id.clone(),
        user_id: Some(user.id.clone()),
        scope: scope.to_owned(),
        sid: Some(state.open_session()),
        protocol: Protocol::Oidc,
    };
    let id_token = has_scope(scope, "openid").then(|| IdTokenContext {
        nonce: None,
        auth_time: unix_now(),
    });
    let refresh = if has_scope(scope, "offline_access") {
        Refresh::New
    } else {
        Refresh::No
    };
    let mut tokens = token_set(
        &mut state,
        &issuer,
        client,
        &grant,
        Some(user),
        id_token,
        refresh,
    )
    .map_err(|e| Envelope::failure(500, None, e.description().to_owned()))?;
    drop(state);
    admit_for_api(app, &tokens);
    // Authing's sign-in answers spell the lifetime `expire_in`.
    if let Some(map) = tokens.as_object_mut()
        && let Some(lifetime) = map.remove("expires_in")
    {
        map.insert("expire_in".into(), lifetime);
    }
    Ok(Envelope::ok(tokens))
}

fn object(body: &Map<String, Value>, name: &str) -> Result<Option<Map<String, Value>>, Envelope> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map.clone())),
        Some(other) => Err(Envelope::bad_request(format!(
            "{name} must be an object, not {other}"
        ))),
    }
}

fn required_object(body: &Map<String, Value>, name: &str) -> Result<Map<String, Value>, Envelope> {
    object(body, name)?
        .ok_or_else(|| Envelope::bad_request(format!("{name} is required for this connection")))
}

fn required_str<'a>(object: &'a Map<String, Value>, name: &str) -> Result<&'a str, Envelope> {
    crate::routes::required_str(object, name)
}

fn optional_str<'a>(
    object: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a str>, Envelope> {
    crate::routes::optional_str(object, name)
}
