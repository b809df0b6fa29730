//! Verified tokens: the ID and access tokens Authing issues, checked before their claims
//! are believed.
//!
//! A [`TokenVerifier`] checks, in this order, and refuses each failure with its own
//! [`VerifyError`] variant:
//!
//! 1. the shape: a compact JWS ([`Malformed`](VerifyError::Malformed));
//! 2. the algorithm: `none` is never accepted ([`Unsigned`](VerifyError::Unsigned)), and
//!    only the one expected is ([`UnexpectedAlgorithm`](VerifyError::UnexpectedAlgorithm)):
//!    RS256 for access tokens; RS256 for ID tokens unless the application signs them
//!    with HS256 ([`TokenVerifier::id_token_algorithm`]);
//! 3. the key: RS256 with the key of the application's JWKS that the header's `kid`
//!    names ([`MissingKeyId`](VerifyError::MissingKeyId),
//!    [`UnknownKeyId`](VerifyError::UnknownKeyId),
//!    [`JwksUnavailable`](VerifyError::JwksUnavailable)); HS256 with the app secret
//!    ([`NoAppSecret`](VerifyError::NoAppSecret));
//! 4. the signature ([`BadSignature`](VerifyError::BadSignature));
//! 5. the claims every token carries ([`MissingClaim`](VerifyError::MissingClaim),
//!    [`InvalidClaim`](VerifyError::InvalidClaim)), then the issuer
//!    ([`WrongIssuer`](VerifyError::WrongIssuer)), the audience
//!    ([`WrongAudience`](VerifyError::WrongAudience)), expiry and not-before with a
//!    leeway ([`Expired`](VerifyError::Expired), [`NotYetValid`](VerifyError::NotYetValid));
//! 6. for an ID token, the nonce of the login it finishes ([`WrongNonce`](VerifyError::WrongNonce)).
//!
//! Nothing of the payload is read before the signature holds.
//!
//! # The keys
//!
//! The JWKS (`GET /oidc/.well-known/jwks.json`) is an `#[endpoint]` sent through the
//! client's transport, so its timeouts, retries and response size limit apply. It is
//! fetched when first needed and cached. A token naming a key id the cache does not
//! know causes one refetch (Authing rotated its keys), but only when the last fetch is
//! older than [`TokenVerifier::min_refetch_interval`] (10 s by default), so tokens with
//! made-up key ids cannot make every verification a request to Authing. Keys older than
//! [`TokenVerifier::max_key_age`] (an hour by default) are fetched again by the next
//! verification, so that a key Authing retired stops verifying. Concurrent
//! verifications share one fetch. A failed refetch keeps the keys already known.
//!
//! # The crate doing the cryptography
//!
//! Signatures are checked by [`jsonwebtoken`](https://docs.rs/jsonwebtoken) 12, the most
//! used JWT crate, with its pure-Rust RustCrypto backend: no C toolchain, and the same
//! `rsa` crate the sign-in's password encryption uses. Its `Algorithm` has no `none`, so
//! an unsigned token cannot get through it by construction. The claims are checked here
//! rather than by its `Validation`, so that each refusal can say what it compared
//! (which issuer, which audience, when the token expired).
//!
//! ```
//! use authing_oidc::verify::{TokenVerifier, VerifyError};
//! use serde_json::json;
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let stand_in = authing_testkit::StandIn::start().await?;
//! let app = stand_in.authentication_client().build()?;
//! let verifier = TokenVerifier::new(&app);
//!
//! let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs();
//! let mut claims = json!({
//!     "iss": stand_in.oidc_issuer(), "aud": stand_in.app_id(), "sub": "u1",
//!     "iat": now, "exp": now + 3600, "nonce": "this login's nonce",
//! });
//! let token = stand_in.sign_jwt(&claims)?;
//! let verified = verifier.verify_id_token(&token, "this login's nonce").await?;
//! assert_eq!(verified.sub, "u1");
//!
//! // The same token, finishing another login:
//! let refused = verifier.verify_id_token(&token, "another nonce").await;
//! assert!(matches!(refused, Err(VerifyError::WrongNonce { missing: false })));
//!
//! // Expired an hour ago:
//! claims["exp"] = json!(now - 3600);
//! let refused = verifier.verify_id_token(&stand_in.sign_jwt(&claims)?, "this login's nonce").await;
//! assert!(matches!(refused, Err(VerifyError::Expired { .. })));
//! # Ok(()) }
//! ```

mod claims;
mod error;
mod jwks;

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use authing_core::{AuthenticationClient, Secret};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use serde_json::{Map, Value};

pub use claims::{AccessTokenClaims, IdTokenClaims};
pub use error::VerifyError;

use claims::{Checked, Expected};
use jwks::{GetJwks, KeyCache, Timing};

