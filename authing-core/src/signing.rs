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
use std::time::SystemTime;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
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

/// A fresh `x-authing-signature-nonce`: 128 random bits as 32 lowercase hex digits.
///
/// ```
/// let n = authing_core::signing::nonce();
/// assert_eq!(n.len(), 32);
/// assert_ne!(n, authing_core::signing::nonce());
/// ```
pub fn nonce() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// Whether a header takes part in the signature: `date` and every `x-authing-*`.
///
/// ```
/// assert!(authing_core::signing::is_signed_header("X-Authing-Lang"));
/// assert!(!authing_core::signing::is_signed_header("user-agent"));
/// ```
pub fn is_signed_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("date")
        || name
            .get(..10)
            .is_some_and(|p| p.eq_ignore_ascii_case("x-authing-"))
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
    write_string_to_sign(method, headers, path, params, |piece| out.push_str(piece));
    out
}

/// [`string_to_sign`], piece by piece into `out`: the transport hashes the pieces as
/// they come, rather than first copying a large body's fields into one string.
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
        .filter(|(name, _)| is_signed_header(name))
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
    if value.contains(['\t', '\n', '\r']) {
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
        self.signature_of(|update| update(string_to_sign))
    }

    /// The signature of the text `write` hands, piece by piece, to the hasher.
    pub(crate) fn signature_of(&self, write: impl FnOnce(&mut dyn FnMut(&str))) -> String {
        let mut mac = self.mac.clone();
        write(&mut |piece| mac.update(piece.as_bytes()));
        STANDARD.encode(mac.finalize().into_bytes())
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
