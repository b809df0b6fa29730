//! The sign-in endpoints' password encryption, from the server's side: an RSA key
//! (PKCS#1 v1.5, base64 ciphertext) and an SM2 key (C1C3C2, hex ciphertext, as Authing's
//! own JavaScript SDK sends it), both published by `GET /api/v3/system`.

use aws_lc_rs::encoding::AsDer as _;
use aws_lc_rs::rsa::{KeySize, Pkcs1PrivateDecryptingKey, PrivateDecryptingKey};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sm2::elliptic_curve::Generate as _;
use sm2::elliptic_curve::sec1::ToSec1Point as _;
use sm2::pke::{DecryptingKey, Mode};

use super::keys::KeyError;

/// How a password was sent: `options.passwordEncryptType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encryption {
    None,
    Rsa,
    Sm2,
}

impl Encryption {
    pub(crate) fn parse(text: Option<&str>) -> Result<Self, String> {
        match text {
            None | Some("none") => Ok(Self::None),
            Some("rsa") => Ok(Self::Rsa),
            Some("sm2") => Ok(Self::Sm2),
            Some(other) => Err(format!(
                "options.passwordEncryptType {other:?} is unknown; expected none, rsa or sm2"
            )),
        }
    }
}

/// The two decryption keys of one stand-in.
pub(crate) struct PasswordKeys {
    rsa: Pkcs1PrivateDecryptingKey,
    rsa_pem: String,
    sm2: DecryptingKey,
    sm2_hex: String,
}

impl PasswordKeys {
    pub(crate) fn generate() -> Result<Self, KeyError> {
        let rsa = PrivateDecryptingKey::generate(KeySize::Rsa2048).map_err(|_| KeyError)?;
        let der = rsa.public_key().as_der().map_err(|_| KeyError)?;
        let rsa_pem = pem("PUBLIC KEY", der.as_ref());
        let rsa = Pkcs1PrivateDecryptingKey::new(rsa).map_err(|_| KeyError)?;
        let secret = sm2::SecretKey::generate();
        let sm2_hex = hex(&secret.public_key().to_sec1_point(false).to_bytes());
        let sm2 = DecryptingKey::new_with_mode(secret.to_nonzero_scalar(), Mode::C1C3C2);
        Ok(Self {
            rsa,
            rsa_pem,
            sm2,
            sm2_hex,
        })
    }

    /// The RSA public key as a PEM `SubjectPublicKeyInfo`, like Authing's.
    pub(crate) fn rsa_public_pem(&self) -> &str {
        &self.rsa_pem
    }

    /// The SM2 public key as hex of the uncompressed point (`04 || x || y`).
    pub(crate) fn sm2_public_hex(&self) -> &str {
        &self.sm2_hex
    }

    /// The password as sent, decrypted; `None` when it does not decrypt to UTF-8.
    pub(crate) fn decrypt(&self, encryption: Encryption, sent: &str) -> Option<String> {
        let bytes = match encryption {
            Encryption::None => return Some(sent.to_owned()),
            Encryption::Rsa => {
                let ciphertext = STANDARD.decode(sent.trim()).ok()?;
                let mut out = vec![0; self.rsa.min_output_size()];
                self.rsa.decrypt(&ciphertext, &mut out).ok()?.to_vec()
            }
            Encryption::Sm2 => self.decrypt_sm2(sent.trim())?,
        };
        String::from_utf8(bytes).ok()
    }

    /// Authing's JavaScript sends C1 without the `04` point tag; other SM2 libraries
    /// keep it. Both are tried: a wrong guess fails the C3 hash check.
    fn decrypt_sm2(&self, sent: &str) -> Option<Vec<u8>> {
        let bytes = unhex(sent)?;
        let mut tagged = Vec::with_capacity(bytes.len() + 1);
        tagged.push(0x04);
        tagged.extend_from_slice(&bytes);
        self.sm2
            .decrypt(&tagged)
            .or_else(|_| self.sm2.decrypt(&bytes))
            .ok()
    }
}

fn pem(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
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
    use aws_lc_rs::rsa::{Pkcs1PublicEncryptingKey, PublicEncryptingKey};
    use sm2::elliptic_curve::common::getrandom::SysRng;
    use sm2::pke::EncryptingKey;

    #[test]
    fn rsa_and_sm2_passwords_decrypt_and_garbage_does_not() {
        let keys = PasswordKeys::generate().expect("keys");
        let pem_body: String = keys
            .rsa_public_pem()
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        let der = STANDARD.decode(pem_body).expect("base64");
        let public = PublicEncryptingKey::from_der(&der).expect("SPKI");
        let public = Pkcs1PublicEncryptingKey::new(public).expect("RSA");
        let mut ciphertext = vec![0; public.ciphertext_size()];
        let ciphertext = public
            .encrypt(b"pa55word", &mut ciphertext)
            .expect("encrypt");
        let sent = STANDARD.encode(ciphertext);
        assert_eq!(
            keys.decrypt(Encryption::Rsa, &sent).as_deref(),
            Some("pa55word")
        );

        let point = unhex(keys.sm2_public_hex()).expect("hex");
        // from_sec1_bytes takes the default mode, C1C3C2, as Authing does.
        let sm2 = EncryptingKey::from_sec1_bytes(&point).expect("SM2 point");
        let tagged = sm2.encrypt(&mut SysRng, b"pa55word").expect("encrypt");
        assert_eq!(tagged[0], 0x04);
        let untagged = hex(&tagged[1..]);
        assert_eq!(
            keys.decrypt(Encryption::Sm2, &untagged).as_deref(),
            Some("pa55word")
        );
        assert_eq!(
            keys.decrypt(Encryption::Sm2, &hex(&tagged)).as_deref(),
            Some("pa55word")
        );

        assert_eq!(keys.decrypt(Encryption::Rsa, "bm90IGNpcGhlcnRleHQ="), None);
        assert_eq!(keys.decrypt(Encryption::Sm2, "zz"), None);
        assert_eq!(
            keys.decrypt(Encryption::None, "plain").as_deref(),
            Some("plain")
        );
    }
}
