//! Authing's per-request signature scheme (HMAC-SHA1), as the official Node.js SDK speaks
//! it. Public so that servers (such as `authing-testkit`) can verify it the same way.
//!
//! ```
//! use authing_core::signing::{authorization, string_to_sign};
//!
//! let headers = [("date", "Sat, 21 Nov 2026 12:00:00 GMT"), ("x-authing-lang", "zh-CN")];
//! let params = [("userId".to_string(), "u1".to_string())];
//! let sts = string_to_sign("GET", headers, "/api/v3/x", &params);
//! assert_eq!(sts, "GET\ndate:Sat, 21 Nov 2026 12:00:00 GMT\nx-authing-lang:zh-CN\n/api/v3/x?userId=u1");
//! let auth = authorization("AK", "SECRET", &sts);
//! assert!(auth.starts_with("authing AK:"));
//! ```

use std::borrow::Cow;
use std::cell::Cell;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use reqwest::header::HeaderValue;
use serde_json::{Map, Value};
use sha1::Sha1;

/// `x-authing-signature-method`.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";
/// `x-authing-signature-version`.
pub const SIGNATURE_VERSION: &str = "1.0";

/// The `date` header of a signed request. The official SDKs disagree (Node.js sends an
/// RFC 7231 date, Java epoch milliseconds); this is the one place that decides, and it
/// follows Node.js, whose known answers the tests reproduce.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// let t = UNIX_EPOCH + Duration::from_secs(1_795_262_400);
/// assert_eq!(authing_core::signing::date_header(t), "Sat, 21 Nov 2026 12:00:00 GMT");
/// ```
pub fn date_header(now: SystemTime) -> String {
    httpdate::fmt_http_date(now)
}

/// The length of every `date` header: `Sat, 21 Nov 2026 12:00:00 GMT`.
const DATE_LEN: usize = 29;

thread_local! {
    /// The last `date` this thread wrote and the second it is for: a signed request takes
    /// a copy rather than formatting the same second again.
    static LAST_DATE: Cell<Option<(u64, [u8; DATE_LEN])>> = const { Cell::new(None) };
}

/// [`date_header`] as a header value, formatted once a second per thread.
pub(crate) fn date_value(now: SystemTime) -> HeaderValue {
    let uncached = |now| {
        HeaderValue::from_str(&date_header(now)).unwrap_or_else(|_| HeaderValue::from_static(""))
    };
    // A clock before 1970 has no second to cache under.
    let Ok(second) = now.duration_since(UNIX_EPOCH).map(|d| d.as_secs()) else {
        return uncached(now);
    };
    let text = match LAST_DATE.get() {
        Some((at, text)) if at == second => text,
        _ => {
            let formatted = date_header(now);
            // Every date httpdate writes has this length; a text of another would
            // simply not be cached.
            let Ok(text) = <[u8; DATE_LEN]>::try_from(formatted.as_bytes()) else {
                return uncached(now);
            };
            LAST_DATE.set(Some((second, text)));
            text
        }
    };
    HeaderValue::from_bytes(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A fresh `x-authing-signature-nonce`: 128 random bits as 32 lowercase hex digits.
///
/// ```
/// let n = authing_core::signing::nonce();
/// assert_eq!(n.len(), 32);
/// assert_ne!(n, authing_core::signing::nonce());
/// ```
pub fn nonce() -> String {
    String::from_utf8_lossy(&nonce_digits()).into_owned()
}

/// [`nonce`] as a header value, written without a `String` in between.
pub(crate) fn nonce_value() -> HeaderValue {
    HeaderValue::from_bytes(&nonce_digits()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn nonce_digits() -> [u8; 32] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bits = rand::random::<u128>();
    std::array::from_fn(|i| HEX[((bits >> (4 * (31 - i))) & 0xf) as usize])
}

/// Whether a header takes part in the signature: `date` and every `x-authing-*`.
///
/// ```
/// assert!(authing_core::signing::is_signed_header("X-Authing-Lang"));
/// assert!(!authing_core::signing::is_signed_header("user-agent"));
/// ```
pub fn is_signed_header(name: &str) -> bool {
    // Decided by the first letter for most names: this runs for every header of every
    // signed attempt.
    match name.as_bytes().first() {
        Some(b'd' | b'D') => name.eq_ignore_ascii_case("date"),
        Some(b'x' | b'X') => name
            .as_bytes()
            .get(..10)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"x-authing-")),
        _ => false,
    }
}

/// The text that is signed: the method, every signed header sorted by name as
/// `name:value` (tabs and line breaks in values become spaces, then trimmed), and the
/// canonical resource `path?k1=v1&k2=v2` with keys sorted and values raw.
///
/// `headers` may hold any headers; the unsigned ones are skipped.
///
/// ```
/// let sts = authing_core::signing::string_to_sign("POST", [("user-agent", "x")], "/p", &[]);
/// assert_eq!(sts, "POST\n/p");
/// ```
pub fn string_to_sign<'a>(
    method: &str,
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    path: &str,
    params: &[(String, String)],
) -> String {
    let mut out = String::with_capacity(256);
    let signed = headers
        .into_iter()
        .filter(|(name, _)| is_signed_header(name));
    write_string_to_sign(method, signed, path, params, |piece| out.push_str(piece));
    out
}

