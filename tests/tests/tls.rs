//! TLS stays verified: a private deployment with its own CA is reached by adding that CA,
//! and the same server is refused without it. Over TLS a client may speak HTTP/2, whose
//! servers refuse requests they will not act on: those are sent again, whatever the call.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use authing_core::{AuthenticationClient, Error, ManagementAuth, ManagementClient, RetryPolicy};
use authing_mfa::{EnrollmentStarted, GetOtpSecretByUser, SendEnrollFactorRequest};
use bytes::Bytes;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

const ANSWER: &str = r#"{"statusCode":200,"message":"ok","data":{"secret":"S"}}"#;

/// An HTTPS server for `localhost` with a self-signed certificate; returns its port and
/// the certificate's PEM. Answers every request with a success envelope.
async fn https_server() -> (u16, String) {
    let (port, pem, _) = counted_https_server().await;
    (port, pem)
}

/// A TLS acceptor for `localhost` with a new self-signed certificate, offering the
/// application protocols in `alpn`; and the certificate's PEM.
fn self_signed(alpn: &[&[u8]]) -> (TlsAcceptor, String) {
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let pem = certified.cert.pem();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    let mut config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key)
        .unwrap();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    (TlsAcceptor::from(Arc::new(config)), pem)
}

/// [`https_server`], also counting the connections it accepted.
async fn counted_https_server() -> (u16, String, Arc<AtomicUsize>) {
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    let (acceptor, pem) = self_signed(&[]);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(socket).await else {
                    return;
                };
                let mut buf = vec![0u8; 8192];
                let mut seen = Vec::new();
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{ANSWER}",
                    ANSWER.len()
                );
                let _ = tls.write_all(reply.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (port, pem, accepted)
}

/// An HTTP/2-only HTTPS server for `localhost` that resets the first `refusals`
/// requests with `reset` and answers the rest with a started enrollment; returns its
/// port, the certificate's PEM and the number of requests it received.
async fn h2_server(refusals: usize, reset: h2::Reason) -> (u16, String, Arc<AtomicUsize>) {
    const STARTED: &str = r#"{"statusCode":200,"message":"ok","data":{"enrollmentToken":"T"}}"#;
    let (acceptor, pem) = self_signed(&[b"h2"]);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(AtomicUsize::new(0));
    let counter = received.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let (acceptor, counter) = (acceptor.clone(), counter.clone());
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(socket).await else {
                    return;
                };
                let Ok(mut connection) = h2::server::handshake(tls).await else {
                    return;
                };
                while let Some(Ok((_request, mut respond))) = connection.accept().await {
                    if counter.fetch_add(1, Ordering::SeqCst) < refusals {
                        respond.send_reset(reset);
                        continue;
                    }
                    let head = http::Response::builder()
                        .header("content-type", "application/json")
                        .body(())
                        .unwrap();
                    let Ok(mut body) = respond.send_response(head, false) else {
                        return;
                    };
                    let _ = body.send_data(Bytes::from_static(STARTED.as_bytes()), true);
                }
            });
        }
    });
    (port, pem, received)
}

/// Starts an SMS enrollment, as a signed-in user with `retry`, against an HTTP/2 server
/// that resets the first request with `reset`; returns the outcome and the number of
/// requests the server received.
async fn enroll_after_one_reset(
    reset: h2::Reason,
    retry: RetryPolicy,
) -> (Result<EnrollmentStarted, Error>, usize) {
    let (port, pem, received) = h2_server(1, reset).await;
    let outcome = AuthenticationClient::builder("app-1", format!("https://localhost:{port}"))
        .add_root_certificate(pem.as_str())
        .retry(retry)
        .build()
        .unwrap()
        .with_access_token("user-token")
        .send(&SendEnrollFactorRequest::sms("188xxxx8888", "+86"))
        .await;
    (outcome, received.load(Ordering::SeqCst))
}

fn client(port: u16, ca: Option<&str>) -> Result<ManagementClient, Error> {
    let mut builder = ManagementClient::builder("AK", "SK")
        .host(format!("https://localhost:{port}"))
        .auth(ManagementAuth::Signature)
        .retry(RetryPolicy::disabled());
    if let Some(ca) = ca {
        builder = builder.add_root_certificate(ca);
    }
    builder.build()
}

#[tokio::test]
async fn a_private_ca_added_as_root_certificate_is_trusted() {
    let (port, pem) = https_server().await;
    let answer = client(port, Some(&pem))
        .unwrap()
        .send(&GetOtpSecretByUser::new("u"))
        .await
        .unwrap();
    assert_eq!(answer.secret.expose(), "S");
}

#[tokio::test]
async fn the_same_server_is_refused_without_its_ca() {
    let (port, _) = https_server().await;
    let err = client(port, None)
        .unwrap()
        .send(&GetOtpSecretByUser::new("u"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Network { sent: false, .. }), "{err:?}");
}

#[tokio::test]
async fn an_untrusted_certificate_is_not_retried() {
    let (port, _, accepted) = counted_https_server().await;
    let client = ManagementClient::builder("AK", "SK")
        .host(format!("https://localhost:{port}"))
        .auth(ManagementAuth::Signature)
        .retry(RetryPolicy::default().max_attempts(3))
        .build()
        .unwrap();
    let err = client
        .send(&GetOtpSecretByUser::new("u"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Network { sent: false, .. }), "{err:?}");
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        1,
        "one handshake, no retry"
    );
}

/// Starting an enrollment is not idempotent (each sends a code), so only a request the
/// server did not act on may go again: a refused stream is one.
#[tokio::test]
async fn a_refused_request_is_sent_again_though_it_is_not_idempotent() {
    let (outcome, received) =
        enroll_after_one_reset(h2::Reason::REFUSED_STREAM, RetryPolicy::default()).await;
    assert_eq!(outcome.unwrap().enrollment_token.expose(), "T");
    assert_eq!(received, 2, "refused once, then answered");
}

/// With retries off the refusal comes back as it is, marked as not acted on, so that the
/// caller knows sending it again is safe; and nothing under the SDK retried it instead.
#[tokio::test]
async fn with_retries_off_a_refusal_is_returned_as_not_sent() {
    let (outcome, received) =
        enroll_after_one_reset(h2::Reason::REFUSED_STREAM, RetryPolicy::disabled()).await;
    let err = outcome.unwrap_err();
    assert!(matches!(err, Error::Network { sent: false, .. }), "{err:?}");
    assert_eq!(received, 1);
}

/// A stream the server reset for another reason may have been acted on: a call that is
/// not idempotent fails rather than risk a second code.
#[tokio::test]
async fn a_request_reset_for_another_reason_is_not_sent_again() {
    let (outcome, received) =
        enroll_after_one_reset(h2::Reason::INTERNAL_ERROR, RetryPolicy::default()).await;
    let err = outcome.unwrap_err();
    assert!(matches!(err, Error::Network { sent: true, .. }), "{err:?}");
    assert_eq!(received, 1);
}
