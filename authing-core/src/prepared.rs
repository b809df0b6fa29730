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
use crate::query::push_pairs;
use crate::render::{Field, FieldsError, fields, js_json, render_param, top_level_params};
use crate::secret::{Serialised, collect_serialised};

/// A request ready to be sent, computed once per call and reused by every attempt.
///
/// Credentials are not part of it: they are added per attempt (a signature needs a fresh
/// nonce and date each time).
pub(crate) struct PreparedRequest {
    pub(crate) meta: Metadata,
    /// The filled path and its percent-encoded query string, as on the request line.
    path_and_query: String,
    /// Where the path ends in `path_and_query`.
    path_len: usize,
    /// Query parameters, each rendered as one value for the signature, not yet
    /// percent-encoded (the request line spells arrays and objects out, see `query`).
    query: Vec<(String, String)>,
    /// The serialised JSON body, for methods other than GET unless the endpoint has no
    /// body parameters.
    pub(crate) body: Option<Bytes>,
    /// The body's top-level fields rendered for the signature, read back from the body
    /// on the first signed attempt only: calls under the other schemes never pay for it.
    signed_body_params: OnceLock<Vec<(String, String)>>,
    /// Headers the endpoint writes itself.
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    /// Every [`Secret`] serialised into the request, to be kept out of what the server
    /// says back (see `redact`). Empty, and unallocated, for most endpoints.
    pub(crate) secrets: Serialised,
}

impl PreparedRequest {
    /// Serialises `endpoint` once into everything the attempts need. `credential_params`
    /// are parameters the credentials add (an application's `client_id`): they go where
    /// the endpoint's own fields go, the query for GET and the body otherwise.
    ///
    /// No `serde_json::Value` tree of the whole endpoint on the common path: a JSON body
    /// is written straight to bytes (which a signature reads back), a GET's scalar
    /// parameters are rendered straight from serde.
    pub(crate) fn new<E: Endpoint>(
        endpoint: &E,
        credential_params: &[(&str, &str)],
    ) -> Result<Self, Error> {
        let meta = E::METADATA;
        let in_query = meta.method.params_in_query();
        let (written, secrets) = collect_serialised(|| {
            let own = if in_query {
                Own::Fields(own_fields(endpoint)?)
            } else {
                Own::Json(own_json(endpoint)?)
            };
            let mut parts = RequestParts::new(meta.path);
            endpoint.write_parts(&mut parts)?;
            Ok::<_, Error>((own, parts))
        });
        let (own, parts) = written?;
        if parts.path.contains('{') {
            return Err(Error::invalid_request(format!(
                "path `{}` still has a placeholder after the endpoint wrote its parameters",
                parts.path
            )));
        }
        let RequestParts {
            path,
            mut query,
            query_line,
            body: mut body_fields,
            headers,
        } = parts;
        let path_len = path.len();
        let mut line = RequestLine::new(path, &query_line);
        let body = match own {
            Own::Fields(own) => {
                for (name, field) in own {
                    match field {
                        Field::Scalar(None) => {}
                        // A scalar is one pair, spelled as it is signed.
                        Field::Scalar(Some(rendered)) => {
                            line.push(&name, &rendered);
                            query.push((name, rendered));
                        }
                        Field::Compound(value) => {
                            if let Some(rendered) = render_param(&value) {
                                let mut pairs = Vec::new();
                                push_pairs(&name, &value, &mut pairs);
                                line.extend(&pairs);
                                query.push((name, rendered));
                            }
                        }
                    }
                }
                for (name, value) in credential_params {
                    line.push(name, value);
                    query.push(((*name).to_owned(), (*value).to_owned()));
                }
                (!body_fields.is_empty())
                    .then(|| encode_body(&body_fields, meta.body))
                    .transpose()?
            }
            Own::Json(own)
                if meta.no_body
                    && own == b"{}"
                    && body_fields.is_empty()
                    && credential_params.is_empty() =>
            {
                None
            }
            Own::Json(own)
                if body_fields.is_empty()
                    && credential_params.is_empty()
                    && meta.body == BodyFormat::Json =>
            {
                Some(Bytes::from(own))
            }
            Own::Json(own) => {
                // Fields the endpoint moved into the body come first, then its own, then
                // the credentials': merging (or a form) needs the object form, on this
                // rarer path only.
                let own: Map<String, Value> = serde_json::from_slice(&own).map_err(encode_error)?;
                body_fields.extend(own);
                for (name, value) in credential_params {
                    body_fields.insert((*name).to_owned(), Value::from(*value));
                }
                Some(encode_body(&body_fields, meta.body)?)
            }
        };
        Ok(Self {
            meta,
            path_and_query: line.line,
            path_len,
            query,
            body,
            signed_body_params: OnceLock::new(),
            headers,
            secrets,
        })
    }

    /// The filled path, without the query string.
    pub(crate) fn path(&self) -> &str {
        &self.path_and_query[..self.path_len]
    }

    /// The path with its percent-encoded query string, as it goes on the request line.
    pub(crate) fn path_and_query(&self) -> &str {
        &self.path_and_query
    }

    /// What the signature scheme signs: the query parameters for GET, the body's
    /// top-level fields otherwise, rendered the same way.
    pub(crate) fn signed_params(&self) -> &[(String, String)] {
        if self.meta.method.params_in_query() {
            &self.query
        } else {
            self.signed_body_params.get_or_init(|| {
                let body = self.body.as_deref().unwrap_or(b"{}");
                // The body was written by `js_json` as an object: it reads back.
                top_level_params(body)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(k, v)| (k, v.unwrap_or_else(|| "null".to_owned())))
                    .collect()
            })
        }
    }
}

