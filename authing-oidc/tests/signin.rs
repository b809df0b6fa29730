//! The sign-in endpoints through the SDK: every connection under every token endpoint
//! auth method against the stand-in (which checks the credentials and decrypts RSA and
//! SM2 passwords), and the requests compared with what the official Node SDK sends for
//! the same calls (`tests/fixtures/authing-node-sdk-4.0.1-signin.jsonl`).

use authing_core::{AuthenticationClient, TokenEndpointAuth};
use authing_oidc::signin::{
    GetSystemInfo, MobileConnection, MobilePayload, PasswordKey, SignIn, SignInByMobile,
    SignInTokens,
};
use authing_testkit::StandIn;
use authing_testkit::oidc::{Directory, OidcApp, TokenAuthMethod};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

const NODE: &str = include_str!("../../tests/fixtures/authing-node-sdk-4.0.1-signin.jsonl");
const PASSWORD: &str = "pa55word";
const METHODS: [(TokenEndpointAuth, TokenAuthMethod, &str); 3] = [
    (
        TokenEndpointAuth::ClientSecretPost,
        TokenAuthMethod::ClientSecretPost,
        "client_secret_post",
    ),
    (
        TokenEndpointAuth::ClientSecretBasic,
        TokenAuthMethod::ClientSecretBasic,
        "client_secret_basic",
    ),
    (TokenEndpointAuth::None, TokenAuthMethod::None, "none"),
];

/// A stand-in with the capture's app (`APP_ID`/`APP_SECRET`) registered for `method`,
/// the seeded user's password and directory accounts set, and an SDK client of it.
async fn setup(
    sdk: TokenEndpointAuth,
    provider: TokenAuthMethod,
) -> (StandIn, AuthenticationClient) {
    let stand_in = StandIn::start().await.expect("a stand-in");
    stand_in.add_oidc_app(
        OidcApp::new("APP_ID")
            .secret("APP_SECRET")
            .token_endpoint_auth_method(provider),
    );
    let user_id = stand_in.user_id().to_owned();
    stand_in.set_password(&user_id, PASSWORD);
    stand_in.add_directory_account(Directory::Ldap, "stand-in-user", PASSWORD, &user_id);
    stand_in.add_directory_account(Directory::Ad, "stand-in-user", PASSWORD, &user_id);
    let client = AuthenticationClient::builder("APP_ID", stand_in.base_url())
        .app_secret("APP_SECRET")
        .token_endpoint_auth(sdk)
        .build()
        .expect("a client");
    (stand_in, client)
}

fn subject(tokens: &SignInTokens) -> String {
    let token = tokens.id_token.as_ref().expect("an ID token");
    let payload = token.expose().split('.').nth(1).unwrap_or_default();
    let claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap_or_default())
            .unwrap_or_default();
    claims["sub"].as_str().unwrap_or_default().to_owned()
}

/// The SDK's version of each sign-in call the Node capture made, by its Node name.
fn sdk_calls(stand_in: &StandIn) -> Vec<(&'static str, Call)> {
    let user = stand_in.user().clone();
    let passcode_email = stand_in.issue_passcode(&user.email);
    let passcode_phone = stand_in.issue_passcode(&user.phone);
    let social = stand_in.issue_social_code("wechat", &user.id);
    let scope = "openid profile offline_access";
    vec![
        (
            "signInByEmailPassword",
            Call::Credentials(Box::new(
                SignIn::email_password(&user.email, PASSWORD).scope(scope),
            )),
        ),
        (
            "signInByPhonePassword",
            Call::Credentials(Box::new(
                SignIn::phone_password(&user.phone, PASSWORD).scope(scope),
            )),
        ),
        (
            "signInByUsernamePassword",
            Call::Credentials(Box::new(
                SignIn::username_password(&user.username, PASSWORD).scope(scope),
            )),
        ),
        (
            "signInByAccountPassword",
            Call::Credentials(Box::new(
                SignIn::account_password(&user.username, PASSWORD).scope(scope),
            )),
        ),
        (
            "signInByEmailPassCode",
            Call::Credentials(Box::new(
                SignIn::email_passcode(&user.email, passcode_email).scope(scope),
            )),
        ),
        (
            "signInByPhonePassCode",
            Call::Credentials(Box::new(
                SignIn::phone_passcode(&user.phone, passcode_phone)
                    .phone_country_code("+86")
                    .scope(scope),
            )),
        ),
        (
            "signInByLDAP",
            Call::Credentials(Box::new(
                SignIn::ldap("stand-in-user", PASSWORD).scope(scope),
            )),
        ),
        (
            "signInByAD",
            Call::Credentials(Box::new(SignIn::ad("stand-in-user", PASSWORD).scope(scope))),
        ),
        (
            "signInByMobile",
            Call::Mobile(
                SignInByMobile::new(
                    "wechat-mobile",
                    MobileConnection::Wechat,
                    MobilePayload::code(social),
                )
                .scope("openid"),
            ),
        ),
    ]
}

enum Call {
    Credentials(Box<SignIn>),
    Mobile(SignInByMobile),
}

impl Call {
    async fn send(
        &self,
        client: &AuthenticationClient,
    ) -> Result<SignInTokens, authing_core::Error> {
        match self {
            Call::Credentials(sign_in) => client.send(sign_in.as_ref()).await,
            Call::Mobile(sign_in) => client.send(sign_in).await,
        }
    }
}

