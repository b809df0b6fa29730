//! Servers that misbehave below HTTP, where no HTTP server (the stand-in included) can:
//! they close before answering, never answer, stall or cut an answer mid-body, or
//! stream a body forever; a port where nothing listens; a host whose `connect` hangs.
//! For testing how a client copes with broken connections; what an HTTP server can
//! answer wrongly (gateway pages, throttling, garbage) is a [`Fault`](crate::Fault).
//!
//! Each [`RawServer`] listens on `127.0.0.1`, reads HTTP/1.1 requests (head and
//! `content-length` body), counts those it read in full, and then misbehaves in the way
//! its constructor names. Dropping it stops it and every connection it holds.
//!
//! ```
//! use authing_testkit::raw::RawServer;
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let server = RawServer::close_before_answer().await?;
//! let sent = reqwest::Client::new().get(server.url()).send().await;
//! assert!(sent.is_err()); // the connection closed without an answer
//! assert_eq!(server.requests(), 1);
//! # Ok(()) }
//! ```

use std::io;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

/// The head and the first bytes of an answer that announces a 100-byte JSON body.
const PARTIAL_ANSWER: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
content-length: 100\r\n\r\n{\"statusCode\":200,\"data\":";

/// What a [`RawServer`] does once it has read a request.
#[derive(Debug, Clone, Copy)]
enum Misbehaviour {
    CloseBeforeAnswer,
    NeverAnswer,
    StallMidBody,
    CutMidBody,
    EndlessBody,
}

/// A TCP server on 127.0.0.1 that reads HTTP/1.1 requests and misbehaves; see the
/// [module](self) for what each constructor does.
#[derive(Debug)]
pub struct RawServer {
    url: String,
    requests: watch::Receiver<usize>,
    task: JoinHandle<()>,
}

impl RawServer {
    /// Closes each connection without a byte of answer once it has read the request:
    /// a client cannot tell whether the request was acted on.
    ///
    /// # Errors
    ///
    /// The I/O error of binding 127.0.0.1.
    ///
    /// Example: see the [module](self).
    pub async fn close_before_answer() -> io::Result<Self> {
        Self::start(Misbehaviour::CloseBeforeAnswer).await
    }

    /// Keeps each connection open and silent until the client leaves: for attempt
    /// timeouts.
    ///
    /// # Errors
    ///
    /// The I/O error of binding 127.0.0.1.
    ///
    /// ```
    /// use std::time::Duration;
    /// use authing_testkit::raw::RawServer;
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = RawServer::never_answer().await?;
    /// let client = reqwest::Client::builder().timeout(Duration::from_millis(100)).build()?;
    /// let err = client.get(server.url()).send().await.unwrap_err();
    /// assert!(err.is_timeout());
    /// # Ok(()) }
    /// ```
    pub async fn never_answer() -> io::Result<Self> {
        Self::start(Misbehaviour::NeverAnswer).await
    }

    /// Sends a head announcing a 100-byte body and part of that body, then nothing
    /// more, keeping the connection open: a timeout while reading the body.
    ///
    /// # Errors
    ///
    /// The I/O error of binding 127.0.0.1.
    ///
    /// ```
    /// use std::time::Duration;
    /// use authing_testkit::raw::RawServer;
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = RawServer::stall_mid_body().await?;
    /// let client = reqwest::Client::builder().timeout(Duration::from_millis(100)).build()?;
    /// let answer = client.get(server.url()).send().await?; // the head arrives
    /// assert_eq!(answer.status(), 200);
    /// assert!(answer.bytes().await.unwrap_err().is_timeout());
    /// # Ok(()) }
    /// ```
    pub async fn stall_mid_body() -> io::Result<Self> {
        Self::start(Misbehaviour::StallMidBody).await
    }

    /// Sends a head announcing a 100-byte body and part of that body, then closes the
    /// connection: an answer cut short.
    ///
    /// # Errors
    ///
    /// The I/O error of binding 127.0.0.1.
    ///
    /// ```
    /// use authing_testkit::raw::RawServer;
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = RawServer::cut_mid_body().await?;
    /// let answer = reqwest::get(server.url()).await?;
    /// assert!(answer.bytes().await.is_err());
    /// # Ok(()) }
    /// ```
    pub async fn cut_mid_body() -> io::Result<Self> {
        Self::start(Misbehaviour::CutMidBody).await
    }

    /// Answers HTTP 200 with a chunked JSON body that never ends: for a client's limit
    /// on response size.
    ///
    /// # Errors
    ///
    /// The I/O error of binding 127.0.0.1.
    ///
    /// ```
    /// use authing_testkit::raw::RawServer;
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = RawServer::endless_body().await?;
    /// let mut answer = reqwest::get(server.url()).await?;
    /// let mut read = 0;
    /// while read < 1 << 20 {
    ///     read += answer.chunk().await?.map_or(0, |chunk| chunk.len());
    /// }
    /// assert!(read >= 1 << 20); // and more would come
    /// # Ok(()) }
    /// ```
    pub async fn endless_body() -> io::Result<Self> {
        Self::start(Misbehaviour::EndlessBody).await
    }

    async fn start(how: Misbehaviour) -> io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let (counter, requests) = watch::channel(0);
        let counter = Arc::new(counter);
        let task = tokio::spawn(async move {
            let mut connections = JoinSet::new();
            while let Ok((socket, _)) = listener.accept().await {
                connections.spawn(misbehave(socket, how, counter.clone()));
            }
        });
        Ok(Self {
            url,
            requests,
            task,
        })
    }

    /// `http://127.0.0.1:<port>`.
    ///
    /// Example: see the [module](self).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// How many requests it has read in full so far.
    ///
    /// Example: see the [module](self).
    pub fn requests(&self) -> usize {
        *self.requests.borrow()
    }

    /// The requests read in full, once there are `expected` of them or `within` has
    /// passed: a client that gave up on an attempt (a timeout) may return before the
    /// server has read that attempt's request.
    ///
    /// ```
    /// use std::time::Duration;
    /// use authing_testkit::raw::RawServer;
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = RawServer::close_before_answer().await?;
    /// assert_eq!(server.wait_for_requests(1, Duration::from_millis(50)).await, 0);
    /// let _ = reqwest::get(server.url()).await;
    /// assert_eq!(server.wait_for_requests(1, Duration::from_secs(2)).await, 1);
    /// # Ok(()) }
    /// ```
    pub async fn wait_for_requests(&self, expected: usize, within: Duration) -> usize {
        let mut requests = self.requests.clone();
        let arrived = requests.wait_for(|&n| n >= expected);
        let _ = tokio::time::timeout(within, arrived).await;
        *requests.borrow()
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        // Aborting the accept loop drops its JoinSet, which aborts every connection.
        self.task.abort();
    }
}

