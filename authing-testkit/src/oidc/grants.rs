//! What the provider remembers: applications, keys, codes, issued tokens and sessions.
//! Tokens are looked up by their exact text, so a forged or altered token is simply
//! unknown, whatever its signature.

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::accounts::Accounts;
use super::app::OidcApp;
use super::keys::{KeyError, KeyRing};
use crate::ids;

/// The two protocols Authing serves on an application's domain, each under its own
/// path prefix. They share apps, users, keys and the issuer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Protocol {
    Oidc,
    Oauth,
}

impl Protocol {
    /// The protocol whose endpoints `path` belongs to.
    pub(crate) fn of_path(path: &str) -> Self {
        if path.starts_with("/oauth/") {
            Self::Oauth
        } else {
            Self::Oidc
        }
    }
}

/// What a token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    Access,
    Refresh,
    Id,
}

/// One issued token.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub(crate) kind: TokenKind,
    pub(crate) jti: String,
    /// The authorization this token came from; revoking it revokes its tokens.
    pub(crate) grant_id: String,
    pub(crate) client_id: String,
    /// `None` for client-credentials tokens, which act for the application itself.
    pub(crate) user_id: Option<String>,
    pub(crate) scope: String,
    pub(crate) sid: Option<String>,
    pub(crate) protocol: Protocol,
    pub(crate) iat: u64,
    pub(crate) exp: u64,
    issued: Instant,
    lifetime: Duration,
    revoked: bool,
}

impl Token {
    /// Still usable: not revoked and not past its lifetime (to the millisecond).
    pub(crate) fn is_active(&self) -> bool {
        !self.revoked && self.issued.elapsed() < self.lifetime
    }
}

/// A code the authorize endpoint handed out, waiting for the token endpoint.
#[derive(Debug, Clone)]
pub(crate) struct Code {
    pub(crate) grant_id: String,
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    pub(crate) user_id: String,
    pub(crate) scope: String,
    pub(crate) nonce: Option<String>,
    pub(crate) challenge: Option<Challenge>,
    pub(crate) sid: String,
    pub(crate) protocol: Protocol,
    pub(crate) auth_time: u64,
    issued: Instant,
    used: bool,
}

/// A PKCE code challenge (RFC 7636) and its method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Challenge {
    pub(crate) value: String,
    pub(crate) s256: bool,
}

/// Why a code cannot be exchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CodeRefusal {
    Unknown,
    Expired,
    /// Used before: the tokens it gave were revoked (RFC 6749 §4.1.2).
    Replayed,
}

/// How long a code may wait for its exchange.
pub(crate) const CODE_LIFETIME: Duration = Duration::from_secs(60);

/// The provider's mutable state. Lives behind one mutex; no method awaits.
pub(crate) struct State {
    keys: Option<KeyRing>,
    apps: Vec<OidcApp>,
    codes: HashMap<String, Code>,
    tokens: HashMap<String, Token>,
    /// Session id to whether it was ended by a logout.
    sessions: HashMap<String, bool>,
    /// What sign-ins check credentials against.
    pub(crate) accounts: Accounts,
}

/// What a new token carries besides its kind and lifetime.
#[derive(Debug, Clone)]
pub(crate) struct Grant {
    pub(crate) grant_id: String,
    pub(crate) client_id: String,
    pub(crate) user_id: Option<String>,
    pub(crate) scope: String,
    pub(crate) sid: Option<String>,
    pub(crate) protocol: Protocol,
}

impl State {
    pub(crate) fn new(default_app: OidcApp) -> Self {
        Self {
            keys: None,
            apps: vec![default_app],
            codes: HashMap::new(),
            tokens: HashMap::new(),
            sessions: HashMap::new(),
            accounts: Accounts::default(),
        }
    }

    /// The key ring, generated on first use so that stand-ins never used as an OIDC
    /// provider never pay for an RSA key.
    pub(crate) fn keys(&mut self) -> Result<&mut KeyRing, KeyError> {
        if self.keys.is_none() {
            self.keys = Some(KeyRing::generate()?);
        }
        self.keys.as_mut().ok_or(KeyError)
    }

    pub(crate) fn apps(&self) -> &[OidcApp] {
        &self.apps
    }

    pub(crate) fn app(&self, client_id: &str) -> Option<&OidcApp> {
        self.apps.iter().find(|app| app.client_id == client_id)
    }

