//! Token verification against the stand-in as the identity provider: every check refuses
//! with its own variant, and the JWKS is fetched, cached, refetched and kept as promised
//! (counted at the stand-in).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use authing_core::{AuthenticationClient, RetryPolicy};
use authing_oidc::verify::{IdTokenAlgorithm, TokenVerifier, VerifyError};
use authing_testkit::{Fault, StandIn};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

const JWKS: &str = "/oidc/.well-known/jwks.json";
const NONCE: &str = "nonce-of-this-login";

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A client of the stand-in's application, with its secret, retrying nothing (so that
/// one scripted failure is one failed fetch).
fn app(stand_in: &StandIn) -> AuthenticationClient {
    stand_in
        .authentication_client()
        .app_secret(stand_in.oidc_app().client_secret)
        .retry(RetryPolicy::disabled())
        .build()
        .expect("a client")
}

/// Good ID-token claims for the stand-in's application, with `changes` applied (a
/// `null` removes the claim).
fn claims(stand_in: &StandIn, changes: Value) -> Value {
    let now = now();
    let mut claims = json!({
        "iss": stand_in.oidc_issuer(), "aud": stand_in.app_id(), "sub": stand_in.user_id(),
        "iat": now, "exp": now + 3600, "nonce": NONCE, "email": stand_in.user().email,
    });
    for (name, value) in changes.as_object().into_iter().flatten() {
        if let Some(claims) = claims.as_object_mut() {
            match value {
                Value::Null => claims.remove(name),
                _ => claims.insert(name.clone(), value.clone()),
            };
        }
    }
    claims
}

fn signed(stand_in: &StandIn, changes: Value) -> String {
    stand_in
        .sign_jwt(&claims(stand_in, changes))
        .expect("a token")
}

fn hs256(secret: &str, claims: &Value) -> String {
    let key = EncodingKey::from_secret(secret.as_bytes()).expect("an HMAC key");
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &key).expect("an HS256 token")
}

fn jwks_fetches(stand_in: &StandIn) -> usize {
    stand_in.requests_to(JWKS).len()
}

#[tokio::test]
async fn a_good_id_token_passes_with_its_claims_typed() {
    let stand_in = StandIn::start().await.expect("a stand-in");
    let verifier = TokenVerifier::new(&app(&stand_in));
    let token = signed(&stand_in, json!({"role": "admin"}));
    let claims = verifier
        .verify_id_token(&token, NONCE)
        .await
        .expect("verified");
    assert_eq!(claims.sub, stand_in.user_id());
    assert_eq!(claims.aud, [stand_in.app_id()]);
    assert_eq!(
        claims.email.as_deref(),
        Some(stand_in.user().email.as_str())
    );
    assert_eq!(claims.other["role"], "admin");
}

#[tokio::test]
async fn each_claim_check_refuses_with_its_own_variant() {
    let stand_in = StandIn::start().await.expect("a stand-in");
    let verifier = TokenVerifier::new(&app(&stand_in));
    let now = now();
    let verify = |changes: Value| {
        let token = signed(&stand_in, changes);
        let verifier = verifier.clone();
        async move { verifier.verify_id_token(&token, NONCE).await }
    };
    let refused = verify(json!({"iss": "https://elsewhere.authing.cn/oidc"})).await;
    assert!(
        matches!(&refused, Err(VerifyError::WrongIssuer { found, .. }) if found == "https://elsewhere.authing.cn/oidc"),
        "{refused:?}"
    );
    let refused = verify(json!({"aud": ["another-app"]})).await;
    assert!(
        matches!(&refused, Err(VerifyError::WrongAudience { found, .. }) if found == &["another-app"]),
        "{refused:?}"
    );
    let refused = verify(json!({"nonce": "nonce-of-another-login"})).await;
    assert!(
        matches!(refused, Err(VerifyError::WrongNonce { missing: false })),
        "{refused:?}"
    );
    let refused = verify(json!({"nonce": null})).await;
    assert!(
        matches!(refused, Err(VerifyError::WrongNonce { missing: true })),
        "{refused:?}"
    );
    // Past the 60 s leeway, and within it.
    let refused = verify(json!({"exp": now - 61})).await;
    assert!(
        matches!(
            refused,
            Err(VerifyError::Expired {
                leeway_secs: 60,
                ..
            })
        ),
        "{refused:?}"
    );
    assert!(verify(json!({"exp": now - 30})).await.is_ok());
    let refused = verify(json!({"nbf": now + 120})).await;
    assert!(
        matches!(refused, Err(VerifyError::NotYetValid { .. })),
        "{refused:?}"
    );
    let refused = verify(json!({"exp": null})).await;
    assert!(
        matches!(refused, Err(VerifyError::MissingClaim { claim: "exp" })),
        "{refused:?}"
    );
}

