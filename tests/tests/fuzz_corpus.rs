//! A short, deterministic run of what the fuzz target `fuzz/fuzz_targets/envelope.rs`
//! does: answers decoded the way the transport decodes them
//! (`authing_core::__fuzz::decode`: `Retry-After`, envelope, `data`, retry decision).
//!
//! A fixed corpus of nasty bodies (empty, huge numbers, deep nesting, invalid UTF-8,
//! NaN-like tokens, truncations, `statusCode` and `data` of every JSON type…) under many
//! statuses and `Retry-After` values, then a few thousand mutations of it from a fixed
//! seed. Nothing may panic (a stack overflow would abort the binary), and every outcome
//! must be one the transport documents and agree with the input: [`assert_sensible`].

use std::collections::BTreeMap;
use std::time::Duration;

use authing_core::__fuzz::{Outcome, Retry, decode};
use authing_core::{BodySnippet, Error};
use serde_json::Value;

const STATUSES: [u16; 18] = [
    200, 201, 204, 299, 100, 301, 400, 401, 404, 413, 429, 499, 500, 502, 503, 504, 599, 999,
];

const RETRY_AFTERS: [Option<&[u8]>; 14] = [
    None,
    Some(b"1"),
    Some(b"0"),
    Some(b"29"),
    Some(b"30"),
    Some(b"-1"),
    Some(b"1.5"),
    Some(b"99999999999999999999999"),
    Some(b"Sat, 21 Nov 2099 12:00:30 GMT"),
    Some(b"Thu, 01 Jan 1970 00:00:00 GMT"),
    Some(b"soon"),
    Some(b"\n"),
    Some(b"\xff"),
    Some(b""),
];

/// The longest `Retry-After` honoured by the default policy, and the time left that
/// `decode` assumes.
const CAP: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------------------------------
// The oracle.
// ---------------------------------------------------------------------------------------

/// Decodes and checks; returns the outcome for the caller's own expectations.
fn check(status: u16, retry_after: Option<&[u8]>, body: &[u8]) -> Outcome {
    let outcome = decode(status, retry_after, body)
        .unwrap_or_else(|| panic!("{status} is an HTTP status, yet decode refused it"));
    assert_sensible(status, retry_after, body, &outcome);
    outcome
}

/// What every outcome must satisfy, whatever the input.
fn assert_sensible(status: u16, header: Option<&[u8]>, body: &[u8], outcome: &Outcome) {
    let context = || {
        format!(
            "status {status}, Retry-After {:?}, body {:?}",
            header.map(String::from_utf8_lossy),
            String::from_utf8_lossy(&body[..body.len().min(300)])
        )
    };
    let success = (200..300).contains(&status);

    // Retry-After: whole seconds (saturating) or a date; anything else is no hint.
    let digits = header.filter(|h| !h.is_empty() && h.iter().all(u8::is_ascii_digit));
    if let Some(digits) = digits {
        let seconds = std::str::from_utf8(digits)
            .unwrap()
            .parse()
            .unwrap_or(u64::MAX);
        assert_eq!(
            outcome.retry_after,
            Some(Duration::from_secs(seconds)),
            "{}",
            context()
        );
    } else if header.is_none_or(|h| !h.contains(&b',')) {
        assert_eq!(outcome.retry_after, None, "{}", context());
    }

    match &outcome.unit {
        Ok(()) => {
            assert!(success, "a success under HTTP {status}: {}", context());
            assert_eq!(outcome.retry, None, "{}", context());
            assert!(
                !outcome.retried_get && !outcome.retried_post,
                "{}",
                context()
            );
            // Only `data` can fail now, and only as a shape.
            let errors = [outcome.value.as_ref().err(), outcome.typed.as_ref().err()];
            for err in errors.into_iter().flatten() {
                assert!(
                    matches!(err, Error::UnexpectedShape { .. }),
                    "{err:?}: {}",
                    context()
                );
            }
            assert_data_matches(body, outcome, &context);
        }
        Err(err) => {
            // All three decodings went through the same classification.
            let same = |other: Option<&Error>| other.map(Error::to_string);
            assert_eq!(same(outcome.value.as_ref().err()), Some(err.to_string()));
            assert_eq!(same(outcome.typed.as_ref().err()), Some(err.to_string()));
            assert_failure(status, body, err, outcome, &context);
        }
    }
    if let Ok(typed) = &outcome.typed
        && let Some(secret) = &typed.secret
    {
        assert_eq!(format!("{secret:?}"), "Secret([REDACTED])");
    }
    let _ = format!("{outcome:?}");
}

