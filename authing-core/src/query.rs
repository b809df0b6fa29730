//! How a query parameter goes on the request line: as axios, the HTTP client of Authing's
//! official Node.js SDK, writes it, so that Authing reads what it reads from that SDK.
//!
//! - a string, number or boolean is one `name=value` pair, rendered as JavaScript prints
//!   it (`true`, `1.5`);
//! - an array of such values is one `name[]=item` pair per item;
//! - anything else is spelled out with brackets, objects by key and arrays by index:
//!   `{"a": {"b": 1}}` is `a[b]=1`, `{"a": [{"k": "v"}]}` is `a[0][k]=v`;
//! - `null`, and arrays and objects with nothing else inside, send nothing.
//!
//! The signature scheme still reads each parameter as one value, an array or object as
//! compact JSON (WIRE.md), as the Node SDK signs it: what is signed is the parameter, what
//! is sent is its spelling on the request line. A leaf module beside `render`.

use serde_json::Value;

use crate::render::render_signed;

/// Appends the `(name, value)` pairs, not yet percent-encoded, that send `value` as the
/// query parameter `name`.
pub(crate) fn push_pairs(name: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Array(items) if items.iter().all(is_scalar) => {
            let key = format!("{name}[]");
            out.extend(
                items
                    .iter()
                    .filter(|item| !item.is_null())
                    .map(|item| (key.clone(), render_signed(item))),
            );
        }
        _ => push_nested(name.to_owned(), value, out),
    }
}

/// Below the top level axios indexes every array, flat or not.
fn push_nested(key: String, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                push_nested(format!("{key}[{i}]"), item, out);
            }
        }
        Value::Object(fields) => {
            for (field, item) in fields {
                push_nested(format!("{key}[{field}]"), item, out);
            }
        }
        scalar => out.push((key, render_signed(scalar))),
    }
}

fn is_scalar(value: &Value) -> bool {
    !value.is_array() && !value.is_object()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn pairs(value: Value) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (name, value) in value.as_object().unwrap() {
            push_pairs(name, value, &mut out);
        }
        out
    }

    fn expected(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// Each case is what axios 1.21 (the official SDK's pinned client) put on the request
    /// line for `axios.get(url, {params})`, percent-decoded.
    #[test]
    fn parameters_are_spelled_as_axios_spells_them() {
        let cases = [
            (
                json!({"a": ["x", "y"]}),
                expected(&[("a[]", "x"), ("a[]", "y")]),
            ),
            (json!({"a": []}), expected(&[])),
            (
                json!({"a": [1, true, null]}),
                expected(&[("a[]", "1"), ("a[]", "true")]),
            ),
            (
                json!({"o": {"k": "v", "n": {"m": 1}}}),
                expected(&[("o[k]", "v"), ("o[n][m]", "1")]),
            ),
            (json!({"a": [{"k": "v"}]}), expected(&[("a[0][k]", "v")])),
            (json!({"a": [["x"]]}), expected(&[("a[0][0]", "x")])),
            (
                json!({"b": true, "n": 1.5, "z": null, "e": ""}),
                expected(&[("b", "true"), ("n", "1.5"), ("e", "")]),
            ),
            (json!({"o": {}}), expected(&[])),
            (
                json!({"o": {"a": ["x", "y"]}}),
                expected(&[("o[a][0]", "x"), ("o[a][1]", "y")]),
            ),
            (
                json!({"o": {"k": null, "b": false}}),
                expected(&[("o[b]", "false")]),
            ),
            (json!({"a": [{"k": null}, [], {}]}), expected(&[])),
            (
                json!({"a": ["x", {"k": 1}]}),
                expected(&[("a[0]", "x"), ("a[1][k]", "1")]),
            ),
            (
                json!({"a": [null, {"k": 1}]}),
                expected(&[("a[1][k]", "1")]),
            ),
            (json!({"f": 1e21}), expected(&[("f", "1e+21")])),
        ];
        for (params, axios) in cases {
            assert_eq!(pairs(params.clone()), axios, "{params}");
        }
    }
}