#[tokio::test]
async fn forged_and_unsigned_tokens_are_refused_by_their_signature_or_algorithm() {
    let stand_in = StandIn::start().await.expect("a stand-in");
    let verifier = TokenVerifier::new(&app(&stand_in));
    let token = signed(&stand_in, json!({}));
    let [header, _, signature] = parts(&token);

    // Another payload under the provider's signature.
    let forged_claims = claims(&stand_in, json!({"sub": "someone-else"}));
    let forged_payload = URL_SAFE_NO_PAD.encode(forged_claims.to_string());
    let forged = format!("{header}.{forged_payload}.{signature}");
    let refused = verifier.verify_id_token(&forged, NONCE).await;
    assert!(
        matches!(refused, Err(VerifyError::BadSignature)),
        "{refused:?}"
    );

    // Unsigned: `alg: none` and no signature.
    let none = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let refused = verifier
        .verify_id_token(&format!("{none}.{forged_payload}."), NONCE)
        .await;
    assert!(matches!(refused, Err(VerifyError::Unsigned)), "{refused:?}");

    // HS256 where the application signs with RS256 (the key-confusion attack).
    let secret = stand_in.oidc_app().client_secret;
    let refused = verifier
        .verify_id_token(&hs256(&secret, &forged_claims), NONCE)
        .await;
    assert!(
        matches!(refused, Err(VerifyError::UnexpectedAlgorithm { ref found, expected: "RS256" }) if found == "HS256"),
        "{refused:?}"
    );
    let refused = verifier.verify_id_token("not.a-jwt", NONCE).await;
    assert!(
        matches!(refused, Err(VerifyError::Malformed { .. })),
        "{refused:?}"
    );
}

fn parts(token: &str) -> [&str; 3] {
    let mut parts = token.split('.');
    [(); 3].map(|()| parts.next().unwrap_or_default())
}

#[tokio::test]
async fn hs256_id_tokens_are_checked_with_the_app_secret() {
    let stand_in = StandIn::start().await.expect("a stand-in");
    let verifier = TokenVerifier::new(&app(&stand_in)).id_token_algorithm(IdTokenAlgorithm::Hs256);
    let claims = claims(&stand_in, json!({}));
    let secret = stand_in.oidc_app().client_secret;
    let good = verifier
        .verify_id_token(&hs256(&secret, &claims), NONCE)
        .await;
    assert_eq!(good.expect("verified").sub, stand_in.user_id());

    let refused = verifier
        .verify_id_token(&hs256("not-the-app-secret", &claims), NONCE)
        .await;
    assert!(
        matches!(refused, Err(VerifyError::BadSignature)),
        "{refused:?}"
    );
    // Set to HS256, an RS256 token is as unexpected as the other way round.
    let refused = verifier
        .verify_id_token(&signed(&stand_in, json!({})), NONCE)
        .await;
    assert!(
        matches!(
            refused,
            Err(VerifyError::UnexpectedAlgorithm {
                expected: "HS256",
                ..
            })
        ),
        "{refused:?}"
    );
    // Without the secret there is nothing to check with.
    let no_secret = stand_in.authentication_client().build().expect("a client");
    let refused = TokenVerifier::new(&no_secret)
        .id_token_algorithm(IdTokenAlgorithm::Hs256)
        .verify_id_token(&hs256(&secret, &claims), NONCE)
        .await;
    assert!(
        matches!(refused, Err(VerifyError::NoAppSecret)),
        "{refused:?}"
    );
    assert_eq!(jwks_fetches(&stand_in), 0, "HS256 needs no JWKS");
}

