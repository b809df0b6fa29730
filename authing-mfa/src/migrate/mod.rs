//! Bulk migration of users' OTP secrets into Authing, as the `migrate-otp` example runs
//! it: read and check a CSV file first ([`read_csv`]), then import the good rows in
//! batches ([`import`]), narrowing a batch Authing refuses down to the rows it refuses.
//!
//! The file has the header `userId,secret,recoveryCode` (any order; `recoveryCode` may
//! be left out or empty). Each row is checked before anything is sent: a user id, a
//! base32 secret of at least [`MIN_SECRET_BITS`](crate::MIN_SECRET_BITS), and no user
//! on two rows (every row of such a user is refused, since which secret is right cannot
//! be known). Rows are reported by their line in the file; no secret is ever part of a
//! reason or a [`Debug`] output.
//!
//! Importing the same file twice sets each user to the same secret again, so a second
//! run is safe. It also replaces a secret a user changed in between (by enrolling a new
//! authenticator), so run a migration before users start enrolling.
//!
//! ```
//! let file = "userId,secret,recoveryCode\nu1,HZ2F6J3AGNAVSOTV,\nu2,not-base32,\n";
//! let plan = authing_mfa::migrate::read_csv(file.as_bytes()).unwrap();
//! assert_eq!(plan.rows.len(), 1);
//! assert_eq!(plan.rejected[0].line, 3);
//! assert!(plan.rejected[0].reason.contains("base32"));
//! ```

mod file;
mod import;
mod summary;

pub use file::{FileError, Plan, read_csv};
pub use import::{DEFAULT_BATCH_SIZE, ImportOutcome, Progress, import};
pub use summary::Summary;

use authing_core::Secret;

/// One checked row of the file: what to import for one user.
///
/// ```
/// let plan = authing_mfa::migrate::read_csv("userId,secret\nu1,hz2f6j3agnavsotv\n".as_bytes()).unwrap();
/// let row = &plan.rows[0];
/// assert_eq!((row.line, row.user_id.as_str()), (2, "u1"));
/// assert_eq!(row.secret.expose(), "HZ2F6J3AGNAVSOTV"); // normalised
/// assert!(!format!("{row:?}").contains("HZ2F6J3AGNAVSOTV"));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct OtpRow {
    /// The row's line in the file, counting the header as line 1.
    pub line: usize,
    /// The user's Authing id.
    pub user_id: String,
    /// The OTP secret, base32, normalised by [`validate_secret`](crate::validate_secret).
    pub secret: Secret,
    /// The recovery code, when the row has one.
    pub recovery_code: Option<Secret>,
}

/// A row that was not imported, and why.
///
/// ```
/// let r = authing_mfa::migrate::Rejected::new(7, Some("u1".into()), "no secret");
/// assert_eq!(r.to_string(), "line 7 (user u1): no secret");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Rejected {
    /// The row's line in the file.
    pub line: usize,
    /// The row's user id, when it has one.
    pub user_id: Option<String>,
    /// What is wrong, never quoting the secret.
    pub reason: String,
}

impl Rejected {
    /// A rejection of the row on `line`.
    ///
    /// ```
    /// let r = authing_mfa::migrate::Rejected::new(3, None, "no userId");
    /// assert_eq!((r.line, r.user_id), (3, None));
    /// ```
    pub fn new(line: usize, user_id: Option<String>, reason: impl Into<String>) -> Self {
        Self {
            line,
            user_id,
            reason: reason.into(),
        }
    }
}

impl std::fmt::Display for Rejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.user_id {
            Some(user) => write!(f, "line {} (user {user}): {}", self.line, self.reason),
            None => write!(f, "line {}: {}", self.line, self.reason),
        }
    }
}
