//! The HTTP server: recording every request, applying scripted faults, then routing.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt as _;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::app::App;
use crate::envelope::Envelope;
use crate::faults::Fault;
use crate::record::{Incoming, RecordedRequest};
use crate::routes;

/// The largest request body the stand-in accepts; larger ones are answered HTTP 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// How much of an oversized body is still read (and dropped) before answering 413:
/// answering while the client is still sending would make it see a reset connection
/// instead of the 413 a test wants to observe.
const DRAIN_LIMIT: usize = 16 * MAX_BODY_BYTES;

/// Serves `app` on `listener` until [`App::stopping`] resolves, then shuts down
/// gracefully: idle connections close, requests in flight finish. `extra` routes (a
/// user's) are tried first; paths they do not route go to the stand-in's own.
pub(crate) fn spawn(app: Arc<App>, listener: TcpListener, extra: Option<Router>) -> JoinHandle<()> {
    let own = routes::router(app.clone());
    let router = match extra {
        Some(extra) => routes::in_front_of(extra, own),
        None => own,
    };
    let router = router.layer(middleware::from_fn_with_state(app.clone(), capture));
    let stopping = app.stopping();
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router)
            .with_graceful_shutdown(stopping)
            .await
        {
            tracing::warn!(%error, "the Authing stand-in stopped on an error");
        }
    })
}

/// Reads and records the request, then answers a scripted fault or hands the request on
/// with the body and its record attached for the handlers.
async fn capture(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = match read_body(body).await {
        Ok(bytes) => bytes,
        Err(refusal) => {
            app.log().push(RecordedRequest::new(&parts, b""));
            return refusal.into_response();
        }
    };
    let mut record = RecordedRequest::new(&parts, &bytes);
    let fault = app.take_fault(&record.path);
    record.scripted = fault.is_some();
    app.log().push(record.clone());
    let incoming = Incoming {
        record,
        body: bytes,
    };
    match fault {
        Some(fault) => answer_fault(app, &fault, parts, incoming, next).await,
        None => forward(app, parts, incoming, next).await,
    }
}

async fn answer_fault(
    app: Arc<App>,
    fault: &Fault,
    parts: Parts,
    incoming: Incoming,
    next: Next,
) -> Response {
    if !app.sleep_unless_stopping(fault.wait()).await {
        let envelope =
            Envelope::failure(503, None, "the stand-in shut down during a scripted delay");
        return envelope
            .with_http(StatusCode::SERVICE_UNAVAILABLE)
            .into_response();
    }
    if let Some(response) = fault.response(&incoming.record) {
        return response;
    }
    let mut response = forward(app, parts, incoming, next).await;
    fault.decorate(&mut response);
    response
}

/// Answers with the canned answer for the request's method and path if there is one,
/// otherwise hands the request to the routes, with its record and the stand-in attached
/// for handlers and extractors.
async fn forward(app: Arc<App>, parts: Parts, incoming: Incoming, next: Next) -> Response {
    if let Some(canned) = app.canned_for(&incoming.record.method, &incoming.record.path) {
        return canned.respond(&app, &incoming);
    }
    let mut request = Request::from_parts(parts, Body::from(incoming.body.clone()));
    request.extensions_mut().insert(Arc::new(incoming));
    request.extensions_mut().insert(app);
    next.run(request).await
}

/// The whole body, or the envelope refusing it: HTTP 413 over [`MAX_BODY_BYTES`],
/// statusCode 400 when it cannot be read.
async fn read_body(mut body: Body) -> Result<Bytes, Envelope> {
    let mut kept = BytesMut::new();
    let mut total = 0usize;
    while let Some(frame) = body.frame().await {
        let frame =
            frame.map_err(|e| Envelope::bad_request(format!("could not read the body: {e}")))?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        total = total.saturating_add(data.len());
        if total <= MAX_BODY_BYTES {
            kept.extend_from_slice(&data);
        } else if total > DRAIN_LIMIT {
            break;
        }
    }
    if total > MAX_BODY_BYTES {
        let message = format!("the body is larger than {MAX_BODY_BYTES} bytes");
        return Err(Envelope::failure(413, None, message).with_http(StatusCode::PAYLOAD_TOO_LARGE));
    }
    Ok(kept.freeze())
}
