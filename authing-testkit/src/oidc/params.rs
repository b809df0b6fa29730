//! Request parameters of the provider's endpoints: the query string or a form body,
//! each name at most once (OAuth 2.0 §3.1), empty values treated as absent.

use std::collections::HashMap;

use super::error::OAuthError;
use crate::record::Incoming;

/// The parameters of one request.
#[derive(Debug, Default)]
pub(crate) struct Params(HashMap<String, String>);

impl Params {
    /// Collects `pairs`, refusing a name given twice.
    pub(crate) fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, OAuthError> {
        let mut map = HashMap::new();
        for (name, value) in pairs {
            if value.is_empty() {
                continue;
            }
            if map.insert(name.to_owned(), value.to_owned()).is_some() {
                return Err(OAuthError::invalid_request(format!(
                    "'{name}' parameter must not be provided twice"
                )));
            }
        }
        Ok(Self(map))
    }

    /// The query string's parameters.
    pub(crate) fn query(req: &Incoming) -> Result<Self, OAuthError> {
        Self::from_pairs(
            req.record
                .query
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str())),
        )
    }

    /// The form body's parameters. A body of another content type is refused, as
    /// Authing's provider does; no content type at all is read as a form.
    pub(crate) fn form(req: &Incoming) -> Result<Self, OAuthError> {
        let content_type = req.header("content-type").unwrap_or_default();
        let media_type = content_type.split(';').next().unwrap_or_default().trim();
        if !media_type.is_empty()
            && !media_type.eq_ignore_ascii_case("application/x-www-form-urlencoded")
        {
            return Err(OAuthError::invalid_request(
                "only application/x-www-form-urlencoded content-type bodies are supported",
            ));
        }
        let pairs: Vec<(String, String)> = form_urlencoded::parse(&req.body).into_owned().collect();
        Self::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())))
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// A parameter that must be there.
    pub(crate) fn require(&self, name: &str) -> Result<&str, OAuthError> {
        self.get(name).ok_or_else(|| {
            OAuthError::invalid_request(format!("missing required parameter '{name}'"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_given_twice_is_refused_and_empty_values_are_absent() {
        let twice = Params::from_pairs([("code", "a"), ("code", "b")]);
        assert_eq!(
            twice.map(|_| ()).map_err(|e| e.description().to_owned()),
            Err("'code' parameter must not be provided twice".to_owned())
        );
        let params = Params::from_pairs([("state", ""), ("code", "a")]).unwrap_or_default();
        assert_eq!(params.get("state"), None);
        assert_eq!(params.require("code").ok(), Some("a"));
        assert!(params.require("state").is_err());
    }
}
