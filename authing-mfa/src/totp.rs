//! TOTP (RFC 6238) for MFA enrollments, on the `totp-rs` crate: read an enrollment's
//! `otpauth://` URI, compute and check codes, check a base32 secret before importing it,
//! and make a fresh secret with its URI.
//!
//! Secrets, URIs (which carry the secret) and codes are [`Secret`]s throughout, and no
//! error message quotes any of them.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use authing_core::Secret;
use totp_rs::{Algorithm, TOTP};

/// The shortest secret accepted, in bits: Authing's own documented example secret
/// (`HZ2F6J3AGNAVSOTV`) has 80. RFC 4226 asks for at least 128 and recommends 160,
/// which is what [`Totp::fresh`] makes.
pub const MIN_SECRET_BITS: usize = 80;

/// How many 30-second steps either side of now [`Totp::verify_now`] accepts: one, as
/// RFC 6238 section 5.2 recommends for clock drift and typing time.
pub const DEFAULT_SKEW_STEPS: u8 = 1;

/// A TOTP hash algorithm.
///
/// ```
/// assert_eq!(authing_mfa::TotpAlgorithm::default(), authing_mfa::TotpAlgorithm::Sha1);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TotpAlgorithm {
    /// HMAC-SHA-1: what Authing and nearly every authenticator app use.
    #[default]
    Sha1,
    /// HMAC-SHA-256.
    Sha256,
    /// HMAC-SHA-512.
    Sha512,
}

impl TotpAlgorithm {
    fn inner(self) -> Algorithm {
        match self {
            Self::Sha1 => Algorithm::SHA1,
            Self::Sha256 => Algorithm::SHA256,
            Self::Sha512 => Algorithm::SHA512,
        }
    }

    fn from_inner(algorithm: Algorithm) -> Self {
        match algorithm {
            Algorithm::SHA256 => Self::Sha256,
            Algorithm::SHA512 => Self::Sha512,
            _ => Self::Sha1,
        }
    }
}

/// Why a secret, a URI or TOTP parameters were refused. No variant carries the secret.
///
/// ```
/// let err = authing_mfa::validate_secret("HZ2F6J3AGNAVSOT1").unwrap_err();
/// assert_eq!(err.to_string(), "the OTP secret is not base32: character 16 is not a letter A-Z or a digit 2-7");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TotpError {
    /// The secret is empty.
    EmptySecret,
    /// A character of the secret is not base32 (1-based position).
    NotBase32 {
        /// Where it is, counting from 1.
        position: usize,
    },
    /// The secret's length is not one a base32 encoding can have.
    BadLength {
        /// The number of base32 digits (padding left out).
        digits: usize,
    },
    /// The secret is shorter than [`MIN_SECRET_BITS`].
    TooShort {
        /// The secret's length in bits.
        bits: usize,
    },
    /// Codes of this many digits are not TOTP codes (6 to 8 are).
    Digits(usize),
    /// A period of zero seconds.
    ZeroPeriod,
    /// The issuer or account name contains `:`, which separates them in the URI label.
    ColonInLabel,
    /// The URI is not an `otpauth://totp/` URI with a secret; the reason says what is
    /// wrong without quoting it.
    BadUri(&'static str),
}

impl fmt::Display for TotpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptySecret => write!(f, "the OTP secret is empty"),
            Self::NotBase32 { position } => write!(
                f,
                "the OTP secret is not base32: character {position} is not a letter A-Z or a digit 2-7"
            ),
            Self::BadLength { digits } => write!(
                f,
                "the OTP secret is not base32: {digits} digits is not a length base32 can have \
                 (a digit or more is missing or extra)"
            ),
            Self::TooShort { bits } => write!(
                f,
                "the OTP secret is {bits} bits long; at least {MIN_SECRET_BITS} are needed \
                 (160 recommended)"
            ),
            Self::Digits(digits) => write!(f, "TOTP codes have 6 to 8 digits, not {digits}"),
            Self::ZeroPeriod => write!(f, "the TOTP period must be at least one second"),
            Self::ColonInLabel => write!(
                f,
                "the issuer and account name must not contain `:`, which separates them in an otpauth URI"
            ),
            Self::BadUri(reason) => write!(f, "not a usable otpauth URI: {reason}"),
        }
    }
}

