//! What the SDK costs per call over the floor: a hand-written reqwest call that sends the
//! same request and decodes the same answer, against the same loopback server, in the
//! same run. The server answers canned bytes, so the network and the server cost the same
//! for both and the difference is the SDK's own work (request building, credentials,
//! span, retry bookkeeping, envelope decoding).
//!
//! `cargo bench -p authing-benches`; the ratio is read from the two `time:` lines.

use std::net::SocketAddr;

use authing_core::{ManagementAuth, ManagementClient};
use authing_mfa::GetOtpSecretByUser;
use axum::Router;
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use criterion::{Criterion, criterion_group, criterion_main};
use serde::Deserialize;
use tokio::runtime::Runtime;

const SECRET_ANSWER: &str = r#"{"statusCode":200,"message":"操作成功","requestId":"r-1","data":{"secret":"HZ2F6J3AGNAVSOTV"}}"#;

fn token_answer() -> String {
    let claims = URL_SAFE_NO_PAD.encode(r#"{"scoped_userpool_id":"pool-1"}"#);
    format!(
        r#"{{"statusCode":200,"data":{{"access_token":"eyJhbGciOiJIUzI1NiJ9.{claims}.c2ln","expires_in":7200}}}}"#
    )
}

/// A loopback server answering canned envelopes.
async fn canned_server() -> SocketAddr {
    let token = token_answer();
    let app = Router::new()
        .route(
            "/api/v3/get-management-token",
            post(move || async move { token }),
        )
        .route(
            "/api/v3/get-otp-secret-by-user",
            get(|| async { SECRET_ANSWER }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// The floor: the same GET with the same headers, decoded into the same shape, written
/// directly on reqwest with a precomputed token.
struct Floor {
    http: reqwest::Client,
    url: String,
    authorization: String,
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "statusCode")]
    status_code: i64,
    data: Option<Secret>,
}

#[derive(Deserialize)]
struct Secret {
    secret: String,
}

impl Floor {
    async fn call(&self) -> String {
        let body = self
            .http
            .get(&self.url)
            .header("accept", "application/json")
            .header("x-authing-sdk-version", "floor:0")
            .header("x-authing-lang", "zh-CN")
            .header("authorization", &self.authorization)
            .header("x-authing-userpool-id", "pool-1")
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let envelope: Envelope = serde_json::from_slice(&body).unwrap();
        assert_eq!(envelope.status_code, 200);
        envelope.data.unwrap().secret
    }
}

fn call_overhead(c: &mut Criterion) {
    let runtime = Runtime::new().unwrap();
    let addr = runtime.block_on(canned_server());
    let base = format!("http://{addr}");
    let floor = Floor {
        http: reqwest::Client::new(),
        url: format!("{base}/api/v3/get-otp-secret-by-user?userId=u1&userIdType=user_id"),
        authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln".to_owned(),
    };
    let client = |auth| {
        ManagementClient::builder("AK", "SK")
            .host(base.clone())
            .auth(auth)
            .build()
            .unwrap()
    };
    let token = client(ManagementAuth::Token);
    let signed = client(ManagementAuth::Signature);
    let get = GetOtpSecretByUser::new("u1");
    runtime.block_on(async {
        // Warm connections and the token cache, and check all three work.
        assert_eq!(floor.call().await, "HZ2F6J3AGNAVSOTV");
        assert_eq!(
            token.send(&get).await.unwrap().secret.expose(),
            "HZ2F6J3AGNAVSOTV"
        );
        assert_eq!(
            signed.send(&get).await.unwrap().secret.expose(),
            "HZ2F6J3AGNAVSOTV"
        );
    });

    let mut group = c.benchmark_group("get-otp-secret-by-user over loopback");
    group.bench_function("floor: hand-written reqwest", |b| {
        b.to_async(&runtime).iter(|| floor.call())
    });
    group.bench_function("authing-rs, token scheme", |b| {
        b.to_async(&runtime)
            .iter(|| async { token.send(&get).await.unwrap() })
    });
    group.bench_function("authing-rs, signature scheme", |b| {
        b.to_async(&runtime)
            .iter(|| async { signed.send(&get).await.unwrap() })
    });
    group.finish();
}

criterion_group!(benches, call_overhead);
criterion_main!(benches);
