//! The logout URL: where the browser goes to end the user's session at Authing.

use authing_core::Secret;

use crate::protocol::Protocol;
use crate::url::QueryBuilder;

/// What a logout URL carries besides the application's host; see
/// [`OidcClient::logout_url`](crate::OidcClient::logout_url).
///
/// ```
/// use authing_oidc::LogoutOptions;
/// let options = LogoutOptions::default().redirect_uri("https://my.app/").state("s1");
/// assert_eq!(options.redirect_uri.as_deref(), Some("https://my.app/"));
/// assert!(options.id_token_hint.is_none());
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct LogoutOptions {
    /// The ID token of the session to end (OpenID Connect's `id_token_hint`): Authing
    /// needs it to find the session, and to check the redirect against the application.
    pub id_token_hint: Option<Secret>,
    /// Where the browser goes after the logout: OpenID Connect's
    /// `post_logout_redirect_uri`, OAuth 2.0's `redirect_uri`.
    pub redirect_uri: Option<String>,
    /// Handed back to the redirect unchanged (OpenID Connect only, and only with a
    /// redirect).
    pub state: Option<String>,
}

impl LogoutOptions {
    /// The ID token of the session to end. It travels in the URL: that is what the
    /// protocol asks, and an ID token grants no access by itself.
    ///
    /// ```
    /// let token = authing_core::Secret::from("a.b.c");
    /// let options = authing_oidc::LogoutOptions::default().id_token_hint(&token);
    /// assert_eq!(options.id_token_hint, Some(token));
    /// ```
    #[must_use]
    pub fn id_token_hint(mut self, id_token: &Secret) -> Self {
        self.id_token_hint = Some(id_token.clone());
        self
    }

    /// Where the browser goes after the logout.
    ///
    /// ```
    /// let options = authing_oidc::LogoutOptions::default().redirect_uri("https://my.app/bye");
    /// assert_eq!(options.redirect_uri.as_deref(), Some("https://my.app/bye"));
    /// ```
    #[must_use]
    pub fn redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(uri.into());
        self
    }

    /// A value handed back to the redirect.
    ///
    /// ```
    /// let options = authing_oidc::LogoutOptions::default().state("s1");
    /// assert_eq!(options.state.as_deref(), Some("s1"));
    /// ```
    #[must_use]
    pub fn state(mut self, state: impl Into<String>) -> Self {
        self.state = Some(state.into());
        self
    }
}

/// The logout URL at `app_host` under `protocol`, as the official Node SDK builds it (but
/// with every value percent-encoded: it leaves OAuth's `redirect_uri` as it is).
pub(crate) fn logout_url(app_host: &str, protocol: Protocol, options: &LogoutOptions) -> String {
    match protocol {
        Protocol::Oidc => {
            let mut url = QueryBuilder::new(format!("{app_host}{}", protocol.path("session/end")));
            if let Some(hint) = &options.id_token_hint {
                url.pair("id_token_hint", hint.expose());
            }
            if let Some(uri) = &options.redirect_uri {
                url.pair("post_logout_redirect_uri", uri);
                // RP-initiated logout hands `state` to the redirect; without one it has
                // nowhere to go, so the SDKs leave it out.
                if let Some(state) = &options.state {
                    url.pair("state", state);
                }
            }
            url.finish()
        }
        // OAuth 2.0 has no session endpoint: Authing's own logout page takes a redirect.
        Protocol::Oauth => {
            let mut url = QueryBuilder::new(format!("{app_host}/login/profile/logout"));
            if let Some(uri) = &options.redirect_uri {
                url.pair("redirect_uri", uri);
            }
            url.finish()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oidc_state_goes_only_with_a_redirect() {
        let options = LogoutOptions::default().state("s1");
        assert_eq!(
            logout_url("https://x", Protocol::Oidc, &options),
            "https://x/oidc/session/end"
        );
    }

    #[test]
    fn oauth_uses_authings_logout_page() {
        let options = LogoutOptions::default()
            .redirect_uri("https://my.app/?a=1&b=2")
            .id_token_hint(&Secret::from("ignored"))
            .state("ignored");
        assert_eq!(
            logout_url("https://x", Protocol::Oauth, &options),
            "https://x/login/profile/logout?redirect_uri=https%3A%2F%2Fmy.app%2F%3Fa%3D1%26b%3D2"
        );
        assert_eq!(
            logout_url("https://x", Protocol::Oauth, &LogoutOptions::default()),
            "https://x/login/profile/logout"
        );
    }
}
