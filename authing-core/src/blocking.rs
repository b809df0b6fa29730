//! Clients without `async`, for command-line tools and synchronous servers (cargo
//! feature `blocking`).
//!
//! The same clients, settings and errors as the async ones: build one with the same
//! builder, ending in [`build_blocking`](crate::ManagementClientBuilder::build_blocking)
//! instead of `build`, and `send` returns the answer instead of a future. Every call goes
//! through the async client's transport, so credentials, retries, timeouts and secret
//! handling are the same.
//!
//! Each client owns a Tokio runtime (current-thread, with I/O and timers), shared by its
//! clones and by [`AuthenticationClient::with_access_token`]; the caller needs no runtime
//! of its own. A call blocks the calling thread until it ends. Between calls nothing
//! runs: pooled connections are simply kept for the next call.
//!
//! **Inside an async runtime** (a `#[tokio::main]` program, an axum handler) a blocking
//! call does not panic, unlike starting a runtime there would: it runs on a thread of
//! its own and blocks the calling task's thread until it ends, which stalls every other
//! task of a current-thread runtime meanwhile (including, say, a test server on it).
//! There, prefer the async client, or move the call into
//! `tokio::task::spawn_blocking`. Dropping the last clone of a client inside a runtime is
//! fine too: its runtime is shut down without waiting.
//!
//! ```
//! use authing_core::{Error, ManagementAuth, ManagementClient, RetryPolicy, endpoint};
//!
//! #[endpoint(GET, "/api/v3/get-otp-secret-by-user", response = serde_json::Value, sensitive)]
//! struct GetOtpSecretByUser { user_id: String }
//!
//! // A plain function of a command-line tool: no runtime in sight.
//! fn main() -> Result<(), Error> {
//!     // A loopback port that nothing listens on any more.
//!     let port = std::net::TcpListener::bind("127.0.0.1:0")
//!         .and_then(|listener| listener.local_addr())
//!         .map_or(9, |addr| addr.port());
//!     let client = ManagementClient::builder("AK", "SK")
//!         .host(format!("http://127.0.0.1:{port}"))
//!         .auth(ManagementAuth::Signature)
//!         .retry(RetryPolicy::disabled())
//!         .build_blocking()?;
//!     let err = client.send(&GetOtpSecretByUser { user_id: "u1".into() }).unwrap_err();
//!     assert!(matches!(err, Error::Network { sent: false, .. }), "{err}");
//!     Ok(())
//! }
//! ```

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use crate::client::{AuthenticationClientBuilder, ManagementClientBuilder};
use crate::{AuthenticationEndpoint, CallOptions, Error, ManagementEndpoint, Response, Secret};

/// The runtime a blocking client and its clones share; shut down without waiting when
/// the last of them goes, which is allowed even inside another runtime.
struct OwnedRuntime(Option<tokio::runtime::Runtime>);

impl OwnedRuntime {
    fn new() -> Result<Arc<Self>, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .thread_name("authing-blocking")
            .build()
            .map_err(|e| {
                Error::config(format!(
                    "could not start the blocking client's Tokio runtime: {e}; the system may \
                     be out of threads or file descriptors"
                ))
            })?;
        Ok(Arc::new(Self(Some(runtime))))
    }

    /// Drives `call` to its end and returns its output. On a thread inside a runtime,
    /// where blocking on another runtime would panic, it is driven on a scoped thread of
    /// its own while this one waits.
    fn run<F>(&self, call: F) -> F::Output
    where
        F: Future + Send,
        F::Output: Send,
    {
        let Some(runtime) = &self.0 else {
            unreachable!("the runtime is only taken out in drop");
        };
        if tokio::runtime::Handle::try_current().is_err() {
            return runtime.block_on(call);
        }
        std::thread::scope(|scope| {
            let driver = std::thread::Builder::new()
                .name("authing-blocking-call".into())
                .spawn_scoped(scope, || runtime.block_on(call));
            match driver {
                Ok(driver) => driver
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                // No thread to be had: blocking here would panic, so the call fails.
                Err(e) => unreachable_thread(e),
            }
        })
    }
}

/// A call inside a runtime that cannot get the thread it needs; spawning a thread fails
/// only when the system is out of resources, and a panic says so plainly.
fn unreachable_thread(e: std::io::Error) -> ! {
    panic!(
        "the blocking client could not start a thread for a call made inside an async runtime: {e}"
    )
}

impl Drop for OwnedRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

impl ManagementClientBuilder {
    /// Checks the settings and builds a [`blocking::ManagementClient`](ManagementClient)
    /// with a runtime of its own.
    ///
    /// # Errors
    /// As [`build`](Self::build); [`Error::Config`] also when the runtime cannot start.
    ///
    /// ```
    /// let client = authing_core::ManagementClient::builder("AK", "SK").build_blocking()?;
    /// assert!(format!("{client:?}").starts_with("blocking::ManagementClient"));
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    pub fn build_blocking(self) -> Result<ManagementClient, Error> {
        Ok(ManagementClient {
            inner: self.build()?,
            runtime: OwnedRuntime::new()?,
        })
    }
}

impl AuthenticationClientBuilder {
    /// Checks the settings and builds a
    /// [`blocking::AuthenticationClient`](AuthenticationClient) with a runtime of its own.
    ///
    /// # Errors
    /// As [`build`](Self::build); [`Error::Config`] also when the runtime cannot start.
    ///
    /// ```
    /// let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn")
    ///     .build_blocking()?;
    /// assert!(format!("{app:?}").contains("example.authing.cn"));
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    pub fn build_blocking(self) -> Result<AuthenticationClient, Error> {
        Ok(AuthenticationClient {
            inner: self.build()?,
            runtime: OwnedRuntime::new()?,
        })
    }
}