/// A failed classification: one of the four variants an answer can produce, with the
/// input's status, the body's start and the hint, and a retry decision the transport
/// acts on consistently.
fn assert_failure(
    status: u16,
    body: &[u8],
    err: &Error,
    outcome: &Outcome,
    context: &dyn Fn() -> String,
) {
    let success = (200..300).contains(&status);
    let snippet_ok = |snippet: &BodySnippet| {
        *snippet == BodySnippet::new(body) && snippet.as_str().len() <= 3 * BodySnippet::MAX_BYTES
    };
    match err {
        Error::Api(api) => {
            assert_eq!(api.http_status, status, "{}", context());
            assert!(api.status_code != 200 || !success, "{}", context());
            assert_ne!(api.api_code, Some(0), "apiCode 0 means none: {}", context());
            assert_eq!(api.retry_after, outcome.retry_after, "{}", context());
        }
        Error::HttpStatus {
            status: s,
            body: snippet,
            retry_after,
        } => {
            assert_eq!(s.as_u16(), status, "{}", context());
            assert!(!success, "{}", context());
            assert!(snippet_ok(snippet), "{}", context());
            assert_eq!(*retry_after, outcome.retry_after, "{}", context());
        }
        Error::NotJson {
            status: s,
            body: snippet,
            ..
        } => {
            assert_eq!(s.as_u16(), status, "{}", context());
            assert!(success, "{}", context());
            assert!(snippet_ok(snippet), "{}", context());
            assert!(
                serde_json::from_slice::<Value>(body).is_err(),
                "JSON called not JSON: {}",
                context()
            );
        }
        Error::UnexpectedShape {
            status: s,
            body: snippet,
            ..
        } => {
            assert_eq!(s.as_u16(), status, "{}", context());
            assert!(success, "{}", context());
            assert!(snippet_ok(snippet), "{}", context());
        }
        other => panic!(
            "{other:?} cannot come from decoding an answer: {}",
            context()
        ),
    }
    // The decision's kind is pinned per answer in `retry_decisions_follow_the_table`;
    // here it must agree with what the transport then does with a GET and a POST.
    if matches!(err, Error::NotJson { .. } | Error::UnexpectedShape { .. }) {
        assert_eq!(
            outcome.retry,
            None,
            "a 2xx answer is never retried: {}",
            context()
        );
    }
    let (get, post) = match outcome.retry {
        // A bare 429 waits a minute, more than the 30 s left: it is the answer at once.
        Some(Retry::Throttled(hint)) => {
            let honoured = hint.is_some_and(|h| h < CAP);
            (honoured, honoured)
        }
        // A hint on a 5xx (maintenance) is honoured the same way as on a 429.
        Some(Retry::MaybeProcessed) => (err.retry_after().is_none_or(|h| h < CAP), false),
        Some(Retry::NotSent) => (true, true),
        None => (false, false),
    };
    assert_eq!(
        (outcome.retried_get, outcome.retried_post),
        (get, post),
        "{err}: {}",
        context()
    );
}

/// A success: the body is an object whose `statusCode` reads as 200, and what was
/// decoded is its `data`.
fn assert_data_matches(body: &[u8], outcome: &Outcome, context: &dyn Fn() -> String) {
    // Some bodies cannot be read as a whole Value although the envelope was: deeper
    // than serde_json's limit of 128 (`data` is kept raw), numbers out of range or bad
    // strings in raw `data` or in ignored fields. Nothing to compare with then.
    let Ok(parsed) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    let Value::Object(envelope) = &parsed else {
        panic!("a success that is not an object: {}", context())
    };
    let status_code = match envelope.get("statusCode") {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse::<i64>().ok().map(|n| n as f64),
        _ => None,
    };
    assert_eq!(status_code, Some(200.0), "{}", context());
    let data = envelope.get("data").cloned().unwrap_or(Value::Null);
    if let Ok(value) = &outcome.value {
        assert_eq!(value, &data, "{}", context());
    }
    if let Ok(typed) = &outcome.typed {
        assert_eq!(data["value"].as_str(), Some(typed.value.as_str()));
    }
}