impl std::error::Error for TotpError {}

/// Checks that `secret` is a base32 TOTP secret of at least [`MIN_SECRET_BITS`] and
/// returns it normalised: surrounding whitespace and `=` padding removed, letters
/// uppercased (base32 is case-insensitive, so it is the same key).
///
/// ```
/// let secret = authing_mfa::validate_secret(" hz2f6j3agnavsotv ").unwrap();
/// assert_eq!(secret.expose(), "HZ2F6J3AGNAVSOTV");
/// assert!(authing_mfa::validate_secret("MZXW6===").is_err()); // 25 bits: too short
/// ```
///
/// # Errors
/// A [`TotpError`] saying what is wrong (empty, a character that is not base32 and
/// where, an impossible length, too short), never quoting the secret.
pub fn validate_secret(secret: &str) -> Result<Secret, TotpError> {
    let digits = secret.trim().trim_end_matches('=');
    if digits.is_empty() {
        return Err(TotpError::EmptySecret);
    }
    if let Some(index) = digits
        .bytes()
        .position(|b| !matches!(b.to_ascii_uppercase(), b'A'..=b'Z' | b'2'..=b'7'))
    {
        return Err(TotpError::NotBase32 {
            position: index + 1,
        });
    }
    // 5 bits a digit; a last group of 1, 3 or 6 digits cannot come from whole bytes.
    if matches!(digits.len() % 8, 1 | 3 | 6) {
        return Err(TotpError::BadLength {
            digits: digits.len(),
        });
    }
    let bits = digits.len() * 5 / 8 * 8;
    if bits < MIN_SECRET_BITS {
        return Err(TotpError::TooShort { bits });
    }
    Ok(Secret::new(digits.to_ascii_uppercase()))
}

/// A TOTP generator and checker for one user's secret, with the parameters an
/// `otpauth://` URI carries.
///
/// ```
/// use authing_mfa::Totp;
/// let totp = Totp::from_uri(
///     "otpauth://totp/pool:alice?secret=HZ2F6J3AGNAVSOTV&period=30&digits=6&algorithm=SHA1&issuer=pool",
/// ).unwrap();
/// assert_eq!((totp.issuer(), totp.account()), (Some("pool"), "alice"));
/// let code = totp.code_at(1_700_000_000);
/// assert!(totp.verify_at(code.expose(), 1_700_000_000 + 30, 1));
/// assert!(!format!("{totp:?}").contains("HZ2F6J3AGNAVSOTV"));
/// ```
#[derive(Clone)]
pub struct Totp {
    inner: TOTP,
    secret: Secret,
}

impl Totp {
    /// Authing's parameters (SHA-1, 6 digits, 30 seconds) for a base32 `secret`, which
    /// is checked with [`validate_secret`].
    ///
    /// ```
    /// let totp = authing_mfa::Totp::new("HZ2F6J3AGNAVSOTV").unwrap();
    /// assert_eq!((totp.digits(), totp.period()), (6, 30));
    /// ```
    ///
    /// # Errors
    /// What [`validate_secret`] refuses.
    pub fn new(secret: &str) -> Result<Self, TotpError> {
        Self::with_parameters(secret, TotpAlgorithm::Sha1, 6, 30)
    }

    /// A base32 `secret` with other parameters (RFC 6238's test vectors use 8 digits).
    ///
    /// ```
    /// use authing_mfa::{Totp, TotpAlgorithm};
    /// let totp = Totp::with_parameters("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", TotpAlgorithm::Sha1, 8, 30).unwrap();
    /// assert_eq!(totp.code_at(59).expose(), "94287082"); // RFC 6238 appendix B
    /// ```
    ///
    /// # Errors
    /// What [`validate_secret`] refuses; digits outside 6..=8; a zero period.
    pub fn with_parameters(
        secret: &str,
        algorithm: TotpAlgorithm,
        digits: usize,
        period: u64,
    ) -> Result<Self, TotpError> {
        let secret = validate_secret(secret)?;
        let bytes = decode(secret.expose())?;
        Self::build(algorithm, digits, period, bytes, None, String::new())
    }