    /// Adds `app`, replacing one with the same client id.
    pub(crate) fn put_app(&mut self, app: OidcApp) {
        match self.apps.iter_mut().find(|a| a.client_id == app.client_id) {
            Some(slot) => *slot = app,
            None => self.apps.push(app),
        }
    }

    /// Starts a session for a sign-in and returns its id.
    pub(crate) fn open_session(&mut self) -> String {
        let sid = ids::hex(16);
        self.sessions.insert(sid.clone(), false);
        sid
    }

    pub(crate) fn session_ended(&self, sid: Option<&str>) -> bool {
        sid.is_some_and(|sid| self.sessions.get(sid).copied().unwrap_or(true))
    }

    /// Ends a session and revokes every token issued in it.
    pub(crate) fn end_session(&mut self, sid: &str) {
        self.sessions.insert(sid.to_owned(), true);
        for token in self.tokens.values_mut() {
            if token.sid.as_deref() == Some(sid) {
                token.revoked = true;
            }
        }
    }

    /// Remembers a code and returns its text.
    pub(crate) fn new_code(&mut self, code: NewCode) -> String {
        let text = ids::hex(24);
        let NewCode {
            client_id,
            redirect_uri,
            user_id,
            scope,
            nonce,
            challenge,
            sid,
            protocol,
        } = code;
        self.codes.insert(
            text.clone(),
            Code {
                grant_id: ids::hex(16),
                client_id,
                redirect_uri,
                user_id,
                scope,
                nonce,
                challenge,
                sid,
                protocol,
                auth_time: unix_now(),
                issued: Instant::now(),
                used: false,
            },
        );
        text
    }

    /// Uses up `code` for `client_id` at `protocol`'s token endpoint. A code of another
    /// client or protocol is as good as unknown.
    pub(crate) fn redeem_code(
        &mut self,
        code: &str,
        client_id: &str,
        protocol: Protocol,
    ) -> Result<Code, CodeRefusal> {
        let entry = self
            .codes
            .get_mut(code)
            .filter(|c| c.client_id == client_id && c.protocol == protocol)
            .ok_or(CodeRefusal::Unknown)?;
        if entry.used {
            let grant_id = entry.grant_id.clone();
            self.revoke_grant(&grant_id);
            return Err(CodeRefusal::Replayed);
        }
        entry.used = true;
        if entry.issued.elapsed() >= CODE_LIFETIME {
            return Err(CodeRefusal::Expired);
        }
        Ok(entry.clone())
    }

    /// Remembers a token that the caller has just made.
    pub(crate) fn remember(
        &mut self,
        text: String,
        kind: TokenKind,
        jti: String,
        grant: &Grant,
        (iat, lifetime): (u64, Duration),
    ) {
        let token = Token {
            kind,
            jti,
            grant_id: grant.grant_id.clone(),
            client_id: grant.client_id.clone(),
            user_id: grant.user_id.clone(),
            scope: grant.scope.clone(),
            sid: grant.sid.clone(),
            protocol: grant.protocol,
            iat,
            exp: iat.saturating_add(lifetime.as_secs()),
            issued: Instant::now(),
            lifetime,
            revoked: false,
        };
        self.tokens.insert(text, token);
    }

    pub(crate) fn token(&self, text: &str) -> Option<&Token> {
        self.tokens.get(text)
    }

    /// A token still usable: known, not revoked, not expired, its session not ended.
    pub(crate) fn active_token(&self, text: &str) -> Option<&Token> {
        self.tokens
            .get(text)
            .filter(|t| t.is_active() && !self.session_ended(t.sid.as_deref()))
    }

    /// Revokes one token; a refresh token takes its whole grant with it.
    pub(crate) fn revoke(&mut self, text: &str) {
        let Some(token) = self.tokens.get_mut(text) else {
            return;
        };
        token.revoked = true;
        if token.kind == TokenKind::Refresh {
            let grant_id = token.grant_id.clone();
            self.revoke_grant(&grant_id);
        }
    }

    fn revoke_grant(&mut self, grant_id: &str) {
        for token in self.tokens.values_mut() {
            if token.grant_id == grant_id {
                token.revoked = true;
            }
        }
    }
}

/// The parts of a new code, as the authorize endpoint collected them.
#[derive(Debug, Clone)]
pub(crate) struct NewCode {
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    pub(crate) user_id: String,
    pub(crate) scope: String,
    pub(crate) nonce: Option<String>,
    pub(crate) challenge: Option<Challenge>,
    pub(crate) sid: String,
    pub(crate) protocol: Protocol,
}

/// Seconds since the Unix epoch.
pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
