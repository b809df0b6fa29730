//! The sign-in endpoints: `POST /api/v3/signin` with its connections (password by e-mail,
//! phone, username or account; passcode by e-mail or phone; LDAP; AD) and
//! `POST /api/v3/signin-by-mobile` (a social provider's mobile SDK code), declared with
//! [`#[endpoint]`](authing_core::endpoint) and `auth = client`, so the application
//! authenticates as it is registered (`client_secret_post`, `client_secret_basic` or
//! `none`), as the official Node SDK does. Passwords can be encrypted first with the user
//! pool's RSA or SM2 key ([`PasswordKey`], keys from [`GetSystemInfo`]).
//!
//! ```no_run
//! use authing_core::{AuthenticationClient, TokenEndpointAuth};
//! use authing_oidc::signin::{GetSystemInfo, PasswordKey, SignIn};
//!
//! # async fn run() -> Result<(), authing_core::Error> {
//! let app = AuthenticationClient::builder("APP_ID", "https://example.authing.cn")
//!     .app_secret("APP_SECRET")
//!     .token_endpoint_auth(TokenEndpointAuth::ClientSecretPost)
//!     .build()?;
//! let system = app.send(&GetSystemInfo).await?;
//! let key = PasswordKey::rsa_pem(&system.rsa.public_key)?;
//! let tokens = app
//!     .send(&SignIn::email_password("alice@example.com", "pa55word").scope("openid email").encrypt_password(&key)?)
//!     .await?;
//! println!("{:?}", tokens.id_token); // Some(Secret([REDACTED]))
//! # Ok(()) }
//! ```

mod mobile;
mod password;

use authing_core::{Secret, endpoint};
use serde::{Deserialize, Serialize};

pub use mobile::{MobileConnection, MobilePayload, SignInByMobile};
pub use password::PasswordKey;

/// Signs a user in with credentials (`POST /api/v3/signin`), Authing's
/// `signInByCredentials`: one connection, its payload, and options. Build it with a
/// constructor per connection; the answer is a [`SignInTokens`].
///
/// ```
/// use authing_oidc::signin::SignIn;
///
/// let body = serde_json::to_value(SignIn::phone_passcode("13800138000", "123456").phone_country_code("+86"))?;
/// assert_eq!(body["connection"], "PASSCODE");
/// assert_eq!(body["passCodePayload"]["phoneCountryCode"], "+86");
/// assert!(body.get("options").is_none());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[endpoint(POST, "/api/v3/signin", response = SignInTokens, side = authentication, auth = client, sensitive)]
#[derive(Clone)]
pub struct SignIn {
    connection: Connection,
    password_payload: Option<PasswordPayload>,
    pass_code_payload: Option<PassCodePayload>,
    ad_payload: Option<DirectoryPayload>,
    ldap_payload: Option<DirectoryPayload>,
    options: Option<SignInOptions>,
}

/// `connection` of `/api/v3/signin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
enum Connection {
    Password,
    Passcode,
    Ldap,
    Ad,
}

/// `passwordPayload`: the password and exactly one way to name the user.
#[derive(Debug, Clone, Serialize)]
struct PasswordPayload {
    password: Secret,
    #[serde(skip_serializing_if = "Option::is_none")]
    account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
}

/// `passCodePayload`: a one-time code sent to an e-mail address or a phone.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct PassCodePayload {
    pass_code: Secret,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_country_code: Option<String>,
}

/// `ldapPayload` and `adPayload`: a directory account and its password.
#[derive(Debug, Clone, Serialize)]
struct DirectoryPayload {
    #[serde(rename = "sAMAccountName")]
    sam_account_name: String,
    password: Secret,
}

/// `options` of a sign-in; every field is optional and left out when unset.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct SignInOptions {
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_ip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    context: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tenant_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_data: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    auto_register: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    captcha_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    captcha_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_encrypt_type: Option<&'static str>,
}

impl SignIn {
    fn new(connection: Connection) -> Self {
        Self {
            connection,
            password_payload: None,
            pass_code_payload: None,
            ad_payload: None,
            ldap_payload: None,
            options: None,
        }
    }

