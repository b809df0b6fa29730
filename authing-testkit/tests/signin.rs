//! The stand-in's sign-in endpoints over HTTP: every connection, the password
//! encryption options, the client authentication methods, and the refusals.

use authing_testkit::oidc::{Directory, OidcApp, TokenAuthMethod};
use authing_testkit::{StandIn, api_code};
use aws_lc_rs::rsa::{Pkcs1PublicEncryptingKey, PublicEncryptingKey};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Value, json};
use sm2::elliptic_curve::common::getrandom::SysRng;
use sm2::pke::EncryptingKey;

const PASSWORD: &str = "pa55word";

async fn stand_in(method: TokenAuthMethod) -> (StandIn, OidcApp) {
    let stand_in = StandIn::start().await.expect("a stand-in");
    let app = stand_in.oidc_app().token_endpoint_auth_method(method);
    stand_in.add_oidc_app(app.clone());
    stand_in.set_password(stand_in.user_id(), PASSWORD);
    (stand_in, app)
}

/// `POST path` with `body`, authenticated as `app` says; the envelope.
async fn post(stand_in: &StandIn, path: &str, app: &OidcApp, mut body: Value) -> Value {
    let mut request = reqwest::Client::new()
        .post(format!("{}{path}", stand_in.base_url()))
        .header("x-authing-app-id", &app.client_id);
    match app.token_endpoint_auth_method {
        TokenAuthMethod::ClientSecretPost => {
            body["client_id"] = app.client_id.clone().into();
            body["client_secret"] = app.client_secret.clone().into();
        }
        TokenAuthMethod::ClientSecretBasic => {
            let basic = STANDARD.encode(format!("{}:{}", app.client_id, app.client_secret));
            request = request.header("authorization", format!("Basic {basic}"));
        }
        _ => {}
    }
    request
        .json(&body)
        .send()
        .await
        .expect("a request")
        .json()
        .await
        .expect("JSON")
}

fn password_body(field: &str, value: &str, password: &str, encrypt: &str) -> Value {
    json!({
        "connection": "PASSWORD",
        "passwordPayload": {field: value, "password": password},
        "options": {"scope": "openid email offline_access", "passwordEncryptType": encrypt},
    })
}

fn claims(token: &Value) -> Value {
    let part = token
        .as_str()
        .and_then(|t| t.split('.').nth(1))
        .unwrap_or_default();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap_or_default()).unwrap_or_default()
}

async fn system(stand_in: &StandIn) -> Value {
    reqwest::get(format!("{}/api/v3/system", stand_in.base_url()))
        .await
        .expect("system")
        .json::<Value>()
        .await
        .expect("JSON")["data"]
        .clone()
}

#[tokio::test]
async fn password_sign_in_by_each_name_gives_a_token_set_for_the_user() {
    let (stand_in, app) = stand_in(TokenAuthMethod::ClientSecretPost).await;
    let user = stand_in.user().clone();
    for (field, value) in [
        ("email", user.email.to_uppercase()),
        ("phone", user.phone.clone()),
        ("username", user.username.clone()),
        ("account", user.email.clone()),
        ("account", user.username.clone()),
    ] {
        let answer = post(
            &stand_in,
            "/api/v3/signin",
            &app,
            password_body(field, &value, PASSWORD, "none"),
        )
        .await;
        assert_eq!(answer["statusCode"], 200, "{field}: {answer}");
        let data = &answer["data"];
        assert_eq!(data["token_type"], "Bearer");
        assert_eq!(data["expire_in"], 1_209_600);
        assert!(data["refresh_token"].is_string());
        assert_eq!(claims(&data["id_token"])["sub"], user.id.as_str());
        assert_eq!(claims(&data["id_token"])["email"], user.email.as_str());
        assert_eq!(claims(&data["access_token"])["aud"], app.client_id.as_str());
    }
}

