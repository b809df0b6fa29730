//! The management token: how it is asked for, read, cached, refreshed ahead of expiry and
//! dropped when Authing rejects it.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::header::HeaderValue;
use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use crate::endpoint::{Authorization, Endpoint, Metadata, Method};
use crate::error::Error;
use crate::secret::Secret;

/// A management token and what goes with it.
pub(crate) struct ManagementToken {
    pub(crate) access_token: Secret,
    pub(crate) userpool_id: String,
    pub(crate) expires_at: Instant,
    /// `authorization: Bearer …` (marked sensitive) and `x-authing-userpool-id`, made
    /// once per token rather than once per attempt.
    pub(crate) authorization: HeaderValue,
    pub(crate) userpool_header: HeaderValue,
}

impl fmt::Debug for ManagementToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManagementToken")
            .field("access_token", &self.access_token)
            .field("userpool_id", &self.userpool_id)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// The longest token lifetime believed; Authing's are two hours.
const MAX_TOKEN_LIFETIME_SECS: u64 = 24 * 60 * 60;

/// `POST /api/v3/get-management-token`. Declared by hand: the core cannot use its own
/// macro's paths. Sensitive, since the body carries the access key secret; idempotent,
/// since asking twice only yields a second token.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct GetManagementToken<'a> {
    pub(crate) access_key_id: &'a str,
    pub(crate) access_key_secret: &'a Secret,
}

impl Endpoint for GetManagementToken<'_> {
    type Response = FetchedToken;
    // The fetch is what gets the credentials: it carries none itself.
    const METADATA: Metadata = Metadata::new(Method::Post, "/api/v3/get-management-token")
        .idempotent()
        .sensitive()
        .auth(Authorization::None);
}

/// The `data` of a management-token answer.
#[derive(Deserialize)]
pub(crate) struct FetchedToken {
    access_token: Secret,
    expires_in: u64,
}

impl FetchedToken {
    /// Reads the user-pool id from the JWT's `scoped_userpool_id` claim.
    pub(crate) fn into_token(self, now: Instant) -> Result<ManagementToken, Error> {
        let userpool_id = userpool_claim(self.access_token.expose())?;
        let header = |what: &str, text: &str| {
            HeaderValue::from_str(text).map_err(|_| {
                token_shape_error(&format!("its {what} has characters a header cannot carry"))
            })
        };
        let mut authorization = header(
            "access token",
            &format!("Bearer {}", self.access_token.expose()),
        )?;
        authorization.set_sensitive(true);
        Ok(ManagementToken {
            userpool_header: header("user pool id", &userpool_id)?,
            authorization,
            access_token: self.access_token,
            userpool_id,
            // From the network: a lifetime past any real token's is cut to a day rather
            // than overflowing the clock.
            expires_at: now + Duration::from_secs(self.expires_in.min(MAX_TOKEN_LIFETIME_SECS)),
        })
    }
}

/// A management token Authing answered that cannot be used, saying why.
fn token_shape_error(why: &str) -> Error {
    Error::UnexpectedShape {
        status: reqwest::StatusCode::OK,
        body: crate::error::BodySnippet::withheld(),
        source: crate::error::shape_error(format!("the management token is unusable: {why}")),
    }
}

fn userpool_claim(jwt: &str) -> Result<String, Error> {
    #[derive(Deserialize)]
    struct Claims {
        scoped_userpool_id: String,
    }
    let bad = |why: &str| {
        token_shape_error(&format!(
            "it is not a JWT with a `scoped_userpool_id` claim: {why}"
        ))
    };
    let payload = jwt
        .split('.')
        .nth(1)
        .ok_or_else(|| bad("no payload segment"))?;
    let bytes = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| bad("payload is not base64url"))?;
    let claims: Claims = serde_json::from_slice(&bytes).map_err(|_| bad("claim missing"))?;
    Ok(claims.scoped_userpool_id)
}

/// The cached management token: fetched lazily, refreshed ahead of expiry, never fetched
/// twice at once, and kept in use if a refresh fails while it is still valid.
///
/// All time comes from tokio, so tests run it on a paused clock.
pub(crate) struct TokenCache {
    current: RwLock<Option<Cached>>,
    /// Held while fetching, so concurrent callers wait for one fetch instead of each
    /// starting their own.
    fetching: tokio::sync::Mutex<()>,
    margin: Duration,
    /// Run once inside the fall-back's check-and-write, to provoke a race in tests.
    #[cfg(test)]
    probe: std::sync::Mutex<Option<Box<dyn FnOnce() + Send>>>,
}

#[derive(Clone)]
struct Cached {
    token: Arc<ManagementToken>,
    refresh_at: Instant,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self.read().map(|c| c.token);
        f.debug_struct("TokenCache")
            .field("token", &cached)
            .field("margin", &self.margin)
            .finish()
    }
}

impl TokenCache {
    /// A cache that refreshes `margin` before expiry (at most half the token's lifetime).
    pub(crate) fn new(margin: Duration) -> Self {
        Self {
            current: RwLock::new(None),
            fetching: tokio::sync::Mutex::new(()),
            margin,
            #[cfg(test)]
            probe: std::sync::Mutex::new(None),
        }
    }