/// How long past `exp` (and before `nbf`) a token is still taken, by default.
///
/// Authing's clock and this machine's disagree a little; NTP keeps servers within
/// milliseconds, but containers and VMs are seen seconds or more apart. A minute
/// absorbs that without letting an expired token live on meaningfully: Authing's
/// tokens live hours to days. It is also the default of jsonwebtoken and most other
/// OIDC libraries.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(60);

/// The shortest time between two JWKS fetches caused by unknown key ids, by default.
pub const DEFAULT_MIN_REFETCH_INTERVAL: Duration = Duration::from_secs(10);

/// How long fetched keys are used before they are fetched again, by default: an hour
/// costs one JWKS request an hour, and bounds how long a retired key still verifies.
pub const DEFAULT_MAX_KEY_AGE: Duration = Duration::from_secs(3600);

/// How the application's ID tokens are signed: its "ID token signing algorithm" in
/// Authing's console.
///
/// ```
/// assert_eq!(authing_oidc::verify::IdTokenAlgorithm::default().as_str(), "RS256");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdTokenAlgorithm {
    /// RS256 with a key of the application's JWKS (Authing's default).
    #[default]
    Rs256,
    /// HS256 with the app secret.
    Hs256,
}

impl IdTokenAlgorithm {
    /// The JOSE name.
    ///
    /// Example: see [`IdTokenAlgorithm`].
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rs256 => "RS256",
            Self::Hs256 => "HS256",
        }
    }
}

/// Checks the ID and access tokens of one Authing application; see [the module
/// documentation](self) for what is checked and how the keys are kept.
///
/// Cheap to clone; clones share the cached keys. Build one per application and keep it,
/// so that the JWKS is not fetched again for every token.
///
/// ```
/// use std::time::Duration;
/// use authing_oidc::verify::{IdTokenAlgorithm, TokenVerifier};
///
/// let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn")
///     .app_secret("APP_SECRET")
///     .build()?;
/// let verifier = TokenVerifier::new(&app)
///     .id_token_algorithm(IdTokenAlgorithm::Hs256)
///     .leeway(Duration::from_secs(30));
/// assert_eq!(verifier.issuer(), "https://example.authing.cn/oidc");
/// assert_eq!(verifier.audience(), "APP_ID");
/// # Ok::<(), authing_core::Error>(())
/// ```
#[derive(Clone)]
pub struct TokenVerifier {
    app: AuthenticationClient,
    issuer: String,
    audience: String,
    access_token_audience: Option<String>,
    id_token_algorithm: IdTokenAlgorithm,
    leeway: Duration,
    min_refetch_interval: Duration,
    max_key_age: Duration,
    keys: Arc<KeyCache>,
}

impl std::fmt::Debug for TokenVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenVerifier")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("access_token_audience", &self.access_token_audience)
            .field("id_token_algorithm", &self.id_token_algorithm)
            .field("leeway", &self.leeway)
            .field("min_refetch_interval", &self.min_refetch_interval)
            .field("max_key_age", &self.max_key_age)
            .finish_non_exhaustive()
    }
}

impl TokenVerifier {
    /// A verifier for the application `app` is for: issuer `<app host>/oidc` (Authing
    /// uses it for both protocols), audience the app id, RS256 ID tokens, the
    /// [default leeway](DEFAULT_LEEWAY). The JWKS is fetched through `app`, and an HS256
    /// ID token is checked with its [app secret](AuthenticationClient::app_secret).
    ///
    /// Example: see [`TokenVerifier`].
    pub fn new(app: &AuthenticationClient) -> Self {
        Self {
            issuer: format!("{}/oidc", app.app_host()),
            audience: app.app_id().to_owned(),
            app: app.clone(),
            access_token_audience: None,
            id_token_algorithm: IdTokenAlgorithm::default(),
            leeway: DEFAULT_LEEWAY,
            min_refetch_interval: DEFAULT_MIN_REFETCH_INTERVAL,
            max_key_age: DEFAULT_MAX_KEY_AGE,
            keys: Arc::default(),
        }
    }