async fn misbehave(mut socket: TcpStream, how: Misbehaviour, requests: Arc<watch::Sender<usize>>) {
    // One request per connection: no misbehaviour ends an answer, so a client never
    // sends a second one on it.
    if read_request(&mut socket).await.is_none() {
        return;
    }
    requests.send_modify(|n| *n += 1);
    match how {
        Misbehaviour::CloseBeforeAnswer => {}
        Misbehaviour::NeverAnswer => wait_for_close(&mut socket).await,
        Misbehaviour::StallMidBody => {
            let _ = socket.write_all(PARTIAL_ANSWER).await;
            wait_for_close(&mut socket).await;
        }
        Misbehaviour::CutMidBody => {
            let _ = socket.write_all(PARTIAL_ANSWER).await;
            let _ = socket.shutdown().await;
        }
        Misbehaviour::EndlessBody => endless_body(&mut socket).await,
    }
}

/// A chunked 200 whose 16 KiB chunks of spaces never end, until the client leaves.
async fn endless_body(socket: &mut TcpStream) {
    let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
transfer-encoding: chunked\r\n\r\n";
    if socket.write_all(head).await.is_err() {
        return;
    }
    let mut chunk = b"4000\r\n".to_vec();
    chunk.resize(chunk.len() + 0x4000, b' ');
    chunk.extend_from_slice(b"\r\n");
    while socket.write_all(&chunk).await.is_ok() {}
}