    fn read(&self) -> Option<Cached> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn write(&self, value: Option<Cached>) {
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = value;
    }

    fn fresh(&self, now: Instant) -> Option<Arc<ManagementToken>> {
        self.read().filter(|c| now < c.refresh_at).map(|c| c.token)
    }

    fn valid(&self, now: Instant) -> Option<Arc<ManagementToken>> {
        self.read()
            .filter(|c| now < c.token.expires_at)
            .map(|c| c.token)
    }

    /// The current token, fetching one with `fetch` when there is none or it is due
    /// for refresh.
    pub(crate) async fn get<F, Fut>(&self, fetch: F) -> Result<Arc<ManagementToken>, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<FetchedToken, Error>>,
    {
        let now = Instant::now();
        if let Some(token) = self.fresh(now) {
            return Ok(token);
        }
        // Due for refresh: one caller refreshes; while the token is still valid the
        // others go on with it rather than wait for the fetch.
        let _one_fetch = match self.fetching.try_lock() {
            Ok(guard) => guard,
            Err(_) => match self.valid(now) {
                Some(token) => return Ok(token),
                None => self.fetching.lock().await,
            },
        };
        // Whoever held the lock before us may have fetched already.
        if let Some(token) = self.fresh(Instant::now()) {
            return Ok(token);
        }
        let result = fetch().await.and_then(|f| f.into_token(Instant::now()));
        let now = Instant::now();
        match result {
            Ok(token) => {
                let token = Arc::new(token);
                self.write(Some(Cached {
                    refresh_at: self.refresh_time(now, token.expires_at),
                    token: token.clone(),
                }));
                tracing::debug!(userpool_id = %token.userpool_id, "fetched a management token");
                Ok(token)
            }
            Err(err) => self.fall_back(now, err),
        }
    }

    /// A failed refresh is not cached; while the old token is valid it stays in use, and
    /// the next refresh is tried after a pause rather than by every call.
    ///
    /// The check and the new refresh time are one step under the write lock: a token that
    /// a concurrent 401 dropped ([`TokenCache::invalidate`]) in between must stay dropped,
    /// not be put back and sent again.
    fn fall_back(&self, now: Instant, err: Error) -> Result<Arc<ManagementToken>, Error> {
        let mut current = self.current.write().unwrap_or_else(|p| p.into_inner());
        let Some(cached) = current.as_mut().filter(|c| now < c.token.expires_at) else {
            return Err(Error::Credentials(Box::new(err)));
        };
        #[cfg(test)]
        self.run_probe();
        let left = cached.token.expires_at - now;
        cached.refresh_at = now + (left / 2).min(Duration::from_secs(10));
        let old = cached.token.clone();
        drop(current);
        tracing::warn!(error = %err, ?left, "management token refresh failed; the current token stays in use");
        Ok(old)
    }

    /// Runs the test's probe, if one is set, at the point where a concurrent
    /// `invalidate` would do harm.
    #[cfg(test)]
    fn run_probe(&self) {
        let probe = self.probe.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(probe) = probe {
            probe();
        }
    }

    fn refresh_time(&self, now: Instant, expires_at: Instant) -> Instant {
        let lifetime = expires_at.saturating_duration_since(now);
        expires_at - self.margin.min(lifetime / 2)
    }