    /// Expects this issuer instead of `<app host>/oidc`: for an application reached
    /// through another host than the one in its tokens.
    ///
    /// ```
    /// # let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn").build()?;
    /// let verifier = authing_oidc::verify::TokenVerifier::new(&app).expect_issuer("https://login.example.com/oidc");
    /// assert_eq!(verifier.issuer(), "https://login.example.com/oidc");
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    #[must_use]
    pub fn expect_issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = issuer.into();
        self
    }

    /// Expects access tokens for this audience instead of the app id: for tokens
    /// issued for an API (resource) rather than for the application itself. ID tokens
    /// are always for the app id.
    ///
    /// ```
    /// # let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn").build()?;
    /// let verifier = authing_oidc::verify::TokenVerifier::new(&app).access_token_audience("https://api.example.com");
    /// assert_eq!(verifier.audience(), "APP_ID", "ID tokens are still for the app");
    /// assert!(format!("{verifier:?}").contains(r#"access_token_audience: Some("https://api.example.com")"#));
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    #[must_use]
    pub fn access_token_audience(mut self, audience: impl Into<String>) -> Self {
        self.access_token_audience = Some(audience.into());
        self
    }

    /// Expects ID tokens signed with `algorithm`, as the application is set in Authing's
    /// console; a token signed otherwise is refused.
    ///
    /// Example: see [`TokenVerifier`].
    #[must_use]
    pub fn id_token_algorithm(mut self, algorithm: IdTokenAlgorithm) -> Self {
        self.id_token_algorithm = algorithm;
        self
    }

    /// Takes tokens up to `leeway` past `exp` and before `nbf`, for clocks that
    /// disagree ([`DEFAULT_LEEWAY`] explains the default).
    ///
    /// Example: see [`TokenVerifier`].
    #[must_use]
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Refetches the JWKS for an unknown key id only when the last fetch is at least
    /// this old ([`DEFAULT_MIN_REFETCH_INTERVAL`] by default).
    ///
    /// ```
    /// # let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn").build()?;
    /// let verifier = authing_oidc::verify::TokenVerifier::new(&app)
    ///     .min_refetch_interval(std::time::Duration::from_secs(60));
    /// assert!(format!("{verifier:?}").contains("min_refetch_interval: 60s"));
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    #[must_use]
    pub fn min_refetch_interval(mut self, interval: Duration) -> Self {
        self.min_refetch_interval = interval;
        self
    }

    /// Fetches the keys again once they are this old ([`DEFAULT_MAX_KEY_AGE`] by
    /// default): a key Authing retired verifies at most this long after.
    ///
    /// ```
    /// # let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn").build()?;
    /// let verifier = authing_oidc::verify::TokenVerifier::new(&app)
    ///     .max_key_age(std::time::Duration::from_secs(600));
    /// assert!(format!("{verifier:?}").contains("max_key_age: 600s"));
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    #[must_use]
    pub fn max_key_age(mut self, age: Duration) -> Self {
        self.max_key_age = age;
        self
    }

    /// The issuer tokens must name in `iss`.
    ///
    /// Example: see [`TokenVerifier`].
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The audience ID tokens (and, unless [set otherwise](Self::access_token_audience),
    /// access tokens) must name in `aud`: the app id.
    ///
    /// Example: see [`TokenVerifier`].
    pub fn audience(&self) -> &str {
        &self.audience
    }

    /// Verifies the ID token of a login that sent `expected_nonce` in its authorization
    /// request, and returns its claims.
    ///
    /// # Errors
    ///
    /// The [`VerifyError`] of the first check that fails; see [the module
    /// documentation](self).
    ///
    /// Example: see [the module documentation](self).
    pub async fn verify_id_token(
        &self,
        token: &str,
        expected_nonce: &str,
    ) -> Result<IdTokenClaims, VerifyError> {
        let algorithm = match self.id_token_algorithm {
            IdTokenAlgorithm::Rs256 => Algorithm::RS256,
            IdTokenAlgorithm::Hs256 => Algorithm::HS256,
        };
        let payload = self.verified_payload(token, algorithm).await?;
        let claims: IdTokenClaims = claims::typed(payload)?;
        let checked = Checked {
            iss: &claims.iss,
            aud: &claims.aud,
            exp: claims.exp,
            nbf: claims.nbf,
        };
        claims::check(&checked, &self.expected(&self.audience))?;
        claims::check_nonce(claims.nonce.as_deref(), expected_nonce)?;
        Ok(claims)
    }

    /// Verifies an access token Authing issued (always RS256) and returns its claims.
    ///
    /// # Errors
    ///
    /// The [`VerifyError`] of the first check that fails; see [the module
    /// documentation](self).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// let verifier = authing_oidc::verify::TokenVerifier::new(&stand_in.authentication_client().build()?);
    /// let claims = serde_json::json!({
    ///     "iss": stand_in.oidc_issuer(), "aud": "another app", "sub": "u1", "exp": u64::MAX,
    /// });
    /// let refused = verifier.verify_access_token(&stand_in.sign_jwt(&claims)?).await;
    /// assert!(matches!(refused, Err(authing_oidc::verify::VerifyError::WrongAudience { .. })));
    /// # Ok(()) }
    /// ```
    pub async fn verify_access_token(&self, token: &str) -> Result<AccessTokenClaims, VerifyError> {
        let payload = self.verified_payload(token, Algorithm::RS256).await?;
        let claims: AccessTokenClaims = claims::typed(payload)?;
        let audience = self
            .access_token_audience
            .as_deref()
            .unwrap_or(&self.audience);
        let checked = Checked {
            iss: &claims.iss,
            aud: &claims.aud,
            exp: claims.exp,
            nbf: claims.nbf,
        };
        claims::check(&checked, &self.expected(audience))?;
        Ok(claims)
    }

    fn expected<'a>(&'a self, audience: &'a str) -> Expected<'a> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        Expected {
            issuer: &self.issuer,
            audience,
            leeway_secs: self.leeway.as_secs(),
            now,
        }
    }

    /// The payload of `token` once its algorithm is `algorithm` and its signature holds.
    async fn verified_payload(
        &self,
        token: &str,
        algorithm: Algorithm,
    ) -> Result<Map<String, Value>, VerifyError> {
        let header = header(token)?;
        let expected = name(algorithm);
        match header.alg.as_str() {
            alg if alg.eq_ignore_ascii_case("none") => return Err(VerifyError::Unsigned),
            alg if alg == expected => {}
            found => {
                return Err(VerifyError::UnexpectedAlgorithm {
                    found: found.to_owned(),
                    expected,
                });
            }
        }
        let key = match algorithm {
            Algorithm::HS256 => hs256_key(self.app.app_secret())?,
            _ => self.rs256_key(header.kid.as_deref()).await?,
        };
        signed_payload(token, &key, algorithm)
    }

    async fn rs256_key(&self, kid: Option<&str>) -> Result<DecodingKey, VerifyError> {
        let kid = kid.ok_or(VerifyError::MissingKeyId)?;
        let app = &self.app;
        let timing = Timing {
            min_interval: self.min_refetch_interval,
            max_age: self.max_key_age,
        };
        self.keys.key(kid, timing, || app.send(&GetJwks)).await
    }
}

