//! Query strings: built for the browser-facing URLs (authorize, logout), read from the
//! callback.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Characters left as they are in a query value: RFC 3986 unreserved.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A URL with query pairs appended in order, each percent-encoded.
pub(crate) struct QueryBuilder {
    url: String,
    first: bool,
}

impl QueryBuilder {
    pub(crate) fn new(base: String) -> Self {
        Self {
            url: base,
            first: true,
        }
    }

    pub(crate) fn pair(&mut self, name: &str, value: &str) -> &mut Self {
        self.url.push(if self.first { '?' } else { '&' });
        self.first = false;
        self.url.extend(utf8_percent_encode(name, UNRESERVED));
        self.url.push('=');
        self.url.extend(utf8_percent_encode(value, UNRESERVED));
        self
    }

    pub(crate) fn finish(self) -> String {
        self.url
    }
}

/// The pairs of a query string (`a=1&b=x%20y`), decoded as a form: `+` is a space.
pub(crate) fn query_pairs(query: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let spaced = s.replace('+', " ");
        percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
    };
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_built_reads_back() {
        let mut query = QueryBuilder::new("https://x/p".into());
        query.pair("a b", "c&d=e/f").pair("g", "");
        let url = query.finish();
        assert_eq!(url, "https://x/p?a%20b=c%26d%3De%2Ff&g=");
        let (_, q) = url.split_once('?').unwrap();
        assert_eq!(
            query_pairs(q),
            [
                ("a b".into(), "c&d=e/f".into()),
                ("g".into(), String::new())
            ]
        );
        assert_eq!(
            query_pairs("x=1+2&&y"),
            [("x".into(), "1 2".into()), ("y".into(), String::new())]
        );
    }
}