#[tokio::test]
async fn the_stand_ins_own_tokens_pass_id_token_from_a_login_and_access_token_from_a_grant() {
    let stand_in = StandIn::start().await.expect("a stand-in");
    let callback = "http://127.0.0.1:9/callback";
    stand_in.add_oidc_app(stand_in.oidc_app().redirect_uri(callback));
    let app = app(&stand_in);
    let verifier = TokenVerifier::new(&app);
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    let authorize = format!(
        "{}/oidc/auth?client_id={}&redirect_uri={callback}&response_type=code&scope=openid%20email&state=s&nonce={NONCE}",
        stand_in.base_url(),
        stand_in.app_id(),
    );
    let answer = http.get(authorize).send().await.expect("a redirect");
    let location = answer.headers()["location"].to_str().expect("text");
    let code = location
        .split("code=")
        .nth(1)
        .and_then(|rest| rest.split('&').next())
        .expect("a code");
    let secret = stand_in.oidc_app().client_secret;
    let token_url = format!("{}/oidc/token", stand_in.base_url());
    let form = [
        ("client_id", stand_in.app_id()),
        ("client_secret", secret.as_str()),
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", callback),
    ];
    let tokens = token_set(http.post(&token_url).form(&form)).await;
    let id_token = tokens["id_token"].as_str().expect("an ID token");
    let claims = verifier
        .verify_id_token(id_token, NONCE)
        .await
        .expect("verified");
    assert_eq!(
        claims.email.as_deref(),
        Some(stand_in.user().email.as_str())
    );
    let access = verifier
        .verify_access_token(tokens["access_token"].as_str().expect("an access token"))
        .await
        .expect("verified");
    assert_eq!(access.sub, stand_in.user_id());
    assert_eq!(access.scopes().collect::<Vec<_>>(), ["openid", "email"]);

    // Machine to machine: the subject is the client, the audience still the app id.
    let form = [
        ("client_id", stand_in.app_id()),
        ("client_secret", secret.as_str()),
        ("grant_type", "client_credentials"),
    ];
    let tokens = token_set(http.post(&token_url).form(&form)).await;
    let access = verifier
        .verify_access_token(tokens["access_token"].as_str().expect("an access token"))
        .await
        .expect("verified");
    assert_eq!(access.sub, stand_in.app_id());
    assert_eq!(jwks_fetches(&stand_in), 1, "one fetch serves every token");
}

async fn token_set(request: reqwest::RequestBuilder) -> Value {
    let answer = request.send().await.expect("an answer");
    answer.json().await.expect("a token set")
}

#[tokio::test]
async fn a_key_that_appears_after_rotation_costs_exactly_one_refetch() {
    let stand_in = StandIn::start().await.expect("a stand-in");
    let verifier = TokenVerifier::new(&app(&stand_in)).min_refetch_interval(Duration::ZERO);
    let before = signed(&stand_in, json!({}));
    assert!(verifier.verify_id_token(&before, NONCE).await.is_ok());
    assert_eq!(jwks_fetches(&stand_in), 1);

    stand_in.rotate_signing_key().expect("a new key");
    let after = signed(&stand_in, json!({}));
    assert!(verifier.verify_id_token(&after, NONCE).await.is_ok());
    assert!(verifier.verify_id_token(&after, NONCE).await.is_ok());
    assert!(verifier.verify_id_token(&before, NONCE).await.is_ok());
    assert_eq!(jwks_fetches(&stand_in), 2, "one refetch, then the cache");

    // A key id the provider never published: one refetch, then refused by name.
    let kid = "a-key-nobody-published";
    let header = URL_SAFE_NO_PAD.encode(json!({"alg": "RS256", "kid": kid}).to_string());
    let [_, payload, signature] = parts(&after);
    let refused = verifier
        .verify_id_token(&format!("{header}.{payload}.{signature}"), NONCE)
        .await;
    assert!(
        matches!(&refused, Err(VerifyError::UnknownKeyId { kid: k, refetch_skipped: false }) if k == kid),
        "{refused:?}"
    );
    assert_eq!(jwks_fetches(&stand_in), 3);
}

#[tokio::test]
async fn unknown_key_ids_cannot_force_refetches_within_the_minimum_interval() {
    let stand_in = StandIn::start().await.expect("a stand-in");
    let interval = Duration::from_millis(500);
    let verifier = TokenVerifier::new(&app(&stand_in)).min_refetch_interval(interval);
    let good = signed(&stand_in, json!({}));
    assert!(verifier.verify_id_token(&good, NONCE).await.is_ok());
    // Made-up key ids, as an attacker would send them.
    let [_, payload, signature] = parts(&good);
    let with_kid = |kid: &str| {
        let header = URL_SAFE_NO_PAD.encode(json!({"alg": "RS256", "kid": kid}).to_string());
        format!("{header}.{payload}.{signature}")
    };
    for kid in ["random-1", "random-2", "random-3"] {
        let refused = verifier.verify_id_token(&with_kid(kid), NONCE).await;
        assert!(
            matches!(
                refused,
                Err(VerifyError::UnknownKeyId {
                    refetch_skipped: true,
                    ..
                })
            ),
            "{refused:?}"
        );
    }
    assert_eq!(jwks_fetches(&stand_in), 1);
    tokio::time::sleep(interval).await;
    let refused = verifier.verify_id_token(&with_kid("random-4"), NONCE).await;
    assert!(
        matches!(
            refused,
            Err(VerifyError::UnknownKeyId {
                refetch_skipped: false,
                ..
            })
        ),
        "{refused:?}"
    );
    assert_eq!(jwks_fetches(&stand_in), 2);
}

