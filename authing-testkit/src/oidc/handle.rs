//! The provider's part of the [`StandIn`] handle: applications, keys and tokens made to
//! order for tests of token checks.

use std::io;

use serde_json::Value;

use super::accounts::Directory;
use super::app::OidcApp;
use super::keys::KeyError;
use crate::StandIn;

impl From<KeyError> for io::Error {
    fn from(_: KeyError) -> Self {
        io::Error::other("aws-lc could not generate or use an RSA key")
    }
}

impl StandIn {
    /// The OIDC application every stand-in starts with: client id [`app_id`](Self::app_id),
    /// a random secret, `client_secret_post`, RS256 ID tokens and no registered redirect
    /// URI. Register one by adding a changed copy with [`add_oidc_app`](Self::add_oidc_app).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// let app = stand_in.oidc_app();
    /// assert_eq!(app.client_id, stand_in.app_id());
    /// assert_eq!(app.client_secret.len(), 32);
    /// # Ok(()) }
    /// ```
    pub fn oidc_app(&self) -> OidcApp {
        let state = self.shared().oidc.state();
        state
            .app(self.app_id())
            .or_else(|| state.apps().first())
            .cloned()
            .unwrap_or_else(|| OidcApp::new(self.app_id()))
    }

    /// Adds an OIDC application, or replaces the one with the same client id. The
    /// stand-in's [`Application`](crate::Application) of that id gets the same secret
    /// (and is added when there is none), so that authentication-side calls naming it in
    /// `x-authing-app-id` work with the tokens it is issued.
    ///
    /// ```
    /// use authing_testkit::oidc::{OidcApp, TokenAuthMethod};
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// stand_in.add_oidc_app(stand_in.oidc_app().token_endpoint_auth_method(TokenAuthMethod::None));
    /// assert_eq!(stand_in.oidc_app().token_endpoint_auth_method, TokenAuthMethod::None);
    /// # Ok(()) }
    /// ```
    pub fn add_oidc_app(&self, app: OidcApp) {
        let mut store = self.shared().store();
        let mut application = store
            .app(&app.client_id)
            .cloned()
            .unwrap_or_else(|| crate::Application::new(&app.client_id));
        application.id.clone_from(&app.client_id);
        application.secret.clone_from(&app.client_secret);
        store.add_app(application);
        drop(store);
        self.shared().oidc.state().put_app(app);
    }

    /// The issuer of every token, `<base URL>/oidc`, as in the discovery document.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// assert_eq!(stand_in.oidc_issuer(), format!("{}/oidc", stand_in.base_url()));
    /// # Ok(()) }
    /// ```
    pub fn oidc_issuer(&self) -> String {
        self.shared().oidc.issuer()
    }

    /// Makes a fresh RS256 key the signing key and publishes it first in the JWKS; the
    /// older keys stay published, so tokens they signed still verify. Returns the new
    /// key id.
    ///
    /// # Errors
    ///
    /// Only if aws-lc fails to generate a key, which is not expected.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// let first = stand_in.signing_key_ids()?;
    /// let kid = stand_in.rotate_signing_key()?;
    /// assert_eq!(stand_in.signing_key_ids()?, [kid, first[0].clone()]);
    /// # Ok(()) }
    /// ```
    pub fn rotate_signing_key(&self) -> io::Result<String> {
        let mut state = self.shared().oidc.state();
        Ok(state.keys()?.rotate()?)
    }

    /// Stops publishing every signing key but the current one.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// let kid = stand_in.rotate_signing_key()?;
    /// stand_in.retire_old_signing_keys();
    /// assert_eq!(stand_in.signing_key_ids()?, [kid]);
    /// # Ok(()) }
    /// ```
    pub fn retire_old_signing_keys(&self) {
        let mut state = self.shared().oidc.state();
        if let Ok(keys) = state.keys() {
            keys.retire_older();
        }
    }

