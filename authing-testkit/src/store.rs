//! What the stand-in remembers between requests: users and their OTPs, issued
//! management tokens, used nonces and the last enrollment request per phone or e-mail.

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime};

use crate::application::Application;
use crate::auth::constant_time_eq;
use crate::enrollments::Enrollments;
use crate::users::User;

/// An OTP imported for a user with `POST /api/v3/import-otp`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
/// let stand_in = authing_testkit::StandIn::start().await?;
/// assert_eq!(stand_in.imported_otp(stand_in.user_id()), None);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ImportedOtp {
    /// The base32 secret, as imported.
    pub secret: String,
    /// The recovery code, when one was imported.
    pub recovery_code: Option<String>,
}

/// Why a management token is refused, or that it is fine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenState {
    Valid,
    Unknown,
    Expired,
    Revoked,
}

/// A management token this stand-in issued. The lifetime is kept as a duration from
/// issue, so that no lifetime, however long, can overflow an `Instant`.
#[derive(Debug)]
struct IssuedToken {
    issued_at: Instant,
    lifetime: Duration,
    revoked: bool,
}

/// An access token a user got by signing in to an application.
#[derive(Debug)]
struct UserToken {
    token: String,
    user_id: String,
    app_id: String,
}

/// The mutable state of one stand-in. Lives behind a mutex; no method awaits.
#[derive(Debug)]
pub(crate) struct Store {
    users: Vec<User>,
    apps: Vec<Application>,
    user_tokens: Vec<UserToken>,
    otps: HashMap<String, ImportedOtp>,
    tokens: HashMap<String, IssuedToken>,
    nonces: HashMap<String, SystemTime>,
    last_send: HashMap<String, Instant>,
    enrollments: Enrollments,
}

impl Store {
    pub(crate) fn new(users: Vec<User>, apps: Vec<Application>) -> Self {
        Self {
            users,
            apps,
            user_tokens: Vec::new(),
            otps: HashMap::new(),
            tokens: HashMap::new(),
            nonces: HashMap::new(),
            last_send: HashMap::new(),
            enrollments: Enrollments::default(),
        }
    }

    pub(crate) fn users(&self) -> &[User] {
        &self.users
    }

    /// Adds `user`, replacing one with the same id.
    pub(crate) fn add_user(&mut self, user: User) {
        self.users.retain(|known| known.id != user.id);
        self.users.push(user);
    }

    pub(crate) fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|user| user.id == id)
    }

    pub(crate) fn apps(&self) -> &[Application] {
        &self.apps
    }

    /// Adds `app`, replacing one with the same id.
    pub(crate) fn add_app(&mut self, app: Application) {
        self.apps.retain(|known| known.id != app.id);
        self.apps.push(app);
    }

    pub(crate) fn app(&self, id: &str) -> Option<&Application> {
        self.apps.iter().find(|app| app.id == id)
    }

    /// Remembers `token` as `user_id`'s access token for `app_id`.
    pub(crate) fn remember_user_token(&mut self, token: String, user_id: &str, app_id: &str) {
        self.user_tokens.push(UserToken {
            token,
            user_id: user_id.to_owned(),
            app_id: app_id.to_owned(),
        });
    }

    /// The user and application `token` was issued to. Every token is compared in
    /// constant time, so timing does not tell how close a guess was.
    pub(crate) fn user_token(&self, token: &str) -> Option<(&str, &str)> {
        self.user_tokens.iter().fold(None, |found, known| {
            let matches = constant_time_eq(known.token.as_bytes(), token.as_bytes());
            if matches {
                Some((known.user_id.as_str(), known.app_id.as_str()))
            } else {
                found
            }
        })
    }

    /// Stores OTPs, replacing earlier ones. The caller validated every item first, so
    /// an import is all or nothing.
    pub(crate) fn import_otps(&mut self, items: Vec<(String, ImportedOtp)>) {
        self.otps.extend(items);
    }

    pub(crate) fn otp(&self, user_id: &str) -> Option<&ImportedOtp> {
        self.otps.get(user_id)
    }

    /// Unbinds `user_id`'s OTP, imported or enrolled.
    pub(crate) fn remove_otp(&mut self, user_id: &str) {
        self.otps.remove(user_id);
    }

    pub(crate) fn enrollments(&self) -> &Enrollments {
        &self.enrollments
    }

    pub(crate) fn enrollments_mut(&mut self) -> &mut Enrollments {
        &mut self.enrollments
    }

    pub(crate) fn remember_token(&mut self, jti: String, issued_at: Instant, lifetime: Duration) {
        let token = IssuedToken {
            issued_at,
            lifetime,
            revoked: false,
        };
        self.tokens.insert(jti, token);
    }

    pub(crate) fn token_state(&self, jti: &str, now: Instant) -> TokenState {
        match self.tokens.get(jti) {
            None => TokenState::Unknown,
            Some(token) if token.revoked => TokenState::Revoked,
            Some(token) if now.duration_since(token.issued_at) >= token.lifetime => {
                TokenState::Expired
            }
            Some(_) => TokenState::Valid,
        }
    }

    pub(crate) fn revoke_tokens(&mut self) {
        for token in self.tokens.values_mut() {
            token.revoked = true;
        }
    }

    /// Records `nonce` as used; `false` when it was used before. Nonces older than
    /// `keep` are forgotten first: a request that old is refused for its date anyway,
    /// and forgetting keeps a long test run from growing the map without bound.
    pub(crate) fn use_nonce(&mut self, nonce: &str, now: SystemTime, keep: Duration) -> bool {
        self.nonces
            .retain(|_, seen| now.duration_since(*seen).map_or(true, |age| age <= keep));
        if self.nonces.contains_key(nonce) {
            return false;
        }
        self.nonces.insert(nonce.to_owned(), now);
        true
    }

    /// Whether a code may be sent to `recipient` now, at most once per `interval`; a
    /// permitted send is remembered.
    pub(crate) fn may_send(&mut self, recipient: String, now: Instant, interval: Duration) -> bool {
        if let Some(last) = self.last_send.get(&recipient)
            && now.duration_since(*last) < interval
        {
            return false;
        }
        self.last_send.insert(recipient, now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unknown_valid_expired_or_revoked() {
        let mut store = Store::new(Vec::new(), Vec::new());
        let now = Instant::now();
        store.remember_token("a".into(), now, Duration::from_secs(10));
        assert_eq!(store.token_state("a", now), TokenState::Valid);
        assert_eq!(store.token_state("b", now), TokenState::Unknown);
        assert_eq!(
            store.token_state("a", now + Duration::from_secs(10)),
            TokenState::Expired
        );
        store.revoke_tokens();
        assert_eq!(store.token_state("a", now), TokenState::Revoked);
    }

    #[test]
    fn a_nonce_is_accepted_once_and_forgotten_after_keep() {
        let mut store = Store::new(Vec::new(), Vec::new());
        let now = SystemTime::now();
        let keep = Duration::from_secs(60);
        assert!(store.use_nonce("n", now, keep));
        assert!(!store.use_nonce("n", now, keep));
        assert!(store.use_nonce("n", now + Duration::from_secs(61), keep));
    }

    #[test]
    fn sends_are_limited_per_recipient() {
        let mut store = Store::new(Vec::new(), Vec::new());
        let now = Instant::now();
        let minute = Duration::from_secs(60);
        assert!(store.may_send("a".into(), now, minute));
        assert!(!store.may_send("a".into(), now, minute));
        assert!(store.may_send("b".into(), now, minute));
        assert!(store.may_send("a".into(), now + minute, minute));
    }
}
