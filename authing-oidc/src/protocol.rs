//! The two protocols Authing serves the same flows under, and where each keeps them.

use serde::{Deserialize, Serialize};

/// Which of Authing's two sets of sign-in endpoints an application uses: the same flows
/// are served under `/oidc/...` and under `/oauth/...`.
///
/// It serialises as its path segment, so that an endpoint's path can start with
/// `/{protocol}/`, and a stored [`PendingLogin`](crate::PendingLogin) keeps it.
///
/// ```
/// use authing_oidc::Protocol;
/// assert_eq!(Protocol::default(), Protocol::Oidc);
/// assert_eq!(Protocol::Oauth.path("token"), "/oauth/token");
/// assert_eq!(serde_json::to_string(&Protocol::Oauth).unwrap(), r#""oauth""#);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Protocol {
    /// OpenID Connect (the default, as in the official SDKs): answers ID tokens too.
    #[default]
    Oidc,
    /// Plain OAuth 2.0: access and refresh tokens only.
    Oauth,
}

impl Protocol {
    /// The first path segment of the protocol's endpoints, without slashes.
    ///
    /// ```
    /// assert_eq!(authing_oidc::Protocol::Oidc.prefix(), "oidc");
    /// ```
    pub const fn prefix(self) -> &'static str {
        match self {
            Protocol::Oidc => "oidc",
            Protocol::Oauth => "oauth",
        }
    }

    /// The path of one of the protocol's endpoints, e.g. `token/revocation`.
    ///
    /// ```
    /// use authing_oidc::Protocol;
    /// assert_eq!(Protocol::Oidc.path("token/revocation"), "/oidc/token/revocation");
    /// ```
    pub fn path(self, endpoint: &str) -> String {
        format!("/{}/{}", self.prefix(), endpoint.trim_start_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_the_official_sdk() {
        // The paths the Node SDK's AuthenticationClient uses for each protocol.
        for (protocol, prefix) in [(Protocol::Oidc, "/oidc"), (Protocol::Oauth, "/oauth")] {
            for endpoint in [
                "auth",
                "token",
                "me",
                "token/revocation",
                "token/introspection",
            ] {
                assert_eq!(protocol.path(endpoint), format!("{prefix}/{endpoint}"));
            }
        }
        assert_eq!(Protocol::Oidc.path("/session/end"), "/oidc/session/end");
    }
}
