//! Checks the path template and reads its `{placeholder}` names.
//!
//! Spans cannot point inside a string literal on stable Rust, so each message quotes the
//! part of the path it is about.

use syn::LitStr;

use crate::errors::Errors;

/// The distinct placeholder names of `path`, in order, after reporting what is wrong with
/// it. A placeholder used twice is filled once: `RequestParts::path_param` replaces every
/// occurrence.
pub(crate) fn placeholders(path: &LitStr, errors: &mut Errors) -> Vec<String> {
    let value = path.value();
    check_shape(&value, path, errors);
    let mut names: Vec<String> = Vec::new();
    for name in scan_braces(&value, path, errors) {
        if let Some(bare) = name.strip_prefix("r#").filter(|bare| is_identifier(bare)) {
            errors.spanned(
                path,
                format!("write `{{{bare}}}`: a placeholder names the field without `r#`"),
            );
        } else if !is_identifier(&name) {
            errors.spanned(
                path,
                format!(
                    "`{{{name}}}` in the path is not a field name: a placeholder names the \
                     struct field that fills it, like `{{user_id}}`"
                ),
            );
        } else if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// What a path must look like apart from its placeholders.
fn check_shape(value: &str, path: &LitStr, errors: &mut Errors) {
    if value.starts_with("http://") || value.starts_with("https://") {
        errors.spanned(
            path,
            "give only the path, like \"/api/v3/get-user\": the host comes from the client",
        );
    } else if !value.starts_with('/') {
        errors.spanned(
            path,
            format!("the path must start with `/`: write \"/{value}\""),
        );
    }
    // Inside a placeholder a `#` is a misspelt `r#` name, reported with the placeholders.
    if let Some(c) = outside_braces(value).find(|c| matches!(c, '?' | '#')) {
        errors.spanned(
            path,
            format!(
                "the path cannot contain `{c}`: declare query parameters as fields \
                 (fields of a GET go to the query, or mark them `#[endpoint(query)]`)"
            ),
        );
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        errors.spanned(
            path,
            "the path cannot contain whitespace or control characters",
        );
    }
}

/// The characters of `value` that are not inside a `{placeholder}`.
fn outside_braces(value: &str) -> impl Iterator<Item = char> + '_ {
    let mut depth = 0usize;
    value.chars().filter(move |&c| {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ => return depth == 0,
        }
        false
    })
}

/// The text between each `{` and its `}`, after reporting unbalanced and empty braces.
fn scan_braces(value: &str, path: &LitStr, errors: &mut Errors) -> Vec<String> {
    let mut found = Vec::new();
    let mut open: Option<String> = None;
    for c in value.chars() {
        match (c, &mut open) {
            ('{', Some(name)) => {
                errors.spanned(
                    path,
                    format!(
                        "unbalanced `{{` in the path: `{{{name}{{` opens a placeholder inside \
                         another; close the first with `}}`"
                    ),
                );
                name.clear(); // read on from the inner `{`, as the user most likely meant
            }
            ('{', None) => open = Some(String::new()),
            ('}', None) => errors.spanned(
                path,
                "unbalanced `}` in the path: it closes no `{`; a placeholder is written `{field_name}`",
            ),
            ('}', Some(_)) => match open.take().filter(|name| !name.is_empty()) {
                Some(name) => found.push(name),
                None => errors.spanned(
                    path,
                    "empty `{}` in the path: name the field that fills it, like `{user_id}`",
                ),
            },
            (c, Some(name)) => name.push(c),
            (_, None) => {}
        }
    }
    if let Some(name) = open {
        errors.spanned(
            path,
            format!("unbalanced `{{` in the path: `{{{name}` is never closed; add `}}`"),
        );
    }
    found
}

/// Whether `name` can be a Rust field name (keywords included: `r#type` fills `{type}`).
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && name != "_"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(path: &str) -> (Vec<String>, Vec<String>) {
        let mut errors = Errors::default();
        let lit = LitStr::new(path, proc_macro2::Span::call_site());
        let names = placeholders(&lit, &mut errors);
        let messages = errors
            .finish()
            .err()
            .map(|e| e.into_iter().map(|e| e.to_string()).collect())
            .unwrap_or_default();
        (names, messages)
    }

    #[test]
    fn reads_placeholders_once_each() {
        let (names, errors) = check("/api/v3/{org}/users/{id}/{org}");
        assert_eq!(names, ["org", "id"]);
        assert!(errors.is_empty());
    }

    #[test]
    fn reports_every_brace_mistake() {
        let (names, errors) = check("/a/{}/b}/{c{d}/{user-id}/{open");
        assert_eq!(names, ["d"]);
        assert_eq!(errors.len(), 5, "{errors:#?}");
        assert!(errors[0].contains("empty `{}`"));
        assert!(errors[1].contains("closes no `{`"));
        assert!(errors[2].contains("`{c{`"));
        assert!(errors[3].contains("`{open` is never closed"));
        assert!(errors[4].contains("`{user-id}`"));
    }

    #[test]
    fn reports_shape() {
        assert!(check("api/v3/x").1[0].contains("start with `/`"));
        assert!(check("https://core.authing.cn/api/v3/x").1[0].contains("host"));
        assert!(check("/x?a=1").1[0].contains("`?`"));
        assert_eq!(
            check("/x/{r#type}").1,
            ["write `{type}`: a placeholder names the field without `r#`"]
        );
        assert!(check("/x y").1[0].contains("whitespace"));
    }
}
