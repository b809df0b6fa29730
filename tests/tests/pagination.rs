//! `paginate` walks a list page by page against the stand-in: every item once, in order,
//! a page fetched only when needed, stopping at a short page or the reported total, and
//! an error ending the walk. The lists are canned answers on the stand-in.

use authing_api::PostList;
use authing_core::{Endpoint, Error, Page, Paginated, endpoint};
use authing_testkit::{Fault, StandIn};
use futures_util::{StreamExt, TryStreamExt};
use serde_json::json;

/// A list endpoint declared by hand, as any user's own endpoint would be.
#[endpoint(GET, "/api/v3/list-things", response = ThingPage)]
#[derive(Debug, Clone, Default)]
struct ListThings {
    keywords: Option<String>,
    page: Option<i64>,
    limit: Option<i64>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct ThingPage {
    list: Vec<String>,
    total_count: i64,
}

impl Paginated for ListThings {
    type Item = String;
    fn set_page(&mut self, page: u32, limit: u32) {
        self.page = Some(page.into());
        self.limit = Some(limit.into());
    }
    fn into_page(answer: ThingPage) -> Page<String> {
        Page::new(answer.list, answer.total_count)
    }
}

/// Queues one canned page answer for `path`.
fn page(stand_in: &StandIn, path: &str, items: &[&str], total: i64) {
    let body =
        json!({"statusCode": 200, "message": "ok", "data": {"list": items, "totalCount": total}});
    stand_in.script_for(path, Fault::raw(200, "application/json", body.to_string()));
}

/// The `page` and `limit` query parameters of every request made to `path`.
fn pages_asked(stand_in: &StandIn, path: &str) -> Vec<(String, String)> {
    stand_in
        .requests_to(path)
        .iter()
        .map(|r| {
            let q = |n| r.query_param(n).unwrap_or("-").to_owned();
            (q("page"), q("limit"))
        })
        .collect()
}

#[tokio::test]
async fn every_item_of_every_page_comes_once_in_order() {
    let stand_in = StandIn::start().await.unwrap();
    let client = stand_in.management_client().build().unwrap();
    page(&stand_in, "/api/v3/list-things", &["a", "b"], 5);
    page(&stand_in, "/api/v3/list-things", &["c", "d"], 5);
    page(&stand_in, "/api/v3/list-things", &["e"], 5);
    let request = ListThings {
        keywords: Some("x".into()),
        ..Default::default()
    };
    let items: Vec<String> = client.paginate(request, 2).try_collect().await.unwrap();
    assert_eq!(items, ["a", "b", "c", "d", "e"]);
    let asked = pages_asked(&stand_in, "/api/v3/list-things");
    let expected: Vec<(String, String)> = [("1", "2"), ("2", "2"), ("3", "2")]
        .iter()
        .map(|(p, l)| (p.to_string(), l.to_string()))
        .collect();
    assert_eq!(asked, expected);
    // The request's own parameters go with every page.
    for r in stand_in.requests_to("/api/v3/list-things") {
        assert_eq!(r.query_param("keywords"), Some("x"));
    }
}

#[tokio::test]
async fn a_full_last_page_ends_the_walk_when_the_total_is_reached() {
    let stand_in = StandIn::start().await.unwrap();
    let client = stand_in.management_client().build().unwrap();
    page(&stand_in, "/api/v3/list-things", &["a", "b"], 4);
    page(&stand_in, "/api/v3/list-things", &["c", "d"], 4);
    let items: Vec<String> = client
        .paginate(ListThings::default(), 2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, ["a", "b", "c", "d"]);
    assert_eq!(
        pages_asked(&stand_in, "/api/v3/list-things").len(),
        2,
        "no request for an empty third page"
    );
}

#[tokio::test]
async fn the_next_page_is_fetched_only_when_the_items_before_it_are_taken() {
    let stand_in = StandIn::start().await.unwrap();
    let client = stand_in.management_client().build().unwrap();
    page(&stand_in, "/api/v3/list-things", &["a", "b"], 10);
    page(&stand_in, "/api/v3/list-things", &["c", "d"], 10);
    let mut items = std::pin::pin!(client.paginate(ListThings::default(), 2));
    assert_eq!(items.next().await.unwrap().unwrap(), "a");
    assert_eq!(items.next().await.unwrap().unwrap(), "b");
    assert_eq!(pages_asked(&stand_in, "/api/v3/list-things").len(), 1);
    assert_eq!(items.next().await.unwrap().unwrap(), "c");
    assert_eq!(pages_asked(&stand_in, "/api/v3/list-things").len(), 2);
}

#[tokio::test]
async fn a_failed_page_is_yielded_as_the_error_and_ends_the_walk() {
    let stand_in = StandIn::start().await.unwrap();
    let client = stand_in.management_client().build().unwrap();
    page(&stand_in, "/api/v3/list-things", &["a", "b"], 6);
    stand_in.script_for("/api/v3/list-things", Fault::envelope(403, Some(2_000)));
    let outcomes: Vec<Result<String, Error>> =
        client.paginate(ListThings::default(), 2).collect().await;
    assert_eq!(outcomes.len(), 3, "{outcomes:?}");
    assert_eq!(outcomes[0].as_ref().unwrap(), "a");
    assert_eq!(outcomes[1].as_ref().unwrap(), "b");
    match &outcomes[2] {
        Err(Error::Api(api)) => assert_eq!(api.api_code, Some(2_000)),
        other => panic!("expected Authing's refusal, got {other:?}"),
    }
    assert_eq!(pages_asked(&stand_in, "/api/v3/list-things").len(), 2);
}

#[tokio::test]
async fn a_generated_list_walks_its_pages_with_its_own_types() {
    let stand_in = StandIn::start().await.unwrap();
    let client = stand_in.management_client().build().unwrap();
    let path = PostList::METADATA.path;
    assert_eq!(path, "/api/v3/list-post");
    let post =
        |code: &str| json!({"code": code, "name": format!("post {code}"), "departmentCount": 1});
    for (items, total) in [(vec![post("p1"), post("p2")], 3), (vec![post("p3")], 3)] {
        let body = json!({"statusCode": 200, "message": "ok", "data": {"list": items, "totalCount": total}});
        stand_in.script_for(path, Fault::raw(200, "application/json", body.to_string()));
    }
    let posts: Vec<_> = client
        .paginate(PostList::new().with_keywords("eng"), 2)
        .try_collect()
        .await
        .unwrap();
    let codes: Vec<&str> = posts
        .iter()
        .map(|p: &authing_api::models::PostItem| p.code.as_str())
        .collect();
    assert_eq!(codes, ["p1", "p2", "p3"]);
    let asked = pages_asked(&stand_in, path);
    assert_eq!(asked.len(), 2);
    assert_eq!(asked[1], ("2".to_owned(), "2".to_owned()));
}