    /// The key ids the JWKS publishes, the signing key first.
    ///
    /// # Errors
    ///
    /// Only if aws-lc fails to generate the first key, which is not expected.
    ///
    /// Example: see [`rotate_signing_key`](Self::rotate_signing_key).
    pub fn signing_key_ids(&self) -> io::Result<Vec<String>> {
        Ok(self.shared().oidc.state().keys()?.kids())
    }

    /// Signs any claims as an RS256 JWT with the current key (its kid in the header),
    /// as the provider signs its tokens: for testing token checks with a wrong issuer,
    /// audience, nonce or expiry. The token is not remembered, so the provider's own
    /// endpoints (userinfo, introspection) do not accept it.
    ///
    /// # Errors
    ///
    /// Only if aws-lc fails to generate or use a key, which is not expected.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// let token = stand_in.sign_jwt(&serde_json::json!({"iss": "https://elsewhere", "exp": 0}))?;
    /// assert_eq!(token.split('.').count(), 3);
    /// # Ok(()) }
    /// ```
    pub fn sign_jwt(&self, claims: &Value) -> io::Result<String> {
        let mut state = self.shared().oidc.state();
        Ok(state.keys()?.sign_rs256(claims)?)
    }

    /// Sets the password that `POST /api/v3/signin` checks for the user `user_id` (by
    /// email, phone, username or account). Users have no password until one is set.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// stand_in.set_password(stand_in.user_id(), "correct horse");
    /// # Ok(()) }
    /// ```
    pub fn set_password(&self, user_id: &str, password: &str) {
        self.shared()
            .oidc
            .state()
            .accounts
            .set_password(user_id, password);
    }

    /// Sends (here: returns) a six-digit passcode to an e-mail address or phone number,
    /// as Authing's SMS and e-mail services would; a `PASSCODE` sign-in uses it up. It
    /// lives five minutes.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// let code = stand_in.issue_passcode(&stand_in.user().email);
    /// assert_eq!(code.len(), 6);
    /// # Ok(()) }
    /// ```
    pub fn issue_passcode(&self, email_or_phone: &str) -> String {
        self.shared()
            .oidc
            .state()
            .accounts
            .issue_passcode(email_or_phone)
    }

    /// Adds (or replaces) an account of an LDAP or AD directory, signing in as the user
    /// `user_id` with `connection: "LDAP"` or `"AD"`.
    ///
    /// ```
    /// use authing_testkit::oidc::Directory;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// stand_in.add_directory_account(Directory::Ad, "alice", "pw", stand_in.user_id());
    /// # Ok(()) }
    /// ```
    pub fn add_directory_account(
        &self,
        directory: Directory,
        sam_account_name: &str,
        password: &str,
        user_id: &str,
    ) {
        let mut state = self.shared().oidc.state();
        state
            .accounts
            .add_directory_account(directory, sam_account_name, password, user_id);
    }

    /// A one-time code, as the social provider `connection` (`wechat`, `apple`, …)
    /// would hand a mobile app, that `POST /api/v3/signin-by-mobile` accepts for
    /// `user_id` when it appears in the connection's payload.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// let code = stand_in.issue_social_code("wechat", stand_in.user_id());
    /// assert_eq!(code.len(), 32);
    /// # Ok(()) }
    /// ```
    pub fn issue_social_code(&self, connection: &str, user_id: &str) -> String {
        let mut state = self.shared().oidc.state();
        state.accounts.issue_social_code(connection, user_id)
    }

    /// An MFA token for `user_id`, as Authing hands a sign-in that still has to pass
    /// multi-factor authentication; `POST /mfa/token/introspection` reports it active,
    /// with its user, for ten minutes.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let stand_in = authing_testkit::StandIn::start().await?;
    /// let token = stand_in.issue_mfa_token(stand_in.user_id());
    /// assert_ne!(token, stand_in.issue_mfa_token(stand_in.user_id()));
    /// # Ok(()) }
    /// ```
    pub fn issue_mfa_token(&self, user_id: &str) -> String {
        self.shared().oidc.mfa_tokens().issue(user_id)
    }
}