    fn password(
        name: fn(&mut PasswordPayload, String),
        value: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Self {
        let mut payload = PasswordPayload {
            password: password.into(),
            account: None,
            email: None,
            username: None,
            phone: None,
        };
        name(&mut payload, value.into());
        Self {
            password_payload: Some(payload),
            ..Self::new(Connection::Password)
        }
    }

    /// Password, the user named by e-mail (Authing's `signInByEmailPassword`).
    ///
    /// ```
    /// let body = serde_json::to_value(authing_oidc::signin::SignIn::email_password("a@example.com", "pw"))?;
    /// assert_eq!(body["passwordPayload"], serde_json::json!({"password": "pw", "email": "a@example.com"}));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn email_password(email: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self::password(|p, v| p.email = Some(v), email, password)
    }

    /// Password, the user named by phone number (`signInByPhonePassword`).
    ///
    /// ```
    /// let body = serde_json::to_value(authing_oidc::signin::SignIn::phone_password("13800138000", "pw"))?;
    /// assert_eq!(body["passwordPayload"]["phone"], "13800138000");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn phone_password(phone: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self::password(|p, v| p.phone = Some(v), phone, password)
    }

    /// Password, the user named by username (`signInByUsernamePassword`).
    ///
    /// ```
    /// let body = serde_json::to_value(authing_oidc::signin::SignIn::username_password("alice", "pw"))?;
    /// assert_eq!(body["passwordPayload"]["username"], "alice");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn username_password(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self::password(|p, v| p.username = Some(v), username, password)
    }

    /// Password, the user named by any of username, e-mail or phone
    /// (`signInByAccountPassword`).
    ///
    /// ```
    /// let body = serde_json::to_value(authing_oidc::signin::SignIn::account_password("alice", "pw"))?;
    /// assert_eq!(body["passwordPayload"]["account"], "alice");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn account_password(account: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self::password(|p, v| p.account = Some(v), account, password)
    }

    fn passcode(email: Option<String>, phone: Option<String>, code: Secret) -> Self {
        Self {
            pass_code_payload: Some(PassCodePayload {
                pass_code: code,
                email,
                phone,
                phone_country_code: None,
            }),
            ..Self::new(Connection::Passcode)
        }
    }

    /// A one-time code sent to an e-mail address (`signInByEmailPassCode`).
    ///
    /// ```
    /// let body = serde_json::to_value(authing_oidc::signin::SignIn::email_passcode("a@example.com", "123456"))?;
    /// assert_eq!(body["passCodePayload"]["passCode"], "123456");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn email_passcode(email: impl Into<String>, code: impl Into<Secret>) -> Self {
        Self::passcode(Some(email.into()), None, code.into())
    }

    /// A one-time code sent to a phone (`signInByPhonePassCode`); add the country code
    /// with [`phone_country_code`](Self::phone_country_code) outside mainland China.
    ///
    /// Example: see [`SignIn`].
    pub fn phone_passcode(phone: impl Into<String>, code: impl Into<Secret>) -> Self {
        Self::passcode(None, Some(phone.into()), code.into())
    }

    /// The phone's country code, such as `+86`, for a phone passcode sign-in; other
    /// connections ignore it.
    ///
    /// Example: see [`SignIn`].
    #[must_use]
    pub fn phone_country_code(mut self, code: impl Into<String>) -> Self {
        if let Some(payload) = &mut self.pass_code_payload {
            payload.phone_country_code = Some(code.into());
        }
        self
    }

    /// An LDAP directory account (`signInByLDAP`).
    ///
    /// ```
    /// let body = serde_json::to_value(authing_oidc::signin::SignIn::ldap("alice", "pw"))?;
    /// assert_eq!(body["ldapPayload"]["sAMAccountName"], "alice");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn ldap(sam_account_name: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self {
            ldap_payload: Some(DirectoryPayload {
                sam_account_name: sam_account_name.into(),
                password: password.into(),
            }),
            ..Self::new(Connection::Ldap)
        }
    }

    /// A Windows AD account (`signInByAD`).
    ///
    /// ```
    /// let body = serde_json::to_value(authing_oidc::signin::SignIn::ad("alice", "pw"))?;
    /// assert_eq!(body["connection"], "AD");
    /// assert_eq!(body["adPayload"]["sAMAccountName"], "alice");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn ad(sam_account_name: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self {
            ad_payload: Some(DirectoryPayload {
                sam_account_name: sam_account_name.into(),
                password: password.into(),
            }),
            ..Self::new(Connection::Ad)
        }
    }

    fn options(&mut self) -> &mut SignInOptions {
        self.options.get_or_insert_with(SignInOptions::default)
    }

    /// The scopes asked for, space-separated; must hold `openid` for an ID token and
    /// `offline_access` for a refresh token.
    ///
    /// ```
    /// let sign_in = authing_oidc::signin::SignIn::ldap("alice", "pw").scope("openid offline_access");
    /// assert_eq!(serde_json::to_value(sign_in)?["options"]["scope"], "openid offline_access");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.options().scope = Some(scope.into());
        self
    }

    /// The user's real IP address, when a back end signs users in on their behalf.
    ///
    /// ```
    /// let sign_in = authing_oidc::signin::SignIn::ldap("alice", "pw").client_ip("203.0.113.7");
    /// assert_eq!(serde_json::to_value(sign_in)?["options"]["clientIp"], "203.0.113.7");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn client_ip(mut self, ip: impl Into<String>) -> Self {
        self.options().client_ip = Some(ip.into());
        self
    }

    /// Extra context handed to the user pool's pipelines.
    ///
    /// ```
    /// let sign_in = authing_oidc::signin::SignIn::ldap("a", "pw").context(serde_json::json!({"from": "kiosk"}));
    /// assert_eq!(serde_json::to_value(sign_in)?["options"]["context"]["from"], "kiosk");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn context(mut self, context: serde_json::Value) -> Self {
        self.options().context = Some(context);
        self
    }

    /// The tenant to sign in to.
    ///
    /// ```
    /// let sign_in = authing_oidc::signin::SignIn::ldap("a", "pw").tenant_id("t1");
    /// assert_eq!(serde_json::to_value(sign_in)?["options"]["tenantId"], "t1");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn tenant_id(mut self, tenant_id: impl Into<String>) -> Self {
        self.options().tenant_id = Some(tenant_id.into());
        self
    }

    /// Custom data of the user pool's own fields, set on the user.
    ///
    /// ```
    /// let sign_in = authing_oidc::signin::SignIn::ldap("a", "pw").custom_data(serde_json::json!({"school": "x"}));
    /// assert_eq!(serde_json::to_value(sign_in)?["options"]["customData"]["school"], "x");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn custom_data(mut self, data: serde_json::Value) -> Self {
        self.options().custom_data = Some(data);
        self
    }

    /// Creates the user first when there is none (password by e-mail, phone or username
    /// only; Authing refuses it for `account`).
    ///
    /// ```
    /// let sign_in = authing_oidc::signin::SignIn::email_password("a@example.com", "pw").auto_register(true);
    /// assert_eq!(serde_json::to_value(sign_in)?["options"]["autoRegister"], true);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn auto_register(mut self, on: bool) -> Self {
        self.options().auto_register = Some(on);
        self
    }

    /// The picture captcha and its token (from `/api/v3/get-captcha-code`), once the
    /// user pool asks for one after failed attempts.
    ///
    /// ```
    /// let sign_in = authing_oidc::signin::SignIn::ldap("a", "pw").captcha("x7k2", "captcha-token");
    /// assert_eq!(serde_json::to_value(sign_in)?["options"]["captchaToken"], "captcha-token");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn captcha(mut self, code: impl Into<String>, token: impl Into<String>) -> Self {
        let options = self.options();
        options.captcha_code = Some(code.into());
        options.captcha_token = Some(token.into());
        self
    }

    /// Encrypts the password with the user pool's key and says so in
    /// `options.passwordEncryptType`. Passcodes are not encrypted (Authing takes them in
    /// clear), so a passcode sign-in is left as it is.
    ///
    /// # Errors
    ///
    /// [`authing_core::Error::InvalidRequest`] when the password is too long for the key.
    ///
    /// ```
    /// use authing_oidc::signin::{PasswordKey, SignIn};
    /// # let pem = "-----BEGIN PUBLIC KEY-----\nMIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC4xKeUgQ+Aoz7TLfAfs9+paePb\n5KIofVthEopwrXFkp8OCeocaTHt9ICjTT2QeJh6cZaDaArfZ873GPUn00eOIZ7Ae\n+TiA2BKHbCvloW3w5Lnqm70iSsUi5Fmu9/2+68GZRH9L7Mlh8cFksCicW2Y2W2uM\nGKl64GDcIq3au+aqJQIDAQAB\n-----END PUBLIC KEY-----";
    /// let key = PasswordKey::rsa_pem(pem)?;
    /// let body = serde_json::to_value(SignIn::ad("alice", "pw").encrypt_password(&key)?).unwrap_or_default();
    /// assert_eq!(body["options"]["passwordEncryptType"], "rsa");
    /// assert_ne!(body["adPayload"]["password"], "pw");
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    pub fn encrypt_password(mut self, key: &PasswordKey) -> Result<Self, authing_core::Error> {
        let password = match (
            &mut self.password_payload,
            &mut self.ldap_payload,
            &mut self.ad_payload,
        ) {
            (Some(p), _, _) => &mut p.password,
            (_, Some(p), _) | (_, _, Some(p)) => &mut p.password,
            _ => return Ok(self),
        };
        *password = key.encrypt(password.expose())?;
        self.options().password_encrypt_type = Some(key.encrypt_type());
        Ok(self)
    }
}

