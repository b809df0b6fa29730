//! A string that must not leak: redacted in `Debug`, read only through an explicit
//! [`Secret::expose`], and zeroed when dropped (the copies a request makes to carry it,
//! such as its JSON body, are ordinary memory).

use std::cell::RefCell;
use std::fmt;

use secrecy::zeroize::Zeroize;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A secret string: an access key secret, a token, an OTP secret, a recovery code.
///
/// `Debug` prints `Secret([REDACTED])`; there is deliberately no `Display`. It serialises to
/// the plain string, because a request must carry it, and deserialises from one, so
/// endpoint fields and response fields can hold it directly.
///
/// ```
/// use authing_core::Secret;
/// let s = Secret::from("HZ2F6J3AGNAVSOTV");
/// assert_eq!(format!("{s:?}"), "Secret([REDACTED])");
/// assert_eq!(s.expose(), "HZ2F6J3AGNAVSOTV");
/// assert_eq!(serde_json::to_string(&s).unwrap(), "\"HZ2F6J3AGNAVSOTV\"");
/// ```
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    /// Wraps a value.
    ///
    /// ```
    /// let s = authing_core::Secret::new(String::from("x"));
    /// assert_eq!(s.expose(), "x");
    /// ```
    pub fn new(value: String) -> Self {
        Self(SecretString::from(value))
    }

    /// The secret itself. Every use is a place to check that it is not logged.
    ///
    /// ```
    /// assert_eq!(authing_core::Secret::from("x").expose(), "x");
    /// ```
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// A form safe to show a person: the first two and last two characters of a value of
    /// at least 12 characters, otherwise only its length.
    ///
    /// ```
    /// use authing_core::Secret;
    /// assert_eq!(Secret::from("HZ2F6J3AGNAVSOTV").masked(), "HZ…TV (16 chars)");
    /// assert_eq!(Secret::from("short").masked(), "… (5 chars)");
    /// ```
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.expose().chars().collect();
        if chars.len() >= 12 {
            let head: String = chars[..2].iter().collect();
            let tail: String = chars[chars.len() - 2..].iter().collect();
            format!("{head}…{tail} ({} chars)", chars.len())
        } else {
            format!("… ({} chars)", chars.len())
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([REDACTED])")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value.to_owned())
    }
}

impl PartialEq for Secret {
    /// Compares in constant time with respect to the contents, so comparing a guess with a
    /// secret does not reveal how much of it was right.
    ///
    /// ```
    /// use authing_core::Secret;
    /// assert_eq!(Secret::from("HZ2F6J3A"), Secret::from("HZ2F6J3A"));
    /// assert_ne!(Secret::from("HZ2F6J3A"), Secret::from("HZ2F6J3B"));
    /// assert_ne!(Secret::from("HZ2F6J3A"), Secret::from("HZ2F6J3"));
    /// ```
    fn eq(&self, other: &Self) -> bool {
        constant_time_eq::constant_time_eq(self.expose().as_bytes(), other.expose().as_bytes())
    }
}

impl Eq for Secret {}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        SERIALISED.with(|collected| {
            if let Some(collected) = collected.borrow_mut().as_mut() {
                collected.push(self.expose());
            }
        });
        serializer.serialize_str(self.expose())
    }
}

thread_local! {
    /// The secrets serialised on this thread inside [`collect_serialised`], if running.
    static SERIALISED: RefCell<Option<Serialised>> = const { RefCell::new(None) };
}

/// Runs `f` and returns, with its result, every [`Secret`] it serialised: the secrets a
/// request carries, so that they can be kept out of whatever the server says back.
/// Serialising is synchronous, so a thread-local collector sees exactly `f`'s.
pub(crate) fn collect_serialised<R>(f: impl FnOnce() -> R) -> (R, Serialised) {
    /// Puts the outer collector back even if `f` panics.
    struct Restore(Option<Serialised>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let outer = self.0.take();
            SERIALISED.with(|c| *c.borrow_mut() = outer);
        }
    }
    let outer = SERIALISED.with(|c| c.replace(Some(Serialised::default())));
    let restore = Restore(outer);
    let result = f();
    let collected = SERIALISED.with(|c| c.replace(None)).unwrap_or_default();
    drop(restore);
    (result, collected)
}