/// [`string_to_sign`] of headers that are all signed ones (the caller has left out the
/// others), piece by piece into `out`: the transport hashes the pieces as they come,
/// rather than first copying a large body's fields into one string.
pub(crate) fn write_string_to_sign<'a>(
    method: &str,
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    path: &str,
    params: &[(String, String)],
    mut out: impl FnMut(&str),
) {
    // Borrowed unless a name has capitals or a value needs its whitespace rewritten.
    let mut signed: Vec<(Cow<'a, str>, Cow<'a, str>)> = headers
        .into_iter()
        .map(|(name, value)| (lowercase(name), normalise_header_value(value)))
        .collect();
    signed.sort_unstable();

    out(method);
    out("\n");
    for (name, value) in &signed {
        out(name);
        out(":");
        out(value);
        out("\n");
    }
    out(path);

    let mut params: Vec<&(String, String)> = params.iter().collect();
    params.sort_by(|a, b| a.0.cmp(&b.0));
    for (i, (key, value)) in params.into_iter().enumerate() {
        out(if i == 0 { "?" } else { "&" });
        out(key);
        out("=");
        out(value);
    }
}

fn lowercase(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

fn normalise_header_value(value: &str) -> Cow<'_, str> {
    if value.bytes().any(|b| matches!(b, b'\t' | b'\n' | b'\r')) {
        Cow::Owned(value.replace(['\t', '\n', '\r'], " ").trim().to_owned())
    } else {
        Cow::Borrowed(value.trim())
    }
}

/// `base64(HMAC-SHA1(key = secret, msg = string_to_sign))`.
///
/// ```
/// let sig = authing_core::signing::signature("SK_TEST_SECRET", "POST\n/api/v3/example");
/// assert_eq!(sig.len(), 28);
/// ```
pub fn signature(secret: &str, string_to_sign: &str) -> String {
    Signer::new(secret).signature(string_to_sign)
}

/// The length of a signature: 20 bytes of HMAC-SHA1 in base64.
pub(crate) const SIGNATURE_LEN: usize = 28;

/// An access key secret set up as an HMAC-SHA1 key once (padded and hashed into the
/// inner and outer states), so that each request's signature costs only the hashing of
/// its string to sign. Key material: its `Debug` shows nothing of it.
#[derive(Clone)]
pub(crate) struct Signer {
    mac: Hmac<Sha1>,
}

impl Signer {
    pub(crate) fn new(secret: &str) -> Self {
        // HMAC accepts keys of any length, so this cannot fail.
        let mac = Hmac::<Sha1>::new_from_slice(secret.as_bytes())
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        Self { mac }
    }

    /// `base64(HMAC-SHA1(key = secret, msg = string_to_sign))`.
    pub(crate) fn signature(&self, string_to_sign: &str) -> String {
        let signature = self.signature_of(|update| update(string_to_sign));
        String::from_utf8_lossy(&signature).into_owned()
    }