/// An endpoint's own fields: for a query, or written as a JSON body.
enum Own {
    Fields(Vec<(String, Field)>),
    Json(Vec<u8>),
}

/// The path with its percent-encoded query string, written as pairs come.
struct RequestLine {
    line: String,
    has_query: bool,
}

impl RequestLine {
    fn new(path: String, pairs: &[(String, String)]) -> Self {
        let mut line = Self {
            line: path,
            has_query: false,
        };
        line.extend(pairs);
        line
    }

    fn extend(&mut self, pairs: &[(String, String)]) {
        for (k, v) in pairs {
            self.push(k, v);
        }
    }

    fn push(&mut self, key: &str, value: &str) {
        self.line.push(if self.has_query { '&' } else { '?' });
        self.has_query = true;
        self.line.extend(utf8_percent_encode(key, UNRESERVED));
        self.line.push('=');
        self.line.extend(utf8_percent_encode(value, UNRESERVED));
    }
}

/// The endpoint's own fields for a query, straight from serde, or through a `Value` for
/// shapes the fast path leaves to the general one.
fn own_fields<E: Endpoint>(endpoint: &E) -> Result<Vec<(String, Field)>, Error> {
    match fields(endpoint) {
        Ok(fields) => Ok(fields),
        Err(FieldsError::Failed(e)) => Err(serialise_error::<E>(e)),
        Err(FieldsError::Fallback) => Ok(own_params(endpoint)?
            .into_iter()
            .map(|(k, v)| (k, Field::Compound(v)))
            .collect()),
    }
}

/// The endpoint's own fields as a JSON object: a unit struct gives none.
fn own_params<E: Endpoint>(endpoint: &E) -> Result<Map<String, Value>, Error> {
    match serde_json::to_value(endpoint) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(Value::Null) => Ok(Map::new()),
        Ok(other) => Err(not_an_object::<E>(json_kind(&other))),
        Err(e) => Err(serialise_error::<E>(e)),
    }
}

/// The endpoint's own fields as the bytes of a JSON object: a unit struct gives `{}`.
fn own_json<E: Endpoint>(endpoint: &E) -> Result<Vec<u8>, Error> {
    let json = js_json(endpoint).map_err(serialise_error::<E>)?;
    match json.first() {
        Some(b'{') => Ok(json),
        Some(b'n') => Ok(b"{}".to_vec()),
        Some(b'"') => Err(not_an_object::<E>("string")),
        Some(b'[') => Err(not_an_object::<E>("array")),
        Some(b't' | b'f') => Err(not_an_object::<E>("boolean")),
        _ => Err(not_an_object::<E>("number")),
    }
}

fn not_an_object<E>(kind: &str) -> Error {
    Error::invalid_request(format!(
        "an endpoint must serialise to a JSON object of parameters, `{}` gave a {kind}",
        std::any::type_name::<E>()
    ))
}

fn serialise_error<E>(e: impl std::fmt::Display) -> Error {
    Error::invalid_request(format!(
        "could not serialise `{}`: {e}",
        std::any::type_name::<E>()
    ))
}

fn encode_body(body: &Map<String, Value>, format: BodyFormat) -> Result<Bytes, Error> {
    match format {
        BodyFormat::Json => js_json(body).map(Bytes::from).map_err(encode_error),
        BodyFormat::Form => Ok(Bytes::from(form_encode(body))),
    }
}

fn encode_error(e: serde_json::Error) -> Error {
    Error::invalid_request(format!("could not encode the JSON body: {e}"))
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
    use serde::Serialize;

    use super::*;
    use crate::endpoint::Method;

    /// A GET with an array among its own fields and another written to the query.
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct ListThings {
        user_ids: Vec<&'static str>,
        page: u32,
        #[serde(skip)]
        codes: Vec<&'static str>,
    }

    impl Endpoint for ListThings {
        type Response = ();
        const METADATA: Metadata = Metadata::new(Method::Get, "/api/v3/things");

        fn write_parts(&self, parts: &mut RequestParts) -> Result<(), Error> {
            parts.query("codes", &self.codes)
        }
    }

    #[test]
    fn query_arrays_are_sent_as_axios_sends_them_and_signed_as_json() {
        let list = ListThings {
            user_ids: vec!["a b", "c"],
            page: 2,
            codes: vec!["x"],
        };
        let prepared = PreparedRequest::new(&list, &[]).unwrap();
        assert_eq!(
            prepared.path_and_query(),
            "/api/v3/things?codes%5B%5D=x&userIds%5B%5D=a%20b&userIds%5B%5D=c&page=2"
        );
        let signed: Vec<(&str, &str)> = prepared
            .signed_params()
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            signed,
            [
                ("codes", r#"["x"]"#),
                ("userIds", r#"["a b","c"]"#),
                ("page", "2")
            ]
        );
    }

    /// A DELETE whose only parameter goes to the path.
    #[derive(Serialize)]
    struct DeleteThing {
        #[serde(skip)]
        id: &'static str,
    }

    impl Endpoint for DeleteThing {
        type Response = ();
        const METADATA: Metadata = Metadata::new(Method::Delete, "/api/v3/things/{id}").no_body();

        fn write_parts(&self, parts: &mut RequestParts) -> Result<(), Error> {
            parts.path_param("id", &self.id)
        }
    }

    #[test]
    fn an_endpoint_without_body_parameters_sends_no_body_and_signs_none() {
        let prepared = PreparedRequest::new(&DeleteThing { id: "t1" }, &[]).unwrap();
        assert_eq!(prepared.path_and_query(), "/api/v3/things/t1");
        assert!(prepared.body.is_none());
        assert!(prepared.signed_params().is_empty());
    }

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
        assert_eq!(request.path_and_query(), "/x?a=1&client_id=app");
        assert!(request.body.is_none());
    }
}
