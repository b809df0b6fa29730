//! Keeping the secrets a request carried out of what the server says about it.
//!
//! A server may quote a request back: an invalid-secret answer that repeats the secret, a
//! signature mismatch that shows what it parsed, a debugging proxy that echoes the body.
//! Whatever it quotes ends up in an error's `Display`, in logs and in the span's outcome.
//! So every text taken from an answer (Authing's `message` and `requestId`, the quoted
//! start of a body, a decoding error's details, a logged body) passes through
//! [`Carried::scrub`] first, which replaces each secret of the attempt with `[REDACTED]`.
//!
//! The secrets of an attempt are the values of every [`Secret`] serialised into the
//! request (collected by [`crate::secret::collect_serialised`] while it is prepared), the
//! client's own secret (access key secret or user access token) and the management token
//! the attempt carried. A secret is looked for as sent in a JSON body (escaped), as sent in
//! a query string (percent-encoded) and as it is.

use std::borrow::Cow;

use percent_encoding::utf8_percent_encode;

use crate::error::{BodySnippet, Error, shape_error};
use crate::parts::UNRESERVED;
use crate::secret::{Secret, Serialised};

/// What a secret is replaced with.
pub(crate) const REDACTED: &str = "[REDACTED]";

/// The secrets one attempt carried. Borrowed and built per attempt without allocating:
/// the search only runs when there is server text to clean, which is rare on success.
#[derive(Clone, Copy)]
pub(crate) struct Carried<'a> {
    request: &'a Serialised,
    client: Option<&'a Secret>,
    token: Option<&'a Secret>,
}

impl<'a> Carried<'a> {
    /// The request's serialised secrets, the client's own secret and the token used.
    pub(crate) fn new(
        request: &'a Serialised,
        client: Option<&'a Secret>,
        token: Option<&'a Secret>,
    ) -> Self {
        Self {
            request,
            client,
            token,
        }
    }

    fn secrets(self) -> impl Iterator<Item = &'a str> {
        self.secrets_within(usize::MAX)
    }

    /// The secrets, leaving out the request's when all of them are longer than `len`.
    fn secrets_within(self, len: usize) -> impl Iterator<Item = &'a str> {
        let own = self.client.into_iter().chain(self.token);
        self.request
            .iter_within(len)
            .chain(own.map(Secret::expose).filter(|s| !s.is_empty()))
    }

    /// `text` with every carried secret replaced; borrowed when there was none in it.
    ///
    /// This runs on every answer's request id, with as many secrets as the request
    /// carried (thousands in a bulk import), so secrets that cannot fit are skipped
    /// cheaply: no form of a secret is shorter than the secret itself.
    pub(crate) fn scrub<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut out = Cow::Borrowed(text);
        for secret in self.secrets_within(text.len()) {
            if secret.len() > out.len() {
                continue;
            }
            for form in forms(secret) {
                if out.contains(form.as_ref()) {
                    out = Cow::Owned(out.replace(form.as_ref(), REDACTED));
                }
            }
        }
        out
    }

    /// Like [`scrub`](Self::scrub), for the start of a longer text that was cut: a secret
    /// cut in two at the end still leaks its first half, so a tail that begins any
    /// carried secret is dropped too.
    pub(crate) fn scrub_cut<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut out = self.scrub(text);
        for secret in self.secrets() {
            for form in forms(secret) {
                if let Some(keep) = partial_tail(&out, &form) {
                    out = Cow::Owned(format!("{}{REDACTED}", &out[..keep]));
                }
            }
        }
        out
    }

    /// `text` with every carried secret replaced, as an owned string when it changed.
    pub(crate) fn scrub_changed(&self, text: &str) -> Option<String> {
        match self.scrub(text) {
            Cow::Borrowed(_) => None,
            Cow::Owned(clean) => Some(clean),
        }
    }

    /// The error with every text it took from the server cleaned of carried secrets:
    /// Authing's `message` and `requestId`, the quoted start of a body, and a decoding
    /// error's details (serde quotes the value it could not read).
    pub(crate) fn scrub_error(&self, mut err: Error) -> Error {
        if self.secrets().next().is_none() {
            return err;
        }
        match &mut err {
            Error::Api(api) => {
                if let Some(clean) = self.scrub_changed(&api.message) {
                    api.message = clean;
                }
                if let Some(clean) = api
                    .request_id
                    .as_deref()
                    .and_then(|id| self.scrub_changed(id))
                {
                    api.request_id = Some(clean);
                }
            }
            Error::OAuth(oauth) => {
                if let Some(clean) = self.scrub_changed(&oauth.error) {
                    oauth.error = clean;
                }
                for text in [&mut oauth.description, &mut oauth.uri]
                    .into_iter()
                    .flatten()
                {
                    if let Some(clean) = self.scrub_changed(text) {
                        *text = clean;
                    }
                }
            }
            Error::HttpStatus { body, .. } => self.scrub_snippet(body),
            Error::NotJson { body, source, .. } | Error::UnexpectedShape { body, source, .. } => {
                self.scrub_snippet(body);
                if let Some(clean) = self.scrub_changed(&source.to_string()) {
                    *source = shape_error(clean);
                }
            }
            Error::Credentials(inner) => {
                let taken = std::mem::replace(&mut **inner, Error::config(""));
                **inner = self.scrub_error(taken);
            }
            _ => {}
        }
        err
    }

    fn scrub_snippet(&self, body: &mut BodySnippet) {
        body.clean(|text, cut| {
            let clean = if cut {
                self.scrub_cut(text)
            } else {
                self.scrub(text)
            };
            match clean {
                Cow::Borrowed(_) => None,
                Cow::Owned(clean) => Some(clean),
            }
        });
    }
}

