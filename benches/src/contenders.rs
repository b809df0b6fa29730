//! What is measured: each contender is one client making one kind of call, checked
//! against the canned answer so that a broken call cannot pass for a fast one.
//!
//! The hand-written contenders are the floor: what a careful user writes directly on
//! reqwest for the same request (a `format!` URL, `.query()` or `.json()`, four headers,
//! serde_json from the bytes), with the credentials worked out once beforehand.

use std::sync::Arc;

use authing_core::{AuthenticationClient, ManagementAuth, ManagementClient};
use authing_mfa::{GetOtpSecretByUser, ImportOtp, ImportOtpItem, SendEnrollFactorRequest};
use serde::{Deserialize, Serialize};

use crate::server::{ENROLLMENT_TOKEN, OTP_SECRET, USERPOOL_ID};

const USER_ID: &str = "6229ffaxxxxxxxxcade3e3d9";
const USER_ACCESS_TOKEN: &str = "user-access-token-1";
const APP_ID: &str = "app-1";
const PHONE: &str = "188xxxx8888";
const SDK_VERSION: &str = "hand-written:0.1.0";

/// One client and the call it makes.
pub struct Contender {
    name: String,
    caller: Caller,
    call: Call,
}

enum Caller {
    HandWritten(HandWritten),
    Management(ManagementClient),
    User(AuthenticationClient),
}

enum Call {
    GetOtp,
    Enroll,
    Import(Arc<Import>),
}

/// An `import-otp` body of a chosen size, as the SDK's endpoint and as the floor's.
pub struct Import {
    endpoint: ImportOtp,
    floor: FloorImport,
    /// The body's length in bytes, as serialised.
    pub bytes: usize,
}

impl Import {
    /// A body of `items` users, each with a secret and a recovery code.
    pub fn new(items: usize) -> Self {
        let floor = FloorImport {
            list: (0..items)
                .map(|i| FloorImportItem {
                    user_id: format!("user-{i:08}"),
                    otp: FloorOtp {
                        secret: OTP_SECRET.to_owned(),
                        recovery_code: "b471-8ec0-874a-087f-bccb-cd54".to_owned(),
                    },
                })
                .collect(),
        };
        let endpoint = ImportOtp::new(
            floor
                .list
                .iter()
                .map(|item| {
                    ImportOtpItem::new(item.user_id.clone(), item.otp.secret.clone())
                        .with_recovery_code(item.otp.recovery_code.clone())
                })
                .collect(),
        );
        let bytes = serde_json::to_vec(&floor).map_or(0, |b| b.len());
        Self {
            endpoint,
            floor,
            bytes,
        }
    }
}

/// The hand-written client: reqwest and the credentials, worked out once.
struct HandWritten {
    http: reqwest::Client,
    base: String,
    bearer: String,
}

#[derive(Deserialize)]
struct Envelope<T> {
    #[serde(rename = "statusCode")]
    status_code: i64,
    data: Option<T>,
}

#[derive(Deserialize)]
struct FloorSecret {
    secret: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FloorEnrollment {
    enrollment_token: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FloorEnroll<'a> {
    profile: FloorProfile<'a>,
    factor_type: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FloorProfile<'a> {
    phone_number: &'a str,
    phone_country_code: &'a str,
}

#[derive(Serialize)]
struct FloorImport {
    list: Vec<FloorImportItem>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FloorImportItem {
    user_id: String,
    otp: FloorOtp,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FloorOtp {
    secret: String,
    recovery_code: String,
}

#[derive(Deserialize)]
struct FetchedToken {
    access_token: String,
}

type Outcome = Result<(), String>;

fn failed(what: &str) -> impl Fn(reqwest::Error) -> String + '_ {
    move |e| format!("{what}: {e}")
}

impl HandWritten {
    /// A client with the management token fetched once, as a careful user caches it.
    async fn new(base: &str) -> Result<Self, String> {
        let http = reqwest::Client::new();
        let body = http
            .post(format!("{base}/api/v3/get-management-token"))
            .json(&serde_json::json!({"accessKeyId": "AK", "accessKeySecret": "SK"}))
            .send()
            .await
            .map_err(failed("token fetch"))?
            .bytes()
            .await
            .map_err(failed("token fetch"))?;
        let token: Envelope<FetchedToken> =
            serde_json::from_slice(&body).map_err(|e| format!("token answer: {e}"))?;
        let token = token.data.ok_or("token answer without data")?;
        Ok(Self {
            http,
            base: base.to_owned(),
            bearer: format!("Bearer {}", token.access_token),
        })
    }

    async fn get_otp(&self) -> Outcome {
        let body = self
            .http
            .get(format!("{}/api/v3/get-otp-secret-by-user", self.base))
            .query(&[("userId", USER_ID), ("userIdType", "user_id")])
            .header("authorization", &self.bearer)
            .header("x-authing-userpool-id", USERPOOL_ID)
            .header("x-authing-lang", "zh-CN")
            .header("x-authing-sdk-version", SDK_VERSION)
            .send()
            .await
            .map_err(failed("get-otp-secret-by-user"))?
            .bytes()
            .await
            .map_err(failed("get-otp-secret-by-user"))?;
        let answer: Envelope<FloorSecret> =
            serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        check(answer.status_code == 200 && answer.data.is_some_and(|d| d.secret == OTP_SECRET))
    }

