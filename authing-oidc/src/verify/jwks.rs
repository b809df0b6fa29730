//! The application's signing keys: fetched through the SDK transport, cached, refetched
//! for a key id the cache does not know (at most once per minimum interval) and once they
//! are older than a maximum age, never fetched twice at once, and kept when a refetch
//! fails.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use authing_core::endpoint;
use jsonwebtoken::DecodingKey;
use serde::Deserialize;
use serde_json::Value;
use tokio::time::Instant;

use super::error::VerifyError;

/// `GET /oidc/.well-known/jwks.json`: the keys Authing signs RS256 tokens with. The
/// official Node SDK reads this path for both protocols (an OAuth app's tokens are
/// signed by the same keys), and so does the discovery document's `jwks_uri`.
#[endpoint(GET, "/oidc/.well-known/jwks.json", response = JwksDocument, side = authentication,
           answer = plain, auth = none)]
pub(crate) struct GetJwks;

/// A JWKS, each key kept as JSON until it is picked apart: one key of a kind this crate
/// does not use must not spoil the others.
#[derive(Debug, Deserialize)]
pub(crate) struct JwksDocument {
    keys: Vec<Value>,
}

impl JwksDocument {
    /// The RS256 signing keys by key id. Keys of other types or uses, without a `kid`,
    /// or whose modulus or exponent is not base64url are left out.
    fn rs256_keys(&self) -> HashMap<String, DecodingKey> {
        self.keys
            .iter()
            .filter_map(|jwk| {
                let text = |name: &str| jwk.get(name).and_then(Value::as_str);
                let usable = text("kty") == Some("RSA")
                    && text("use").is_none_or(|u| u == "sig")
                    && text("alg").is_none_or(|a| a == "RS256");
                if !usable {
                    return None;
                }
                let key = DecodingKey::from_rsa_components(text("n")?, text("e")?).ok()?;
                Some((text("kid")?.to_owned(), key))
            })
            .collect()
    }
}

/// How often the keys may and must be fetched again.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timing {
    /// The shortest time between two fetches for unknown key ids.
    pub(crate) min_interval: Duration,
    /// How long fetched keys are used before they are fetched again.
    pub(crate) max_age: Duration,
}

/// What the cache holds between fetches.
#[derive(Clone, Default)]
struct Snapshot {
    keys: Arc<HashMap<String, DecodingKey>>,
    /// When a fetch last succeeded; `None` before the first success.
    fetched_at: Option<Instant>,
    /// Fetches finished, successful or not: a caller that waited for the fetch lock
    /// knows from it whether a fetch ran meanwhile.
    attempts: u64,
    last_attempt: Option<Instant>,
    /// Why the last fetch failed, if it did; handed to the callers that waited for it.
    last_error: Option<Arc<authing_core::Error>>,
}

impl Snapshot {
    /// The key `kid` names, or why there is none.
    fn key(&self, kid: &str, refetch_skipped: bool) -> Result<DecodingKey, VerifyError> {
        if let Some(key) = self.keys.get(kid) {
            return Ok(key.clone());
        }
        match &self.last_error {
            Some(source) => Err(VerifyError::JwksUnavailable {
                source: source.clone(),
            }),
            None => Err(VerifyError::UnknownKeyId {
                kid: kid.to_owned(),
                refetch_skipped,
            }),
        }
    }
}

/// The cached keys of one application. All time comes from tokio, so that tests can
/// run it on a paused clock.
#[derive(Default)]
pub(crate) struct KeyCache {
    current: RwLock<Snapshot>,
    /// Held while fetching: concurrent verifications wait for that one fetch and use
    /// its outcome instead of starting their own.
    fetching: tokio::sync::Mutex<()>,
}