    /// Reads an `otpauth://totp/<issuer>:<account>?secret=…` URI, such as the
    /// `qrCodeUri` of an OTP enrollment. Missing parameters take the defaults
    /// (SHA-1, 6 digits, 30 seconds).
    ///
    /// ```
    /// let err = authing_mfa::Totp::from_uri("otpauth://totp/a?secret=").unwrap_err();
    /// assert!(err.to_string().contains("no secret"));
    /// ```
    ///
    /// # Errors
    /// [`TotpError::BadUri`] for a URI that does not parse, is not `otpauth://totp/`,
    /// has no secret or a malformed parameter; the other variants for a secret or
    /// parameters [`Totp::with_parameters`] refuses.
    pub fn from_uri(uri: &str) -> Result<Self, TotpError> {
        let parsed = TOTP::from_url_unchecked(uri).map_err(uri_error)?;
        let algorithm = TotpAlgorithm::from_inner(parsed.algorithm);
        // Re-check the secret the URI carried with the same rules as a typed-in one.
        let secret = validate_secret(&parsed.get_secret_base32())?;
        let bytes = decode(secret.expose())?;
        let issuer = parsed.issuer.clone();
        let account = parsed.account_name.clone();
        Self::build(
            algorithm,
            parsed.digits,
            parsed.step,
            bytes,
            issuer,
            account,
        )
    }

    /// A fresh random 160-bit secret for `account` (e.g. the user's e-mail) at
    /// `issuer` (e.g. the service name), with Authing's parameters: what to import for
    /// a user and show to their authenticator app as [`Totp::uri`].
    ///
    /// ```
    /// let totp = authing_mfa::Totp::fresh("Example", "alice@example.com").unwrap();
    /// assert_eq!(totp.secret().expose().len(), 32);
    /// assert!(totp.uri().expose().starts_with("otpauth://totp/Example:alice%40example.com?secret="));
    /// ```
    ///
    /// # Errors
    /// [`TotpError::ColonInLabel`] when either name contains `:`.
    pub fn fresh(issuer: &str, account: &str) -> Result<Self, TotpError> {
        let bytes = rand::random::<[u8; 20]>().to_vec();
        Self::build(
            TotpAlgorithm::Sha1,
            6,
            30,
            bytes,
            Some(issuer.to_owned()),
            account.to_owned(),
        )
    }

    fn build(
        algorithm: TotpAlgorithm,
        digits: usize,
        period: u64,
        secret: Vec<u8>,
        issuer: Option<String>,
        account: String,
    ) -> Result<Self, TotpError> {
        if !(6..=8).contains(&digits) {
            return Err(TotpError::Digits(digits));
        }
        if period == 0 {
            return Err(TotpError::ZeroPeriod);
        }
        if account.contains(':') || issuer.as_deref().is_some_and(|i| i.contains(':')) {
            return Err(TotpError::ColonInLabel);
        }
        let inner = TOTP::new_unchecked(
            algorithm.inner(),
            digits,
            0,
            period,
            secret,
            issuer,
            account,
        );
        let secret = Secret::new(inner.get_secret_base32());
        Ok(Self { inner, secret })
    }

    /// The secret, base32 without padding.
    ///
    /// ```
    /// let totp = authing_mfa::Totp::new("hz2f6j3agnavsotv").unwrap();
    /// assert_eq!(totp.secret().expose(), "HZ2F6J3AGNAVSOTV");
    /// ```
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// The `otpauth://` URI an authenticator app scans; it carries the secret.
    ///
    /// ```
    /// let totp = authing_mfa::Totp::fresh("pool", "alice").unwrap();
    /// let again = authing_mfa::Totp::from_uri(totp.uri().expose()).unwrap();
    /// assert_eq!(again.secret(), totp.secret());
    /// ```
    pub fn uri(&self) -> Secret {
        Secret::new(self.inner.get_url())
    }

