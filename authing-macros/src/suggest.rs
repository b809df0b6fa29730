//! "Did you mean ...?" for misspelt keys, options, sides and field names.

/// How similar (Jaro-Winkler, 0 to 1) a candidate must be to be suggested: high enough
/// that `respone` suggests `response` but `foo` suggests nothing.
const THRESHOLD: f64 = 0.8;

/// The candidate closest to `input`, if any is close enough to be what was meant.
pub(crate) fn closest<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let input = input.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&input, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score >= THRESHOLD)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `"; did you mean `x`?"` when a candidate is close to `input`, else the empty string,
/// ready to append to a message.
pub(crate) fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> String {
    closest(input, candidates).map_or_else(String::new, |c| format!("; did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let keys = ["response", "side", "idempotent", "sensitive"];
        assert_eq!(closest("respone", keys), Some("response"));
        assert_eq!(closest("idempotant", keys), Some("idempotent"));
        assert_eq!(closest("Sensitive", keys), Some("sensitive"));
        assert_eq!(closest("foo", keys), None);
        assert_eq!(did_you_mean("foo", keys), "");
        assert_eq!(did_you_mean("sid", keys), "; did you mean `side`?");
    }
}
