//! Checking the ID token of a finished login: RS256 signature with the key of the
//! provider's JWKS that the token names, issuer, audience, expiry (one minute of leeway)
//! and the nonce of this login. A stop-gap until authing-oidc's `verify_id_token` lands
//! on main; it checks the same things, and refuses each failure with its own reason.

use std::time::{SystemTime, UNIX_EPOCH};

use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

/// How far past `exp` a token is still taken, for clocks that disagree a little.
const LEEWAY_SECS: u64 = 60;

/// The claims of a verified ID token, or why it was refused.
pub(crate) fn verify(
    token: &str,
    jwks: &Value,
    issuer: &str,
    audience: &str,
    nonce: &str,
) -> Result<Value, String> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("the ID token is not a compact JWT".into());
    };
    let header = decode_json(header)?;
    if header["alg"] != "RS256" {
        return Err(format!(
            "the ID token is signed with {}, not RS256",
            header["alg"]
        ));
    }
    let key = jwks["keys"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|key| key["kid"] == header["kid"])
        .ok_or("the ID token names a key the provider does not publish")?;
    let component = |name: &str| {
        URL_SAFE_NO_PAD
            .decode(key[name].as_str().unwrap_or_default())
            .map_err(|_| format!("the provider's key has no valid {name}"))
    };
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| "the ID token's signature is not base64url")?;
    let signed = &token[..header_and_payload_len(token)];
    RsaPublicKeyComponents {
        n: component("n")?,
        e: component("e")?,
    }
    .verify(&RSA_PKCS1_2048_8192_SHA256, signed.as_bytes(), &signature)
    .map_err(|_| "the ID token's signature does not verify")?;
    let claims = decode_json(payload)?;
    if claims["iss"] != issuer {
        return Err(format!(
            "the ID token was issued by {}, not {issuer}",
            claims["iss"]
        ));
    }
    if claims["aud"] != audience {
        return Err(format!(
            "the ID token is for {}, not this app",
            claims["aud"]
        ));
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    if claims["exp"]
        .as_u64()
        .is_none_or(|exp| exp.saturating_add(LEEWAY_SECS) < now)
    {
        return Err("the ID token has expired".into());
    }
    if claims["nonce"] != nonce {
        return Err("the ID token's nonce is not this login's".into());
    }
    Ok(claims)
}

fn header_and_payload_len(token: &str) -> usize {
    token.rfind('.').unwrap_or(0)
}

fn decode_json(part: &str) -> Result<Value, String> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| "a part of the ID token is not base64url".to_owned())?;
    serde_json::from_slice(&bytes).map_err(|_| "a part of the ID token is not JSON".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The stand-in's JWKS and a token it signed with `claims` over good defaults.
    async fn signed(stand_in: &authing_testkit::StandIn, changes: Value) -> (String, Value) {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut claims = json!({"iss": stand_in.oidc_issuer(), "aud": "app", "exp": now + 60, "nonce": "n", "sub": "u"});
        for (name, value) in changes.as_object().into_iter().flatten() {
            claims[name] = value.clone();
        }
        let token = stand_in.sign_jwt(&claims).expect("a token");
        let url = format!("{}/oidc/.well-known/jwks.json", stand_in.base_url());
        let jwks = reqwest::get(url)
            .await
            .expect("jwks")
            .json()
            .await
            .expect("JSON");
        (token, jwks)
    }

    #[tokio::test]
    async fn each_check_refuses_with_its_own_reason() {
        let stand_in = authing_testkit::StandIn::start().await.expect("a stand-in");
        let issuer = stand_in.oidc_issuer();
        let (good, jwks) = signed(&stand_in, json!({})).await;
        assert_eq!(
            verify(&good, &jwks, &issuer, "app", "n").map(|c| c["sub"].clone()),
            Ok(json!("u"))
        );
        let cases = [
            (json!({"iss": "https://elsewhere/oidc"}), "issued by"),
            (json!({"aud": "other"}), "not this app"),
            (json!({"exp": 1}), "expired"),
            (json!({"nonce": "replayed"}), "nonce"),
        ];
        for (change, reason) in cases {
            let (token, jwks) = signed(&stand_in, change.clone()).await;
            let refused = verify(&token, &jwks, &issuer, "app", "n").expect_err("refused");
            assert!(refused.contains(reason), "{change}: {refused}");
        }
        let tampered = format!("{}x", &good[..good.len() - 1]);
        assert!(
            verify(&tampered, &jwks, &issuer, "app", "n")
                .expect_err("refused")
                .contains("signature")
        );
        stand_in.rotate_signing_key().expect("rotation");
        let (new_key, _) = signed(&stand_in, json!({})).await;
        // Verified against the JWKS read before the rotation: the key is unknown.
        assert!(
            verify(&new_key, &jwks, &issuer, "app", "n")
                .expect_err("refused")
                .contains("does not publish")
        );
        assert!(verify("not a jwt", &jwks, &issuer, "app", "n").is_err());
    }
}