/// The ways a secret appears on the wire: as is, inside a JSON string, percent-encoded
/// in a query as this SDK writes it (RFC 3986) and as HTML forms do (`+` for a space).
/// Each form after the first is made only when it differs from the plain one.
fn forms(secret: &str) -> impl Iterator<Item = Cow<'_, str>> {
    // Tokens, keys and OTP secrets are mostly of characters no encoding changes: then
    // nothing is allocated (this runs on every answer's request id).
    let plain = secret
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
    let encoded = (!plain)
        .then(|| encoded_forms(secret))
        .into_iter()
        .flatten();
    std::iter::once(Cow::Borrowed(secret)).chain(encoded.map(Cow::Owned))
}

/// The forms of [`forms`] other than the plain one, without repeats.
fn encoded_forms(secret: &str) -> Vec<String> {
    let json = serde_json::to_string(secret)
        .ok()
        .map(|quoted| quoted[1..quoted.len() - 1].to_owned());
    let percent = utf8_percent_encode(secret, UNRESERVED).to_string();
    let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let mut out: Vec<String> = Vec::with_capacity(3);
    for form in [json, Some(percent), Some(form)].into_iter().flatten() {
        if form != secret && !out.contains(&form) {
            out.push(form);
        }
    }
    out
}

/// Where to cut `text` when it ends with the start of `form` (at least one character,
/// less than all of it; a whole one was already replaced).
fn partial_tail(text: &str, form: &str) -> Option<usize> {
    form.char_indices()
        .skip(1)
        .map(|(end, _)| &form[..end])
        .filter(|prefix| text.ends_with(prefix))
        .map(|prefix| text.len() - prefix.len())
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn carried(secrets: &Serialised) -> Carried<'_> {
        Carried::new(secrets, None, None)
    }

    #[test]
    fn each_form_of_a_secret_is_replaced() {
        let secrets = Serialised::of(&["a b\"c/ü"]);
        let c = carried(&secrets);
        assert_eq!(c.scrub("raw a b\"c/ü."), "raw [REDACTED].");
        assert_eq!(c.scrub(r#"{"s":"a b\"c/ü"}"#), r#"{"s":"[REDACTED]"}"#);
        assert_eq!(c.scrub("?s=a%20b%22c%2F%C3%BC&x=1"), "?s=[REDACTED]&x=1");
        assert_eq!(c.scrub("s=a+b%22c%2F%C3%BC&x=1"), "s=[REDACTED]&x=1");
        assert!(matches!(c.scrub("nothing here"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_client_secret_and_the_token_are_replaced_too() {
        let (key, token) = (Secret::from("KEY-SECRET"), Secret::from("eyJ.tok.en"));
        let none = Serialised::default();
        let c = Carried::new(&none, Some(&key), Some(&token));
        assert_eq!(
            c.scrub("got KEY-SECRET and Bearer eyJ.tok.en"),
            "got [REDACTED] and Bearer [REDACTED]"
        );
    }

    /// The skip for texts shorter than every secret (a request id against a bulk
    /// import's thousands) must not skip a secret that fits.
    #[test]
    fn a_short_text_is_still_scrubbed_of_the_secrets_that_fit_in_it() {
        let mut many: Vec<String> = (0..1000).map(|i| format!("long-secret-{i:06}")).collect();
        many.insert(500, "r-7".to_owned());
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let secrets = Serialised::of(&many);
        let c = carried(&secrets);
        assert_eq!(c.scrub("r-7"), "[REDACTED]");
        assert_eq!(c.scrub("id long-secret-000999."), "id [REDACTED].");
        assert!(matches!(c.scrub("r-"), Cow::Borrowed("r-")));
        let token = Secret::from("t");
        let c = Carried::new(&secrets, None, Some(&token));
        assert_eq!(
            c.scrub("at"),
            "a[REDACTED]",
            "the token, shorter than them all"
        );
    }

    #[test]
    fn a_secret_cut_at_the_end_of_a_quote_is_dropped() {
        let secrets = Serialised::of(&["HZ2F6J3AGNAVSOTV"]);
        let c = carried(&secrets);
        assert_eq!(c.scrub_cut("secret HZ2F6J"), "secret [REDACTED]");
        assert_eq!(c.scrub_cut("ends fine"), "ends fine");
    }

    #[test]
    fn an_empty_secret_is_ignored() {
        let empty = Secret::from("");
        let none = Serialised::default();
        let c = Carried::new(&none, Some(&empty), None);
        assert_eq!(c.scrub("abc"), "abc");
    }
}