    /// The signature (base64, always 28 characters) of the text `write` hands, piece by
    /// piece, to the hasher.
    ///
    /// The pieces are short (a `:`, a header value), so they are gathered in a buffer on
    /// the stack and hashed a buffer at a time, rather than one hasher call per piece.
    pub(crate) fn signature_of(
        &self,
        write: impl FnOnce(&mut dyn FnMut(&str)),
    ) -> [u8; SIGNATURE_LEN] {
        let mut mac = self.mac.clone();
        let mut buffer = [0u8; 512];
        let mut used = 0;
        write(&mut |piece| {
            let piece = piece.as_bytes();
            if used + piece.len() > buffer.len() {
                mac.update(&buffer[..used]);
                used = 0;
            }
            if piece.len() > buffer.len() {
                mac.update(piece);
            } else {
                buffer[used..used + piece.len()].copy_from_slice(piece);
                used += piece.len();
            }
        });
        mac.update(&buffer[..used]);
        let mut out = [0; SIGNATURE_LEN];
        // 20 bytes of HMAC-SHA1 are exactly 28 base64 characters.
        let written = STANDARD.encode_slice(mac.finalize().into_bytes(), &mut out);
        debug_assert_eq!(written.ok(), Some(SIGNATURE_LEN));
        out
    }
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer([REDACTED])")
    }
}

/// The `authorization` header: `authing <accessKeyId>:<signature>`.
///
/// ```
/// let a = authing_core::signing::authorization("AK", "SK", "GET\n/x");
/// assert!(a.starts_with("authing AK:"));
/// ```
pub fn authorization(access_key_id: &str, secret: &str, string_to_sign: &str) -> String {
    format!(
        "authing {access_key_id}:{}",
        signature(secret, string_to_sign)
    )
}

/// The signed parameters of a JSON body: its top-level fields, rendered as the scheme
/// writes them (strings raw, scalars as JavaScript prints them, objects and arrays as
/// compact JSON in the order they arrived).
///
/// ```
/// let body: serde_json::Map<String, serde_json::Value> =
///     serde_json::from_str(r#"{"b":true,"a":"x","o":{"z":1,"y":2}}"#).unwrap();
/// let params = authing_core::signing::body_params(&body);
/// assert_eq!(params[2], ("o".to_string(), r#"{"z":1,"y":2}"#.to_string()));
/// ```
pub fn body_params(body: &Map<String, Value>) -> Vec<(String, String)> {
    body.iter()
        .map(|(k, v)| (k.clone(), crate::render::render_signed(v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn the_date_value_is_the_date_header_of_its_own_second() {
        let t = UNIX_EPOCH + Duration::from_secs(1_795_262_400);
        for now in [
            t,
            t + Duration::from_millis(999),
            t + Duration::from_secs(1),
            t,
        ] {
            assert_eq!(date_value(now).to_str().unwrap(), date_header(now));
        }
    }

    #[test]
    fn nonce_values_are_32_fresh_lowercase_hex_digits() {
        let (a, b) = (nonce_value(), nonce_value());
        for n in [&a, &b] {
            let text = n.to_str().unwrap();
            assert_eq!(text.len(), 32);
            assert!(
                text.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')),
                "{text}"
            );
        }
        assert_ne!(a, b);
    }

    /// However the text comes in pieces (tiny ones, ones that cross the buffer's end,
    /// ones longer than the buffer), the signature is the one of the whole text.
    #[test]
    fn a_signature_written_in_pieces_is_the_signature_of_the_whole() {
        let long = "v".repeat(2_000);
        let pieces: Vec<&str> = ["POST", "\n", "date:", "Sat", "\n"]
            .into_iter()
            .chain(std::iter::repeat_n("0123456789", 60))
            .chain([long.as_str(), ":", long.as_str(), "=", "end"])
            .collect();
        let whole: String = pieces.concat();
        // Straight from the HMAC crate, in one piece: no buffer of ours in the way.
        let mut mac = Hmac::<Sha1>::new_from_slice(b"SK_TEST_SECRET").unwrap();
        mac.update(whole.as_bytes());
        let expected = STANDARD.encode(mac.finalize().into_bytes());
        let signer = Signer::new("SK_TEST_SECRET");
        let in_pieces = signer.signature_of(|hash| pieces.iter().for_each(|p| hash(p)));
        assert_eq!(std::str::from_utf8(&in_pieces).unwrap(), expected);
        assert_eq!(signer.signature(&whole), expected);
    }

    #[test]
    fn signed_headers_are_date_and_x_authing_in_any_case() {
        for name in [
            "date",
            "Date",
            "x-authing-lang",
            "X-Authing-Signature-Nonce",
        ] {
            assert!(is_signed_header(name), "{name}");
        }
        for name in [
            "",
            "d",
            "dates",
            "x-authing",
            "x-authin-g",
            "authorization",
            "x",
        ] {
            assert!(!is_signed_header(name), "{name}");
        }
    }
}
