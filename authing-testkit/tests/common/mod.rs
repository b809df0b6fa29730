//! Helpers shared by the integration tests: plain HTTP against a running stand-in.
#![allow(dead_code)] // each test file uses a different subset

use std::time::SystemTime;

use authing_core::signing;
use authing_testkit::StandIn;
use serde_json::{Map, Value, json};

pub const TOKEN_PATH: &str = "/api/v3/get-management-token";
pub const IMPORT_PATH: &str = "/api/v3/import-otp";
pub const SECRET_PATH: &str = "/api/v3/get-otp-secret-by-user";
pub const ENROLL_PATH: &str = "/api/v3/send-enroll-factor-request";

/// An envelope's fields, for terse assertions.
#[derive(Debug)]
pub struct Answer {
    pub http: u16,
    pub json: Value,
}

impl Answer {
    pub async fn read(response: reqwest::Response) -> Answer {
        let http = response.status().as_u16();
        let text = response.text().await.expect("a readable body");
        let json = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
        Answer { http, json }
    }

    pub fn status_code(&self) -> i64 {
        self.json["statusCode"].as_i64().expect("statusCode")
    }

    pub fn api_code(&self) -> Option<i64> {
        self.json["apiCode"].as_i64()
    }

    pub fn message(&self) -> &str {
        self.json["message"].as_str().unwrap_or_default()
    }

    pub fn data(&self) -> &Value {
        &self.json["data"]
    }

    /// Asserts HTTP 200 and statusCode 200, showing the envelope otherwise.
    pub fn assert_ok(&self) -> &Self {
        assert_eq!((self.http, self.status_code()), (200, 200), "{}", self.json);
        self
    }

    /// Asserts HTTP 200 carrying this statusCode and apiCode.
    pub fn assert_failure(&self, status_code: i64, api_code: Option<i64>) -> &Self {
        assert_eq!(self.http, 200, "{}", self.json);
        assert_eq!(self.status_code(), status_code, "{}", self.json);
        assert_eq!(self.api_code(), api_code, "{}", self.json);
        self
    }
}

pub fn url(stand_in: &StandIn, path: &str) -> String {
    format!("{}{path}", stand_in.base_url())
}

pub fn query_string(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// Fetches a management token with the stand-in's own credentials.
pub async fn management_token(stand_in: &StandIn) -> String {
    let answer = Answer::read(
        reqwest::Client::new()
            .post(url(stand_in, TOKEN_PATH))
            .json(&json!({
                "accessKeyId": stand_in.access_key_id(),
                "accessKeySecret": stand_in.access_key_secret(),
            }))
            .send()
            .await
            .expect("token request"),
    )
    .await;
    answer.assert_ok();
    answer.data()["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}

/// A management call made with a management token.
pub async fn with_token(
    stand_in: &StandIn,
    token: &str,
    method: reqwest::Method,
    path_and_query: &str,
    body: Option<Value>,
) -> Answer {
    let mut request = reqwest::Client::new()
        .request(method, url(stand_in, path_and_query))
        .header("authorization", format!("Bearer {token}"))
        .header("x-authing-userpool-id", stand_in.userpool_id());
    if let Some(body) = body {
        request = request.json(&body);
    }
    Answer::read(request.send().await.expect("management call")).await
}

/// Imports `secret` for the seeded user, with a fresh token.
pub async fn import_secret(stand_in: &StandIn, secret: &str) -> Answer {
    let token = management_token(stand_in).await;
    let body = json!({"list": [{"userId": stand_in.user_id(), "otp": {"secret": secret}}]});
    with_token(
        stand_in,
        &token,
        reqwest::Method::POST,
        IMPORT_PATH,
        Some(body),
    )
    .await
}

/// A request signed the way the Node.js SDK signs, with every part open to tampering
/// before it is sent.
pub struct Signed {
    pub method: reqwest::Method,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Option<Map<String, Value>>,
    /// The headers that take part in the signature, in the order sent.
    pub headers: Vec<(String, String)>,
    pub access_key_id: String,
    pub secret: String,
}

impl Signed {
    pub fn get(stand_in: &StandIn, path: &str, query: &[(&str, &str)]) -> Self {
        let query = query
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Self::new(stand_in, reqwest::Method::GET, path, query, None)
    }

    pub fn post(stand_in: &StandIn, path: &str, body: Value) -> Self {
        let Value::Object(body) = body else {
            panic!("a signed body is an object")
        };
        Self::new(
            stand_in,
            reqwest::Method::POST,
            path,
            Vec::new(),
            Some(body),
        )
    }

    fn new(
        stand_in: &StandIn,
        method: reqwest::Method,
        path: &str,
        query: Vec<(String, String)>,
        body: Option<Map<String, Value>>,
    ) -> Self {
        let headers = [
            (
                "x-authing-signature-method",
                signing::SIGNATURE_METHOD.to_owned(),
            ),
            (
                "x-authing-signature-version",
                signing::SIGNATURE_VERSION.to_owned(),
            ),
            ("x-authing-signature-nonce", signing::nonce()),
            ("date", signing::date_header(SystemTime::now())),
            (
                "x-authing-sdk-version",
                "authing-testkit-tests:0.1.0".to_owned(),
            ),
            ("x-authing-lang", "zh-CN".to_owned()),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect();
        Self {
            method,
            path: path.to_owned(),
            query,
            body,
            headers,
            access_key_id: stand_in.access_key_id().to_owned(),
            secret: stand_in.access_key_secret().to_owned(),
        }
    }

    /// Sets (or adds) a header before signing.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.retain(|(n, _)| n != name);
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Leaves a header out.
    pub fn without(mut self, name: &str) -> Self {
        self.headers.retain(|(n, _)| n != name);
        self
    }

    /// The `authorization` header these parts sign to.
    pub fn authorization(&self) -> String {
        let params = match &self.body {
            Some(body) => signing::body_params(body),
            None => self.query.clone(),
        };
        let headers = self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str()));
        let string_to_sign =
            signing::string_to_sign(self.method.as_str(), headers, &self.path, &params);
        signing::authorization(&self.access_key_id, &self.secret, &string_to_sign)
    }

    /// Sends with the correct signature.
    pub async fn send(&self, stand_in: &StandIn) -> Answer {
        self.send_with_authorization(stand_in, &self.authorization())
            .await
    }

    /// Sends with the given `authorization` header instead.
    pub async fn send_with_authorization(&self, stand_in: &StandIn, authorization: &str) -> Answer {
        let pairs: Vec<(&str, &str)> = self
            .query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let mut target = url(stand_in, &self.path);
        if !pairs.is_empty() {
            target = format!("{target}?{}", query_string(&pairs));
        }
        let mut request = reqwest::Client::new()
            .request(self.method.clone(), target)
            .header("authorization", authorization);
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        if let Some(body) = &self.body {
            request = request
                .header("content-type", "application/json")
                .body(Value::Object(body.clone()).to_string());
        }
        Answer::read(request.send().await.expect("signed call")).await
    }
}