/// Reads one request's head and its `content-length` body; `None` if the client left
/// first.
async fn read_request(socket: &mut TcpStream) -> Option<()> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = socket.read(&mut chunk).await.ok().filter(|&n| n > 0)?;
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buffer.len() < head_end.saturating_add(length) {
        let n = socket.read(&mut chunk).await.ok().filter(|&n| n > 0)?;
        buffer.extend_from_slice(&chunk[..n]);
    }
    Some(())
}

/// Holds the connection until the client closes it.
async fn wait_for_close(socket: &mut TcpStream) {
    let mut sink = [0u8; 1024];
    while matches!(socket.read(&mut sink).await, Ok(n) if n > 0) {}
}

/// A loopback URL where nothing listens: connecting to it is refused at once.
///
/// # Errors
///
/// The I/O error of binding 127.0.0.1 to find a free port.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
/// let url = authing_testkit::raw::refused_url().await?;
/// let err = reqwest::get(&url).await.unwrap_err();
/// assert!(err.is_connect());
/// # Ok(()) }
/// ```
pub async fn refused_url() -> io::Result<String> {
    // The port was free a moment ago and nobody binds it again on purpose; another
    // process could, which is as unlikely as it is harmless to the tests using this.
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    drop(listener);
    Ok(format!("http://{addr}"))
}

/// A loopback listener whose accept queue is full and never drained, so that a new
/// connection's SYN is dropped and `connect` hangs: how a black-holed host looks, on
/// loopback. Dropping it frees the port.
///
/// ```
/// use std::time::Duration;
/// use authing_testkit::raw::BlackHole;
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let hole = BlackHole::start().await?;
/// let client = reqwest::Client::builder().connect_timeout(Duration::from_millis(100)).build()?;
/// let err = client.get(hole.url()).send().await.unwrap_err();
/// assert!(err.is_connect() && err.is_timeout(), "{err:?}");
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct BlackHole {
    url: String,
    _listener: TcpListener,
    _queued: Vec<TcpStream>,
}

impl BlackHole {
    /// Fills a fresh listener's accept queue (backlog 1) with connections that are
    /// never accepted.
    ///
    /// # Errors
    ///
    /// The I/O error of binding or connecting, or [`io::ErrorKind::Unsupported`] when
    /// the kernel completes connections past a full queue (Linux drops the SYN, as this
    /// relies on).
    ///
    /// Example: see [`BlackHole`].
    pub async fn start() -> io::Result<Self> {
        let socket = TcpSocket::new_v4()?;
        socket.bind("127.0.0.1:0".parse().map_err(io::Error::other)?)?;
        let listener = socket.listen(1)?;
        let addr = listener.local_addr()?;
        let mut queued = Vec::new();
        for _ in 0..16 {
            // A loopback connect completes in the kernel at once; 300 ms without one
            // (under the 1 s before a dropped SYN is sent again) means the queue is full.
            match tokio::time::timeout(Duration::from_millis(300), TcpStream::connect(addr)).await {
                Ok(stream) => queued.push(stream?),
                Err(_) => {
                    return Ok(Self {
                        url: format!("http://{addr}"),
                        _listener: listener,
                        _queued: queued,
                    });
                }
            }
        }
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "this kernel completes connections past a full accept queue, so connect never hangs",
        ))
    }

    /// `http://127.0.0.1:<port>`.
    ///
    /// Example: see [`BlackHole`].
    pub fn url(&self) -> &str {
        &self.url
    }
}