/// [`crate::ManagementClient`] without `async`: see the [module](self). Built with
/// [`ManagementClientBuilder::build_blocking`]; cheap to clone, `Send + Sync`.
#[derive(Clone)]
pub struct ManagementClient {
    inner: crate::ManagementClient,
    runtime: Arc<OwnedRuntime>,
}

impl ManagementClient {
    /// Sends a management endpoint and returns the `data` of Authing's answer, blocking
    /// until the call ends.
    ///
    /// # Errors
    /// As [`crate::ManagementClient::send`].
    ///
    /// Example: see the [module](self).
    pub fn send<E>(&self, endpoint: &E) -> Result<E::Response, Error>
    where
        E: ManagementEndpoint + Sync,
        E::Response: Send,
    {
        self.runtime.run(self.inner.send(endpoint))
    }

    /// Like [`send`](Self::send), with per-call overrides of retries and timeout.
    ///
    /// # Errors
    /// As [`send`](Self::send).
    ///
    /// Example: as for [`send`](Self::send), with a [`CallOptions`].
    pub fn send_with<E>(&self, endpoint: &E, options: &CallOptions) -> Result<E::Response, Error>
    where
        E: ManagementEndpoint + Sync,
        E::Response: Send,
    {
        self.runtime.run(self.inner.send_with(endpoint, options))
    }

    /// Like [`send`](Self::send), returning with the typed `data` the answer's request
    /// id, message and HTTP status (see [`Response`]).
    ///
    /// # Errors
    /// As [`send`](Self::send).
    ///
    /// Example: as for [`send`](Self::send), with a [`CallOptions`].
    pub fn send_with_meta<E>(
        &self,
        endpoint: &E,
        options: &CallOptions,
    ) -> Result<Response<E::Response>, Error>
    where
        E: ManagementEndpoint + Sync,
        E::Response: Send,
    {
        self.runtime
            .run(self.inner.send_with_meta(endpoint, options))
    }

    /// The async client underneath, sharing the connection pool, token cache and retry
    /// budget; for code that is async in places. Its calls need a runtime of the caller's.
    ///
    /// ```
    /// let client = authing_core::ManagementClient::builder("AK", "SK").build_blocking()?;
    /// let shared: &authing_core::ManagementClient = client.as_async();
    /// assert!(format!("{shared:?}").starts_with("ManagementClient"));
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    pub fn as_async(&self) -> &crate::ManagementClient {
        &self.inner
    }
}

impl fmt::Debug for ManagementClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "blocking::{:?}", self.inner)
    }
}

/// [`crate::AuthenticationClient`] without `async`: see the [module](self). Built with
/// [`AuthenticationClientBuilder::build_blocking`]; cheap to clone, `Send + Sync`.
#[derive(Clone)]
pub struct AuthenticationClient {
    inner: crate::AuthenticationClient,
    runtime: Arc<OwnedRuntime>,
}

impl AuthenticationClient {
    /// A client for the same application acting for another user, sharing this one's
    /// connection pool, settings and runtime.
    ///
    /// ```
    /// let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn")
    ///     .build_blocking()?;
    /// let alice = app.with_access_token("ALICE_ACCESS_TOKEN");
    /// assert!(!format!("{alice:?}").contains("ALICE_ACCESS_TOKEN"));
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    pub fn with_access_token(&self, token: impl Into<Secret>) -> Self {
        Self {
            inner: self.inner.with_access_token(token),
            runtime: self.runtime.clone(),
        }
    }

    /// Sends an authentication endpoint and returns the `data` of Authing's answer,
    /// blocking until the call ends.
    ///
    /// # Errors
    /// As [`crate::AuthenticationClient::send`].
    ///
    /// Example: as for [`ManagementClient::send`], with an authentication endpoint.
    pub fn send<E>(&self, endpoint: &E) -> Result<E::Response, Error>
    where
        E: AuthenticationEndpoint + Sync,
        E::Response: Send,
    {
        self.runtime.run(self.inner.send(endpoint))
    }

    /// Like [`send`](Self::send), with per-call overrides of retries and timeout.
    ///
    /// # Errors
    /// As [`send`](Self::send).
    ///
    /// Example: as for [`send`](Self::send), with a [`CallOptions`].
    pub fn send_with<E>(&self, endpoint: &E, options: &CallOptions) -> Result<E::Response, Error>
    where
        E: AuthenticationEndpoint + Sync,
        E::Response: Send,
    {
        self.runtime.run(self.inner.send_with(endpoint, options))
    }

    /// Like [`send`](Self::send), returning with the typed `data` the answer's request
    /// id, message and HTTP status (see [`Response`]).
    ///
    /// # Errors
    /// As [`send`](Self::send).
    ///
    /// Example: as for [`send`](Self::send), with a [`CallOptions`].
    pub fn send_with_meta<E>(
        &self,
        endpoint: &E,
        options: &CallOptions,
    ) -> Result<Response<E::Response>, Error>
    where
        E: AuthenticationEndpoint + Sync,
        E::Response: Send,
    {
        self.runtime
            .run(self.inner.send_with_meta(endpoint, options))
    }

    /// The async client underneath, sharing the connection pool; its calls need a
    /// runtime of the caller's.
    ///
    /// ```
    /// let app = authing_core::AuthenticationClient::builder("APP_ID", "https://example.authing.cn")
    ///     .build_blocking()?;
    /// assert!(format!("{:?}", app.as_async()).starts_with("AuthenticationClient"));
    /// # Ok::<(), authing_core::Error>(())
    /// ```
    pub fn as_async(&self) -> &crate::AuthenticationClient {
        &self.inner
    }
}

impl fmt::Debug for AuthenticationClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "blocking::{:?}", self.inner)
    }
}
