//! What the sign-in endpoints check credentials against: users' passwords, passcodes
//! sent to an e-mail address or phone, LDAP and AD directory accounts, and codes of
//! social (mobile) identity providers. Tests set them through the [`StandIn`](crate::StandIn).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::keys::KeyError;
use super::password::PasswordKeys;

/// How long a passcode can be used, as Authing's SMS and e-mail codes.
pub(crate) const PASSCODE_LIFETIME: Duration = Duration::from_secs(5 * 60);

/// The user directories the `LDAP` and `AD` connections sign in against.
///
/// ```
/// assert_ne!(authing_testkit::oidc::Directory::Ldap, authing_testkit::oidc::Directory::Ad);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Directory {
    /// An LDAP directory (`connection: "LDAP"`, `ldapPayload`).
    Ldap,
    /// A Windows Active Directory (`connection: "AD"`, `adPayload`).
    Ad,
}

#[derive(Debug, Clone)]
struct DirectoryAccount {
    directory: Directory,
    sam_account_name: String,
    password: String,
    user_id: String,
}

/// The credentials of one stand-in.
#[derive(Default)]
pub(crate) struct Accounts {
    passwords: HashMap<String, String>,
    passcodes: HashMap<String, (String, Instant)>,
    directory: Vec<DirectoryAccount>,
    social: Vec<(String, String, String)>,
    keys: Option<PasswordKeys>,
}

impl Accounts {
    pub(crate) fn set_password(&mut self, user_id: &str, password: &str) {
        self.passwords
            .insert(user_id.to_owned(), password.to_owned());
    }

    pub(crate) fn password_matches(&self, user_id: &str, password: &str) -> bool {
        self.passwords
            .get(user_id)
            .is_some_and(|p| crate::auth::constant_time_eq(p.as_bytes(), password.as_bytes()))
    }

    /// A fresh six-digit code for `address` (an e-mail address or a phone number).
    pub(crate) fn issue_passcode(&mut self, address: &str) -> String {
        let code = format!("{:06}", rand::random_range(0..1_000_000u32));
        self.passcodes
            .insert(address.to_ascii_lowercase(), (code.clone(), Instant::now()));
        code
    }

    /// Uses up the passcode of `address` when `code` is it and still fresh.
    pub(crate) fn take_passcode(&mut self, address: &str, code: &str) -> bool {
        let key = address.to_ascii_lowercase();
        let fresh = self
            .passcodes
            .get(&key)
            .is_some_and(|(issued, at)| issued == code && at.elapsed() < PASSCODE_LIFETIME);
        if fresh {
            self.passcodes.remove(&key);
        }
        fresh
    }

    pub(crate) fn add_directory_account(
        &mut self,
        directory: Directory,
        sam_account_name: &str,
        password: &str,
        user_id: &str,
    ) {
        self.directory
            .retain(|a| !(a.directory == directory && a.sam_account_name == sam_account_name));
        self.directory.push(DirectoryAccount {
            directory,
            sam_account_name: sam_account_name.to_owned(),
            password: password.to_owned(),
            user_id: user_id.to_owned(),
        });
    }

    /// The user of the directory account, when the password is its.
    pub(crate) fn directory_user(
        &self,
        directory: Directory,
        sam_account_name: &str,
        password: &str,
    ) -> Option<&str> {
        self.directory
            .iter()
            .find(|a| a.directory == directory && a.sam_account_name == sam_account_name)
            .filter(|a| crate::auth::constant_time_eq(a.password.as_bytes(), password.as_bytes()))
            .map(|a| a.user_id.as_str())
    }

    /// A code that the social provider `connection` would hand a mobile app for `user_id`.
    pub(crate) fn issue_social_code(&mut self, connection: &str, user_id: &str) -> String {
        let code = crate::ids::hex(16);
        self.social
            .push((connection.to_owned(), code.clone(), user_id.to_owned()));
        code
    }

    /// Uses up a social code of `connection`; its user.
    pub(crate) fn take_social_code(&mut self, connection: &str, code: &str) -> Option<String> {
        let index = self
            .social
            .iter()
            .position(|(c, k, _)| c == connection && k == code)?;
        Some(self.social.remove(index).2)
    }

    /// The password decryption keys, generated on first use.
    pub(crate) fn keys(&mut self) -> Result<&PasswordKeys, KeyError> {
        if self.keys.is_none() {
            self.keys = Some(PasswordKeys::generate()?);
        }
        self.keys.as_ref().ok_or(KeyError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passcodes_and_social_codes_work_once() {
        let mut accounts = Accounts::default();
        let code = accounts.issue_passcode("A@example.com");
        assert!(!accounts.take_passcode("a@example.com", "not-it"));
        assert!(accounts.take_passcode("a@example.com", &code));
        assert!(!accounts.take_passcode("a@example.com", &code));
        let social = accounts.issue_social_code("wechat", "u1");
        assert_eq!(accounts.take_social_code("apple", &social), None);
        assert_eq!(
            accounts.take_social_code("wechat", &social).as_deref(),
            Some("u1")
        );
        assert_eq!(accounts.take_social_code("wechat", &social), None);
    }

    #[test]
    fn directory_accounts_are_per_directory() {
        let mut accounts = Accounts::default();
        accounts.add_directory_account(Directory::Ldap, "alice", "pw", "u1");
        assert_eq!(
            accounts.directory_user(Directory::Ldap, "alice", "pw"),
            Some("u1")
        );
        assert_eq!(accounts.directory_user(Directory::Ad, "alice", "pw"), None);
        assert_eq!(
            accounts.directory_user(Directory::Ldap, "alice", "wrong"),
            None
        );
    }
}