    async fn enroll(&self) -> Outcome {
        let request = FloorEnroll {
            profile: FloorProfile {
                phone_number: PHONE,
                phone_country_code: "+86",
            },
            factor_type: "SMS",
        };
        let body = self
            .http
            .post(format!("{}/api/v3/send-enroll-factor-request", self.base))
            .header("authorization", USER_ACCESS_TOKEN)
            .header("x-authing-app-id", APP_ID)
            .header("x-authing-lang", "zh-CN")
            .header("x-authing-sdk-version", SDK_VERSION)
            .json(&request)
            .send()
            .await
            .map_err(failed("send-enroll-factor-request"))?
            .bytes()
            .await
            .map_err(failed("send-enroll-factor-request"))?;
        let answer: Envelope<FloorEnrollment> =
            serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        check(
            answer.status_code == 200
                && answer
                    .data
                    .is_some_and(|d| d.enrollment_token == ENROLLMENT_TOKEN),
        )
    }

    async fn import(&self, import: &Import) -> Outcome {
        let body = self
            .http
            .post(format!("{}/api/v3/import-otp", self.base))
            .header("authorization", &self.bearer)
            .header("x-authing-userpool-id", USERPOOL_ID)
            .header("x-authing-lang", "zh-CN")
            .header("x-authing-sdk-version", SDK_VERSION)
            .json(&import.floor)
            .send()
            .await
            .map_err(failed("import-otp"))?
            .bytes()
            .await
            .map_err(failed("import-otp"))?;
        let answer: Envelope<serde::de::IgnoredAny> =
            serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        check(answer.status_code == 200)
    }
}

fn check(ok: bool) -> Outcome {
    if ok {
        Ok(())
    } else {
        Err("the answer was not the canned one".to_owned())
    }
}

fn sdk_error(e: authing_core::Error) -> String {
    e.to_string()
}

/// Which client a contender uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// Hand-written on reqwest.
    HandWritten,
    /// authing-rs, management token scheme.
    Token,
    /// authing-rs, management signature scheme.
    Signature,
    /// authing-rs, authentication side with a user's access token.
    User,
}

impl Who {
    /// The name used on the command line and in tables.
    pub fn name(self) -> &'static str {
        match self {
            Who::HandWritten => "hand-written",
            Who::Token => "token",
            Who::Signature => "signature",
            Who::User => "user",
        }
    }

    /// The inverse of [`name`](Self::name).
    pub fn parse(name: &str) -> Option<Self> {
        [Who::HandWritten, Who::Token, Who::Signature, Who::User]
            .into_iter()
            .find(|w| w.name() == name)
    }
}

/// Which call a contender makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// `GET get-otp-secret-by-user` (management).
    GetOtp,
    /// `POST send-enroll-factor-request` with a body (authentication).
    Enroll,
    /// `POST import-otp` with a body of this many users (management).
    Import(usize),
}

impl What {
    /// The name used on the command line.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "get-otp" => Some(What::GetOtp),
            "enroll" => Some(What::Enroll),
            _ => name
                .strip_prefix("import-")
                .and_then(|n| n.parse().ok())
                .map(What::Import),
        }
    }
}

impl Contender {
    /// Builds the client `who` for the canned server at `base`, ready to make `what`.
    ///
    /// # Errors
    /// When the combination makes no sense or the setup call fails.
    pub async fn new(who: Who, what: What, base: &str) -> Result<Self, String> {
        let call = match what {
            What::GetOtp => Call::GetOtp,
            What::Enroll => Call::Enroll,
            What::Import(items) => Call::Import(Arc::new(Import::new(items))),
        };
        let caller = match (who, what) {
            (Who::HandWritten, _) => Caller::HandWritten(HandWritten::new(base).await?),
            (Who::Token | Who::Signature, What::GetOtp | What::Import(_)) => {
                let auth = if who == Who::Token {
                    ManagementAuth::Token
                } else {
                    ManagementAuth::Signature
                };
                let client = ManagementClient::builder("AK", "SK")
                    .host(base)
                    .auth(auth)
                    .build()
                    .map_err(sdk_error)?;
                Caller::Management(client)
            }
            (Who::User, What::Enroll) => {
                let app = AuthenticationClient::builder(APP_ID, base)
                    .build()
                    .map_err(sdk_error)?;
                Caller::User(app.with_access_token(USER_ACCESS_TOKEN))
            }
            _ => return Err(format!("{} cannot make {what:?}", who.name())),
        };
        let name = match what {
            What::Import(_) => format!("{} import", who.name()),
            _ => who.name().to_owned(),
        };
        Ok(Self { name, caller, call })
    }

    /// The contender's name in tables.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The request body's size, for body-size tables.
    pub fn body_bytes(&self) -> Option<usize> {
        match &self.call {
            Call::Import(import) => Some(import.bytes),
            _ => None,
        }
    }

    /// Makes the call once and checks the answer.
    ///
    /// # Errors
    /// When the call fails or the answer is not the canned one.
    pub async fn call(&self) -> Outcome {
        match (&self.caller, &self.call) {
            (Caller::HandWritten(h), Call::GetOtp) => h.get_otp().await,
            (Caller::HandWritten(h), Call::Enroll) => h.enroll().await,
            (Caller::HandWritten(h), Call::Import(import)) => h.import(import).await,
            (Caller::Management(m), Call::GetOtp) => {
                let otp = m
                    .send(&GetOtpSecretByUser::new(USER_ID))
                    .await
                    .map_err(sdk_error)?;
                check(otp.secret.expose() == OTP_SECRET)
            }
            (Caller::Management(m), Call::Import(import)) => {
                m.send(&import.endpoint).await.map_err(sdk_error)
            }
            (Caller::User(u), Call::Enroll) => {
                let started = u
                    .send(&SendEnrollFactorRequest::sms(PHONE, "+86"))
                    .await
                    .map_err(sdk_error)?;
                check(started.enrollment_token.expose() == ENROLLMENT_TOKEN)
            }
            _ => Err(format!("{} cannot make this call", self.name)),
        }
    }
}
