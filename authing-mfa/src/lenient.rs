//! Decoding where Authing's documentation and its types disagree (WIRE.md, "Docs vs
//! types"): the SDK takes either form rather than failing a call over it.

use serde::Deserialize;
use serde::de::{self, Deserializer};

/// A list that Authing's types declare as an array but its documented examples show as
/// one object: both decode, the object as a list of one. `null` decodes as empty.
pub(crate) fn one_or_many<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany<T> {
        Many(Vec<T>),
        One(T),
        None(()),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::Many(list) => list,
        OneOrMany::One(item) => vec![item],
        OneOrMany::None(()) => Vec::new(),
    })
}

/// A status that Authing's types declare as the string `"enabled"` or `"disabled"` but
/// its documented examples show as `true`/`false`: both decode, to `true` for enabled.
/// Strings are read without regard to ASCII case; anything else is an error naming it.
pub(crate) fn enabled<'de, D>(deserializer: D) -> Result<bool, D::Error>
where
    D: Deserializer<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Status {
        Bool(bool),
        Text(String),
    }
    match Status::deserialize(deserializer)? {
        Status::Bool(value) => Ok(value),
        Status::Text(text) if text.eq_ignore_ascii_case("enabled") => Ok(true),
        Status::Text(text) if text.eq_ignore_ascii_case("disabled") => Ok(false),
        Status::Text(text) => Err(de::Error::invalid_value(
            de::Unexpected::Str(&text),
            &"\"enabled\", \"disabled\", true or false",
        )),
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Listed {
        #[serde(deserialize_with = "super::one_or_many")]
        items: Vec<u32>,
    }

    #[derive(Debug, Deserialize)]
    struct Flag {
        #[serde(deserialize_with = "super::enabled")]
        on: bool,
    }

    fn items(json: &str) -> Vec<u32> {
        serde_json::from_str::<Listed>(json).unwrap().items
    }

    fn on(json: &str) -> Result<bool, serde_json::Error> {
        serde_json::from_str::<Flag>(json).map(|f| f.on)
    }

    #[test]
    fn a_list_decodes_from_an_array_an_object_or_null() {
        assert_eq!(items(r#"{"items":[1,2]}"#), [1, 2]);
        assert_eq!(items(r#"{"items":7}"#), [7]);
        assert!(items(r#"{"items":null}"#).is_empty());
    }

    #[test]
    fn a_status_decodes_from_strings_or_booleans_and_refuses_anything_else() {
        assert!(on(r#"{"on":"enabled"}"#).unwrap());
        assert!(on(r#"{"on":"ENABLED"}"#).unwrap());
        assert!(!on(r#"{"on":"disabled"}"#).unwrap());
        assert!(on(r#"{"on":true}"#).unwrap());
        assert!(!on(r#"{"on":false}"#).unwrap());
        let err = on(r#"{"on":"maybe"}"#).unwrap_err().to_string();
        assert!(err.contains("maybe") && err.contains("enabled"), "{err}");
    }
}
