//! Password encryption for the sign-in endpoints, as Authing offers it: `rsa` (PKCS#1
//! v1.5 with the user pool's RSA public key, base64 ciphertext) and `sm2` (GM/T 0003
//! public-key encryption with the user pool's SM2 key, C1C3C2, hex ciphertext without the
//! point tag, as Authing's own JavaScript SDK sends it). The keys come from
//! `GET /api/v3/system` ([`GetSystemInfo`](super::GetSystemInfo)).
//!
//! The official Node and Python SDKs take an already encrypted password and only pass
//! `passwordEncryptType` on; this module does the encryption itself.

use std::fmt;

use authing_core::Secret;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rsa::pkcs1::DecodeRsaPublicKey as _;
use rsa::pkcs8::DecodePublicKey as _;
use rsa::{Pkcs1v15Encrypt, PublicKey};
use sm2::elliptic_curve::common::getrandom::SysRng;
use sm2::pke::EncryptingKey;

/// A user pool's public key for encrypting passwords before they travel.
///
/// ```
/// use authing_oidc::signin::PasswordKey;
///
/// // Authing's public cloud RSA key, as its Python SDK ships it.
/// let pem = "-----BEGIN PUBLIC KEY-----
/// MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC4xKeUgQ+Aoz7TLfAfs9+paePb
/// 5KIofVthEopwrXFkp8OCeocaTHt9ICjTT2QeJh6cZaDaArfZ873GPUn00eOIZ7Ae
/// +TiA2BKHbCvloW3w5Lnqm70iSsUi5Fmu9/2+68GZRH9L7Mlh8cFksCicW2Y2W2uM
/// GKl64GDcIq3au+aqJQIDAQAB
/// -----END PUBLIC KEY-----";
/// let key = PasswordKey::rsa_pem(pem)?;
/// let sent = key.encrypt("pa55word")?;
/// assert_eq!(sent.expose().len(), 172); // base64 of 128 bytes
/// assert_eq!(key.encrypt_type(), "rsa");
/// # Ok::<(), authing_core::Error>(())
/// ```
#[derive(Clone)]
pub struct PasswordKey(Key);

#[derive(Clone)]
enum Key {
    Rsa(PublicKey),
    Sm2(EncryptingKey),
}