/// The secrets [`collect_serialised`] saw, copied end to end into a few buffers.
///
/// Buffers rather than a [`Secret`] copy each: a bulk import carries thousands, and a copy
/// each cost an allocation, a zeroing and a free per secret on every call, most of them
/// successes that never look at the secrets. The buffers are zeroed when dropped, as a
/// `Secret` is; a full one is kept and a larger one started rather than grown, because a
/// `String` growing frees its old buffer unzeroed (and copies it).
pub(crate) struct Serialised {
    chunks: Vec<String>,
    /// For each secret, its chunk and where it ends there.
    ends: Vec<(usize, usize)>,
    /// The length of the shortest secret (`usize::MAX` for none): no text shorter than it
    /// can hold any, which spares the search in the common case of a short request id.
    shortest: usize,
}

impl Default for Serialised {
    fn default() -> Self {
        Self {
            chunks: Vec::new(),
            ends: Vec::new(),
            shortest: usize::MAX,
        }
    }
}

impl Serialised {
    fn push(&mut self, secret: &str) {
        if secret.is_empty() {
            return;
        }
        let room = self.chunks.last().map_or(0, |c| c.capacity() - c.len());
        if room < secret.len() {
            let last = self.chunks.last().map_or(0, String::capacity);
            let capacity = secret.len().max(2 * last).max(256);
            self.chunks.push(String::with_capacity(capacity));
        }
        let index = self.chunks.len() - 1;
        let chunk = &mut self.chunks[index];
        chunk.push_str(secret);
        self.ends.push((index, chunk.len()));
        self.shortest = self.shortest.min(secret.len());
    }

    /// Each secret seen, in order, repeats included; never an empty one.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        let mut at = (0, 0);
        self.ends.iter().map(move |&(chunk, end)| {
            let start = if chunk == at.0 { at.1 } else { 0 };
            at = (chunk, end);
            &self.chunks[chunk][start..end]
        })
    }

    /// Like [`iter`](Self::iter), but none at all when every secret is longer than
    /// `len`: then none can be inside a text of that length.
    pub(crate) fn iter_within(&self, len: usize) -> impl Iterator<Item = &str> {
        let within = len >= self.shortest;
        self.iter().take(if within { usize::MAX } else { 0 })
    }
}

impl Drop for Serialised {
    fn drop(&mut self) {
        // The bytes written; the spare capacity never held a secret.
        for chunk in &mut self.chunks {
            chunk.as_mut_str().zeroize();
        }
    }
}

#[cfg(test)]
impl Serialised {
    /// As if `secrets` had been serialised, for tests.
    pub(crate) fn of(secrets: &[&str]) -> Self {
        let mut out = Self::default();
        for secret in secrets {
            out.push(secret);
        }
        out
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialised_secrets_are_collected_and_only_inside() {
        let outside = serde_json::to_string(&Secret::from("before")).unwrap();
        let (json, seen) = collect_serialised(|| {
            let (inner, nested) =
                collect_serialised(|| serde_json::to_value(Secret::from("inner")).unwrap());
            assert_eq!(nested.iter().count(), 1);
            let pair = (Secret::from("a"), "plain", Some(Secret::from("b")));
            (serde_json::to_string(&pair).unwrap(), inner)
        });
        assert_eq!(outside, "\"before\"");
        assert_eq!(json.0, r#"["a","plain","b"]"#);
        let seen: Vec<&str> = seen.iter().collect();
        assert_eq!(seen, ["a", "b"], "the nested collector keeps its own");
        let (_, after) = collect_serialised(|| ());
        assert_eq!(after.iter().count(), 0);
    }

    #[test]
    fn the_collected_buffer_keeps_every_secret_as_it_grows() {
        let many: Vec<String> = (0..100)
            .map(|i| format!("secret-{i}-{}", "x".repeat(i)))
            .collect();
        let (_, seen) = collect_serialised(|| {
            for secret in &many {
                serde_json::to_vec(&Secret::from(secret.as_str())).unwrap();
            }
            serde_json::to_vec(&Secret::from("")).unwrap();
        });
        assert!(
            seen.iter().eq(many.iter().map(String::as_str)),
            "no empty one, none lost"
        );
        assert!(seen.chunks.len() > 1, "the test crosses buffers");
        assert_eq!(
            seen.iter_within(8).count(),
            0,
            "the shortest, `secret-0-`, has 9"
        );
        assert_eq!(seen.iter_within(9).count(), 100);
    }
}
