//! Naming rules: from the SDK's names to the names a Rust user would guess.
//!
//! - Words are split at `_`, `-`, spaces, and case changes, keeping acronyms together
//!   (`userIDs` is `user` `ids`, `getQRCode` is `get` `qr` `code`).
//! - Types are PascalCase, fields snake_case; a field that is a Rust keyword is a raw
//!   identifier (`r#type`), except those that cannot be (`self_`, `crate_`, `super_`).

/// Splits an identifier into lowercase words.
///
/// `userIDs` -> `user`, `ids`; `x-authing-app-id` -> `x`, `authing`, `app`, `id`.
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            flush(&mut out, &mut cur);
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let boundary = match prev {
            Some(p) if c.is_uppercase() => {
                p.is_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_uppercase()
                        && next.is_some_and(|n| n.is_lowercase())
                        && !plural_s(&chars, i))
            }
            _ => false,
        };
        if boundary {
            flush(&mut out, &mut cur);
        }
        cur.extend(c.to_lowercase());
    }
    flush(&mut out, &mut cur);
    out
}

/// `IDs`: the `s` after an acronym is its plural, not the start of a word.
fn plural_s(chars: &[char], i: usize) -> bool {
    chars.get(i + 1) == Some(&'s')
        && chars.get(i + 2).is_none_or(|c| !c.is_lowercase())
        && i >= 1
        && chars[i - 1].is_uppercase()
}

fn flush(out: &mut Vec<String>, cur: &mut String) {
    if !cur.is_empty() {
        out.push(std::mem::take(cur));
    }
}

/// PascalCase of an identifier; a leading digit gets a `V` in front.
pub fn pascal(name: &str) -> String {
    let s: String = words(name)
        .iter()
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect();
    if s.starts_with(|c: char| c.is_ascii_digit()) || s.is_empty() {
        format!("V{s}")
    } else {
        s
    }
}

/// snake_case of an identifier, as a field name (keywords escaped).
pub fn snake(name: &str) -> String {
    let s = words(name).join("_");
    let s = if s.starts_with(|c: char| c.is_ascii_digit()) || s.is_empty() {
        format!("n{s}")
    } else {
        s
    };
    escape_keyword(s)
}

/// The name serde's `rename_all = "camelCase"` gives a snake_case field.
pub fn serde_camel(field: &str) -> String {
    let field = field.strip_prefix("r#").unwrap_or(field);
    let mut out = String::new();
    let mut upper = false;
    for (i, c) in field.chars().enumerate() {
        if c == '_' {
            if i > 0 {
                upper = true;
            }
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "static", "struct", "trait", "true", "try", "type", "unsafe", "use",
    "where", "while", "yield", "abstract", "become", "do", "final", "macro", "override", "priv",
    "typeof", "unsized", "virtual",
];

fn escape_keyword(s: String) -> String {
    match s.as_str() {
        "self" | "crate" | "super" => format!("{s}_"),
        k if KEYWORDS.contains(&k) => format!("r#{s}"),
        _ => s,
    }
}

/// The model name a Rust user would guess: the SDK's name without its `Dto` suffix
/// (`UserDto` -> `User`). The caller keeps the SDK name where that would collide.
pub fn model_candidate(sdk_name: &str) -> String {
    let base = sdk_name.strip_suffix("Dto").unwrap_or(sdk_name);
    let base = if base.is_empty() { sdk_name } else { base };
    pascal_keep(base)
}

/// A type name that would hide a type of Rust's prelude (`Option`, `Result`...) gets
/// `Object` appended: the SDK's `Option` model is `OptionObject`.
pub fn avoid_prelude(name: String) -> String {
    const PRELUDE: &[&str] = &[
        "Option", "Result", "Box", "Vec", "String", "Some", "None", "Ok", "Err", "Default",
        "Clone", "Copy", "Debug", "Send", "Sync", "Sized", "Drop", "Fn", "Iterator", "From",
        "Into", "Self",
    ];
    if PRELUDE.contains(&name.as_str()) {
        format!("{name}Object")
    } else {
        name
    }
}

/// PascalCase that keeps an already PascalCase name as it is (`SAMLConfig` stays).
pub fn pascal_keep(name: &str) -> String {
    if name.chars().all(|c| c.is_ascii_alphanumeric())
        && name.starts_with(|c: char| c.is_ascii_uppercase())
    {
        name.to_owned()
    } else {
        pascal(name)
    }
}

/// The endpoint name: the SDK method in PascalCase (`createUser` -> `CreateUser`). A
/// method named by a single word (`add`, `filter`, `upload`) says too little, so the
/// path's last segment is added (`add` on `/api/v3/ip-list` -> `AddIpList`), or used alone
/// when it already holds the word (`filter` on `filter-universal-invitation-applicants`),
/// or its parent segment when it is the word itself (`upload` on
/// `/invitation-invitee/upload` -> `UploadInvitationInvitee`).
pub fn endpoint_candidate(sdk_method: &str, path: &str) -> String {
    let method_words = words(sdk_method);
    if method_words.len() > 1 {
        return pascal(sdk_method);
    }
    let word = &method_words[0];
    let segments: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .collect();
    let last = segments.last().copied().unwrap_or(sdk_method);
    let last_words = words(last);
    if last_words == [word.clone()] {
        let parent = segments.iter().rev().nth(1).copied().unwrap_or("");
        return pascal(&format!("{word}-{parent}"));
    }
    if last_words.contains(word) {
        return pascal(last);
    }
    pascal(&format!("{word}-{last}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_acronyms_and_their_plurals_together() {
        assert_eq!(words("userIDs"), ["user", "ids"]);
        assert_eq!(words("getQRCode"), ["get", "qr", "code"]);
        assert_eq!(words("x-authing-app-id"), ["x", "authing", "app", "id"]);
        assert_eq!(words("SAMLConfig"), ["saml", "config"]);
        assert_eq!(
            words("ext_idp_conn_identifier"),
            ["ext", "idp", "conn", "identifier"]
        );
    }

    #[test]
    fn fields_are_snake_case_and_keywords_are_escaped() {
        assert_eq!(snake("userIdType"), "user_id_type");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("zh-CN"), "zh_cn");
        assert_eq!(serde_camel("user_id_type"), "userIdType");
        assert_eq!(serde_camel("r#type"), "type");
    }

    #[test]
    fn models_lose_dto_and_endpoints_named_by_one_word_gain_their_path() {
        assert_eq!(model_candidate("UserDto"), "User");
        assert_eq!(model_candidate("SAMLConfig"), "SAMLConfig");
        assert_eq!(
            endpoint_candidate("createUser", "/api/v3/create-user"),
            "CreateUser"
        );
        assert_eq!(endpoint_candidate("add", "/api/v3/ip-list"), "AddIpList");
        assert_eq!(
            endpoint_candidate("filter", "/api/v3/filter-universal-invitation-applicants"),
            "FilterUniversalInvitationApplicants"
        );
        assert_eq!(
            endpoint_candidate("upload", "/api/v3/invitation-invitee/upload"),
            "UploadInvitationInvitee"
        );
    }
}