#[tokio::test]
async fn a_wrong_password_or_unknown_account_is_refused_the_same_way() {
    let (stand_in, app) = stand_in(TokenAuthMethod::ClientSecretPost).await;
    let email = stand_in.user().email.clone();
    for body in [
        password_body("email", &email, "wrong", "none"),
        password_body("email", "nobody@example.com", PASSWORD, "none"),
    ] {
        let answer = post(&stand_in, "/api/v3/signin", &app, body).await;
        assert_eq!(answer["statusCode"], 400, "{answer}");
        assert_eq!(answer["apiCode"], api_code::WRONG_CREDENTIALS);
    }
    let two_names = json!({"connection": "PASSWORD", "passwordPayload": {"email": email, "phone": "1", "password": PASSWORD}});
    let answer = post(&stand_in, "/api/v3/signin", &app, two_names).await;
    assert_eq!(answer["statusCode"], 400);
    assert_eq!(answer["apiCode"], api_code::MALFORMED_REQUEST);
}

#[tokio::test]
async fn rsa_and_sm2_encrypted_passwords_decrypt_with_the_keys_of_api_v3_system() {
    let (stand_in, app) = stand_in(TokenAuthMethod::ClientSecretPost).await;
    let email = stand_in.user().email.clone();
    let keys = system(&stand_in).await;

    let pem = keys["rsa"]["publicKey"].as_str().expect("a PEM");
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    let der: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let rsa = PublicEncryptingKey::from_der(&STANDARD.decode(der).expect("base64")).expect("SPKI");
    let rsa = Pkcs1PublicEncryptingKey::new(rsa).expect("RSA");
    let mut out = vec![0; rsa.ciphertext_size()];
    let ciphertext = STANDARD.encode(rsa.encrypt(PASSWORD.as_bytes(), &mut out).expect("encrypt"));
    let answer = post(
        &stand_in,
        "/api/v3/signin",
        &app,
        password_body("email", &email, &ciphertext, "rsa"),
    )
    .await;
    assert_eq!(answer["statusCode"], 200, "{answer}");

    let point = keys["sm2"]["publicKey"].as_str().expect("hex");
    assert!(point.starts_with("04") && point.len() == 130);
    let point: Vec<u8> = (0..point.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&point[i..i + 2], 16).expect("hex"))
        .collect();
    let sm2 = EncryptingKey::from_sec1_bytes(&point).expect("a point");
    let tagged = sm2
        .encrypt(&mut SysRng, PASSWORD.as_bytes())
        .expect("encrypt");
    let untagged: String = tagged[1..].iter().map(|b| format!("{b:02x}")).collect();
    let answer = post(
        &stand_in,
        "/api/v3/signin",
        &app,
        password_body("email", &email, &untagged, "sm2"),
    )
    .await;
    assert_eq!(answer["statusCode"], 200, "{answer}");

    // The plain password is not a ciphertext.
    let answer = post(
        &stand_in,
        "/api/v3/signin",
        &app,
        password_body("email", &email, PASSWORD, "rsa"),
    )
    .await;
    assert_eq!(answer["apiCode"], api_code::PASSWORD_NOT_DECRYPTED);
    let answer = post(
        &stand_in,
        "/api/v3/signin",
        &app,
        password_body("email", &email, PASSWORD, "aes"),
    )
    .await;
    assert_eq!(answer["apiCode"], api_code::MALFORMED_REQUEST);
}

#[tokio::test]
async fn a_passcode_signs_in_once() {
    let (stand_in, app) = stand_in(TokenAuthMethod::None).await;
    let phone = stand_in.user().phone.clone();
    let code = stand_in.issue_passcode(&phone);
    let body = json!({"connection": "PASSCODE", "passCodePayload": {"phone": phone, "phoneCountryCode": "+86", "passCode": code}});
    let first = post(&stand_in, "/api/v3/signin", &app, body.clone()).await;
    assert_eq!(first["statusCode"], 200, "{first}");
    assert_eq!(
        claims(&first["data"]["id_token"])["sub"],
        stand_in.user_id()
    );
    assert!(
        first["data"].get("refresh_token").is_none(),
        "no offline_access, no refresh token"
    );
    let again = post(&stand_in, "/api/v3/signin", &app, body).await;
    assert_eq!(again["apiCode"], api_code::WRONG_PASSCODE);
}