/// The members of a JOSE header the checks need.
#[derive(Deserialize)]
struct Header {
    alg: String,
    #[serde(default)]
    kid: Option<String>,
}

/// Reads the header without trusting it: only to choose the algorithm and key, both of
/// which are then held to what is expected.
fn header(token: &str) -> Result<Header, VerifyError> {
    let malformed = |why: &str| VerifyError::Malformed {
        why: why.to_owned(),
    };
    if token.split('.').count() != 3 {
        return Err(malformed("a JWT has three parts separated by dots"));
    }
    let encoded = token.split('.').next().unwrap_or_default();
    let bytes = URL_SAFE_NO_PAD
        .decode(encoded)
        .map_err(|_| malformed("its header is not base64url"))?;
    serde_json::from_slice(&bytes)
        .map_err(|_| malformed("its header is not a JSON object with an `alg`"))
}

fn hs256_key(secret: Option<&Secret>) -> Result<DecodingKey, VerifyError> {
    let secret = secret.ok_or(VerifyError::NoAppSecret)?;
    // HMAC takes a key of any length; jsonwebtoken refuses only an empty one.
    DecodingKey::from_secret(secret.expose().as_bytes()).map_err(|_| VerifyError::NoAppSecret)
}

/// The payload of `token`, its signature checked with `key` by jsonwebtoken, and
/// nothing else: the claims are checked by this module, with its own errors.
fn signed_payload(
    token: &str,
    key: &DecodingKey,
    algorithm: Algorithm,
) -> Result<Map<String, Value>, VerifyError> {
    install_crypto_provider();
    let mut signature_only = Validation::new(algorithm);
    signature_only.required_spec_claims.clear();
    signature_only.validate_exp = false;
    signature_only.validate_nbf = false;
    signature_only.validate_aud = false;
    jsonwebtoken::decode::<Map<String, Value>>(token, key, &signature_only)
        .map(|data| data.claims)
        .map_err(|error| match error.into_kind() {
            ErrorKind::InvalidSignature => VerifyError::BadSignature,
            ErrorKind::InvalidAlgorithm => VerifyError::UnexpectedAlgorithm {
                found: "an algorithm its key cannot verify".to_owned(),
                expected: name(algorithm),
            },
            ErrorKind::Json(_) => VerifyError::Malformed {
                why: "its payload is not a JSON object".to_owned(),
            },
            other => VerifyError::Malformed {
                why: format!("{other:?}"),
            },
        })
}

/// The JOSE name of one of the two algorithms accepted.
fn name(algorithm: Algorithm) -> &'static str {
    if algorithm == Algorithm::HS256 {
        "HS256"
    } else {
        "RS256"
    }
}

/// jsonwebtoken finds its RustCrypto backend from its features alone, unless another
/// crate in the build also enables its aws-lc backend; then it needs to be told, or it
/// panics. Telling it is harmless when it already knows (the first choice stays).
fn install_crypto_provider() {
    use jsonwebtoken::crypto::{CryptoProvider, rust_crypto};
    if CryptoProvider::try_get_default().is_none() {
        let _ = CryptoProvider::install_default(&rust_crypto::DEFAULT_PROVIDER);
    }
}
