//! The sign-in endpoints that authing-oidc declares by hand (`authing_oidc::signin`),
//! built from the official SDK method's arguments through their public constructors and
//! setters.
//!
//! The SDK takes the application's `client_id` and `client_secret` as arguments of the
//! call; in authing-rs they are the client's configuration (`auth = client`), so the call
//! goes through a client configured with them, under `client_secret_post` (their place in
//! the body, as the SDK's own sign-in wrappers send them).

use authing_core::{AuthenticationClient, AuthenticationEndpoint, RetryPolicy, TokenEndpointAuth};
use authing_oidc::signin::{
    GetSystemInfo, MobileConnection, MobilePayload, SignIn, SignInByMobile,
};

use crate::hand_declared::{Arg, Args, Authentication};
use crate::{Call, Clients, Fixture};

/// The call for `fixture` when it is one of the sign-in endpoints.
pub(crate) fn call<'a>(
    clients: &'a Clients,
    fixture: &Fixture,
) -> Option<Result<Call<'a>, String>> {
    let args = Args(&fixture.args);
    Some(match (fixture.side.as_str(), fixture.sdk_method.as_str()) {
        ("authentication", "getSystemInfo") => Authentication(clients).call(Ok(GetSystemInfo)),
        ("authentication", "signInByCredentials") => as_application(clients, args, sign_in(args)),
        ("authentication", "signInByMobile") => {
            as_application(clients, args, sign_in_by_mobile(args))
        }
        _ => return None,
    })
}

/// Sends `built` through a client of the application the arguments name.
fn as_application<'a, E: AuthenticationEndpoint + 'a>(
    clients: &Clients,
    args: Args<'_>,
    built: Result<E, String>,
) -> Result<Call<'a>, String> {
    let fields = args.first()?;
    let client = AuthenticationClient::builder(fields.string("client_id")?, &clients.base_url)
        .app_secret(fields.string("client_secret")?)
        .token_endpoint_auth(TokenEndpointAuth::ClientSecretPost)
        .retry(RetryPolicy::disabled())
        .build()
        .map_err(|e| format!("an application client from the arguments: {e}"))?;
    let endpoint = built?;
    Ok(Box::pin(async move {
        client
            .send(&endpoint)
            .await
            .map(drop)
            .map_err(|e| e.to_string())
    }))
}

/// `signInByCredentials`: the connection the arguments name, with its payload.
fn sign_in(args: Args<'_>) -> Result<SignIn, String> {
    let fields = args.first()?;
    let built = match fields.string("connection")?.as_str() {
        "PASSWORD" => password(&fields.field("passwordPayload")?)?,
        "PASSCODE" => passcode(&fields.field("passCodePayload")?)?,
        "LDAP" => {
            let payload = fields.field("ldapPayload")?;
            SignIn::ldap(
                payload.string("sAMAccountName")?,
                payload.string("password")?,
            )
        }
        "AD" => {
            let payload = fields.field("adPayload")?;
            SignIn::ad(
                payload.string("sAMAccountName")?,
                payload.string("password")?,
            )
        }
        other => return Err(format!("connection {other:?} is none of Authing's four")),
    };
    match fields.optional("options") {
        Some(options) => with_options(built, &options),
        None => Ok(built),
    }
}

/// A password sign-in names the user once: by the first of `email`, `phone`,
/// `username` and `account` that the payload has.
fn password(payload: &Arg<'_>) -> Result<SignIn, String> {
    type New = fn(String, String) -> SignIn;
    let password = payload.string("password")?;
    let names: [(&str, New); 4] = [
        ("email", |name, password| {
            SignIn::email_password(name, password)
        }),
        ("phone", |name, password| {
            SignIn::phone_password(name, password)
        }),
        ("username", |name, password| {
            SignIn::username_password(name, password)
        }),
        ("account", |name, password| {
            SignIn::account_password(name, password)
        }),
    ];
    for (field, new) in names {
        if let Some(name) = payload.optional_string(field)? {
            return Ok(new(name, password));
        }
    }
    Err("passwordPayload names the user by none of email, phone, username, account".to_owned())
}

/// A passcode sign-in: by e-mail if the payload has one, else by phone.
fn passcode(payload: &Arg<'_>) -> Result<SignIn, String> {
    let code = payload.string("passCode")?;
    if let Some(email) = payload.optional_string("email")? {
        return Ok(SignIn::email_passcode(email, code));
    }
    let built = SignIn::phone_passcode(payload.string("phone")?, code);
    Ok(match payload.optional_string("phoneCountryCode")? {
        Some(country) => built.phone_country_code(country),
        None => built,
    })
}

/// The options SignIn has setters for. `passwordEncryptType` is set only by encrypting
/// the password with the user pool's key, which a recorded sample has none of.
fn with_options(mut built: SignIn, options: &Arg<'_>) -> Result<SignIn, String> {
    if let Some(scope) = options.optional_string("scope")? {
        built = built.scope(scope);
    }
    if let Some(ip) = options.optional_string("clientIp")? {
        built = built.client_ip(ip);
    }
    if let Some(context) = options.optional("context") {
        built = built.context(context.value.clone());
    }
    if let Some(tenant) = options.optional_string("tenantId")? {
        built = built.tenant_id(tenant);
    }
    if let Some(data) = options.optional("customData") {
        built = built.custom_data(data.value.clone());
    }
    if let Some(on) = options.optional("autoRegister") {
        built = built.auto_register(on.decode()?);
    }
    if let (Some(code), Some(token)) = (
        options.optional_string("captchaCode")?,
        options.optional_string("captchaToken")?,
    ) {
        built = built.captcha(code, token);
    }
    Ok(built)
}

/// `signInByMobile`: the connection the arguments name, with its payload.
fn sign_in_by_mobile(args: Args<'_>) -> Result<SignInByMobile, String> {
    let fields = args.first()?;
    let name = fields.string("connection")?;
    let connection = MobileConnection::ALL
        .into_iter()
        .find(|c| c.as_str() == name)
        .ok_or_else(|| format!("connection {name:?} is none of MobileConnection::ALL"))?;
    let given = fields.field(connection.payload_field())?;
    let members = given
        .value
        .as_object()
        .ok_or_else(|| format!("{} is not an object", connection.payload_field()))?;
    let payload = members
        .iter()
        .fold(MobilePayload::default(), |payload, (name, value)| {
            payload.with(name.clone(), value.clone())
        });
    let mut built =
        SignInByMobile::new(fields.string("extIdpConnidentifier")?, connection, payload);
    if let Some(options) = fields.optional("options") {
        if let Some(scope) = options.optional_string("scope")? {
            built = built.scope(scope);
        }
        if let Some(tenant) = options.optional_string("tenantId")? {
            built = built.tenant_id(tenant);
        }
    }
    Ok(built)
}
