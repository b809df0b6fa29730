//! Walking a paginated list: one generic stream for every endpoint that takes `page` and
//! `limit` and answers `{list, totalCount}`.
//!
//! An endpoint opts in by implementing [`Paginated`] (authing-api's generated lists do);
//! [`ManagementClient::paginate`] and [`AuthenticationClient::paginate`] then turn one
//! request into a stream of every item of every page, fetching a page only when the
//! previous one has been consumed.

use std::collections::VecDeque;
use std::future::Future;

use futures_util::stream::{self, Stream};

use crate::client::{AuthenticationClient, ManagementClient};
use crate::endpoint::{AuthenticationEndpoint, Endpoint, ManagementEndpoint};
use crate::error::Error;

/// One page of a list: its items and the total Authing reports for the whole list.
///
/// ```
/// let page = authing_core::Page::new(vec!["a", "b"], 5);
/// assert_eq!(page.items.len(), 2);
/// assert_eq!(page.total_count, Some(5));
/// assert_eq!(authing_core::Page::<u8>::new(vec![], -1).total_count, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The items of this page, in Authing's order.
    pub items: Vec<T>,
    /// The number of items of the whole list; `None` when Authing sent a negative one.
    pub total_count: Option<u64>,
}

impl<T> Page<T> {
    /// A page of `items` out of `total_count` (as Authing sends it, a JSON number).
    pub fn new(items: Vec<T>, total_count: i64) -> Self {
        Self {
            items,
            total_count: u64::try_from(total_count).ok(),
        }
    }
}

/// An endpoint answering one page of a list, selected by a page number (from 1) and a
/// page size.
///
/// ```
/// use authing_core::{Page, Paginated, endpoint};
///
/// /// Lists things, a page at a time.
/// #[endpoint(GET, "/api/v3/list-things", response = ThingPage)]
/// #[derive(Clone, Default)]
/// pub struct ListThings {
///     pub page: Option<i64>,
///     pub limit: Option<i64>,
/// }
///
/// #[derive(serde::Deserialize)]
/// #[serde(rename_all = "camelCase")]
/// pub struct ThingPage {
///     pub list: Vec<String>,
///     pub total_count: i64,
/// }
///
/// impl Paginated for ListThings {
///     type Item = String;
///     fn set_page(&mut self, page: u32, limit: u32) {
///         self.page = Some(page.into());
///         self.limit = Some(limit.into());
///     }
///     fn into_page(answer: ThingPage) -> Page<String> {
///         Page::new(answer.list, answer.total_count)
///     }
/// }
///
/// let mut request = ListThings::default();
/// request.set_page(3, 50);
/// assert_eq!((request.page, request.limit), (Some(3), Some(50)));
/// ```
pub trait Paginated: Endpoint + Clone {
    /// The type of the list's items.
    type Item;

    /// Selects page `page` (the first is 1) of `limit` items.
    fn set_page(&mut self, page: u32, limit: u32);

    /// Splits an answer into its items and the list's total.
    fn into_page(answer: Self::Response) -> Page<Self::Item>;
}

impl ManagementClient {
    /// Every item of a paginated list, fetched `page_size` at a time (Authing caps most
    /// lists at 50 or 100 a page; 0 is taken as 1).
    ///
    /// The stream asks for the next page only when the items of the previous one have
    /// been taken, and ends after a page shorter than `page_size`, an empty page, or once
    /// as many items as the reported total have come. An error ends it after yielding
    /// the error; the page that failed can be fetched again by starting a new stream from
    /// a request for it.
    ///
    /// ```no_run
    /// # use authing_core::{ManagementClient, Paginated, ManagementEndpoint};
    /// use futures_util::StreamExt;
    /// # async fn run<L: Paginated + ManagementEndpoint + Send + Sync + 'static>(client: ManagementClient, list: L)
    /// # where L::Item: Send, L::Response: Send {
    /// let mut items = std::pin::pin!(client.paginate(list, 50));
    /// while let Some(item) = items.next().await {
    ///     let _item = item.expect("a page failed");
    /// }
    /// # }
    /// ```
    pub fn paginate<E>(
        &self,
        request: E,
        page_size: u32,
    ) -> impl Stream<Item = Result<E::Item, Error>> + Send + 'static
    where
        E: Paginated + ManagementEndpoint + Send + Sync + 'static,
        E::Item: Send,
        E::Response: Send,
    {
        let client = self.clone();
        walk(request, page_size, move |page: E| {
            let client = client.clone();
            async move { client.send(&page).await }
        })
    }
}

impl AuthenticationClient {
    /// Every item of a paginated list, fetched `page_size` at a time; see
    /// [`ManagementClient::paginate`].
    pub fn paginate<E>(
        &self,
        request: E,
        page_size: u32,
    ) -> impl Stream<Item = Result<E::Item, Error>> + Send + 'static
    where
        E: Paginated + AuthenticationEndpoint + Send + Sync + 'static,
        E::Item: Send,
        E::Response: Send,
    {
        let client = self.clone();
        walk(request, page_size, move |page: E| {
            let client = client.clone();
            async move { client.send(&page).await }
        })
    }
}

/// Where a walk through the pages stands.
struct Walk<E: Paginated, F> {
    request: E,
    send: F,
    page_size: u32,
    next_page: u32,
    buffered: VecDeque<E::Item>,
    seen: u64,
    done: bool,
}

/// The stream behind both clients' `paginate`: `send` fetches one page.
fn walk<E, F, Fut>(
    request: E,
    page_size: u32,
    send: F,
) -> impl Stream<Item = Result<E::Item, Error>>
where
    E: Paginated,
    F: FnMut(E) -> Fut,
    Fut: Future<Output = Result<E::Response, Error>>,
{
    let state = Walk {
        request,
        send,
        page_size: page_size.max(1),
        next_page: 1,
        buffered: VecDeque::new(),
        seen: 0,
        done: false,
    };
    stream::unfold(state, |mut walk| async move {
        loop {
            if let Some(item) = walk.buffered.pop_front() {
                return Some((Ok(item), walk));
            }
            if walk.done {
                return None;
            }
            let mut request = walk.request.clone();
            request.set_page(walk.next_page, walk.page_size);
            match (walk.send)(request).await {
                Err(error) => {
                    walk.done = true;
                    return Some((Err(error), walk));
                }
                Ok(answer) => walk.take(E::into_page(answer)),
            }
        }
    })
}

impl<E: Paginated, F> Walk<E, F> {
    /// Buffers a fetched page and decides whether another one follows.
    fn take(&mut self, page: Page<E::Item>) {
        let n = page.items.len() as u64;
        self.seen += n;
        self.next_page = self.next_page.saturating_add(1);
        let short = n < u64::from(self.page_size);
        let all_seen = page.total_count.is_some_and(|total| self.seen >= total);
        self.done = n == 0 || short || all_seen || self.next_page == u32::MAX;
        self.buffered.extend(page.items);
    }
}