    /// Forgets `rejected` if it is still the cached token: a token that another call has
    /// already replaced must not throw away its replacement.
    pub(crate) fn invalidate(&self, rejected: &Arc<ManagementToken>) {
        let mut current = self.current.write().unwrap_or_else(|p| p.into_inner());
        if current
            .as_ref()
            .is_some_and(|c| Arc::ptr_eq(&c.token, rejected))
        {
            *current = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn jwt(pool: &str) -> String {
        let payload = URL_SAFE_NO_PAD.encode(format!(r#"{{"scoped_userpool_id":"{pool}"}}"#));
        format!("eyJhbGciOiJIUzI1NiJ9.{payload}.c2ln")
    }

    fn fetched(pool: &str, expires_in: u64) -> FetchedToken {
        FetchedToken {
            access_token: Secret::new(jwt(pool)),
            expires_in,
        }
    }

    #[test]
    fn userpool_claim_is_read_from_the_jwt() {
        assert_eq!(userpool_claim(&jwt("pool-1")).unwrap(), "pool-1");
        assert!(userpool_claim("not-a-jwt").is_err());
        assert!(userpool_claim("a.!!!.c").is_err());
        let no_claim = format!("a.{}.c", URL_SAFE_NO_PAD.encode("{}"));
        assert!(userpool_claim(&no_claim).is_err());
    }

    #[tokio::test(start_paused = true)]
    async fn refreshes_at_the_margin_capped_at_half_the_lifetime() {
        let cache = TokenCache::new(Duration::from_secs(300));
        let fetches = AtomicUsize::new(0);
        let fetch = || async {
            fetches.fetch_add(1, Ordering::SeqCst);
            Ok(fetched("p", 400))
        };
        cache.get(fetch).await.unwrap();
        // Margin 300 s > half of 400 s, so refresh comes at 200 s.
        tokio::time::advance(Duration::from_secs(199)).await;
        cache.get(fetch).await.unwrap();
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        tokio::time::advance(Duration::from_secs(2)).await;
        cache.get(fetch).await.unwrap();
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_refresh_keeps_the_valid_token_and_a_failed_first_fetch_is_not_cached() {
        let cache = TokenCache::new(Duration::from_secs(60));
        let first = cache.get(|| async { Ok(fetched("p", 120)) }).await.unwrap();
        tokio::time::advance(Duration::from_secs(90)).await;
        let failing = || async { Err(Error::config("Authing is down")) };
        let kept = cache.get(failing).await.unwrap();
        assert!(Arc::ptr_eq(&first, &kept));
        tokio::time::advance(Duration::from_secs(31)).await;
        assert!(matches!(
            cache.get(failing).await,
            Err(Error::Credentials(_))
        ));
        // The failure was not cached: the next fetch is tried and succeeds.
        let next = cache.get(|| async { Ok(fetched("p", 120)) }).await.unwrap();
        assert!(!Arc::ptr_eq(&first, &next));
    }

    #[tokio::test(start_paused = true)]
    async fn while_one_caller_refreshes_the_others_use_the_still_valid_token() {
        let cache = Arc::new(TokenCache::new(Duration::from_secs(60)));
        let old = cache.get(|| async { Ok(fetched("p", 120)) }).await.unwrap();
        tokio::time::advance(Duration::from_secs(90)).await;
        let release = Arc::new(tokio::sync::Notify::new());
        let refresher = {
            let (cache, release) = (cache.clone(), release.clone());
            tokio::spawn(async move {
                cache
                    .get(|| async move {
                        release.notified().await;
                        Ok(fetched("p", 120))
                    })
                    .await
            })
        };
        tokio::task::yield_now().await; // the refresher now holds the fetch
        let meanwhile = cache
            .get(|| async { Err(Error::config("must not fetch")) })
            .await
            .unwrap();
        assert!(Arc::ptr_eq(&old, &meanwhile));
        release.notify_one();
        let new = refresher.await.unwrap().unwrap();
        assert!(!Arc::ptr_eq(&old, &new));
    }

    #[test]
    fn an_absurd_lifetime_from_the_network_does_not_overflow_the_clock() {
        let now = Instant::now();
        let token = fetched("p", u64::MAX).into_token(now).unwrap();
        assert_eq!(
            token.expires_at,
            now + Duration::from_secs(MAX_TOKEN_LIFETIME_SECS)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn invalidate_drops_only_the_rejected_token() {
        let cache = TokenCache::new(Duration::from_secs(60));
        let old = cache
            .get(|| async { Ok(fetched("p", 3600)) })
            .await
            .unwrap();
        cache.invalidate(&old);
        let new = cache
            .get(|| async { Ok(fetched("p", 3600)) })
            .await
            .unwrap();
        cache.invalidate(&old); // stale rejection: the replacement stays
        let still = cache
            .get(|| async { Err(Error::config("must not fetch")) })
            .await
            .unwrap();
        assert!(Arc::ptr_eq(&new, &still));
    }

    /// A 401 that drops the token on another thread while a failed refresh falls back to
    /// it: the probe starts the rejection inside the fall-back's check-and-write and gives
    /// it 200 ms to land there. Were the check and the write two steps, the rejected
    /// token would be written back and the next call would send it again.
    #[tokio::test(start_paused = true)]
    async fn a_failed_refresh_does_not_bring_back_a_token_rejected_meanwhile() {
        let cache = Arc::new(TokenCache::new(Duration::from_secs(60)));
        let old = cache.get(|| async { Ok(fetched("p", 120)) }).await.unwrap();
        tokio::time::advance(Duration::from_secs(90)).await; // due for refresh
        let rejection = Arc::new(std::sync::Mutex::new(None));
        *cache.probe.lock().unwrap() = Some(Box::new({
            let (cache, old, rejection) = (cache.clone(), old.clone(), rejection.clone());
            move || {
                let (done, landed) = std::sync::mpsc::channel();
                let thread = std::thread::spawn(move || {
                    cache.invalidate(&old);
                    let _ = done.send(());
                });
                let _ = landed.recv_timeout(std::time::Duration::from_millis(200));
                *rejection.lock().unwrap() = Some(thread);
            }
        }));
        let failing = || async { Err(Error::config("Authing is down")) };
        let kept = cache.get(failing).await.unwrap();
        assert!(Arc::ptr_eq(&old, &kept), "valid when the refresh failed");
        let thread = rejection.lock().unwrap().take().expect("the probe ran");
        thread.join().unwrap();
        let next = cache.get(|| async { Ok(fetched("p", 120)) }).await.unwrap();
        assert!(!Arc::ptr_eq(&old, &next), "the rejected token came back");
    }
}
