//! Compact HS256 JWTs: enough to issue tokens that look like Authing's and to tell later
//! whether a presented token is one this stand-in signed.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::Sha256;

/// `{"alg":"HS256","typ":"JWT"}`, the only header this signer writes or accepts.
const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

/// Signs and checks tokens with a key that never leaves the process.
pub(crate) struct Signer {
    key: [u8; 32],
}

impl Signer {
    /// A signer with a fresh random key, so tokens of one stand-in never pass another.
    pub(crate) fn random() -> Self {
        Self {
            key: rand::random(),
        }
    }

    /// `base64url(header).base64url(claims).base64url(HMAC-SHA256)`.
    pub(crate) fn encode<C: Serialize>(&self, claims: &C) -> String {
        // Serialising a struct of strings and integers cannot fail; an empty payload
        // would still be a token this signer rejects, so no panic is needed.
        let payload = serde_json::to_vec(claims).unwrap_or_default();
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(HEADER),
            URL_SAFE_NO_PAD.encode(payload)
        );
        let signature = URL_SAFE_NO_PAD.encode(self.mac(&signing_input).finalize().into_bytes());
        format!("{signing_input}.{signature}")
    }

    /// The claims of `token` when this signer made it; `None` for anything else.
    pub(crate) fn decode<C: DeserializeOwned>(&self, token: &str) -> Option<C> {
        let (signing_input, signature) = token.rsplit_once('.')?;
        let (header, payload) = signing_input.split_once('.')?;
        let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
        // verify_slice compares in constant time.
        self.mac(signing_input).verify_slice(&signature).ok()?;
        if URL_SAFE_NO_PAD.decode(header).ok()? != HEADER.as_bytes() {
            return None;
        }
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
    }

    fn mac(&self, signing_input: &str) -> Hmac<Sha256> {
        // HMAC takes keys of any length; this branch cannot be reached.
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(signing_input.as_bytes());
        mac
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn a_token_decodes_with_its_own_signer_only() {
        let signer = Signer::random();
        let token = signer.encode(&json!({"jti": "1"}));
        assert_eq!(token.split('.').count(), 3);
        assert_eq!(signer.decode::<Value>(&token), Some(json!({"jti": "1"})));
        assert_eq!(Signer::random().decode::<Value>(&token), None);
    }

    #[test]
    fn tampered_or_malformed_tokens_are_rejected() {
        let signer = Signer::random();
        let token = signer.encode(&json!({"jti": "1"}));
        let forged_payload = URL_SAFE_NO_PAD.encode(r#"{"jti":"2"}"#);
        let parts: Vec<&str> = token.split('.').collect();
        let forged = format!("{}.{}.{}", parts[0], forged_payload, parts[2]);
        assert_eq!(signer.decode::<Value>(&forged), None);
        for junk in ["", ".", "..", "a.b.c", "not a token", "ä.ö.ü"] {
            assert_eq!(signer.decode::<Value>(junk), None, "{junk}");
        }
    }
}
