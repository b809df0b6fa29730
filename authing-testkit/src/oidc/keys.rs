//! The provider's signing keys: RS256 key pairs published as a JWKS, rotated on request,
//! plus HS256 signing with an application's secret.

use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::ids;

/// One RS256 key and the id it is published under.
struct SigningKey {
    kid: String,
    pair: KeyPair,
}

impl SigningKey {
    /// A fresh 2048-bit key. aws-lc generates one in about 0.1 s even in debug builds,
    /// and a stand-in only does so when an OIDC endpoint first needs it.
    fn generate() -> Result<Self, KeyError> {
        let pair = KeyPair::generate(KeySize::Rsa2048).map_err(|_| KeyError)?;
        Ok(Self {
            kid: ids::hex(16),
            pair,
        })
    }

    fn jwk(&self) -> Value {
        let public = self.pair.public_key();
        json!({
            "e": URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero()),
            "n": URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero()),
            "kty": "RSA",
            "alg": "RS256",
            "use": "sig",
            "kid": self.kid,
        })
    }
}

/// Key generation or signing failed inside aws-lc (not expected to happen); handlers
/// answer `server_error` instead of panicking.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeyError;

/// The keys of one stand-in: the current one signs, older ones stay published (so that
/// tokens they signed still verify) until retired.
pub(crate) struct KeyRing {
    current: SigningKey,
    older: Vec<SigningKey>,
}

impl KeyRing {
    pub(crate) fn generate() -> Result<Self, KeyError> {
        Ok(Self {
            current: SigningKey::generate()?,
            older: Vec::new(),
        })
    }

    /// Makes a fresh key the signing one, keeps the old one published; the new kid.
    pub(crate) fn rotate(&mut self) -> Result<String, KeyError> {
        let fresh = SigningKey::generate()?;
        let old = std::mem::replace(&mut self.current, fresh);
        self.older.insert(0, old);
        Ok(self.current.kid.clone())
    }

    /// Stops publishing every key but the current one.
    pub(crate) fn retire_older(&mut self) {
        self.older.clear();
    }

    #[cfg(test)]
    pub(crate) fn current_kid(&self) -> &str {
        &self.current.kid
    }

    /// The kids published, the current one first.
    pub(crate) fn kids(&self) -> Vec<String> {
        std::iter::once(&self.current)
            .chain(&self.older)
            .map(|key| key.kid.clone())
            .collect()
    }

    /// `{"keys": [...]}`, the current key first.
    pub(crate) fn jwks(&self) -> Value {
        let keys: Vec<Value> = std::iter::once(&self.current)
            .chain(&self.older)
            .map(SigningKey::jwk)
            .collect();
        json!({ "keys": keys })
    }

    /// A compact JWS of `claims`, RS256 with the current key, its kid in the header.
    pub(crate) fn sign_rs256(&self, claims: &Value) -> Result<String, KeyError> {
        let header = json!({"alg": "RS256", "typ": "JWT", "kid": self.current.kid});
        let input = signing_input(&header, claims);
        let pair = &self.current.pair;
        let mut signature = vec![0; pair.public_modulus_len()];
        let rng = aws_lc_rs::rand::SystemRandom::new();
        pair.sign(&RSA_PKCS1_SHA256, &rng, input.as_bytes(), &mut signature)
            .map_err(|_| KeyError)?;
        Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)))
    }
}

/// A compact JWS of `claims`, HS256 with `secret` (an application's secret), no kid.
pub(crate) fn sign_hs256(secret: &[u8], claims: &Value) -> String {
    let header = json!({"alg": "HS256", "typ": "JWT"});
    let input = signing_input(&header, claims);
    // HMAC takes keys of any length, so new_from_slice cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(input.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{input}.{signature}")
}

fn signing_input(header: &Value, claims: &Value) -> String {
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};

    fn verify_with_jwk(token: &str, jwk: &Value) -> bool {
        let (input, signature) = token.rsplit_once('.').unwrap_or_default();
        let n = URL_SAFE_NO_PAD.decode(jwk["n"].as_str().unwrap_or_default());
        let e = URL_SAFE_NO_PAD.decode(jwk["e"].as_str().unwrap_or_default());
        let signature = URL_SAFE_NO_PAD.decode(signature);
        let (Ok(n), Ok(e), Ok(signature)) = (n, e, signature) else {
            return false;
        };
        RsaPublicKeyComponents { n, e }
            .verify(&RSA_PKCS1_2048_8192_SHA256, input.as_bytes(), &signature)
            .is_ok()
    }

    #[test]
    fn an_rs256_token_verifies_with_the_published_key_of_its_kid_only() {
        let mut ring = KeyRing::generate().expect("key generation");
        let first = ring.sign_rs256(&json!({"sub": "u"})).expect("signing");
        let old_kid = ring.current_kid().to_owned();
        let new_kid = ring.rotate().expect("rotation");
        assert_ne!(old_kid, new_kid);
        let jwks = ring.jwks();
        let keys = jwks["keys"].as_array().cloned().unwrap_or_default();
        assert_eq!(keys.len(), 2);
        assert_eq!(keys[0]["kid"], new_kid.as_str());
        assert!(verify_with_jwk(&first, &keys[1]));
        assert!(!verify_with_jwk(&first, &keys[0]));
        ring.retire_older();
        assert_eq!(ring.kids(), [new_kid]);
    }

    #[test]
    fn hs256_tokens_carry_no_kid_and_depend_on_the_secret() {
        let a = sign_hs256(b"one", &json!({"sub": "u"}));
        let b = sign_hs256(b"two", &json!({"sub": "u"}));
        assert_ne!(a, b);
        let header = a.split('.').next().unwrap_or_default();
        let header: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap_or_default())
                .unwrap_or_default();
        assert_eq!(header, json!({"alg": "HS256", "typ": "JWT"}));
    }
}
