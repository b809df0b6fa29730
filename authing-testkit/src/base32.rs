//! RFC 4648 base32, the alphabet of TOTP secrets.

/// `bytes` in base32 without padding, as authenticator apps expect secrets.
pub(crate) fn encode(bytes: &[u8]) -> String {
    data_encoding::BASE32_NOPAD.encode(bytes)
}

/// Whether `text` is non-empty base32: letters (either case) and digits 2–7, with `=`
/// padding allowed only at the end.
pub(crate) fn is_valid(text: &str) -> bool {
    let digits = text.trim_end_matches('=');
    !digits.is_empty()
        && digits
            .bytes()
            .all(|b| matches!(b.to_ascii_uppercase(), b'A'..=b'Z' | b'2'..=b'7'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_rfc_4648_vectors() {
        assert_eq!(encode(b""), "");
        assert_eq!(encode(b"f"), "MY");
        assert_eq!(encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(encode(&[0xff; 20]).len(), 32);
    }

    #[test]
    fn validates_secrets() {
        assert!(is_valid("HZ2F6J3AGNAVSOTV"));
        assert!(is_valid("hz2f6j3agnavsotv"));
        assert!(is_valid("MY======"));
        for bad in ["", "====", "HZ2F6J3AGNAVSOT1", "HZ 2F", "MY==A"] {
            assert!(!is_valid(bad), "{bad}");
        }
    }
}
