//! The transport's view of one call: an endpoint value turned, once, into everything its
//! attempts send (path and query, body, the endpoint's own headers) and what a signature
//! over it needs.

use std::sync::OnceLock;

use bytes::Bytes;
use percent_encoding::utf8_percent_encode;
use reqwest::header::{HeaderName, HeaderValue};
use serde_json::{Map, Value};

use crate::endpoint::{BodyFormat, Endpoint, Metadata};
use crate::error::Error;
use crate::parts::{RequestParts, UNRESERVED};
use crate::render::{js_json, render_param};

/// A request ready to be sent, computed once per call and reused by every attempt.
///
/// Credentials are not part of it: they are added per attempt (a signature needs a fresh
/// nonce and date each time).
pub(crate) struct PreparedRequest {
    pub(crate) meta: Metadata,
    /// The filled path, without the query string.
    pub(crate) path: String,
    /// The path with its percent-encoded query string, as it goes on the request line.
    pub(crate) path_and_query: String,
    /// Query parameters, rendered but not yet percent-encoded.
    query: Vec<(String, String)>,
    /// The serialised JSON body, for methods other than GET.
    pub(crate) body: Option<Bytes>,
    /// The body's top-level fields, kept only for the signature scheme.
    body_fields: Map<String, Value>,
    /// Their rendering for the signature, made on the first signed attempt only: calls
    /// under the other schemes never pay for it.
    signed_body_params: OnceLock<Vec<(String, String)>>,
    /// Headers the endpoint writes itself.
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
}

impl PreparedRequest {
    /// Serialises `endpoint` once into everything the attempts need. `credential_params`
    /// are parameters the credentials add (an application's `client_id`): they go where
    /// the endpoint's own fields go, the query for GET and the body otherwise.
    pub(crate) fn new<E: Endpoint>(
        endpoint: &E,
        credential_params: &[(&str, &str)],
    ) -> Result<Self, Error> {
        let meta = E::METADATA;
        let mut own = own_params(endpoint)?;
        for (name, value) in credential_params {
            own.insert((*name).to_owned(), Value::from(*value));
        }
        let mut parts = RequestParts::new(meta.path);
        endpoint.write_parts(&mut parts)?;
        if parts.path.contains('{') {
            return Err(Error::invalid_request(format!(
                "path `{}` still has a placeholder after the endpoint wrote its parameters",
                parts.path
            )));
        }
        let RequestParts {
            path,
            mut query,
            body: mut body_fields,
            headers,
        } = parts;
        let body = if meta.method.params_in_query() {
            query.extend(
                own.into_iter()
                    .filter_map(|(k, v)| render_param(&v).map(|v| (k, v))),
            );
            (!body_fields.is_empty())
                .then(|| encode_body(&body_fields, meta.body))
                .transpose()?
        } else {
            body_fields.extend(own);
            Some(encode_body(&body_fields, meta.body)?)
        };
        Ok(Self {
            meta,
            path_and_query: path_and_query(&path, &query),
            path,
            query,
            body,
            body_fields,
            signed_body_params: OnceLock::new(),
            headers,
        })
    }

    /// What the signature scheme signs: the query parameters for GET, the body's
    /// top-level fields otherwise, rendered the same way.
    pub(crate) fn signed_params(&self) -> &[(String, String)] {
        if self.meta.method.params_in_query() {
            &self.query
        } else {
            self.signed_body_params
                .get_or_init(|| crate::signing::body_params(&self.body_fields))
        }
    }
}

/// `path` with its percent-encoded query string, as it goes on the request line.
fn path_and_query(path: &str, query: &[(String, String)]) -> String {
    let mut out = path.to_owned();
    for (i, (k, v)) in query.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.extend(utf8_percent_encode(k, UNRESERVED));
        out.push('=');
        out.extend(utf8_percent_encode(v, UNRESERVED));
    }
    out
}

/// The endpoint's own fields as a JSON object: a unit struct gives none.
fn own_params<E: Endpoint>(endpoint: &E) -> Result<Map<String, Value>, Error> {
    match serde_json::to_value(endpoint) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(Value::Null) => Ok(Map::new()),
        Ok(other) => Err(Error::invalid_request(format!(
            "an endpoint must serialise to a JSON object of parameters, `{}` gave a {}",
            std::any::type_name::<E>(),
            json_kind(&other)
        ))),
        Err(e) => Err(Error::invalid_request(format!(
            "could not serialise `{}`: {e}",
            std::any::type_name::<E>()
        ))),
    }
}

fn encode_body(body: &Map<String, Value>, format: BodyFormat) -> Result<Bytes, Error> {
    match format {
        BodyFormat::Json => js_json(body)
            .map(Bytes::from)
            .map_err(|e| Error::invalid_request(format!("could not encode the JSON body: {e}"))),
        BodyFormat::Form => Ok(Bytes::from(form_encode(body))),
    }
}

/// `application/x-www-form-urlencoded`: one `name=value` pair per top-level field, the
/// value rendered as for a query string, null values left out.
fn form_encode(body: &Map<String, Value>) -> String {
    let mut out = String::new();
    for (name, value) in body {
        let Some(value) = render_param(value) else {
            continue;
        };
        if !out.is_empty() {
            out.push('&');
        }
        out.extend(utf8_percent_encode(name, UNRESERVED));
        out.push('=');
        out.extend(utf8_percent_encode(&value, UNRESERVED));
    }
    out
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_is_written_with_the_same_numbers_it_is_signed_with() {
        let body: Map<String, Value> = serde_json::from_str(r#"{"f":1.0,"o":{"g":1e16}}"#).unwrap();
        let encoded = encode_body(&body, BodyFormat::Json).unwrap();
        assert_eq!(&encoded[..], br#"{"f":1,"o":{"g":10000000000000000}}"#);
    }

    #[test]
    fn a_form_body_is_one_encoded_pair_per_field() {
        let body: Map<String, Value> = serde_json::from_str(
            r#"{"grant_type":"authorization_code","redirect_uri":"https://a.b/c?d=e f","n":1.0,"b":true,"skip":null,"o":{"k":[1]},"名":"值"}"#,
        )
        .unwrap();
        let encoded = encode_body(&body, BodyFormat::Form).unwrap();
        assert_eq!(
            std::str::from_utf8(&encoded).unwrap(),
            "grant_type=authorization_code&redirect_uri=https%3A%2F%2Fa.b%2Fc%3Fd%3De%20f&n=1\
             &b=true&o=%7B%22k%22%3A%5B1%5D%7D&%E5%90%8D=%E5%80%BC"
        );
    }

    #[test]
    fn credential_params_go_where_the_fields_go() {
        #[derive(serde::Serialize)]
        struct Get {
            a: u8,
        }
        impl Endpoint for Get {
            type Response = ();
            const METADATA: Metadata = Metadata::new(crate::Method::Get, "/x");
        }
        let request = PreparedRequest::new(&Get { a: 1 }, &[("client_id", "app")]).unwrap();
        assert_eq!(request.path_and_query, "/x?a=1&client_id=app");
        assert!(request.body.is_none());
    }
}
