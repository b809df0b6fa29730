//! Canned answers: an authenticated answer for any method and path, so that an endpoint
//! the stand-in does not implement can still be tested end to end.

use std::fmt;
use std::sync::Arc;

use axum::http::Method;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::app::App;
use crate::auth;
use crate::envelope::Envelope;
use crate::record::{Incoming, RecordedRequest};

/// Who may call a path: checked with the same rules as the stand-in's own endpoints,
/// and refused with the same answers (statusCode 401 and Authing's apiCodes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Access {
    /// A management call under either scheme: `Bearer <management token>` with
    /// `x-authing-userpool-id`, or an `authing <accessKeyId>:<signature>` signature.
    Management,
    /// An authentication-side call: `x-authing-app-id` of an application and the access
    /// token of a user signed in to it.
    User,
    /// Anybody: nothing is checked.
    Anyone,
}

/// An answer the stand-in gives to every request with one method and path, once the
/// caller passed the [`Access`] check, until replaced. Set it with
/// [`StandIn::canned`](crate::StandIn::canned). It takes precedence over the stand-in's
/// own endpoint for that method and path; a scripted [`Fault`](crate::Fault) still comes
/// first, and every request is recorded.
///
/// ```
/// use authing_core::endpoint;
/// use authing_testkit::{Canned, StandIn, api_code};
/// use serde::Deserialize;
/// use serde_json::json;
///
/// #[derive(Debug, Deserialize)]
/// struct Department { name: String }
///
/// /// An endpoint of your own, which the stand-in does not implement.
/// #[endpoint(GET, "/api/v3/get-department", response = Department)]
/// struct GetDepartment { department_id: String }
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let stand_in = StandIn::start().await?;
/// stand_in.canned(Canned::management("GET", "/api/v3/get-department").data(json!({"name": "R&D"})));
///
/// let client = stand_in.management_client().build()?;
/// let call = GetDepartment { department_id: "d1".into() };
/// assert_eq!(client.send(&call).await?.name, "R&D");
/// assert_eq!(stand_in.requests_to("/api/v3/get-department")[0].query_param("departmentId"), Some("d1"));
///
/// // The same access checks as the stand-in's own endpoints.
/// let stranger = authing_core::ManagementClient::builder("AK", "SK")
///     .host(stand_in.base_url())
///     .auth(authing_core::ManagementAuth::Signature)
///     .build()?;
/// let refused = stranger.send(&call).await.unwrap_err();
/// assert!(
///     matches!(&refused, authing_core::Error::Api(api) if api.api_code == Some(api_code::SIGNATURE_INVALID)),
///     "{refused}"
/// );
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Canned {
    method: Method,
    path: String,
    access: Access,
    answer: Answer,
}

#[derive(Clone)]
enum Answer {
    Fixed(Envelope),
    Computed(Arc<dyn Fn(&RecordedRequest) -> Envelope + Send + Sync>),
}

impl Canned {
    /// A success without `data` for `method` (such as `"GET"`) and `path` (exact,
    /// without query), to callers that pass `access`. Change the answer with
    /// [`data`](Self::data), [`answer`](Self::answer) or
    /// [`answer_with`](Self::answer_with).
    ///
    /// # Panics
    ///
    /// When `method` is not an HTTP method token: a mistake in a test, reported where
    /// it was written.
    ///
    /// ```
    /// use authing_testkit::{Access, Canned};
    /// let canned = Canned::new(Access::Anyone, "GET", "/health");
    /// assert_eq!(canned.path(), "/health");
    /// ```
    pub fn new(access: Access, method: &str, path: impl Into<String>) -> Self {
        let method = Method::from_bytes(method.as_bytes())
            .unwrap_or_else(|_| panic!("Canned: {method:?} is not an HTTP method"));
        Self {
            method,
            path: path.into(),
            access,
            answer: Answer::Fixed(Envelope::ok_empty()),
        }
    }

    /// [`new`](Self::new) with [`Access::Management`].
    ///
    /// Example: see [`Canned`].
    pub fn management(method: &str, path: impl Into<String>) -> Self {
        Self::new(Access::Management, method, path)
    }

    /// [`new`](Self::new) with [`Access::User`].
    ///
    /// ```
    /// use authing_testkit::{Canned, StandIn};
    /// use serde_json::{Value, json};
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let stand_in = StandIn::start().await?;
    /// stand_in.canned(Canned::user("GET", "/api/v3/get-profile").data(json!({"nickname": "al"})));
    /// let answer: Value = reqwest::Client::new()
    ///     .get(format!("{}/api/v3/get-profile", stand_in.base_url()))
    ///     .header("x-authing-app-id", stand_in.app_id())
    ///     .header("authorization", stand_in.user_access_token())
    ///     .send().await?.json().await?;
    /// assert_eq!(answer["data"]["nickname"], "al");
    /// # Ok(()) }
    /// ```
    pub fn user(method: &str, path: impl Into<String>) -> Self {
        Self::new(Access::User, method, path)
    }

    /// A success carrying `data`.
    ///
    /// Example: see [`Canned`].
    #[must_use]
    pub fn data(self, data: Value) -> Self {
        self.answer(Envelope::ok(data))
    }

