//! The claims of verified tokens, typed, and the checks made on them once the signature
//! holds.

use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::error::VerifyError;

/// The claims of a verified ID token: the standard ones typed, every other one in
/// [`other`](Self::other).
///
/// Which profile claims are present depends on the scopes of the login (`profile`,
/// `email`, `phone`). Made by [`TokenVerifier::verify_id_token`](super::TokenVerifier::verify_id_token).
///
/// ```
/// let claims: authing_oidc::verify::IdTokenClaims = serde_json::from_value(serde_json::json!({
///     "iss": "https://example.authing.cn/oidc", "sub": "u1", "aud": "APP_ID", "exp": 2,
///     "iat": 1, "email": "a@example.com", "nonce": "n", "role": "admin",
/// }))?;
/// assert_eq!(claims.aud, ["APP_ID"]);
/// assert_eq!(claims.email.as_deref(), Some("a@example.com"));
/// assert_eq!(claims.other["role"], "admin");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct IdTokenClaims {
    /// Who issued it: `https://<app host>/oidc`.
    pub iss: String,
    /// The user's id.
    pub sub: String,
    /// Who it is for: the app id (one string on the wire, or a list).
    #[serde(deserialize_with = "one_or_many")]
    pub aud: Vec<String>,
    /// When it expires, in seconds since the Unix epoch.
    pub exp: u64,
    /// When it was issued.
    #[serde(default)]
    pub iat: Option<u64>,
    /// Not valid before this time.
    #[serde(default)]
    pub nbf: Option<u64>,
    /// When the user signed in.
    #[serde(default)]
    pub auth_time: Option<u64>,
    /// The nonce of the login it finishes (checked).
    #[serde(default)]
    pub nonce: Option<String>,
    /// Half of the SHA-256 of the access token issued with it.
    #[serde(default)]
    pub at_hash: Option<String>,
    /// The session at Authing.
    #[serde(default)]
    pub sid: Option<String>,
    /// Full name (`profile`).
    #[serde(default)]
    pub name: Option<String>,
    /// Nickname (`profile`).
    #[serde(default)]
    pub nickname: Option<String>,
    /// Username (`profile`).
    #[serde(default)]
    pub preferred_username: Option<String>,
    /// URL of a picture of the user (`profile`).
    #[serde(default)]
    pub picture: Option<String>,
    /// When the profile last changed (`profile`), as Authing writes it (an ISO 8601 date).
    #[serde(default)]
    pub updated_at: Option<Value>,
    /// E-mail address (`email`).
    #[serde(default)]
    pub email: Option<String>,
    /// Whether the e-mail address was verified (`email`).
    #[serde(default)]
    pub email_verified: Option<bool>,
    /// Phone number (`phone`).
    #[serde(default)]
    pub phone_number: Option<String>,
    /// Whether the phone number was verified (`phone`).
    #[serde(default)]
    pub phone_number_verified: Option<bool>,
    /// Every other claim.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// The claims of a verified access token: the standard ones typed, every other one in
/// [`other`](Self::other). Made by
/// [`TokenVerifier::verify_access_token`](super::TokenVerifier::verify_access_token).
///
/// ```
/// let claims: authing_oidc::verify::AccessTokenClaims = serde_json::from_value(serde_json::json!({
///     "iss": "https://example.authing.cn/oidc", "sub": "u1", "aud": ["APP_ID"], "exp": 2,
///     "scope": "openid profile", "jti": "j1",
/// }))?;
/// assert_eq!(claims.scopes().collect::<Vec<_>>(), ["openid", "profile"]);
/// assert!(claims.other.is_empty());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AccessTokenClaims {
    /// Who issued it: `https://<app host>/oidc`.
    pub iss: String,
    /// The user's id; for a client-credentials token, the client's.
    pub sub: String,
    /// Who it is for: the app id (one string on the wire, or a list).
    #[serde(deserialize_with = "one_or_many")]
    pub aud: Vec<String>,
    /// When it expires, in seconds since the Unix epoch.
    pub exp: u64,
    /// When it was issued.
    #[serde(default)]
    pub iat: Option<u64>,
    /// Not valid before this time.
    #[serde(default)]
    pub nbf: Option<u64>,
    /// The token's own id.
    #[serde(default)]
    pub jti: Option<String>,
    /// The scopes granted, space-separated.
    #[serde(default)]
    pub scope: Option<String>,
    /// Every other claim.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl AccessTokenClaims {
    /// The scopes granted, one by one.
    ///
    /// Example: see [`AccessTokenClaims`].
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.scope
            .as_deref()
            .unwrap_or_default()
            .split_ascii_whitespace()
    }
}

/// The claims every token must carry before its typed claims are read: an absent one is
/// [`VerifyError::MissingClaim`], not a type error.
const REQUIRED: [&str; 4] = ["iss", "sub", "aud", "exp"];

/// What the checks compare a token's claims with.
pub(crate) struct Expected<'a> {
    pub(crate) issuer: &'a str,
    pub(crate) audience: &'a str,
    pub(crate) leeway_secs: u64,
    pub(crate) now: u64,
}

/// The standard claims the checks read, borrowed from either kind of claims.
pub(crate) struct Checked<'a> {
    pub(crate) iss: &'a str,
    pub(crate) aud: &'a [String],
    pub(crate) exp: u64,
    pub(crate) nbf: Option<u64>,
}

