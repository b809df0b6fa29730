//! The canned Authing stand-in the benchmarks call: fixed answers, no checks, so that its
//! cost is the same for every client. `cpu-per-call serve` runs it as a process of its
//! own, so that its CPU is not counted as the client's.

use std::io;
use std::net::SocketAddr;

use axum::Router;
use axum::body::Bytes;
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The OTP secret every `get-otp-secret-by-user` answer carries.
pub const OTP_SECRET: &str = "HZ2F6J3AGNAVSOTV";
/// The enrollment token every `send-enroll-factor-request` answer carries.
pub const ENROLLMENT_TOKEN: &str = "enroll-token-1";
/// The user pool the management token is scoped to.
pub const USERPOOL_ID: &str = "pool-1";

const SECRET_ANSWER: &str = r#"{"statusCode":200,"message":"操作成功","apiCode":0,"requestId":"r-1","data":{"secret":"HZ2F6J3AGNAVSOTV"}}"#;
const ENROLL_ANSWER: &str = r#"{"statusCode":200,"message":"操作成功","apiCode":0,"requestId":"r-2","data":{"enrollmentToken":"enroll-token-1"}}"#;
const EMPTY_ANSWER: &str =
    r#"{"statusCode":200,"message":"操作成功","apiCode":0,"requestId":"r-3","data":{}}"#;

/// A management token: a JWT whose claims carry the user pool and a far expiry (the
/// official SDKs read one or the other), valid two hours as Authing's are.
pub fn token_answer() -> String {
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#);
    let claims = URL_SAFE_NO_PAD.encode(format!(
        r#"{{"scoped_userpool_id":"{USERPOOL_ID}","exp":4102444800}}"#
    ));
    format!(
        r#"{{"statusCode":200,"message":"","requestId":"r-0","data":{{"access_token":"{header}.{claims}.c2ln","expires_in":7200}}}}"#
    )
}

/// The routes: the token fetch, the three benchmarked endpoints, and a 404 envelope for
/// anything else (so a wrong path fails the benchmark's checks instead of passing).
fn app() -> Router {
    let token = token_answer();
    // Every POST handler takes the body, so that it is read off the connection before
    // the answer, as a real server does.
    Router::new()
        .route(
            "/api/v3/get-management-token",
            post(move |_: Bytes| async move { token }),
        )
        .route(
            "/api/v3/get-otp-secret-by-user",
            get(|| async { SECRET_ANSWER }),
        )
        .route(
            "/api/v3/send-enroll-factor-request",
            post(|_: Bytes| async { ENROLL_ANSWER }),
        )
        .route(
            "/api/v3/import-otp",
            post(|_: Bytes| async { EMPTY_ANSWER }),
        )
        .fallback(|| async {
            r#"{"statusCode":404,"message":"no such endpoint in the canned server","apiCode":404}"#
        })
}

/// Binds a loopback port with a listen backlog deep enough for 10,000 connections
/// opened at once (tokio's default of 1,024 would make most of them wait for a SYN retry).
pub fn bind() -> io::Result<tokio::net::TcpListener> {
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
    socket.listen(16_384)
}

/// Serves the canned answers on `listener` until the process ends.
pub async fn serve(listener: tokio::net::TcpListener) -> io::Result<()> {
    axum::serve(listener, app()).await
}
