//! OTP enrollments started with `send-enroll-factor-request` and not yet finished with
//! `enroll-factor`: what the stand-in remembers between the two calls.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How long an enrollment token is good for: one minute, as Authing documents.
pub(crate) const ENROLLMENT_LIFETIME: Duration = Duration::from_secs(60);

/// One started OTP enrollment.
#[derive(Debug, Clone)]
pub(crate) struct PendingOtp {
    /// The user who started it; only they may finish it.
    pub(crate) user_id: String,
    /// The base32 secret handed out in the otpauth URI.
    pub(crate) secret: String,
    /// The recovery code handed out with it.
    pub(crate) recovery_code: String,
    started: Instant,
}

/// Why an enrollment token cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refused {
    /// Never issued, already used, or issued to another user (not told apart, so a
    /// token cannot be probed for its owner).
    Unknown,
    /// Issued more than [`ENROLLMENT_LIFETIME`] ago.
    Expired,
}

/// Started enrollments by token.
#[derive(Debug, Default)]
pub(crate) struct Enrollments {
    pending: HashMap<String, PendingOtp>,
}

impl Enrollments {
    /// Remembers an OTP enrollment of `user_id` under `token`. Expired ones are
    /// forgotten first, so a long run does not grow the map without bound.
    pub(crate) fn start(
        &mut self,
        token: String,
        user_id: &str,
        secret: String,
        recovery_code: String,
        now: Instant,
    ) {
        self.pending
            .retain(|_, p| now.duration_since(p.started) < ENROLLMENT_LIFETIME);
        let pending = PendingOtp {
            user_id: user_id.to_owned(),
            secret,
            recovery_code,
            started: now,
        };
        self.pending.insert(token, pending);
    }

    /// The enrollment `user_id` started under `token`, if still good at `now`. It stays
    /// remembered, so a mistyped code can be retried until it expires.
    pub(crate) fn find(
        &self,
        token: &str,
        user_id: &str,
        now: Instant,
    ) -> Result<&PendingOtp, Refused> {
        let pending = self
            .pending
            .get(token)
            .filter(|p| p.user_id == user_id)
            .ok_or(Refused::Unknown)?;
        if now.duration_since(pending.started) >= ENROLLMENT_LIFETIME {
            return Err(Refused::Expired);
        }
        Ok(pending)
    }

    /// Forgets `token` once its enrollment is finished: a token enrolls once.
    pub(crate) fn finish(&mut self, token: &str) {
        self.pending.remove(token);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn started(now: Instant) -> Enrollments {
        let mut e = Enrollments::default();
        e.start("t".into(), "u1", "SECRET".into(), "rc".into(), now);
        e
    }

    #[test]
    fn an_enrollment_is_found_by_its_user_within_a_minute() {
        let now = Instant::now();
        let e = started(now);
        let found = e.find("t", "u1", now + Duration::from_secs(59)).unwrap();
        assert_eq!(found.secret, "SECRET");
        assert_eq!(e.find("t", "u2", now).unwrap_err(), Refused::Unknown);
        assert_eq!(e.find("x", "u1", now).unwrap_err(), Refused::Unknown);
    }

    #[test]
    fn an_enrollment_expires_after_one_minute_and_is_used_once() {
        let now = Instant::now();
        let mut e = started(now);
        assert_eq!(
            e.find("t", "u1", now + ENROLLMENT_LIFETIME).unwrap_err(),
            Refused::Expired
        );
        e.finish("t");
        assert_eq!(e.find("t", "u1", now).unwrap_err(), Refused::Unknown);
    }

    #[test]
    fn expired_enrollments_are_forgotten_when_another_starts() {
        let now = Instant::now();
        let mut e = started(now);
        let later = now + ENROLLMENT_LIFETIME;
        e.start("t2".into(), "u1", "S2".into(), "rc".into(), later);
        assert_eq!(e.pending.len(), 1);
        assert!(e.find("t2", "u1", later).is_ok());
    }
}