    /// Any envelope: a business error, a success with an unusual `message`, a
    /// different HTTP status.
    ///
    /// ```
    /// use authing_testkit::{Canned, Envelope, StandIn};
    /// use serde_json::Value;
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let stand_in = StandIn::start().await?;
    /// let refusal = Envelope::failure(403, Some(2020), "not allowed");
    /// stand_in.canned(Canned::anyone("POST", "/api/v3/delete-everything").answer(refusal));
    /// let url = format!("{}/api/v3/delete-everything", stand_in.base_url());
    /// let answer: Value = reqwest::Client::new().post(url).send().await?.json().await?;
    /// assert_eq!((answer["statusCode"].as_i64(), answer["apiCode"].as_i64()), (Some(403), Some(2020)));
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn answer(mut self, envelope: Envelope) -> Self {
        self.answer = Answer::Fixed(envelope);
        self
    }

    /// An envelope computed from each request, for answers that depend on it (a page of
    /// a list, an echo of an id).
    ///
    /// ```
    /// use authing_testkit::{Canned, Envelope, StandIn};
    /// use serde_json::{Value, json};
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let stand_in = StandIn::start().await?;
    /// stand_in.canned(Canned::anyone("GET", "/api/v3/list-things").answer_with(|request| {
    ///     let page: u64 = request.query_param("page").and_then(|p| p.parse().ok()).unwrap_or(1);
    ///     Envelope::ok(json!({"list": [page * 10], "totalCount": 30}))
    /// }));
    /// let url = format!("{}/api/v3/list-things?page=2", stand_in.base_url());
    /// let answer: Value = reqwest::get(url).await?.json().await?;
    /// assert_eq!(answer["data"]["list"], json!([20]));
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn answer_with(
        mut self,
        answer: impl Fn(&RecordedRequest) -> Envelope + Send + Sync + 'static,
    ) -> Self {
        self.answer = Answer::Computed(Arc::new(answer));
        self
    }

    /// [`new`](Self::new) with [`Access::Anyone`].
    ///
    /// Example: see [`answer`](Self::answer).
    pub fn anyone(method: &str, path: impl Into<String>) -> Self {
        Self::new(Access::Anyone, method, path)
    }

    /// The method it answers.
    ///
    /// ```
    /// assert_eq!(authing_testkit::Canned::user("PUT", "/x").method(), "PUT");
    /// ```
    pub fn method(&self) -> &str {
        self.method.as_str()
    }

    /// The path it answers.
    ///
    /// Example: see [`new`](Self::new).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Who may call it.
    ///
    /// ```
    /// use authing_testkit::{Access, Canned};
    /// assert_eq!(Canned::management("GET", "/x").access(), Access::Management);
    /// ```
    pub fn access(&self) -> Access {
        self.access
    }

    /// The answer to `req`: the access check's refusal, or the canned envelope.
    pub(crate) fn respond(&self, app: &App, req: &Incoming) -> Response {
        let admitted = match self.access {
            Access::Management => auth::management(app, req),
            Access::User => auth::authentication(app, req).map(drop),
            Access::Anyone => Ok(()),
        };
        match (admitted, &self.answer) {
            (Err(refusal), _) => refusal.into_response(),
            (Ok(()), Answer::Fixed(envelope)) => envelope.clone().into_response(),
            (Ok(()), Answer::Computed(answer)) => answer(&req.record).into_response(),
        }
    }
}

impl fmt::Debug for Canned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let answer = match &self.answer {
            Answer::Fixed(envelope) => format!("{envelope:?}"),
            Answer::Computed(_) => "computed per request".to_owned(),
        };
        f.debug_struct("Canned")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("access", &self.access)
            .field("answer", &answer)
            .finish()
    }
}

/// The canned answers of one stand-in, at most one per method and path.
#[derive(Debug, Default)]
pub(crate) struct CannedTable {
    entries: Vec<Canned>,
}

impl CannedTable {
    /// Adds `canned`, replacing the answer for the same method and path.
    pub(crate) fn set(&mut self, canned: Canned) {
        self.entries
            .retain(|known| (&known.method, &known.path) != (&canned.method, &canned.path));
        self.entries.push(canned);
    }

    pub(crate) fn find(&self, method: &str, path: &str) -> Option<Canned> {
        self.entries
            .iter()
            .find(|known| known.method.as_str() == method && known.path == path)
            .cloned()
    }

    /// Removes the answer for `method` and `path`; whether there was one.
    pub(crate) fn remove(&mut self, method: &str, path: &str) -> bool {
        let before = self.entries.len();
        self.entries
            .retain(|known| !(known.method.as_str() == method && known.path == path));
        self.entries.len() != before
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_answer_per_method_and_path_and_the_last_one_wins() {
        let mut table = CannedTable::default();
        table.set(Canned::anyone("GET", "/a").data(Value::from(1)));
        table.set(Canned::anyone("POST", "/a").data(Value::from(2)));
        table.set(Canned::management("GET", "/a").data(Value::from(3)));
        let get = table.find("GET", "/a").expect("GET /a");
        assert_eq!(get.access(), Access::Management);
        assert!(table.find("GET", "/b").is_none());
        assert!(table.remove("GET", "/a"));
        assert!(!table.remove("GET", "/a"));
        assert!(table.find("POST", "/a").is_some());
    }

    #[test]
    #[should_panic(expected = "not an HTTP method")]
    fn a_method_that_is_no_token_is_refused_when_written() {
        let _ = Canned::anyone("GE T", "/a");
    }
}
