//! The claims about a user that a scope releases, shared by ID tokens and userinfo.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};
use sha2::{Digest as _, Sha256};

use crate::users::User;

/// Whether the space-separated `scope` holds `name`.
pub(crate) fn has_scope(scope: &str, name: &str) -> bool {
    scope.split_ascii_whitespace().any(|s| s == name)
}

/// `sub` plus what `scope` asks for: `profile`, `email`, `phone` and `username`, with
/// Authing's claim names.
pub(crate) fn user_claims(user: &User, scope: &str) -> Map<String, Value> {
    let mut claims = Map::new();
    claims.insert("sub".into(), user.id.clone().into());
    if has_scope(scope, "profile") {
        claims.insert("name".into(), user.username.clone().into());
        claims.insert("nickname".into(), user.username.clone().into());
        claims.insert("preferred_username".into(), user.username.clone().into());
        claims.insert("picture".into(), Value::Null);
        claims.insert("updated_at".into(), json!("2026-01-01T00:00:00.000Z"));
    }
    if has_scope(scope, "username") {
        claims.insert("username".into(), user.username.clone().into());
    }
    if has_scope(scope, "email") {
        claims.insert("email".into(), user.email.clone().into());
        claims.insert("email_verified".into(), true.into());
    }
    if has_scope(scope, "phone") {
        claims.insert("phone_number".into(), user.phone.clone().into());
        claims.insert("phone_number_verified".into(), true.into());
    }
    claims
}

/// OIDC's `at_hash`: base64url of the left half of SHA-256 of the access token.
pub(crate) fn at_hash(access_token: &str) -> String {
    let digest = Sha256::digest(access_token.as_bytes());
    URL_SAFE_NO_PAD.encode(&digest[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_scope_releases_its_claims_only() {
        let user = User::seeded();
        let openid = user_claims(&user, "openid");
        assert_eq!(openid.len(), 1);
        assert_eq!(openid["sub"], user.id.as_str());
        let more = user_claims(&user, "openid email phone");
        assert_eq!(more["email"], user.email.as_str());
        assert_eq!(more["phone_number"], user.phone.as_str());
        assert!(!more.contains_key("name"));
    }

    #[test]
    fn at_hash_is_the_left_half_of_sha256() {
        // Computed independently: base64url(sha256("an access token")[..16]).
        assert_eq!(at_hash("an access token"), "FPlcM-1UXiivOYozpUrp7Q");
    }
}
