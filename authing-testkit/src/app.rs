//! The state one stand-in's handlers share.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::watch;

use crate::application::Application;
use crate::canned::{Canned, CannedTable};
use crate::faults::{Fault, FaultQueue};
use crate::jwt::Signer;
use crate::record::RecordedRequest;
use crate::store::Store;
use crate::users::User;

/// What a stand-in was started with; fixed for its lifetime.
#[derive(Debug)]
pub(crate) struct Config {
    pub(crate) access_key_id: String,
    pub(crate) access_key_secret: String,
    pub(crate) userpool_id: String,
    /// The application every stand-in starts with.
    pub(crate) app: Application,
    /// The seeded user's access token for `app`.
    pub(crate) user_access_token: String,
    pub(crate) token_lifetime: Duration,
    pub(crate) send_interval: Duration,
    pub(crate) user: User,
}

/// Config plus everything that changes while serving. Each mutex guards plain data and
/// is never held across an `.await`.
pub(crate) struct App {
    pub(crate) config: Config,
    pub(crate) signer: Signer,
    /// The OIDC / OAuth provider's state.
    pub(crate) oidc: crate::oidc::Provider,
    store: Mutex<Store>,
    faults: Mutex<FaultQueue>,
    canned: Mutex<CannedTable>,
    log: Mutex<Vec<RecordedRequest>>,
    stop: watch::Receiver<bool>,
}

impl App {
    pub(crate) fn new(config: Config, signer: Signer, stop: watch::Receiver<bool>) -> Self {
        let mut store = Store::new(vec![config.user.clone()], vec![config.app.clone()]);
        store.remember_user_token(
            config.user_access_token.clone(),
            &config.user.id,
            &config.app.id,
        );
        let oidc = crate::oidc::Provider::new(&config.app);
        Self {
            config,
            signer,
            oidc,
            store: Mutex::new(store),
            faults: Mutex::new(FaultQueue::default()),
            canned: Mutex::new(CannedTable::default()),
            log: Mutex::new(Vec::new()),
            stop,
        }
    }

    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    pub(crate) fn faults(&self) -> MutexGuard<'_, FaultQueue> {
        lock(&self.faults)
    }

    pub(crate) fn log(&self) -> MutexGuard<'_, Vec<RecordedRequest>> {
        lock(&self.log)
    }

    pub(crate) fn canned(&self) -> MutexGuard<'_, CannedTable> {
        lock(&self.canned)
    }

    /// The canned answer for `method` and `path`, if one was set.
    pub(crate) fn canned_for(&self, method: &str, path: &str) -> Option<Canned> {
        self.canned().find(method, path)
    }

    /// Uses up the next fault scripted for `path`, if any.
    pub(crate) fn take_fault(&self, path: &str) -> Option<Fault> {
        self.faults().take(path)
    }

    /// Resolves once the stand-in is told to stop (or its handle is gone).
    pub(crate) fn stopping(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut stop = self.stop.clone();
        async move {
            // An error means the sender was dropped, which also means stop.
            let _ = stop.wait_for(|stopping| *stopping).await;
        }
    }

    /// Sleeps `delay`; `false` when cut short because the stand-in is stopping, so a
    /// scripted delay never holds up shutdown.
    pub(crate) async fn sleep_unless_stopping(&self, delay: Duration) -> bool {
        tokio::select! {
            () = tokio::time::sleep(delay) => true,
            () = self.stopping() => false,
        }
    }
}

/// Locks `mutex`, shrugging off poisoning: every critical section leaves the data
/// consistent, and one failed test must not make the stand-in panic for the next.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