/// The variant's name, for tables of expectations.
fn kind<T>(result: &Result<T, Error>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(Error::Api(_)) => "api",
        Err(Error::HttpStatus { .. }) => "http",
        Err(Error::NotJson { .. }) => "not-json",
        Err(Error::UnexpectedShape { .. }) => "shape",
        Err(_) => "other",
    }
}

// ---------------------------------------------------------------------------------------
// The corpus.
// ---------------------------------------------------------------------------------------

fn nested(open: &str, close: &str, depth: usize, inner: &str) -> String {
    format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
}

/// Every JSON type, and the edges of numbers.
const JSON_VALUES: [&str; 22] = [
    "null",
    "true",
    "false",
    "0",
    "-0",
    "200",
    "200.0",
    "2e2",
    "200.5",
    "-1",
    "9007199254740993",
    "99999999999999999999",
    "-99999999999999999999",
    "1e300",
    r#""200""#,
    r#"" 200 ""#,
    r#""""#,
    r#""abc""#,
    "[]",
    "[200]",
    "{}",
    r#"{"value":"v"}"#,
];

/// Bodies no well-behaved server sends.
fn corpus() -> Vec<Vec<u8>> {
    let mut bodies: Vec<Vec<u8>> = [
        "",
        " \r\n\t",
        "null",
        "[]",
        "{}",
        "\"statusCode\"",
        "<html><h1>502 Bad Gateway</h1></html>",
        r#"{"statusCode":200}"#,
        r#"{"statusCode":200,"message":"ok","apiCode":0,"requestId":"r","data":{"value":"v"}}"#,
        r#"{"statusCode":429,"message":"slow down"}"#,
        r#"{"statusCode":503,"apiCode":1000,"message":"maintenance"}"#,
        r#"{"statusCode":500}"#,
        r#"{"statusCode":404,"apiCode":2004,"message":"用户不存在","requestId":"r1"}"#,
        r#"{"statusCode":200,"statusCode":500}"#,
        r#"{"statusCode":200} trailing"#,
        r#"{"statusCode":200,}"#,
        r#"{'statusCode':200}"#,
        r#"{"statusCode":200 /* comment */}"#,
        r#"{"statusCode":NaN}"#,
        r#"{"statusCode":Infinity}"#,
        r#"{"statusCode":-Infinity}"#,
        r#"{"statusCode":1e400}"#,
        r#"{"statusCode":-1e400}"#,
        r#"{"statusCode":0x1F}"#,
        r#"{"statusCode":+200}"#,
        r#"{"statusCode":0200}"#,
        r#"{"statusCode":200,"data":1e400}"#,
        r#"{"statusCode":200,"data":"\ud800"}"#,
        r#"{"statusCode":500,"message":"\ud800"}"#,
        r#"{"statusCode":200,"data":"\u0000"}"#,
        r#"{"statusCode":200,"data":{"value":"v","secret":"TOPSECRET","count":7,"items":[1,2]}}"#,
        r#"{"statusCode":200,"data":{"value":"v","count":-1}}"#,
        r#"{"statusCode":200,"data":{"value":"v","count":4294967296}}"#,
        r#"{"statusCode":"200","message":{"en":"ok"},"requestId":42,"apiCode":true}"#,
        r#"{"statusCode":429,"apiCode":"x","message":[1]}"#,
        r#"{"statusCode":503,"apiCode":"0"}"#,
        r#"{"statusCode":503,"apiCode":"1234567"}"#,
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();

    for value in JSON_VALUES {
        bodies.push(format!(r#"{{"statusCode":{value}}}"#).into_bytes());
        bodies.push(format!(r#"{{"statusCode":200,"data":{value}}}"#).into_bytes());
        bodies.push(
            format!(
                r#"{{"statusCode":503,"apiCode":{value},"message":{value},"requestId":{value}}}"#
            )
            .into_bytes(),
        );
        bodies.push(value.as_bytes().to_vec());
    }

    // Deep nesting: unclosed, closed, in each field.
    for depth in [127, 128, 129, 1_000, 100_000] {
        bodies.push("[".repeat(depth).into_bytes());
        bodies.push(r#"{"a":"#.repeat(depth).into_bytes());
        bodies.push(nested("[", "]", depth, "").into_bytes());
        let deep = nested("[", "]", depth, "1");
        bodies.push(format!(r#"{{"statusCode":200,"data":{deep}}}"#).into_bytes());
        bodies.push(format!(r#"{{"statusCode":{deep}}}"#).into_bytes());
        bodies.push(format!(r#"{{"statusCode":500,"message":{deep}}}"#).into_bytes());
        let objects = nested(r#"{"value":"#, "}", depth, r#""v""#);
        bodies.push(format!(r#"{{"statusCode":200,"data":{objects}}}"#).into_bytes());
    }

    // Invalid UTF-8 in each place.
    for bad in [
        &b"\xff"[..],
        b"\xc3\x28",
        b"\xed\xa0\x80",
        b"\xf0\x28\x8c\x28",
        b"\xc0\xaf",
    ] {
        let mut top = bad.to_vec();
        top.extend_from_slice(br#"{"statusCode":200}"#);
        bodies.push(top);
        for template in [
            &br#"{"statusCode":200,"data":"@"}"#[..],
            br#"{"statusCode":500,"message":"@"}"#,
            br#"{"statusCode":200,"unknown":"@"}"#,
            br#"{"statusCode":"20@"}"#,
            br#"{"@":200}"#,
        ] {
            let at = template.iter().position(|&b| b == b'@').unwrap();
            let mut body = template[..at].to_vec();
            body.extend_from_slice(bad);
            body.extend_from_slice(&template[at + 1..]);
            bodies.push(body);
        }
    }
    bodies.push(b"\xef\xbb\xbf{\"statusCode\":200}".to_vec()); // a BOM
    bodies.push(b"{\"statusCode\":200,\"data\":\"\0\"}".to_vec()); // a raw NUL

    // Large: a 1 MiB string in data.
    let big = "x".repeat(1 << 20);
    bodies.push(format!(r#"{{"statusCode":200,"data":{{"value":"{big}"}}}}"#).into_bytes());
    bodies
}

// ---------------------------------------------------------------------------------------
// Named expectations.
// ---------------------------------------------------------------------------------------

/// HTTP status, `Retry-After`, body, and the retry decision expected for them.
type Case = (u16, Option<&'static [u8]>, &'static str, Option<Retry>);

/// The retry decision for answers whose outcome the issue specifies, written out by
/// hand (not computed): 429 (HTTP or envelope) for any call after the hint; 500, 502,
/// 503 and 504 (HTTP or envelope) for idempotent calls unless an apiCode names a
/// business error; nothing else, successes and undecodable 2xx answers included.
#[test]
fn retry_decisions_follow_the_table() {
    const SECOND: Option<Duration> = Some(Duration::from_secs(1));
    let maybe = Some(Retry::MaybeProcessed);
    let table: [Case; 22] = [
        (429, None, "", Some(Retry::Throttled(None))),
        (
            429,
            Some(b"1"),
            "<html>slow down</html>",
            Some(Retry::Throttled(SECOND)),
        ),
        (
            429,
            Some(b"soon"),
            r#"{"statusCode":429,"message":"m"}"#,
            Some(Retry::Throttled(None)),
        ),
        (
            200,
            None,
            r#"{"statusCode":429,"message":"m"}"#,
            Some(Retry::Throttled(None)),
        ),
        (
            200,
            Some(b"1"),
            r#"{"statusCode":429,"message":"m"}"#,
            Some(Retry::Throttled(SECOND)),
        ),
        (500, None, "", maybe),
        (502, None, "<html>Bad Gateway</html>", maybe),
        (503, None, r#"{"statusCode":503,"message":"m"}"#, maybe),
        (504, None, "gateway timeout", maybe),
        (200, None, r#"{"statusCode":500,"message":"m"}"#, maybe),
        (200, None, r#"{"statusCode":503,"message":"m"}"#, maybe),
        (
            200,
            None,
            r#"{"statusCode":500,"message":"m","apiCode":1000}"#,
            None,
        ),
        (
            503,
            None,
            r#"{"statusCode":503,"message":"m","apiCode":2001}"#,
            None,
        ),
        (200, None, r#"{"statusCode":400,"message":"m"}"#, None),
        (
            200,
            None,
            r#"{"statusCode":401,"message":"m","apiCode":1300}"#,
            None,
        ),
        (400, None, "bad request", None),
        (401, None, "", None),
        (404, None, r#"{"statusCode":404,"message":"m"}"#, None),
        (501, None, "not implemented", None),
        (200, None, "", None),
        (200, None, r#"{"statusCode":20"#, None),
        (
            200,
            None,
            r#"{"statusCode":200,"message":"ok","data":{}}"#,
            None,
        ),
    ];
    for (status, retry_after, body, expected) in table {
        let outcome = check(status, retry_after, body.as_bytes());
        assert_eq!(
            outcome.retry, expected,
            "HTTP {status}, Retry-After {retry_after:?}, {body}"
        );
    }
}

#[test]
fn only_http_statuses_are_decoded() {
    for status in [0, 1, 99, 1000, u16::MAX] {
        assert!(decode(status, None, b"{}").is_none(), "{status}");
    }
    for status in [100, 999] {
        assert!(decode(status, None, b"{}").is_some(), "{status}");
    }
}

#[test]
fn empty_and_blank_bodies_are_not_json_or_a_gateways_status() {
    for body in [&b""[..], b" \r\n\t"] {
        let ok = check(200, None, body);
        assert!(matches!(&ok.unit, Err(Error::NotJson { source, .. }) if source.is_eof()));
        let gateway = check(503, Some(b"3"), body);
        assert_eq!(kind(&gateway.unit), "http");
        assert_eq!(gateway.retry, Some(Retry::MaybeProcessed));
        assert_eq!(gateway.retry_after, Some(Duration::from_secs(3)));
    }
}

#[test]
fn status_code_of_every_json_type() {
    let expected: BTreeMap<&str, &str> = [
        ("null", "shape"),
        ("true", "shape"),
        ("false", "shape"),
        ("0", "api"),
        ("-0", "api"),
        ("200", "ok"),
        ("200.0", "ok"),
        ("2e2", "ok"),
        ("200.5", "shape"),
        ("-1", "api"),
        ("9007199254740993", "api"),
        ("99999999999999999999", "shape"),
        ("-99999999999999999999", "shape"),
        ("1e300", "shape"),
        (r#""200""#, "ok"),
        (r#"" 200 ""#, "ok"),
        (r#""""#, "shape"),
        (r#""abc""#, "shape"),
        ("[]", "shape"),
        ("[200]", "shape"),
        ("{}", "shape"),
        (r#"{"value":"v"}"#, "shape"),
        ("1e400", "not-json"),
        ("NaN", "not-json"),
        ("Infinity", "not-json"),
        ("+200", "not-json"),
        ("0200", "not-json"),
    ]
    .into_iter()
    .collect();
    for (status_code, want) in &expected {
        let body = format!(r#"{{"statusCode":{status_code}}}"#);
        let outcome = check(200, None, body.as_bytes());
        assert_eq!(kind(&outcome.unit), *want, "{body}");
    }
    let missing = check(200, None, br#"{"message":"ok","data":{}}"#);
    assert_eq!(kind(&missing.unit), "shape");
}

#[test]
fn a_body_that_is_not_an_object_is_never_an_envelope() {
    // serde would read `[200]` as a struct's fields in order: a success.
    for body in [&b"[200]"[..], b"[500,\"m\",0]", b"200", b"\"ok\"", b"null"] {
        assert_eq!(kind(&check(200, None, body).unit), "shape", "{body:?}");
        assert_eq!(kind(&check(503, None, body).unit), "http", "{body:?}");
    }
}

#[test]
fn data_of_every_json_type() {
    // (data, decoded as a Value, decoded as the typed struct); `()` always succeeds.
    let cases = [
        (None, "ok", "shape"),
        (Some("null"), "ok", "shape"),
        (Some("true"), "ok", "shape"),
        (Some("-1.5"), "ok", "shape"),
        (Some(r#""s""#), "ok", "shape"),
        (Some("[]"), "ok", "shape"),
        (Some(r#"[1,"a"]"#), "ok", "shape"),
        (Some("{}"), "ok", "shape"),
        (Some(r#"{"value":5}"#), "ok", "shape"),
        (Some(r#"{"value":"v"}"#), "ok", "ok"),
        (Some(r#"{"value":"v","count":-1}"#), "ok", "shape"),
        (
            Some(r#"{"value":"v","secret":"S","items":[1,2],"more":{}}"#),
            "ok",
            "ok",
        ),
        (Some("1e400"), "shape", "shape"),
        (Some(r#""\ud800""#), "shape", "shape"),
    ];
    for (data, as_value, as_typed) in cases {
        let body = match data {
            Some(data) => format!(r#"{{"statusCode":200,"data":{data}}}"#),
            None => r#"{"statusCode":200}"#.to_owned(),
        };
        let outcome = check(200, None, body.as_bytes());
        assert_eq!(kind(&outcome.unit), "ok", "{body}");
        assert_eq!(kind(&outcome.value), as_value, "{body}");
        assert_eq!(kind(&outcome.typed), as_typed, "{body}");
    }
}

#[test]
fn fields_beside_status_code_of_any_type_never_change_the_outcome() {
    for value in JSON_VALUES {
        let success = format!(
            r#"{{"statusCode":200,"message":{value},"apiCode":{value},"requestId":{value},"data":{{"value":"v"}}}}"#
        );
        let outcome = check(200, None, success.as_bytes());
        assert_eq!(
            outcome.typed.as_ref().map(|t| t.value.as_str()).ok(),
            Some("v")
        );

        let failure = format!(
            r#"{{"statusCode":503,"message":{value},"apiCode":{value},"requestId":{value}}}"#
        );
        let outcome = check(200, None, failure.as_bytes());
        let Err(Error::Api(api)) = &outcome.unit else {
            panic!("{failure}: {:?}", outcome.unit)
        };
        assert_eq!(api.status_code, 503);
        // An apiCode makes it a business error, never retried.
        let retried = api.api_code.is_none();
        assert_eq!(outcome.retried_get, retried, "{failure}");
    }
}

#[test]
fn deep_nesting_never_overflows_the_stack() {
    let depth = 100_000;
    for body in [
        "[".repeat(depth),
        r#"{"a":"#.repeat(depth),
        nested("[", "]", depth, ""),
        format!(r#"{{"statusCode":{}}}"#, nested("[", "]", depth, "1")),
        format!(
            r#"{{"statusCode":500,"message":{}}}"#,
            nested("[", "]", depth, "1")
        ),
    ] {
        let outcome = check(200, None, body.as_bytes());
        assert!(outcome.unit.is_err(), "depth {depth}");
    }
    // Deep `data` is kept raw by the envelope; decoding it stops at serde_json's limit.
    let body = format!(
        r#"{{"statusCode":200,"data":{}}}"#,
        nested("[", "]", depth, "1")
    );
    let outcome = check(200, None, body.as_bytes());
    assert_eq!((kind(&outcome.unit), kind(&outcome.value)), ("ok", "shape"));
}

#[test]
fn invalid_utf8_is_not_json_where_it_is_read() {
    for body in [
        &b"\xff{\"statusCode\":200}"[..],
        b"{\"statusCode\":200,\"data\":\"\xff\"}",
        b"{\"statusCode\":500,\"message\":\"\xc3\x28\"}",
        b"{\"statusCode\":\"20\xff\"}",
    ] {
        let outcome = check(200, None, body);
        assert_eq!(kind(&outcome.unit), "not-json", "{body:?}");
        let gateway = check(502, None, body);
        assert_eq!(kind(&gateway.unit), "http", "{body:?}");
    }
}

#[test]
fn every_truncation_of_an_envelope_is_not_json_or_a_gateways_status() {
    let full = r#"{"statusCode":503,"message":"维护中","apiCode":0,"requestId":"r-1","data":{"value":"v","items":[1,2.5e3,true,null]}}"#.as_bytes();
    check(200, None, full);
    for cut in 0..full.len() {
        let prefix = &full[..cut];
        assert_eq!(kind(&check(200, None, prefix).unit), "not-json", "{cut}");
        let gateway = check(503, None, prefix);
        assert_eq!(kind(&gateway.unit), "http", "{cut}");
        assert!(gateway.retried_get && !gateway.retried_post);
    }
}

#[test]
fn retry_after_hints_are_read_saturated_or_ignored() {
    let throttled = br#"{"statusCode":429}"#;
    let hint = |header: &[u8]| check(200, Some(header), throttled).retry_after;
    assert_eq!(hint(b"7"), Some(Duration::from_secs(7)));
    assert_eq!(hint(b"0"), Some(Duration::ZERO));
    assert_eq!(
        hint(b"99999999999999999999999"),
        Some(Duration::from_secs(u64::MAX))
    );
    assert_eq!(hint(b"Thu, 01 Jan 1970 00:00:00 GMT"), Some(Duration::ZERO));
    let far = hint(b"Sat, 21 Nov 2099 12:00:30 GMT").expect("a date");
    assert!(far > Duration::from_secs(365 * 24 * 3600));
    for ignored in [&b"soon"[..], b"-1", b"1.5", b"", b"\n", b"\xff"] {
        assert_eq!(hint(ignored), None, "{ignored:?}");
    }
    // Honoured below the cap, refused at once at or above it (the default: 30 s).
    let at = |header: &[u8]| {
        let outcome = check(200, Some(header), throttled);
        (outcome.retried_get, outcome.retried_post)
    };
    assert_eq!(at(b"29"), (true, true));
    assert_eq!(at(b"30"), (false, false));
}

#[test]
fn the_corpus_under_every_status_and_retry_after() {
    for body in corpus() {
        if body.len() > 4096 {
            // The deep and the large ones: a few statuses, or this test would take seconds.
            for status in [200, 429, 503] {
                check(status, Some(b"1"), &body);
            }
            continue;
        }
        for status in STATUSES {
            check(status, None, &body);
        }
        for header in RETRY_AFTERS {
            check(429, header, &body);
            check(503, header, &body);
        }
    }
}

#[test]
fn mutations_from_a_fixed_seed_end_in_sensible_outcomes() {
    let seeds: Vec<Vec<u8>> = corpus().into_iter().filter(|b| b.len() <= 512).collect();
    let mut rng = SplitMix64(0x5EED_A17E_1A60_0005);
    let mut seen: BTreeMap<&'static str, usize> = BTreeMap::new();
    for _ in 0..5000 {
        let mut body = seeds[rng.below(seeds.len())].clone();
        mutate(&mut rng, &seeds, &mut body);
        let status = STATUSES[rng.below(STATUSES.len())];
        let header = RETRY_AFTERS[rng.below(RETRY_AFTERS.len())];
        let outcome = check(status, header, &body);
        *seen.entry(kind(&outcome.unit)).or_default() += 1;
    }
    // The mutations reach every outcome, not only garbage.
    for outcome in ["ok", "api", "http", "not-json", "shape"] {
        assert!(seen.get(outcome).is_some_and(|&n| n >= 10), "{seen:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Mutations.
// ---------------------------------------------------------------------------------------

/// Tokens that steer mutations towards the envelope's edges.
const TOKENS: [&[u8]; 26] = [
    br#""statusCode":"#,
    br#""data":"#,
    br#""apiCode":"#,
    br#""message":"#,
    br#""requestId":"#,
    b"200",
    b"429",
    b"500",
    b"503",
    br#""200""#,
    b"null",
    b"true",
    b"1e400",
    b"-0",
    b"18446744073709551616",
    br#""\ud800""#,
    br#""\u0000""#,
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b"\"",
    b"\\",
    b"\xff",
    b"\xc3",
];

/// splitmix64: small, fixed, good enough to pick mutations.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform enough in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn mutate(rng: &mut SplitMix64, seeds: &[Vec<u8>], body: &mut Vec<u8>) {
    for _ in 0..=rng.below(4) {
        let at = rng.below(body.len() + 1);
        match rng.below(7) {
            0 if !body.is_empty() => {
                let i = rng.below(body.len());
                body[i] ^= 1 << rng.below(8);
            }
            1 if !body.is_empty() => {
                let i = rng.below(body.len());
                body[i] = rng.next() as u8;
            }
            2 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                body.splice(at..at, token.iter().copied());
            }
            3 => {
                let end = (at + rng.below(16)).min(body.len());
                body.drain(at..end);
            }
            4 => {
                let end = (at + rng.below(32)).min(body.len());
                let copy = body[at..end].to_vec();
                body.splice(at..at, copy);
            }
            5 => body.truncate(at),
            _ => {
                let other = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len() + 1);
                let to = (from + rng.below(64)).min(other.len());
                body.splice(at..at, other[from..to].iter().copied());
            }
        }
    }
    body.truncate(8192);
}
