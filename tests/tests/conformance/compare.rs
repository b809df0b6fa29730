//! Comparing what authing-rs sent with a fixture, part by part.

use std::fmt;

use authing_testkit::RecordedRequest;
use serde_json::Value;

use crate::Fixture;

/// A part of a request that carries meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    Method,
    Path,
    Query,
    Body,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Part::Method => "method",
            Part::Path => "path",
            Part::Query => "query",
            Part::Body => "body",
        })
    }
}

/// The parts of a request authing-rs sent.
#[derive(Debug, Clone)]
pub(crate) struct Sent {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) body: String,
}

impl From<RecordedRequest> for Sent {
    fn from(request: RecordedRequest) -> Self {
        Self {
            method: request.method,
            path: request.path,
            query: request.query,
            body: request.body,
        }
    }
}

/// One part that differs, with both sides rendered for the report.
#[derive(Debug)]
pub(crate) struct Difference {
    pub(crate) part: Part,
    ours: String,
    theirs: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} differs\n    ours:   {}\n    theirs: {}",
            self.part, self.ours, self.theirs
        )
    }
}

/// A body as compared: absent, JSON (so key order and spacing do not count, but `1` and
/// `1.0` do), or text that is not JSON.
#[derive(Debug, PartialEq)]
enum Body {
    None,
    Json(Value),
    Text(String),
}

impl Body {
    fn of_sent(text: &str) -> Self {
        if text.is_empty() {
            return Body::None;
        }
        serde_json::from_str(text).map_or_else(|_| Body::Text(text.to_owned()), Body::Json)
    }

    fn of_fixture(fixture: &Fixture) -> Self {
        match (&fixture.body, &fixture.body_text) {
            (Some(json), _) => Body::Json(json.clone()),
            (None, Some(text)) => Body::Text(text.clone()),
            (None, None) => Body::None,
        }
    }

    fn render(&self) -> String {
        match self {
            Body::None => "(no body)".to_owned(),
            Body::Json(value) => value.to_string(),
            Body::Text(text) => format!("{text:?} (not JSON)"),
        }
    }
}

/// Every part in which `ours` differs from what the fixture recorded.
pub(crate) fn differences(ours: &Sent, theirs: &Fixture) -> Vec<Difference> {
    let mut found = Vec::new();
    let mut check = |part, same: bool, ours: String, theirs: String| {
        if !same {
            found.push(Difference { part, ours, theirs });
        }
    };
    check(
        Part::Method,
        ours.method == theirs.method,
        ours.method.clone(),
        theirs.method.clone(),
    );
    check(
        Part::Path,
        ours.path == theirs.path,
        ours.path.clone(),
        theirs.path.clone(),
    );
    check(
        Part::Query,
        ours.query == theirs.query,
        format!("{:?}", ours.query),
        format!("{:?}", theirs.query),
    );
    let (our_body, their_body) = (Body::of_sent(&ours.body), Body::of_fixture(theirs));
    check(
        Part::Body,
        our_body == their_body,
        our_body.render(),
        their_body.render(),
    );
    found
}

/// Whether the JSON body `ours` sent is part of the fixture's: each member it has, the
/// SDK sent with the same value, members of objects compared the same way all the way
/// down (arrays and scalars must be equal). No body, or one that is not JSON, is not.
pub(crate) fn body_within(ours: &Sent, theirs: &Fixture) -> bool {
    match (Body::of_sent(&ours.body), Body::of_fixture(theirs)) {
        (Body::Json(ours), Body::Json(theirs)) => within(&ours, &theirs),
        _ => false,
    }
}

fn within(ours: &Value, theirs: &Value) -> bool {
    match (ours, theirs) {
        (Value::Object(ours), Value::Object(theirs)) => ours
            .iter()
            .all(|(name, value)| theirs.get(name).is_some_and(|t| within(value, t))),
        _ => ours == theirs,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn fixture() -> Fixture {
        serde_json::from_value(json!({
            "side": "management",
            "sdk_method": "listThings",
            "args": [],
            "method": "GET",
            "path": "/api/v3/things",
            "query": [["page", "1"], ["ids[]", "a"]],
            "body": null,
        }))
        .unwrap()
    }

    fn sent() -> Sent {
        Sent {
            method: "GET".into(),
            path: "/api/v3/things".into(),
            query: vec![("page".into(), "1".into()), ("ids[]".into(), "a".into())],
            body: String::new(),
        }
    }

    fn parts(found: &[Difference]) -> Vec<Part> {
        found.iter().map(|d| d.part).collect()
    }

    #[test]
    fn the_same_request_has_no_difference() {
        assert!(differences(&sent(), &fixture()).is_empty());
    }

    #[test]
    fn each_part_is_compared_on_its_own() {
        let mut ours = sent();
        ours.method = "POST".into();
        ours.path = "/api/v3/things/%7Bid%7D".into();
        assert_eq!(
            parts(&differences(&ours, &fixture())),
            [Part::Method, Part::Path]
        );
    }

    #[test]
    fn query_order_and_encoding_of_arrays_count() {
        let mut ours = sent();
        ours.query.reverse();
        assert_eq!(parts(&differences(&ours, &fixture())), [Part::Query]);
        let mut ours = sent();
        ours.query[1] = ("ids".into(), r#"["a"]"#.into());
        assert_eq!(parts(&differences(&ours, &fixture())), [Part::Query]);
    }

    #[test]
    fn bodies_compare_as_json_values_where_an_empty_object_is_not_no_body() {
        let mut theirs = fixture();
        theirs.body = Some(json!({"a": 1, "b": [true]}));
        let mut ours = sent();
        ours.body = r#"{ "b": [true], "a": 1 }"#.into();
        assert!(
            differences(&ours, &theirs).is_empty(),
            "key order and spaces"
        );
        ours.body = r#"{"a":1.0,"b":[true]}"#.into();
        let found = differences(&ours, &theirs);
        assert_eq!(
            parts(&found),
            [Part::Body],
            "1.0 is not what JavaScript sends"
        );
        assert!(
            found[0]
                .to_string()
                .contains(r#"theirs: {"a":1,"b":[true]}"#)
        );
        ours.body = "{}".into();
        assert_eq!(parts(&differences(&ours, &fixture())), [Part::Body]);
    }

    #[test]
    fn a_body_is_within_another_when_each_member_it_has_is_the_same_there() {
        let mut theirs = fixture();
        theirs.body = Some(json!({"a": 1, "p": {"x": "1", "y": "2"}, "list": [1, 2]}));
        let mut ours = sent();
        ours.body = r#"{"p": {"y": "2"}, "list": [1, 2]}"#.into();
        assert!(body_within(&ours, &theirs));
        for outside in [
            r#"{"p": {"y": "3"}}"#,
            r#"{"b": 1}"#,
            r#"{"list": [1]}"#,
            r#"{"p": "x"}"#,
            "",
            "a=1",
        ] {
            ours.body = outside.into();
            assert!(!body_within(&ours, &theirs), "{outside}");
        }
    }

    #[test]
    fn a_body_that_is_not_json_is_compared_as_text() {
        let mut theirs = fixture();
        theirs.body_text = Some("a=1&b=2".into());
        let mut ours = sent();
        ours.body = "a=1&b=2".into();
        assert!(differences(&ours, &theirs).is_empty());
        ours.body = "b=2&a=1".into();
        assert_eq!(parts(&differences(&ours, &theirs)), [Part::Body]);
    }
}
