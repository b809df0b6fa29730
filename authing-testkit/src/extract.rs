//! What a route added with [`StandInBuilder::routes`](crate::StandInBuilder::routes)
//! can ask of the stand-in: axum extractors for its access checks and its state.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::app::App;
use crate::application::Application;
use crate::auth;
use crate::envelope::Envelope;
use crate::record::{Incoming, RecordedRequest};
use crate::store::ImportedOtp;
use crate::users::{self, User};

/// The stand-in serving a request: its users, applications and imported OTPs, the
/// request as recorded, and the access checks of its own endpoints. An axum extractor
/// for routes added with [`StandInBuilder::routes`](crate::StandInBuilder::routes).
///
/// ```
/// use authing_testkit::axum::{Router, routing::get};
/// use authing_testkit::{Context, Envelope, StandIn};
/// use serde_json::{Value, json};
///
/// /// Checks what it was sent by hand, the way the stand-in's own endpoints do.
/// async fn count_users(context: Context) -> Result<Envelope, Envelope> {
///     context.authorize_management()?;
///     Ok(Envelope::ok(json!({"totalCount": context.users().len()})))
/// }
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let routes = Router::new().route("/api/v3/count-users", get(count_users));
/// let stand_in = StandIn::builder().routes(routes).start().await?;
/// let url = format!("{}/api/v3/count-users", stand_in.base_url());
/// let answer: Value = reqwest::get(url).await?.json().await?;
/// assert_eq!(answer["statusCode"], 401); // no credentials
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Context {
    app: Arc<App>,
    request: Arc<Incoming>,
}

impl Context {
    /// The request as the stand-in recorded it.
    ///
    /// ```
    /// use authing_testkit::axum::{Router, routing::get};
    /// use authing_testkit::{Context, Envelope, StandIn};
    /// use serde_json::{Value, json};
    ///
    /// async fn echo(context: Context) -> Envelope {
    ///     Envelope::ok(json!(context.request().query_param("q")))
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let routes = Router::new().route("/echo", get(echo));
    /// let stand_in = StandIn::builder().routes(routes).start().await?;
    /// let answer: Value = reqwest::get(format!("{}/echo?q=hi", stand_in.base_url())).await?.json().await?;
    /// assert_eq!(answer["data"], "hi");
    /// # Ok(()) }
    /// ```
    pub fn request(&self) -> &RecordedRequest {
        &self.request.record
    }

    /// The body's exact bytes (the record's text replaces invalid UTF-8).
    ///
    /// Example: as for [`request`](Self::request).
    pub fn body(&self) -> &[u8] {
        &self.request.body
    }

    /// Admits a management call under either scheme, with the same checks and refusals
    /// as the stand-in's own management endpoints.
    ///
    /// # Errors
    ///
    /// The refusal to answer (statusCode 401 with Authing's apiCode).
    ///
    /// Example: see [`Context`].
    pub fn authorize_management(&self) -> Result<(), Envelope> {
        auth::management(&self.app, &self.request)
    }

    /// Admits an authentication-side call and says who made it, with the same checks
    /// and refusals as the stand-in's own authentication endpoints.
    ///
    /// # Errors
    ///
    /// The refusal to answer (statusCode 401 with Authing's apiCode).
    ///
    /// Example: see [`SignedIn`].
    pub fn authorize_user(&self) -> Result<SignedIn, Envelope> {
        auth::authentication(&self.app, &self.request)
    }

    /// Every user of the user pool.
    ///
    /// Example: see [`Context`].
    pub fn users(&self) -> Vec<User> {
        self.app.store().users().to_vec()
    }

    /// The user `id` names when read as Authing's `userIdType` `id_type` (`None` for
    /// its default, `user_id`).
    ///
    /// # Errors
    ///
    /// statusCode 404 when nobody matches, 400 for a `userIdType` the stand-in does not
    /// resolve: the answers of its own endpoints.
    ///
    /// ```
    /// use authing_testkit::axum::{Router, routing::get};
    /// use authing_testkit::{Context, Envelope, Management, StandIn};
    /// use serde_json::json;
    ///
    /// async fn username(_: Management, context: Context) -> Result<Envelope, Envelope> {
    ///     let request = context.request();
    ///     let id = request.query_param("userId").unwrap_or_default();
    ///     let user = context.find_user(id, request.query_param("userIdType"))?;
    ///     Ok(Envelope::ok(json!({"username": user.username})))
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let routes = Router::new().route("/api/v3/username", get(username));
    /// let stand_in = StandIn::builder().routes(routes).start().await?;
    /// let client = reqwest::Client::new();
    /// let answer: serde_json::Value = client
    ///     .post(format!("{}/api/v3/get-management-token", stand_in.base_url()))
    ///     .json(&json!({"accessKeyId": stand_in.access_key_id(), "accessKeySecret": stand_in.access_key_secret()}))
    ///     .send().await?.json().await?;
    /// let token = answer["data"]["access_token"].as_str().unwrap_or_default();
    /// let answer: serde_json::Value = client
    ///     .get(format!("{}/api/v3/username?userId=13800138000&userIdType=phone", stand_in.base_url()))
    ///     .bearer_auth(token)
    ///     .header("x-authing-userpool-id", stand_in.userpool_id())
    ///     .send().await?.json().await?;
    /// assert_eq!(answer["data"]["username"], "stand-in-user");
    /// # Ok(()) }
    /// ```
    pub fn find_user(&self, id: &str, id_type: Option<&str>) -> Result<User, Envelope> {
        users::find(self.app.store().users(), id, id_type).cloned()
    }