#[tokio::test]
async fn concurrent_verifications_of_an_unknown_key_share_one_fetch() {
    let stand_in = StandIn::start().await.expect("a stand-in");
    let verifier = TokenVerifier::new(&app(&stand_in)).min_refetch_interval(Duration::ZERO);
    assert!(
        verifier
            .verify_id_token(&signed(&stand_in, json!({})), NONCE)
            .await
            .is_ok()
    );
    stand_in.rotate_signing_key().expect("a new key");
    let after = signed(&stand_in, json!({}));
    // A slow answer, so that every verification starts while the fetch is under way.
    stand_in.script_for(JWKS, Fault::delay(Duration::from_millis(200)));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (verifier, token) = (verifier.clone(), after.clone());
        tasks.spawn(async move { verifier.verify_id_token(&token, NONCE).await.map(|c| c.sub) });
    }
    let outcomes = tasks.join_all().await;
    assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
    assert_eq!(
        jwks_fetches(&stand_in),
        2,
        "the first fetch and one shared refetch"
    );
}

#[tokio::test]
async fn a_failed_refetch_keeps_the_keys_already_known() {
    let stand_in = StandIn::start().await.expect("a stand-in");
    let verifier = TokenVerifier::new(&app(&stand_in)).min_refetch_interval(Duration::ZERO);
    let before = signed(&stand_in, json!({}));
    assert!(verifier.verify_id_token(&before, NONCE).await.is_ok());
    stand_in.rotate_signing_key().expect("a new key");
    let after = signed(&stand_in, json!({}));

    stand_in.script_for(JWKS, Fault::http(503));
    let refused = verifier.verify_id_token(&after, NONCE).await;
    assert!(
        matches!(refused, Err(VerifyError::JwksUnavailable { .. })),
        "{refused:?}"
    );
    assert_eq!(jwks_fetches(&stand_in), 2);
    // The old key still verifies, without a fetch; the outage over, the new one too.
    assert!(verifier.verify_id_token(&before, NONCE).await.is_ok());
    assert_eq!(jwks_fetches(&stand_in), 2);
    assert!(verifier.verify_id_token(&after, NONCE).await.is_ok());
    assert_eq!(jwks_fetches(&stand_in), 3);
}

#[tokio::test]
async fn access_tokens_are_held_to_the_issuer_audience_and_expiry_too() {
    let stand_in = StandIn::start().await.expect("a stand-in");
    let verifier = TokenVerifier::new(&app(&stand_in));
    let access = |changes: Value| signed(&stand_in, changes);
    let claims = verifier
        .verify_access_token(&access(json!({"nonce": null, "scope": "openid profile"})))
        .await
        .expect("verified");
    assert_eq!(claims.scopes().count(), 2);
    let refused = verifier
        .verify_access_token(&access(json!({"iss": "https://elsewhere/oidc"})))
        .await;
    assert!(
        matches!(refused, Err(VerifyError::WrongIssuer { .. })),
        "{refused:?}"
    );
    let refused = verifier
        .verify_access_token(&access(json!({"exp": 1})))
        .await;
    assert!(
        matches!(refused, Err(VerifyError::Expired { .. })),
        "{refused:?}"
    );

    // For an API: its audience, not the app id.
    let api = verifier
        .clone()
        .access_token_audience("https://api.example.com");
    let refused = api.verify_access_token(&access(json!({}))).await;
    assert!(
        matches!(refused, Err(VerifyError::WrongAudience { .. })),
        "{refused:?}"
    );
    let for_api = access(json!({"aud": ["https://api.example.com"]}));
    assert!(api.verify_access_token(&for_api).await.is_ok());
}

#[tokio::test]
async fn a_key_the_provider_retired_stops_verifying_once_the_keys_are_old() {
    let stand_in = StandIn::start().await.expect("a stand-in");
    let max_age = Duration::from_millis(300);
    let verifier = TokenVerifier::new(&app(&stand_in))
        .max_key_age(max_age)
        .min_refetch_interval(Duration::ZERO);
    let old = signed(&stand_in, json!({}));
    assert!(verifier.verify_id_token(&old, NONCE).await.is_ok());
    stand_in.rotate_signing_key().expect("a new key");
    stand_in.retire_old_signing_keys();
    // (That the keys are used without a fetch while young is tested on a paused clock,
    // in the cache's unit tests: generating a key here can take longer than `max_age`.)
    tokio::time::sleep(max_age).await;
    let refused = verifier.verify_id_token(&old, NONCE).await;
    assert!(
        matches!(refused, Err(VerifyError::UnknownKeyId { .. })),
        "{refused:?}"
    );
    assert_eq!(jwks_fetches(&stand_in), 2);
}
