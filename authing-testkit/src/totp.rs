//! Checking TOTP codes the way Authing does for its enrollment URIs: SHA-1, 6 digits,
//! 30-second steps, one step of skew either side (the rules `authing_mfa::Totp` uses).

use std::time::{SystemTime, UNIX_EPOCH};

use totp_rs::{Algorithm, Secret, TOTP};

/// Whether `code` is `secret`'s code now, or a step before or after. `false` for a
/// secret that is not base32.
pub(crate) fn code_is_valid(secret: &str, code: &str) -> bool {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    code_is_valid_at(secret, code, now)
}

fn code_is_valid_at(secret: &str, code: &str, unix_seconds: u64) -> bool {
    let normalised = secret.trim_end_matches('=').to_ascii_uppercase();
    let Ok(bytes) = Secret::Encoded(normalised).to_bytes() else {
        return false;
    };
    // A step of skew below step 0 would underflow inside totp-rs; no real clock is there.
    if unix_seconds < 30 {
        return false;
    }
    TOTP::new_unchecked(Algorithm::SHA1, 6, 1, 30, bytes, None, String::new())
        .check(code, unix_seconds)
}

/// `secret`'s code at `unix_seconds`, for tests.
#[cfg(test)]
fn code_at(secret: &str, unix_seconds: u64) -> String {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().unwrap();
    TOTP::new_unchecked(Algorithm::SHA1, 6, 1, 30, bytes, None, String::new())
        .generate(unix_seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B's SHA-1 seed, "12345678901234567890", in base32.
    const RFC_SEED: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn codes_follow_rfc_6238_with_six_digits() {
        // The RFC's 8-digit code at 59 s is 94287082; 6 digits keep its last six.
        assert_eq!(code_at(RFC_SEED, 59), "287082");
        assert!(code_is_valid_at(RFC_SEED, "287082", 59));
    }

    #[test]
    fn one_step_of_skew_is_accepted_and_no_more() {
        let code = code_at(RFC_SEED, 1_000_020);
        assert!(code_is_valid_at(RFC_SEED, &code, 1_000_020 + 30));
        assert!(code_is_valid_at(RFC_SEED, &code, 1_000_020 - 30));
        assert!(!code_is_valid_at(RFC_SEED, &code, 1_000_020 + 60));
        assert!(!code_is_valid_at(RFC_SEED, "000000x", 1_000_020));
    }

    #[test]
    fn lowercase_and_padded_secrets_are_the_same_key_and_garbage_is_refused() {
        let code = code_at(RFC_SEED, 1_000_020);
        assert!(code_is_valid_at(&RFC_SEED.to_lowercase(), &code, 1_000_020));
        assert!(!code_is_valid_at("not base32!", &code, 1_000_020));
        assert!(!code_is_valid_at(RFC_SEED, &code, 10));
    }
}
