//! TLS stays verified: a private deployment with its own CA is reached by adding that CA,
//! and the same server is refused without it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use authing_core::{Error, ManagementAuth, ManagementClient, RetryPolicy};
use authing_mfa::GetOtpSecretByUser;
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

/// [`https_server`], also counting the connections it accepted.
async fn counted_https_server() -> (u16, String, Arc<AtomicUsize>) {
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let pem = certified.cert.pem();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key)
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
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