#[tokio::test]
async fn ldap_and_ad_accounts_sign_in_against_their_own_directory() {
    let (stand_in, app) = stand_in(TokenAuthMethod::ClientSecretBasic).await;
    stand_in.add_directory_account(Directory::Ldap, "alice", "ldap-pw", stand_in.user_id());
    stand_in.add_directory_account(Directory::Ad, "alice", "ad-pw", stand_in.user_id());
    let ldap = json!({"connection": "LDAP", "ldapPayload": {"sAMAccountName": "alice", "password": "ldap-pw"}});
    assert_eq!(
        post(&stand_in, "/api/v3/signin", &app, ldap).await["statusCode"],
        200
    );
    let ad =
        json!({"connection": "AD", "adPayload": {"sAMAccountName": "alice", "password": "ad-pw"}});
    assert_eq!(
        post(&stand_in, "/api/v3/signin", &app, ad).await["statusCode"],
        200
    );
    let crossed = json!({"connection": "AD", "adPayload": {"sAMAccountName": "alice", "password": "ldap-pw"}});
    assert_eq!(
        post(&stand_in, "/api/v3/signin", &app, crossed).await["apiCode"],
        api_code::WRONG_CREDENTIALS
    );
}

#[tokio::test]
async fn the_client_must_authenticate_as_its_app_is_registered() {
    let (stand_in, app) = stand_in(TokenAuthMethod::ClientSecretPost).await;
    let body = password_body("email", &stand_in.user().email, PASSWORD, "none");
    for wrong in [
        app.clone()
            .token_endpoint_auth_method(TokenAuthMethod::None),
        app.clone()
            .token_endpoint_auth_method(TokenAuthMethod::ClientSecretBasic),
        app.clone().secret("wrong"),
    ] {
        let answer = post(&stand_in, "/api/v3/signin", &wrong, body.clone()).await;
        assert_eq!(answer["statusCode"], 401, "{answer}");
        assert_eq!(answer["apiCode"], api_code::CLIENT_AUTHENTICATION_FAILED);
    }
}

#[tokio::test]
async fn mobile_sign_in_takes_a_social_code_in_the_connection_payload() {
    let (stand_in, app) = stand_in(TokenAuthMethod::None).await;
    let code = stand_in.issue_social_code("wechat", stand_in.user_id());
    let body = |connection: &str, payload: &str| {
        json!({
            "extIdpConnidentifier": "wechat-mobile",
            "connection": connection,
            payload: {"code": code},
            "options": {"scope": "openid"},
        })
    };
    let unknown = post(
        &stand_in,
        "/api/v3/signin-by-mobile",
        &app,
        body("myspace", "myspacePayload"),
    )
    .await;
    assert_eq!(unknown["statusCode"], 400);
    let other = post(
        &stand_in,
        "/api/v3/signin-by-mobile",
        &app,
        body("apple", "applePayload"),
    )
    .await;
    assert_eq!(
        other["apiCode"],
        api_code::WRONG_CREDENTIALS,
        "a WeChat code does not sign in with Apple"
    );
    let answer = post(
        &stand_in,
        "/api/v3/signin-by-mobile",
        &app,
        body("wechat", "wechatPayload"),
    )
    .await;
    assert_eq!(answer["statusCode"], 200, "{answer}");
    assert_eq!(
        claims(&answer["data"]["id_token"])["sub"],
        stand_in.user_id()
    );
    let again = post(
        &stand_in,
        "/api/v3/signin-by-mobile",
        &app,
        body("wechat", "wechatPayload"),
    )
    .await;
    assert_eq!(again["apiCode"], api_code::WRONG_CREDENTIALS);
}