impl KeyCache {
    fn snapshot(&self) -> Snapshot {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The key `kid` names: from the cache, or after one fetch with `fetch` when the
    /// cache does not know it, unless a fetch finished less than `timing.min_interval`
    /// ago.
    pub(crate) async fn key<F, Fut>(
        &self,
        kid: &str,
        timing: Timing,
        fetch: F,
    ) -> Result<DecodingKey, VerifyError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<JwksDocument, authing_core::Error>>,
    {
        let before = self.snapshot();
        if let Some(key) = before.keys.get(kid) {
            let young = |at: Option<Instant>, limit| at.is_some_and(|at| at.elapsed() < limit);
            // During an outage, a failed refresh is tried again only after the minimum
            // interval, like a refetch for an unknown key id.
            if young(before.fetched_at, timing.max_age)
                || young(before.last_attempt, timing.min_interval)
            {
                return Ok(key.clone());
            }
            // Old keys are refreshed, so that a key Authing retired stops verifying; by
            // one caller, while the others go on with the keys they have.
            let Ok(_one_fetch) = self.fetching.try_lock() else {
                return Ok(key.clone());
            };
            return self.record(fetch().await).key(kid, false);
        }
        let min_interval = timing.min_interval;
        // Random key ids must not make every verification a fetch, nor may an outage
        // before the first successful fetch: another attempt waits out the minimum
        // interval since the last one, whatever its outcome.
        let recent = before
            .last_attempt
            .is_some_and(|at| at.elapsed() < min_interval);
        if recent {
            return before.key(kid, true);
        }
        let _one_fetch = self.fetching.lock().await;
        let now = self.snapshot();
        if now.attempts != before.attempts {
            // A fetch finished while this caller waited: its outcome is this one's too.
            return now.key(kid, false);
        }
        let result = fetch().await;
        self.record(result).key(kid, false)
    }

    /// Stores the outcome of a fetch: new keys replace the old ones; a failure keeps
    /// them, so the tokens they verify still do.
    fn record(&self, result: Result<JwksDocument, authing_core::Error>) -> Snapshot {
        let mut current = self.current.write().unwrap_or_else(|p| p.into_inner());
        current.attempts += 1;
        current.last_attempt = Some(Instant::now());
        match result {
            Ok(document) => {
                current.keys = Arc::new(document.rs256_keys());
                current.fetched_at = current.last_attempt;
                current.last_error = None;
            }
            Err(error) => {
                tracing::warn!(%error, kept = current.keys.len(), "the JWKS could not be fetched; the keys known stay in use");
                current.last_error = Some(Arc::new(error));
            }
        }
        current.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document(kids: &[&str]) -> JwksDocument {
        // A real 2048-bit modulus is not needed to build a key: any base64url will do.
        let keys = kids
            .iter()
            .map(|kid| json!({"kty": "RSA", "kid": kid, "n": "sXch", "e": "AQAB", "use": "sig", "alg": "RS256"}))
            .collect();
        JwksDocument { keys }
    }

    #[test]
    fn only_rs256_signing_keys_with_an_id_are_kept() {
        let keys = JwksDocument {
            keys: vec![
                json!({"kty": "RSA", "kid": "a", "n": "sXch", "e": "AQAB"}),
                json!({"kty": "RSA", "kid": "enc", "n": "sXch", "e": "AQAB", "use": "enc"}),
                json!({"kty": "RSA", "kid": "ps", "n": "sXch", "e": "AQAB", "alg": "PS256"}),
                json!({"kty": "EC", "kid": "ec", "crv": "P-256", "x": "AA", "y": "AA"}),
                json!({"kty": "RSA", "n": "sXch", "e": "AQAB"}),
                json!({"kty": "RSA", "kid": "bad", "n": "not base64!", "e": "AQAB"}),
                json!("not a key"),
            ],
        }
        .rs256_keys();
        assert_eq!(keys.keys().collect::<Vec<_>>(), ["a"]);
    }

    #[tokio::test(start_paused = true)]
    async fn unknown_key_ids_refetch_at_most_once_per_interval() {
        let cache = KeyCache::default();
        let interval = Duration::from_secs(10);
        let timing = Timing {
            min_interval: interval,
            max_age: Duration::from_secs(3600),
        };
        let fetches = std::sync::atomic::AtomicUsize::new(0);
        let fetch = |kids: &'static [&'static str]| {
            fetches.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            async move { Ok(document(kids)) }
        };
        assert!(cache.key("a", timing, || fetch(&["a"])).await.is_ok());
        assert!(matches!(
            cache.key("b", timing, || fetch(&["a", "b"])).await,
            Err(VerifyError::UnknownKeyId {
                refetch_skipped: true,
                ..
            })
        ));
        tokio::time::advance(interval).await;
        assert!(cache.key("b", timing, || fetch(&["a", "b"])).await.is_ok());
        assert!(cache.key("a", timing, || fetch(&[])).await.is_ok());
        assert_eq!(fetches.load(std::sync::atomic::Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn while_the_first_fetch_keeps_failing_it_is_retried_at_most_once_per_interval() {
        let cache = KeyCache::default();
        let timing = Timing {
            min_interval: Duration::from_secs(10),
            max_age: Duration::from_secs(3600),
        };
        let fetches = std::sync::atomic::AtomicUsize::new(0);
        let failing = || {
            fetches.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            async {
                Err(authing_core::Error::InvalidRequest {
                    reason: "down".into(),
                })
            }
        };
        for kid in ["a", "b", "made-up"] {
            let refused = cache.key(kid, timing, failing).await;
            assert!(
                matches!(refused, Err(VerifyError::JwksUnavailable { .. })),
                "{refused:?}"
            );
        }
        assert_eq!(fetches.load(std::sync::atomic::Ordering::SeqCst), 1);
        tokio::time::advance(timing.min_interval).await;
        assert!(cache.key("a", timing, failing).await.is_err());
        assert_eq!(fetches.load(std::sync::atomic::Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn keys_older_than_the_maximum_age_are_refreshed_and_a_retired_one_refused() {
        let cache = KeyCache::default();
        let timing = Timing {
            min_interval: Duration::from_secs(10),
            max_age: Duration::from_secs(3600),
        };
        let failed = || async {
            Err(authing_core::Error::InvalidRequest {
                reason: "down".into(),
            })
        };
        assert!(
            cache
                .key("a", timing, || async { Ok(document(&["a"])) })
                .await
                .is_ok()
        );
        tokio::time::advance(timing.max_age).await;
        // A refresh that fails keeps the old keys in use...
        assert!(cache.key("a", timing, failed).await.is_ok());
        // ... one that succeeds without "a" (retired) stops it verifying.
        tokio::time::advance(timing.min_interval).await;
        let refused = cache
            .key("a", timing, || async { Ok(document(&["b"])) })
            .await;
        assert!(
            matches!(refused, Err(VerifyError::UnknownKeyId { .. })),
            "{refused:?}"
        );
        assert!(
            cache
                .key("b", timing, || async { Ok(document(&[])) })
                .await
                .is_ok()
        );
    }
}