/// What a sign-in answers: Authing's `LoginTokenResponseDataDto`. Which tokens come back
/// depends on the scope (`openid` for the ID token, `offline_access` for the refresh
/// token); each is a [`Secret`].
///
/// ```
/// let tokens: authing_oidc::signin::SignInTokens = serde_json::from_value(serde_json::json!({
///     "access_token": "a.b.c", "id_token": "d.e.f", "token_type": "Bearer", "expire_in": 1209600, "scope": "openid"
/// }))?;
/// assert_eq!(tokens.expires_in, 1_209_600);
/// assert!(tokens.refresh_token.is_none());
/// assert_eq!(format!("{:?}", tokens.access_token), "Some(Secret([REDACTED]))");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct SignInTokens {
    /// The access token, sent as is (`authorization: <token>`) on authentication-side calls.
    pub access_token: Option<Secret>,
    /// The ID token (a JWT about the user); verify it before trusting its claims.
    pub id_token: Option<Secret>,
    /// The refresh token, with `offline_access`.
    pub refresh_token: Option<Secret>,
    /// `Bearer`.
    pub token_type: String,
    /// Seconds the access token lives; Authing spells it `expire_in` here (and
    /// `expires_in` at its token endpoint), both are read.
    #[serde(alias = "expire_in")]
    pub expires_in: u64,
    /// The scopes granted.
    pub scope: Option<String>,
}

/// `GET /api/v3/system`: the user pool's public information, among it the keys that
/// passwords are encrypted with ([`PasswordKey::rsa_pem`], [`PasswordKey::sm2_hex`]).
///
/// ```
/// use authing_core::Endpoint;
/// assert_eq!(authing_oidc::signin::GetSystemInfo::METADATA.path, "/api/v3/system");
/// ```
#[endpoint(GET, "/api/v3/system", response = SystemInfo, side = authentication, auth = none)]
pub struct GetSystemInfo;

/// The answer of [`GetSystemInfo`].
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct SystemInfo {
    /// The RSA key.
    pub rsa: PublicKeyInfo,
    /// The SM2 key.
    pub sm2: PublicKeyInfo,
}

/// One public key of [`SystemInfo`].
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PublicKeyInfo {
    /// RSA: PEM; SM2: hex of the point.
    pub public_key: String,
}