/// Reads `payload` (the signature having held) as `T`, after checking the required
/// claims are present.
pub(crate) fn typed<T: DeserializeOwned>(payload: Map<String, Value>) -> Result<T, VerifyError> {
    if let Some(claim) = REQUIRED.into_iter().find(|c| !payload.contains_key(*c)) {
        return Err(VerifyError::MissingClaim { claim });
    }
    serde_json::from_value(Value::Object(payload))
        .map_err(|e| VerifyError::InvalidClaim { why: e.to_string() })
}

/// Issuer, audience, expiry and not-before, in that order: who the token is from and
/// for matters more to a caller than when it stopped being valid.
pub(crate) fn check(claims: &Checked<'_>, expected: &Expected<'_>) -> Result<(), VerifyError> {
    if claims.iss != expected.issuer {
        return Err(VerifyError::WrongIssuer {
            expected: expected.issuer.to_owned(),
            found: claims.iss.to_owned(),
        });
    }
    if !claims.aud.iter().any(|aud| aud == expected.audience) {
        return Err(VerifyError::WrongAudience {
            expected: expected.audience.to_owned(),
            found: claims.aud.to_vec(),
        });
    }
    let (now, leeway_secs) = (expected.now, expected.leeway_secs);
    // RFC 7519: not to be accepted on or after `exp`, nor before `nbf`.
    if now >= claims.exp.saturating_add(leeway_secs) {
        return Err(VerifyError::Expired {
            expired_at: claims.exp,
            now,
            leeway_secs,
        });
    }
    if let Some(not_before) = claims
        .nbf
        .filter(|nbf| now.saturating_add(leeway_secs) < *nbf)
    {
        return Err(VerifyError::NotYetValid {
            not_before,
            now,
            leeway_secs,
        });
    }
    Ok(())
}

/// Compares the nonce in constant time, so that how long a refusal takes says nothing
/// about how much of a guess was right.
pub(crate) fn check_nonce(found: Option<&str>, expected: &str) -> Result<(), VerifyError> {
    let Some(found) = found else {
        return Err(VerifyError::WrongNonce { missing: true });
    };
    if !constant_time_eq::constant_time_eq(found.as_bytes(), expected.as_bytes()) {
        return Err(VerifyError::WrongNonce { missing: false });
    }
    Ok(())
}

/// `aud` is one string or a list of strings (RFC 7519 §4.1.3).
fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(one) => vec![one],
        OneOrMany::Many(many) => many,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn expected(now: u64) -> Expected<'static> {
        Expected {
            issuer: "https://a/oidc",
            audience: "app",
            leeway_secs: 60,
            now,
        }
    }

    fn claims(aud: &[String], exp: u64, nbf: Option<u64>) -> Checked<'_> {
        Checked {
            iss: "https://a/oidc",
            aud,
            exp,
            nbf,
        }
    }

    #[test]
    fn the_leeway_stretches_both_ends_by_exactly_its_length() {
        let aud = ["app".to_owned()];
        assert!(check(&claims(&aud, 1000, None), &expected(1059)).is_ok());
        assert!(matches!(
            check(&claims(&aud, 1000, None), &expected(1060)),
            Err(VerifyError::Expired {
                expired_at: 1000,
                now: 1060,
                leeway_secs: 60
            })
        ));
        assert!(check(&claims(&aud, 9999, Some(1060)), &expected(1000)).is_ok());
        assert!(matches!(
            check(&claims(&aud, 9999, Some(1061)), &expected(1000)),
            Err(VerifyError::NotYetValid {
                not_before: 1061,
                ..
            })
        ));
    }

    #[test]
    fn any_one_of_several_audiences_will_do() {
        let aud = ["api".to_owned(), "app".to_owned()];
        assert!(check(&claims(&aud, 9999, None), &expected(0)).is_ok());
        let other = ["api".to_owned()];
        assert!(matches!(
            check(&claims(&other, 9999, None), &expected(0)),
            Err(VerifyError::WrongAudience { found, .. }) if found == ["api"]
        ));
    }

    #[test]
    fn a_missing_claim_is_named_and_a_mistyped_one_explained() {
        let payload = json!({"iss": "i", "sub": "s", "exp": 1});
        let Value::Object(payload) = payload else {
            unreachable!()
        };
        assert!(matches!(
            typed::<AccessTokenClaims>(payload),
            Err(VerifyError::MissingClaim { claim: "aud" })
        ));
        let Value::Object(payload) = json!({"iss": "i", "sub": "s", "aud": "a", "exp": "soon"})
        else {
            unreachable!()
        };
        let refused = typed::<AccessTokenClaims>(payload);
        assert!(matches!(refused, Err(VerifyError::InvalidClaim { why }) if why.contains("u64")));
    }

    #[test]
    fn nonces_must_match_exactly_and_be_present() {
        assert!(check_nonce(Some("n-1"), "n-1").is_ok());
        assert!(matches!(
            check_nonce(Some("n-2"), "n-1"),
            Err(VerifyError::WrongNonce { missing: false })
        ));
        assert!(matches!(
            check_nonce(Some("n-1x"), "n-1"),
            Err(VerifyError::WrongNonce { missing: false })
        ));
        assert!(matches!(
            check_nonce(None, "n-1"),
            Err(VerifyError::WrongNonce { missing: true })
        ));
    }
}