/// The Node capture's body, with what differs by run (codes) replaced by this run's.
fn node_body(line: &Value, sent: &Value) -> Value {
    let mut body: Value =
        serde_json::from_str(line["body"].as_str().unwrap_or_default()).expect("JSON");
    // The capture's placeholders for one-time codes.
    if let Some(code) = sent.pointer("/passCodePayload/passCode") {
        body["passCodePayload"]["passCode"] = code.clone();
    }
    if let Some(code) = sent.pointer("/wechatPayload/code") {
        body["wechatPayload"]["code"] = code.clone();
    }
    // The Node calls also sent `"passwordEncryptType": "none"`, the default.
    if let Some(options) = body.get_mut("options").and_then(Value::as_object_mut) {
        options.remove("passwordEncryptType");
    }
    body
}

#[tokio::test]
async fn every_connection_signs_in_under_every_auth_method_and_sends_what_node_sends() {
    let capture: Vec<Value> = NODE
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    for (sdk, provider, name) in METHODS {
        let (stand_in, client) = setup(sdk, provider).await;
        for (call_name, call) in sdk_calls(&stand_in) {
            let tokens = call
                .send(&client)
                .await
                .unwrap_or_else(|e| panic!("{call_name} under {name}: {e}"));
            assert_eq!(
                subject(&tokens),
                stand_in.user_id(),
                "{call_name} under {name}"
            );

            let line = capture
                .iter()
                .find(|l| l["call"] == call_name && l["auth"] == name)
                .unwrap_or_else(|| panic!("{call_name} under {name} is in the capture"));
            let path = line["path"].as_str().unwrap_or_default();
            let ours = stand_in.requests_to(path).pop().expect("the SDK's request");
            assert_eq!(ours.method, line["method"].as_str().unwrap_or_default());
            let mut sent = ours.json().expect("a JSON body");
            let expected = node_body(line, &sent);
            if name == "none" {
                // The one difference: like every `auth = client` endpoint, the SDK names the
                // public client in the body; the Node SDK relies on x-authing-app-id alone.
                assert_eq!(sent["client_id"], "APP_ID", "{call_name}");
                sent.as_object_mut().map(|body| body.remove("client_id"));
            }
            assert_eq!(sent, expected, "{call_name} under {name}");
            assert_eq!(
                ours.header("authorization"),
                line["headers"]["authorization"].as_str(),
                "{call_name} under {name}"
            );
            assert_eq!(ours.header("x-authing-app-id"), Some("APP_ID"));
            assert!(
                ours.header("content-type")
                    .unwrap_or_default()
                    .starts_with("application/json")
            );
        }
    }
}

#[tokio::test]
async fn rsa_and_sm2_encrypted_passwords_sign_in_with_the_keys_of_the_user_pool() {
    let (stand_in, client) = setup(
        TokenEndpointAuth::ClientSecretPost,
        TokenAuthMethod::ClientSecretPost,
    )
    .await;
    let system = client.send(&GetSystemInfo).await.expect("system info");
    let keys = [
        PasswordKey::rsa_pem(&system.rsa.public_key).expect("an RSA key"),
        PasswordKey::sm2_hex(&system.sm2.public_key).expect("an SM2 key"),
    ];
    let email = stand_in.user().email.clone();
    for key in &keys {
        for sign_in in [
            SignIn::email_password(&email, PASSWORD),
            SignIn::ldap("stand-in-user", PASSWORD),
        ] {
            let sign_in = sign_in.encrypt_password(key).expect("encrypts");
            let tokens = client
                .send(&sign_in)
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", key.encrypt_type()));
            assert_eq!(subject(&tokens), stand_in.user_id());
            let sent = stand_in
                .requests_to("/api/v3/signin")
                .pop()
                .and_then(|r| r.json())
                .unwrap_or_default();
            assert_eq!(sent["options"]["passwordEncryptType"], key.encrypt_type());
            assert!(
                !sent.to_string().contains(PASSWORD),
                "the password never travels in clear"
            );
        }
    }
    // A key of another user pool: the stand-in cannot decrypt, and says so.
    let other = StandIn::start().await.expect("another stand-in");
    let other = AuthenticationClient::builder(other.app_id(), other.base_url())
        .build()
        .expect("a client");
    let foreign = other.send(&GetSystemInfo).await.expect("system info");
    let foreign = PasswordKey::rsa_pem(&foreign.rsa.public_key).expect("a key");
    let refused = client
        .send(
            &SignIn::email_password(&email, PASSWORD)
                .encrypt_password(&foreign)
                .expect("encrypts"),
        )
        .await
        .expect_err("refused");
    match refused {
        authing_core::Error::Api(api) => assert_eq!(
            api.api_code,
            Some(authing_testkit::api_code::PASSWORD_NOT_DECRYPTED)
        ),
        other => panic!("expected Authing's refusal, got {other}"),
    }
}

#[tokio::test]
async fn a_wrong_password_is_authings_refusal_with_its_api_code() {
    let (stand_in, client) = setup(
        TokenEndpointAuth::ClientSecretBasic,
        TokenAuthMethod::ClientSecretBasic,
    )
    .await;
    let error = client
        .send(&SignIn::email_password(&stand_in.user().email, "wrong"))
        .await
        .expect_err("refused");
    match error {
        authing_core::Error::Api(api) => {
            assert_eq!(api.status_code, 400);
            assert_eq!(
                api.api_code,
                Some(authing_testkit::api_code::WRONG_CREDENTIALS)
            );
        }
        other => panic!("expected Authing's refusal, got {other}"),
    }
}
