//! [`Response`]: a successful call's typed `data` with what else Authing said about it.

/// The answer to a successful call: the endpoint's typed `data`, and the request id,
/// message and HTTP status Authing sent with it. [`send_with_meta`] returns it;
/// [`send`] returns only the data and pays nothing for the rest.
///
/// The request id is what Authing support asks for. The message has any secret the
/// request carried replaced by `[REDACTED]`, like every text from the server.
///
/// [`send_with_meta`]: crate::ManagementClient::send_with_meta
/// [`send`]: crate::ManagementClient::send
///
/// ```
/// let answer = authing_core::Response::new(7, Some("req-1".into()), Some("ok".into()), 200);
/// assert_eq!(answer.request_id.as_deref(), Some("req-1"));
/// assert_eq!(answer.http_status, 200);
/// assert_eq!(answer.into_data(), 7);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Response<T> {
    /// The envelope's `data`, decoded as the endpoint declares.
    pub data: T,
    /// The envelope's `requestId`: quote it to Authing support.
    pub request_id: Option<String>,
    /// The envelope's `message`, e.g. `操作成功` ("operation succeeded").
    pub message: Option<String>,
    /// The HTTP status of the answer.
    pub http_status: u16,
}

impl<T> Response<T> {
    /// A response from its parts; for tests of code that consumes one.
    ///
    /// ```
    /// let r = authing_core::Response::new((), None, None, 200);
    /// assert_eq!(r.message, None);
    /// ```
    pub fn new(
        data: T,
        request_id: Option<String>,
        message: Option<String>,
        http_status: u16,
    ) -> Self {
        Self {
            data,
            request_id,
            message,
            http_status,
        }
    }

    /// The typed data, dropping the rest.
    ///
    /// ```
    /// let r = authing_core::Response::new("data", None, None, 200);
    /// assert_eq!(r.into_data(), "data");
    /// ```
    pub fn into_data(self) -> T {
        self.data
    }
}