    /// The hash algorithm.
    ///
    /// ```
    /// let totp = authing_mfa::Totp::from_uri("otpauth://totp/a?secret=HZ2F6J3AGNAVSOTV&algorithm=SHA256").unwrap();
    /// assert_eq!(totp.algorithm(), authing_mfa::TotpAlgorithm::Sha256);
    /// ```
    pub fn algorithm(&self) -> TotpAlgorithm {
        TotpAlgorithm::from_inner(self.inner.algorithm)
    }

    /// How many digits a code has.
    ///
    /// ```
    /// let totp = authing_mfa::Totp::from_uri("otpauth://totp/a?secret=HZ2F6J3AGNAVSOTV&digits=8").unwrap();
    /// assert_eq!(totp.digits(), 8);
    /// ```
    pub fn digits(&self) -> usize {
        self.inner.digits
    }

    /// How many seconds a code lasts.
    ///
    /// ```
    /// let totp = authing_mfa::Totp::from_uri("otpauth://totp/a?secret=HZ2F6J3AGNAVSOTV&period=60").unwrap();
    /// assert_eq!(totp.period(), 60);
    /// ```
    pub fn period(&self) -> u64 {
        self.inner.step
    }

    /// The issuer, from the label or the `issuer` parameter.
    ///
    /// ```
    /// let totp = authing_mfa::Totp::from_uri("otpauth://totp/alice?secret=HZ2F6J3AGNAVSOTV").unwrap();
    /// assert_eq!(totp.issuer(), None);
    /// ```
    pub fn issuer(&self) -> Option<&str> {
        self.inner.issuer.as_deref()
    }

    /// The account name (the user), percent-decoded.
    ///
    /// ```
    /// let totp = authing_mfa::Totp::from_uri("otpauth://totp/p:a%40b.c?secret=HZ2F6J3AGNAVSOTV").unwrap();
    /// assert_eq!(totp.account(), "a@b.c");
    /// ```
    pub fn account(&self) -> &str {
        &self.inner.account_name
    }

    /// The code for the moment `unix_seconds`.
    ///
    /// ```
    /// let totp = authing_mfa::Totp::new("HZ2F6J3AGNAVSOTV").unwrap();
    /// assert_eq!(totp.code_at(0).expose().len(), 6);
    /// ```
    pub fn code_at(&self, unix_seconds: u64) -> Secret {
        Secret::new(self.inner.generate(unix_seconds))
    }

    /// The code for now, by the system clock.
    ///
    /// ```
    /// let totp = authing_mfa::Totp::new("HZ2F6J3AGNAVSOTV").unwrap();
    /// assert!(totp.verify_now(totp.code_now().expose()));
    /// ```
    pub fn code_now(&self) -> Secret {
        self.code_at(now())
    }

    /// Whether `code` is the code of the step holding `unix_seconds` or of up to
    /// `skew_steps` steps either side. Compared in constant time.
    ///
    /// ```
    /// let totp = authing_mfa::Totp::new("HZ2F6J3AGNAVSOTV").unwrap();
    /// let code = totp.code_at(1_000);
    /// assert!(totp.verify_at(code.expose(), 1_000 + 30, 1));
    /// assert!(!totp.verify_at(code.expose(), 1_000 + 30, 0));
    /// assert!(!totp.verify_at("12345", 1_000, 1)); // wrong length
    /// ```
    pub fn verify_at(&self, code: &str, unix_seconds: u64, skew_steps: u8) -> bool {
        let step = unix_seconds / self.period();
        let first = step.saturating_sub(u64::from(skew_steps));
        let last = step.saturating_add(u64::from(skew_steps));
        // Every step in the window is computed, match or not, so the time taken does not
        // say which step matched.
        (first..=last).fold(false, |found, s| {
            let expected = self.inner.generate(s.saturating_mul(self.period()));
            constant_time_eq::constant_time_eq(expected.as_bytes(), code.as_bytes()) | found
        })
    }

    /// Whether `code` is right now, within [`DEFAULT_SKEW_STEPS`].
    ///
    /// ```
    /// let totp = authing_mfa::Totp::new("HZ2F6J3AGNAVSOTV").unwrap();
    /// assert!(!totp.verify_now("not a code"));
    /// ```
    pub fn verify_now(&self, code: &str) -> bool {
        self.verify_at(code, now(), DEFAULT_SKEW_STEPS)
    }
}

