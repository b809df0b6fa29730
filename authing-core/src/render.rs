//! The JavaScript-compatible rendering of values that Authing's signature scheme reads
//! (WIRE.md): a string raw, a number or boolean as JavaScript prints it, an object or
//! array as compact JSON in the order it was serialised.
//!
//! The query string, header values and the JSON body are written the same way, so what is
//! signed is exactly what is sent. A leaf module: it knows nothing of endpoints.

mod fields;

pub(crate) use fields::{Field, FieldsError, fields};

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

/// Compact JSON with numbers written as JavaScript writes them (`1`, not `1.0`;
/// `10000000000000000`, not `1e16`): what the server's `JSON.stringify` signs. The body
/// is written the same way, so what is sent is exactly what is signed.
pub(crate) fn js_json<T: ?Sized + Serialize>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::with_capacity(128);
    value.serialize(&mut serde_json::Serializer::with_formatter(
        &mut out, JsNumbers,
    ))?;
    Ok(out)
}

/// A JSON formatter that writes floating-point numbers by ECMAScript's
/// `Number.prototype.toString` (via `ryu-js`); integers are the same in both.
struct JsNumbers;

impl serde_json::ser::Formatter for JsNumbers {
    fn write_f64<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
        value: f64,
    ) -> std::io::Result<()> {
        out.write_all(ryu_js::Buffer::new().format(value).as_bytes())
    }

    fn write_f32<W: ?Sized + std::io::Write>(
        &mut self,
        out: &mut W,
        value: f32,
    ) -> std::io::Result<()> {
        self.write_f64(out, f64::from(value))
    }
}

/// A query or header value: null is left out, everything else rendered as it is signed.
pub(crate) fn render_param(value: &Value) -> Option<String> {
    (!value.is_null()).then(|| render_signed(value))
}

/// How the signature scheme writes a parameter (WIRE.md): strings raw, scalars as
/// JavaScript prints them, objects and arrays as compact JSON in serialisation order.
pub(crate) fn render_signed(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() => ryu_js::Buffer::new().format(f).to_owned(),
            _ => n.to_string(),
        },
        Value::Array(_) | Value::Object(_) => js_json(value)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default(),
    }
}

/// The top-level fields of a JSON object written by [`js_json`], each rendered as the
/// signature scheme writes it (`None` for null), in the order they were written.
///
/// Read back from the bytes rather than from a `serde_json::Value` tree: the text of a
/// number, an object or an array is already what [`render_signed`] would make of it (the
/// same writer wrote it), so only strings need decoding.
pub(crate) fn top_level_params(
    json: &[u8],
) -> Result<Vec<(String, Option<String>)>, serde_json::Error> {
    let fields: TopLevel<'_> = serde_json::from_slice(json)?;
    fields
        .0
        .into_iter()
        .map(|(key, raw)| {
            let text = raw.get();
            let rendered = match text.as_bytes().first() {
                Some(b'n') => None,
                Some(b'"') => Some(serde_json::from_str::<String>(text)?),
                _ => Some(text.to_owned()),
            };
            Ok((key, rendered))
        })
        .collect()
}

/// A JSON object's members, values left as their raw text.
struct TopLevel<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for TopLevel<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for Members<'a> {
            type Value = TopLevel<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(4));
                while let Some(entry) = map.next_entry::<String, &'a RawValue>()? {
                    fields.push(entry);
                }
                Ok(TopLevel(fields))
            }
        }
        deserializer.deserialize_map(Members(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn top_level_params_read_back_what_render_signed_makes_of_each_field() {
        let value = json!({
            "s": "a \"b\"\n\u{4e2d}", "i": 42, "f": 1.5, "e": 1e21, "whole": 1.0,
            "t": true, "n": null, "o": {"z": 1.0, "y": [1, "2"]}, "a": [0.5, {"k": "v"}],
        });
        let bytes = js_json(&value).unwrap();
        let read = top_level_params(&bytes).unwrap();
        let Value::Object(map) = &value else {
            unreachable!("built as an object")
        };
        assert_eq!(read.len(), map.len());
        for ((key, rendered), (k, v)) in read.iter().zip(map) {
            assert_eq!(key, k);
            assert_eq!(rendered.as_deref(), render_param(v).as_deref(), "{k}");
        }
        assert!(top_level_params(b"[1]").is_err());
    }

    #[test]
    fn render_signed_matches_javascript_for_scalars() {
        assert_eq!(render_signed(&json!("x y")), "x y");
        assert_eq!(render_signed(&json!(42)), "42");
        assert_eq!(render_signed(&json!(1.5)), "1.5");
        assert_eq!(render_signed(&json!(true)), "true");
        assert_eq!(render_signed(&json!(null)), "null");
        assert_eq!(
            render_signed(&json!({"b": 1, "a": [1, "2"]})),
            r#"{"b":1,"a":[1,"2"]}"#
        );
    }

    /// Expected strings printed by Node.js 20: `String(v)` and `JSON.stringify({a: v, b: [v]})`.
    #[test]
    fn floats_are_written_as_javascript_writes_them() {
        let cases = [
            (1.0, "1"),
            (-0.0, "0"),
            (1e16, "10000000000000000"),
            (1e21, "1e+21"),
            (1.5e-7, "1.5e-7"),
            (0.1 + 0.2, "0.30000000000000004"),
            (123_456_789.125, "123456789.125"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
        ];
        for (value, js) in cases {
            assert_eq!(render_signed(&json!(value)), js, "{value:e}");
            let nested = render_signed(&json!({"a": value, "b": [value]}));
            assert_eq!(nested, format!(r#"{{"a":{js},"b":[{js}]}}"#));
        }
    }
}
