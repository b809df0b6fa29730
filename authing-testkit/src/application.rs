//! The applications of the stand-in's user pool: what the authentication side signs in to.

use crate::ids::{hex, object_id};

/// An application of the stand-in's user pool. Authentication-side calls name it in
/// `x-authing-app-id` and carry an access token that one of its users got by signing in
/// to it ([`StandIn::sign_in`](crate::StandIn::sign_in)); a token of one application is
/// refused by every other.
///
/// Every stand-in starts with one ([`StandIn::application`](crate::StandIn::application));
/// add more with [`StandIn::add_application`](crate::StandIn::add_application).
///
/// ```
/// let app = authing_testkit::Application::new("billing");
/// assert_eq!(app.name, "billing");
/// assert_eq!(app.id.len(), 24);
/// assert_ne!(app.secret, authing_testkit::Application::new("billing").secret);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Application {
    /// The application id (`x-authing-app-id`), 24 hex digits like Authing's.
    pub id: String,
    /// The application secret (for flows that authenticate the application itself).
    pub secret: String,
    /// A display name.
    pub name: String,
}

impl Application {
    /// An application called `name`, with a fresh random id and secret. Change any
    /// field before adding it.
    ///
    /// Example: see [`Application`].
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            id: object_id(),
            secret: hex(16),
            name: name.into(),
        }
    }
}