impl fmt::Debug for Totp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Totp")
            .field("secret", &self.secret)
            .field("algorithm", &self.algorithm())
            .field("digits", &self.digits())
            .field("period", &self.period())
            .field("issuer", &self.issuer())
            .field("account", &self.account())
            .finish()
    }
}

fn decode(base32: &str) -> Result<Vec<u8>, TotpError> {
    totp_rs::Secret::Encoded(base32.to_owned())
        .to_bytes()
        .map_err(|_| TotpError::BadLength {
            digits: base32.len(),
        })
}

/// The seconds since 1970 by the system clock; 0 for a clock set before it.
fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// totp-rs's URI errors quote the offending text, which may be the secret: say what is
/// wrong in words of our own instead.
fn uri_error(error: totp_rs::TotpUrlError) -> TotpError {
    use totp_rs::TotpUrlError as E;
    TotpError::BadUri(match error {
        E::Url(_) => "it does not parse as a URI",
        E::Scheme(_) => "the scheme is not otpauth",
        E::Host(_) => "the type is not totp (otpauth://totp/...)",
        E::Secret(s) if s.is_empty() => "it has no secret",
        E::Secret(_) | E::SecretSize(_) => "the secret is not base32",
        E::Algorithm(_) => "the algorithm is not SHA1, SHA256 or SHA512",
        E::Digits(_) | E::DigitsNumber(_) => "digits is not a number of 6 to 8",
        E::Step(_) => "period is not a number of seconds",
        E::IssuerMistmatch(..) => "the issuer in the label and the issuer parameter differ",
        _ => "the issuer or account name cannot be decoded",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B: the seed is "12345678901234567890" repeated to the hash's
    /// length (20, 32 and 64 bytes), codes have 8 digits, steps 30 seconds.
    const VECTORS: [(u64, &str, &str, &str); 6] = [
        (59, "94287082", "46119246", "90693936"),
        (1_111_111_109, "07081804", "68084774", "25091201"),
        (1_111_111_111, "14050471", "67062674", "99943326"),
        (1_234_567_890, "89005924", "91819424", "93441116"),
        (2_000_000_000, "69279037", "90698825", "38618901"),
        (20_000_000_000, "65353130", "77737706", "47863826"),
    ];

    fn rfc_seed(len: usize) -> String {
        let bytes: Vec<u8> = b"1234567890".iter().copied().cycle().take(len).collect();
        data_encoding::BASE32_NOPAD.encode(&bytes)
    }

    fn rfc_totp(algorithm: TotpAlgorithm, len: usize) -> Totp {
        Totp::with_parameters(&rfc_seed(len), algorithm, 8, 30).unwrap()
    }

    #[test]
    fn rfc_6238_appendix_b_vectors_for_sha1_sha256_and_sha512() {
        let sha1 = rfc_totp(TotpAlgorithm::Sha1, 20);
        let sha256 = rfc_totp(TotpAlgorithm::Sha256, 32);
        let sha512 = rfc_totp(TotpAlgorithm::Sha512, 64);
        for (time, c1, c256, c512) in VECTORS {
            assert_eq!(sha1.code_at(time).expose(), c1, "SHA-1 at {time}");
            assert_eq!(sha256.code_at(time).expose(), c256, "SHA-256 at {time}");
            assert_eq!(sha512.code_at(time).expose(), c512, "SHA-512 at {time}");
            assert!(sha1.verify_at(c1, time, 0));
        }
    }

    #[test]
    fn verify_accepts_the_skew_window_and_nothing_beyond() {
        let totp = rfc_totp(TotpAlgorithm::Sha1, 20);
        // 1111111109 is in step 37037036; the code of step 37037037 is 14050471.
        assert!(totp.verify_at("14050471", 1_111_111_109, 1));
        assert!(!totp.verify_at("14050471", 1_111_111_109, 0));
        assert!(!totp.verify_at("14050471", 1_111_111_109 - 30, 1));
        // At time 0 the window starts at step 0 rather than underflowing.
        assert!(totp.verify_at(totp.code_at(0).expose(), 0, 5));
        assert!(!totp.verify_at("", 59, 1));
    }

    #[test]
    fn parses_authings_enrollment_uri() {
        let uri = "otpauth://totp/my%20pool:stand-in-user?secret=HZ2F6J3AGNAVSOTV&period=30&digits=6&algorithm=SHA1&issuer=my%20pool";
        let totp = Totp::from_uri(uri).unwrap();
        assert_eq!(totp.issuer(), Some("my pool"));
        assert_eq!(totp.account(), "stand-in-user");
        assert_eq!(totp.secret().expose(), "HZ2F6J3AGNAVSOTV");
        assert_eq!(totp.algorithm(), TotpAlgorithm::Sha1);
        assert_eq!((totp.digits(), totp.period()), (6, 30));
    }

    #[test]
    fn bad_uris_are_refused_without_quoting_the_secret() {
        let cases = [
            ("https://totp/a?secret=HZ2F6J3AGNAVSOTV", "scheme"),
            ("otpauth://hotp/a?secret=HZ2F6J3AGNAVSOTV", "totp"),
            ("otpauth://totp/a?secret=HZ2F6J3AGNAVSOT!", "base32"),
            (
                "otpauth://totp/a?secret=HZ2F6J3AGNAVSOTV&digits=9",
                "6 to 8",
            ),
            (
                "otpauth://totp/a?secret=HZ2F6J3AGNAVSOTV&digits=x",
                "digits",
            ),
            (
                "otpauth://totp/a?secret=HZ2F6J3AGNAVSOTV&period=0",
                "one second",
            ),
            (
                "otpauth://totp/a?secret=HZ2F6J3AGNAVSOTV&algorithm=MD5",
                "SHA1",
            ),
            (
                "otpauth://totp/x:a?secret=HZ2F6J3AGNAVSOTV&issuer=y",
                "differ",
            ),
            ("otpauth://totp/a?secret=MZXW6YQ", "bits"),
            ("not a uri", "parse"),
        ];
        for (uri, expected) in cases {
            let message = Totp::from_uri(uri).unwrap_err().to_string();
            assert!(message.contains(expected), "{uri}: {message}");
            assert!(!message.contains("HZ2F6J3AGNAVSOT"), "{message}");
        }
    }

    #[test]
    fn validates_base32_secrets() {
        assert_eq!(
            validate_secret("HZ2F6J3AGNAVSOTV").unwrap().expose(),
            "HZ2F6J3AGNAVSOTV"
        );
        assert_eq!(
            validate_secret("jbswy3dpehpk3pxp====").unwrap().expose(),
            "JBSWY3DPEHPK3PXP"
        );
        assert_eq!(validate_secret("  "), Err(TotpError::EmptySecret));
        assert_eq!(
            validate_secret("HZ2F6J3AGNAVS0TV"),
            Err(TotpError::NotBase32 { position: 14 })
        );
        assert_eq!(
            validate_secret("HZ2F6J3AGNAVSOTVA"),
            Err(TotpError::BadLength { digits: 17 })
        );
        assert_eq!(
            validate_secret("HZ2F6J3AGNAV"),
            Err(TotpError::TooShort { bits: 56 })
        );
    }

    #[test]
    fn a_fresh_secret_is_160_bits_and_round_trips_through_its_uri() {
        let a = Totp::fresh("Example Co", "alice@example.com").unwrap();
        let b = Totp::fresh("Example Co", "alice@example.com").unwrap();
        assert_ne!(a.secret(), b.secret());
        assert_eq!(decode(a.secret().expose()).unwrap().len(), 20);
        let back = Totp::from_uri(a.uri().expose()).unwrap();
        assert_eq!(back.issuer(), Some("Example Co"));
        assert_eq!(back.account(), "alice@example.com");
        assert_eq!(back.code_at(1_234).expose(), a.code_at(1_234).expose());
        assert_eq!(
            Totp::fresh("a:b", "c").unwrap_err(),
            TotpError::ColonInLabel
        );
    }
}