impl PasswordKey {
    /// An RSA public key in PEM: `BEGIN PUBLIC KEY` (SubjectPublicKeyInfo, what
    /// `/api/v3/system` answers) or `BEGIN RSA PUBLIC KEY` (PKCS#1).
    ///
    /// # Errors
    ///
    /// [`authing_core::Error::Config`] when the text is not such a key.
    ///
    /// Example: see [`PasswordKey`].
    pub fn rsa_pem(pem: &str) -> Result<Self, authing_core::Error> {
        let bad = |why: &str| {
            config(format!(
                "the RSA password key is not a PEM public key ({why}); pass the rsa.publicKey of GET /api/v3/system"
            ))
        };
        let body: String = pem
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with("-----"))
            .collect();
        let der = STANDARD.decode(body).map_err(|_| bad("not base64"))?;
        let key = if pem.contains("BEGIN RSA PUBLIC KEY") {
            PublicKey::from_pkcs1_der(&der).map_err(|_| bad("not a PKCS#1 RSA key"))?
        } else {
            PublicKey::from_public_key_der(&der)
                .map_err(|_| bad("not an RSA SubjectPublicKeyInfo"))?
        };
        Ok(Self(Key::Rsa(key)))
    }

    /// An SM2 public key as hex of its SEC1 point (`04 || x || y`, what
    /// `/api/v3/system` answers; the `04` may be left out, as Authing's JavaScript does).
    ///
    /// # Errors
    ///
    /// [`authing_core::Error::Config`] when the text is not a point of the SM2 curve.
    ///
    /// ```
    /// use authing_oidc::signin::PasswordKey;
    /// let not_a_point = "04".to_owned() + &"00".repeat(64);
    /// assert!(PasswordKey::sm2_hex(&not_a_point).is_err());
    /// ```
    pub fn sm2_hex(hex: &str) -> Result<Self, authing_core::Error> {
        let bad = || {
            config(
                "the SM2 password key is not a hex point of the SM2 curve; pass the sm2.publicKey of GET /api/v3/system",
            )
        };
        let hex = hex.trim();
        let mut bytes = unhex(hex).ok_or_else(bad)?;
        if bytes.len() == 64 {
            bytes.insert(0, 0x04);
        }
        let key = EncryptingKey::from_sec1_bytes(&bytes).map_err(|_| bad())?;
        // from_sec1_bytes takes the default mode, C1C3C2, which is the one Authing uses.
        Ok(Self(Key::Sm2(key)))
    }

    /// The `options.passwordEncryptType` this key makes: `rsa` or `sm2`.
    ///
    /// Example: see [`PasswordKey`].
    pub fn encrypt_type(&self) -> &'static str {
        match self.0 {
            Key::Rsa(_) => "rsa",
            Key::Sm2(_) => "sm2",
        }
    }

    /// The password as it travels: base64 (RSA) or hex (SM2) of a fresh, randomised
    /// ciphertext, so two encryptions of one password differ.
    ///
    /// # Errors
    ///
    /// [`authing_core::Error::InvalidRequest`] when the password is too long for the key
    /// (for a 1024-bit RSA key, more than 117 bytes).
    ///
    /// Example: see [`PasswordKey`].
    pub fn encrypt(&self, password: &str) -> Result<Secret, authing_core::Error> {
        let too_long = || authing_core::Error::InvalidRequest {
            reason: "the password could not be encrypted: it is too long for the user pool's key"
                .into(),
        };
        match &self.0 {
            Key::Rsa(key) => {
                let ciphertext = key
                    .encrypt(&mut SysRng, Pkcs1v15Encrypt, password.as_bytes())
                    .map_err(|_| too_long())?;
                Ok(Secret::from(STANDARD.encode(ciphertext)))
            }
            Key::Sm2(key) => {
                let ciphertext = key
                    .encrypt(&mut SysRng, password.as_bytes())
                    .map_err(|_| too_long())?;
                // Authing's JavaScript sends C1 without its 04 tag.
                let untagged = ciphertext.get(1..).unwrap_or_default();
                Ok(Secret::from(hex(untagged)))
            }
        }
    }
}

impl fmt::Debug for PasswordKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PasswordKey")
            .field(&self.encrypt_type())
            .finish()
    }
}

fn config(reason: impl Into<String>) -> authing_core::Error {
    authing_core::Error::Config {
        reason: reason.into(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_keys_are_config_errors_that_say_where_keys_come_from() {
        for result in [
            PasswordKey::rsa_pem("-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----"),
            PasswordKey::rsa_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"),
            PasswordKey::sm2_hex("zz"),
            PasswordKey::sm2_hex("04abcd"),
        ] {
            let message = result.map(|_| ()).unwrap_err().to_string();
            assert!(message.contains("/api/v3/system"), "{message}");
        }
    }

    #[test]
    fn an_rsa_ciphertext_is_as_long_as_the_key_and_fresh_each_time() {
        // Authing's public cloud key (1024 bits), as its Python SDK ships it.
        let pem = "-----BEGIN PUBLIC KEY-----\nMIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC4xKeUgQ+Aoz7TLfAfs9+paePb\n5KIofVthEopwrXFkp8OCeocaTHt9ICjTT2QeJh6cZaDaArfZ873GPUn00eOIZ7Ae\n+TiA2BKHbCvloW3w5Lnqm70iSsUi5Fmu9/2+68GZRH9L7Mlh8cFksCicW2Y2W2uM\nGKl64GDcIq3au+aqJQIDAQAB\n-----END PUBLIC KEY-----\n";
        let key = PasswordKey::rsa_pem(pem).expect("Authing's key parses");
        let a = key.encrypt("pa55word").expect("encrypts");
        let b = key.encrypt("pa55word").expect("encrypts");
        assert_eq!(STANDARD.decode(a.expose()).map(|c| c.len()).ok(), Some(128));
        assert_ne!(a.expose(), b.expose());
        assert!(key.encrypt(&"x".repeat(118)).is_err());
        assert_eq!(format!("{key:?}"), "PasswordKey(\"rsa\")");
    }
}