    /// Every application of the user pool.
    ///
    /// ```
    /// use authing_testkit::axum::{Router, routing::get};
    /// use authing_testkit::{Context, Envelope, StandIn};
    /// use serde_json::{Value, json};
    ///
    /// async fn names(context: Context) -> Envelope {
    ///     let names: Vec<String> = context.applications().into_iter().map(|app| app.name).collect();
    ///     Envelope::ok(names.into())
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let stand_in = StandIn::builder().routes(Router::new().route("/names", get(names))).start().await?;
    /// let answer: Value = reqwest::get(format!("{}/names", stand_in.base_url())).await?.json().await?;
    /// assert_eq!(answer["data"], json!(["stand-in-app"]));
    /// # Ok(()) }
    /// ```
    pub fn applications(&self) -> Vec<Application> {
        self.app.store().apps().to_vec()
    }

    /// The OTP imported for `user_id`, if any.
    ///
    /// ```
    /// use authing_testkit::axum::{Router, routing::get};
    /// use authing_testkit::{Context, Envelope, StandIn};
    /// use serde_json::Value;
    ///
    /// async fn has_otp(context: Context) -> Result<Envelope, Envelope> {
    ///     let user = context.authorize_user()?.user;
    ///     Ok(Envelope::ok(context.imported_otp(&user.id).is_some().into()))
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let stand_in = StandIn::builder().routes(Router::new().route("/has-otp", get(has_otp))).start().await?;
    /// let answer: Value = reqwest::Client::new()
    ///     .get(format!("{}/has-otp", stand_in.base_url()))
    ///     .header("x-authing-app-id", stand_in.app_id())
    ///     .header("authorization", stand_in.user_access_token())
    ///     .send().await?.json().await?;
    /// assert_eq!(answer["data"], false);
    /// # Ok(()) }
    /// ```
    pub fn imported_otp(&self, user_id: &str) -> Option<ImportedOtp> {
        self.app.store().otp(user_id).cloned()
    }
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("method", &self.request.record.method)
            .field("path", &self.request.record.path)
            .finish_non_exhaustive()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Context {
    type Rejection = Envelope;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Envelope> {
        let app = parts.extensions.get::<Arc<App>>().cloned();
        let request = parts.extensions.get::<Arc<Incoming>>().cloned();
        match (app, request) {
            (Some(app), Some(request)) => Ok(Self { app, request }),
            _ => Err(Envelope::failure(
                500,
                None,
                "authing_testkit::Context is only available to routes a stand-in serves \
                 (added with StandInBuilder::routes)",
            )),
        }
    }
}

/// Proof that a request is an admitted management call: an axum extractor that refuses
/// the request otherwise, as the stand-in's own management endpoints do.
///
/// ```
/// use authing_core::endpoint;
/// use authing_testkit::axum::{Json, Router, routing::post};
/// use authing_testkit::{Envelope, Management, StandIn};
/// use serde::Deserialize;
/// use serde_json::{Value, json};
///
/// async fn archive(_: Management, Json(body): Json<Value>) -> Envelope {
///     Envelope::ok(json!({"archived": body["userId"]}))
/// }
///
/// #[derive(Debug, Deserialize)]
/// struct Archived { archived: String }
///
/// #[endpoint(POST, "/api/v3/archive-user", response = Archived)]
/// struct ArchiveUser { user_id: String }
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let routes = Router::new().route("/api/v3/archive-user", post(archive));
/// let stand_in = StandIn::builder().routes(routes).start().await?;
/// let client = stand_in.management_client().build()?;
/// let answer = client.send(&ArchiveUser { user_id: "u1".into() }).await?;
/// assert_eq!(answer.archived, "u1");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Management;

impl<S: Send + Sync> FromRequestParts<S> for Management {
    type Rejection = Envelope;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Envelope> {
        Context::from_request_parts(parts, state)
            .await?
            .authorize_management()?;
        Ok(Self)
    }
}

/// Who made an admitted authentication-side call: the user and the application it
/// signed in to. An axum extractor that refuses the request otherwise, as the
/// stand-in's own authentication endpoints do.
///
/// ```
/// use authing_testkit::axum::{Router, routing::get};
/// use authing_testkit::{Envelope, SignedIn, StandIn, User};
/// use serde_json::{Value, json};
///
/// async fn whoami(caller: SignedIn) -> Envelope {
///     Envelope::ok(json!({"username": caller.user.username, "app": caller.application.name}))
/// }
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let routes = Router::new().route("/api/v3/whoami", get(whoami));
/// let stand_in = StandIn::builder().routes(routes).start().await?;
/// let bob = stand_in.add_user(User::new("bob"));
/// let token = stand_in.sign_in(&bob.id, stand_in.app_id()).expect("bob and the app exist");
///
/// let answer: Value = reqwest::Client::new()
///     .get(format!("{}/api/v3/whoami", stand_in.base_url()))
///     .header("x-authing-app-id", stand_in.app_id())
///     .header("authorization", token)
///     .send().await?.json().await?;
/// assert_eq!(answer["data"]["username"], "bob");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignedIn {
    /// The signed-in user.
    pub user: User,
    /// The application the user signed in to (`x-authing-app-id`).
    pub application: Application,
}

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = Envelope;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Envelope> {
        Context::from_request_parts(parts, state)
            .await?
            .authorize_user()
    }
}
