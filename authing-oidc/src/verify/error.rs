//! Why a token was refused: one variant per check, each saying what to do.

use std::sync::Arc;

/// A token that did not pass verification, with the check that refused it.
///
/// Every check has its own variant, so callers can tell a token that merely expired
/// (send the user to sign in again, or refresh) from one that was forged or meant for
/// someone else (log it, refuse it). The messages never quote the token or the nonce.
///
/// ```
/// use authing_oidc::verify::VerifyError;
///
/// let refused = VerifyError::WrongIssuer {
///     expected: "https://example.authing.cn/oidc".into(),
///     found: "https://elsewhere.authing.cn/oidc".into(),
/// };
/// assert!(refused.to_string().contains("issued by https://elsewhere.authing.cn/oidc"));
/// assert!(!refused.is_key_problem());
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// Not a compact JWS: not three base64url parts, or a header or payload that is not
    /// a JSON object.
    #[error("the token is not a signed JWT ({why}): pass the token exactly as Authing issued it")]
    Malformed {
        /// What is wrong with its shape.
        why: String,
    },
    /// `alg: none`: an unsigned token, refused whatever it claims.
    #[error(
        "the token is unsigned (`alg: none`) and is refused: Authing always signs its tokens, so this one was made by someone else"
    )]
    Unsigned,
    /// Signed with an algorithm other than the one expected for this kind of token.
    #[error(
        "the token is signed with {found}, but only {expected} is accepted here: if the application signs ID tokens with HS256, say so with TokenVerifier::id_token_algorithm"
    )]
    UnexpectedAlgorithm {
        /// The token's `alg`.
        found: String,
        /// The one algorithm accepted.
        expected: &'static str,
    },
    /// An RS256 token whose header names no key (`kid`); Authing always names one.
    #[error(
        "the token's header names no signing key (`kid`), so no key of the application's JWKS can be chosen"
    )]
    MissingKeyId,
    /// The token names a key the application's JWKS does not publish, even after the
    /// one refetch allowed.
    #[error(
        "the token names signing key `{kid}`, which the application's JWKS does not publish{}: it was signed by another application or user pool, or by a key Authing retired",
        if *.refetch_skipped { " (not refetched: the keys were fetched moments ago)" } else { "" }
    )]
    UnknownKeyId {
        /// The `kid` of the token's header.
        kid: String,
        /// Whether the JWKS was not refetched for it, because the last fetch was more
        /// recent than the minimum interval between refetches.
        refetch_skipped: bool,
    },
    /// The JWKS was needed and could not be fetched (the keys fetched before, if any,
    /// are kept for the tokens they verify).
    #[error(
        "the application's signing keys (JWKS) could not be fetched: {source}; check the app host and the network, then try again"
    )]
    JwksUnavailable {
        /// What the fetch ran into; shared by the verifications that waited for it.
        #[source]
        source: Arc<authing_core::Error>,
    },
    /// An HS256 ID token is expected, but the client has no app secret to check it with.
    #[error(
        "HS256 ID tokens are checked with the app secret, and the client was built without one: set it with AuthenticationClient::builder(..).app_secret(..)"
    )]
    NoAppSecret,
    /// The signature does not match the header and claims: the token was changed, or
    /// signed with another key or secret.
    #[error(
        "the token's signature does not verify: it was altered, or signed with another key or app secret; refuse it"
    )]
    BadSignature,
    /// A claim every token of this kind must carry is absent.
    #[error("the token has no `{claim}` claim, which every token of this kind must carry")]
    MissingClaim {
        /// The claim's name.
        claim: &'static str,
    },
    /// A claim has the wrong type (a number where a string belongs, say).
    #[error("the token's claims do not have the types the standard gives them: {why}")]
    InvalidClaim {
        /// What serde found wrong.
        why: String,
    },
    /// `iss` is not the application's issuer.
    #[error(
        "the token was issued by {found}, not by {expected}: it comes from another Authing application or user pool; check the app host the verifier was built with"
    )]
    WrongIssuer {
        /// The issuer expected.
        expected: String,
        /// The token's `iss`.
        found: String,
    },
    /// `aud` does not name the expected audience.
    #[error(
        "the token is meant for {found:?}, not for {expected}: it was issued to another application (or, for an access token, another API; see TokenVerifier::access_token_audience)"
    )]
    WrongAudience {
        /// The audience expected (the app id unless set otherwise).
        expected: String,
        /// The token's `aud`, as a list.
        found: Vec<String>,
    },
    /// `exp` has passed, beyond the leeway.
    #[error(
        "the token expired at {expired_at} (Unix time; now {now}, leeway {leeway_secs} s): sign the user in again, or refresh the tokens"
    )]
    Expired {
        /// The token's `exp`.
        expired_at: u64,
        /// The time it was checked at.
        now: u64,
        /// The leeway allowed, in seconds.
        leeway_secs: u64,
    },
    /// `nbf` is still ahead, beyond the leeway.
    #[error(
        "the token is not valid before {not_before} (Unix time; now {now}, leeway {leeway_secs} s): check this machine's clock"
    )]
    NotYetValid {
        /// The token's `nbf`.
        not_before: u64,
        /// The time it was checked at.
        now: u64,
        /// The leeway allowed, in seconds.
        leeway_secs: u64,
    },
    /// The ID token's `nonce` is not the one of the login it is meant to finish (or it
    /// has none): a replayed or injected token.
    #[error(
        "the ID token's nonce {}: it does not finish this login (a replayed or injected token); start the login again",
        if *.missing { "is missing" } else { "is not the one this login sent" }
    )]
    WrongNonce {
        /// Whether the token carries no nonce at all.
        missing: bool,
    },
}

impl VerifyError {
    /// Whether the refusal is about the signing keys (the JWKS could not be fetched, or
    /// does not publish the token's key) rather than the token's content: the ones
    /// worth retrying later.
    ///
    /// ```
    /// use authing_oidc::verify::VerifyError;
    /// let unknown = VerifyError::UnknownKeyId { kid: "k2".into(), refetch_skipped: true };
    /// assert!(unknown.is_key_problem());
    /// assert!(!VerifyError::BadSignature.is_key_problem());
    /// ```
    pub fn is_key_problem(&self) -> bool {
        matches!(
            self,
            Self::UnknownKeyId { .. } | Self::JwksUnavailable { .. }
        )
    }
}
