//! What a user of the testkit builds on: canned answers for any method and path, more
//! than one user and application, and routes of their own.

mod common;

use authing_core::{Error, ManagementAuth, endpoint};
use authing_testkit::axum::Router;
use authing_testkit::axum::routing::{get, post};
use authing_testkit::{
    Access, Application, Canned, Context, Envelope, Fault, Management, SignedIn, StandIn, User,
    api_code,
};
use common::{Answer, ENROLL_PATH, Signed, management_token, url, with_token};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize, PartialEq)]
struct Department {
    name: String,
}

/// A management endpoint the stand-in does not implement.
#[endpoint(GET, "/api/v3/get-department", response = Department)]
struct GetDepartment {
    department_id: String,
}

/// An authentication-side endpoint the stand-in does not implement.
#[endpoint(POST, "/api/v3/update-profile", response = Value, side = authentication)]
struct UpdateProfile {
    nickname: String,
}

const DEPARTMENT: &str = "/api/v3/get-department";
const PROFILE: &str = "/api/v3/update-profile";

fn get_department() -> GetDepartment {
    GetDepartment {
        department_id: "d1".into(),
    }
}

fn api_code_of(err: &Error) -> Option<i64> {
    match err {
        Error::Api(api) => api.api_code,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

async fn stand_in() -> StandIn {
    StandIn::start().await.expect("the stand-in starts")
}

// ---------------------------------------------------------------------------------------
// Canned answers.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_canned_management_answer_reaches_a_declared_endpoint_under_both_schemes() {
    let stand_in = stand_in().await;
    stand_in.canned(Canned::management("GET", DEPARTMENT).data(json!({"name": "R&D"})));
    for auth in [ManagementAuth::Token, ManagementAuth::Signature] {
        let client = stand_in.management_client().auth(auth).build().unwrap();
        let department = client.send(&get_department()).await.unwrap();
        assert_eq!(department.name, "R&D", "{auth:?}");
    }
    let seen = stand_in.requests_to(DEPARTMENT);
    assert_eq!(seen.len(), 2);
    assert!(
        seen.iter()
            .all(|r| r.query_param("departmentId") == Some("d1"))
    );
}

#[tokio::test]
async fn a_canned_management_answer_refuses_what_the_own_endpoints_refuse() {
    let stand_in = stand_in().await;
    stand_in.canned(Canned::management("GET", DEPARTMENT).data(json!({"name": "R&D"})));

    // No credentials at all.
    let bare = Answer::read(reqwest::get(url(&stand_in, DEPARTMENT)).await.unwrap()).await;
    bare.assert_failure(401, Some(api_code::NOT_SIGNED_IN));

    // A signature made with the wrong secret.
    let mut forged = Signed::get(&stand_in, DEPARTMENT, &[("departmentId", "d1")]);
    forged.secret = "not-the-secret".into();
    forged
        .send(&stand_in)
        .await
        .assert_failure(401, Some(api_code::SIGNATURE_INVALID));

    // A revoked token.
    let token = management_token(&stand_in).await;
    stand_in.revoke_tokens();
    with_token(&stand_in, &token, reqwest::Method::GET, DEPARTMENT, None)
        .await
        .assert_failure(401, Some(api_code::NOT_SIGNED_IN));

    // A user's access token is not a management credential.
    let as_user = reqwest::Client::new()
        .get(url(&stand_in, DEPARTMENT))
        .header("authorization", stand_in.user_access_token())
        .send()
        .await
        .unwrap();
    Answer::read(as_user)
        .await
        .assert_failure(401, Some(api_code::NOT_SIGNED_IN));
}

#[tokio::test]
async fn a_canned_user_answer_needs_a_signed_in_user_of_the_named_app() {
    let stand_in = stand_in().await;
    stand_in.canned(Canned::user("POST", PROFILE).data(json!({"ok": true})));
    let call = UpdateProfile {
        nickname: "al".into(),
    };
    let user = stand_in.authentication_client().build().unwrap();
    assert_eq!(user.send(&call).await.unwrap(), json!({"ok": true}));
    assert_eq!(
        stand_in.requests_to(PROFILE)[0].json(),
        Some(json!({"nickname": "al"}))
    );

    let stranger = stand_in
        .authentication_client()
        .access_token("not-a-token")
        .build()
        .unwrap();
    let err = stranger.send(&call).await.unwrap_err();
    assert_eq!(api_code_of(&err), Some(api_code::NOT_SIGNED_IN), "{err}");

    let unknown_app =
        authing_core::AuthenticationClient::builder("no-such-app", stand_in.base_url())
            .access_token(stand_in.user_access_token())
            .build()
            .unwrap();
    let err = unknown_app.send(&call).await.unwrap_err();
    assert_eq!(api_code_of(&err), Some(api_code::APP_NOT_FOUND), "{err}");
}

#[tokio::test]
async fn a_canned_answer_overrides_an_own_endpoint_for_its_method_only_until_removed() {
    let stand_in = stand_in().await;
    stand_in.canned(
        Canned::anyone("POST", ENROLL_PATH).answer(Envelope::failure(503, Some(42), "maintenance")),
    );
    let post = || {
        reqwest::Client::new()
            .post(url(&stand_in, ENROLL_PATH))
            .body("{}")
    };
    Answer::read(post().send().await.unwrap())
        .await
        .assert_failure(503, Some(42));
    // Another method is still the stand-in's: a 404 for this path.
    let get = reqwest::get(url(&stand_in, ENROLL_PATH)).await.unwrap();
    assert_eq!(get.status(), 404);

    assert!(stand_in.remove_canned("POST", ENROLL_PATH));
    // The stand-in's own endpoint again: it wants a signed-in user.
    Answer::read(post().send().await.unwrap())
        .await
        .assert_failure(401, Some(api_code::APP_NOT_FOUND));
}

#[tokio::test]
async fn a_scripted_fault_comes_before_a_canned_answer() {
    let stand_in = stand_in().await;
    stand_in.canned(Canned::anyone("GET", "/x").data(json!(1)));
    stand_in.script(Fault::http(502));
    assert_eq!(
        reqwest::get(url(&stand_in, "/x")).await.unwrap().status(),
        502
    );
    let answer = Answer::read(reqwest::get(url(&stand_in, "/x")).await.unwrap()).await;
    assert_eq!(answer.assert_ok().data(), &json!(1));
}

#[tokio::test]
async fn a_computed_canned_answer_sees_each_request() {
    let stand_in = stand_in().await;
    stand_in.canned(
        Canned::new(Access::Anyone, "GET", "/api/v3/list-things").answer_with(|request| {
            let page: i64 = request
                .query_param("page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(0);
            Envelope::ok(json!({"list": [page], "totalCount": 3}))
        }),
    );
    for page in 1..=3 {
        let target = format!("{}?page={page}", url(&stand_in, "/api/v3/list-things"));
        let answer = Answer::read(reqwest::get(target).await.unwrap()).await;
        assert_eq!(answer.assert_ok().data()["list"], json!([page]));
    }
}

// ---------------------------------------------------------------------------------------
// More than one user and application.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn each_user_is_signed_in_to_one_app_and_the_others_refuse_the_token() {
    let stand_in = stand_in().await;
    let bob = stand_in.add_user(User::new("bob"));
    let billing = stand_in.add_application(Application::new("billing"));
    stand_in.canned(Canned::user("POST", PROFILE));

    let token = stand_in.sign_in(&bob.id, &billing.id).expect("known ids");
    let bob_on_billing =
        authing_core::AuthenticationClient::builder(&billing.id, stand_in.base_url())
            .access_token(token.clone())
            .build()
            .unwrap();
    let call = UpdateProfile {
        nickname: "bob".into(),
    };
    bob_on_billing.send(&call).await.unwrap();

    // The same token on the first application is refused.
    let bob_on_default = stand_in
        .authentication_client()
        .access_token(token)
        .build()
        .unwrap();
    let err = bob_on_default.send(&call).await.unwrap_err();
    assert_eq!(api_code_of(&err), Some(api_code::NOT_SIGNED_IN), "{err}");
    // And the seeded user's token is not one for billing.
    let seeded_on_billing =
        authing_core::AuthenticationClient::builder(&billing.id, stand_in.base_url())
            .access_token(stand_in.user_access_token())
            .build()
            .unwrap();
    assert!(seeded_on_billing.send(&call).await.is_err());

    assert_eq!(stand_in.sign_in("nobody", &billing.id), None);
    assert_eq!(stand_in.sign_in(&bob.id, "no-app"), None);
}

#[tokio::test]
async fn own_endpoints_act_for_the_user_who_signed_in() {
    let stand_in = stand_in().await;
    let bob = stand_in.add_user(User::new("bob"));
    let token = management_token(&stand_in).await;
    let import = json!({"list": [{"userId": bob.id, "otp": {"secret": "JBSWY3DPEHPK3PXP"}}]});
    with_token(
        &stand_in,
        &token,
        reqwest::Method::POST,
        common::IMPORT_PATH,
        Some(import),
    )
    .await
    .assert_ok();
    // Found by another userIdType too.
    let by_name = format!("{}?userId=bob&userIdType=username", common::SECRET_PATH);
    let answer = with_token(&stand_in, &token, reqwest::Method::GET, &by_name, None).await;
    assert_eq!(answer.assert_ok().data()["secret"], "JBSWY3DPEHPK3PXP");

    let factors = |access_token: String| {
        reqwest::Client::new()
            .get(url(&stand_in, "/api/v3/list-enrolled-factors"))
            .header("x-authing-app-id", stand_in.app_id())
            .header("authorization", access_token)
            .send()
    };
    let bob_token = stand_in.sign_in(&bob.id, stand_in.app_id()).unwrap();
    let bobs = Answer::read(factors(bob_token).await.unwrap()).await;
    assert_eq!(bobs.assert_ok().data().as_array().map(Vec::len), Some(1));
    let seeded = stand_in.user_access_token().to_owned();
    let seeded = Answer::read(factors(seeded).await.unwrap()).await;
    assert_eq!(seeded.assert_ok().data(), &json!([]));
}

#[test]
fn new_users_and_apps_get_fresh_ids() {
    assert_ne!(User::new("a").id, User::new("a").id);
    assert_ne!(User::new("a").phone, User::new("b").phone);
    assert_ne!(Application::new("a").id, Application::new("a").id);
}

// ---------------------------------------------------------------------------------------
// Routes of one's own.
// ---------------------------------------------------------------------------------------

async fn department(_: Management, context: Context) -> Envelope {
    let id = context
        .request()
        .query_param("departmentId")
        .unwrap_or_default();
    Envelope::ok(json!({"name": format!("department {id}")}))
}

async fn profile(caller: SignedIn, context: Context) -> Result<Envelope, Envelope> {
    let body: Value =
        serde_json::from_slice(context.body()).map_err(|e| Envelope::bad_request(e.to_string()))?;
    Ok(Envelope::ok(json!({
        "user": caller.user.username,
        "app": caller.application.name,
        "nickname": body["nickname"],
    })))
}

fn own_routes() -> Router {
    Router::new()
        .route(DEPARTMENT, get(department))
        .route(PROFILE, post(profile))
}

async fn stand_in_with_routes() -> StandIn {
    StandIn::builder()
        .routes(own_routes())
        .start()
        .await
        .expect("the stand-in starts")
}

#[tokio::test]
async fn an_added_route_serves_a_declared_endpoint_behind_the_management_check() {
    let stand_in = stand_in_with_routes().await;
    for auth in [ManagementAuth::Token, ManagementAuth::Signature] {
        let client = stand_in.management_client().auth(auth).build().unwrap();
        let answer = client.send(&get_department()).await.unwrap();
        assert_eq!(answer.name, "department d1");
    }
    let bare = Answer::read(reqwest::get(url(&stand_in, DEPARTMENT)).await.unwrap()).await;
    bare.assert_failure(401, Some(api_code::NOT_SIGNED_IN));
    assert_eq!(
        stand_in.requests_to(DEPARTMENT).len(),
        3,
        "every call recorded"
    );
}

#[tokio::test]
async fn an_added_route_knows_which_user_of_which_app_called() {
    let stand_in = stand_in_with_routes().await;
    let carol = stand_in.add_user(User::new("carol"));
    let shop = stand_in.add_application(Application::new("shop"));
    let token = stand_in.sign_in(&carol.id, &shop.id).unwrap();
    let client = authing_core::AuthenticationClient::builder(&shop.id, stand_in.base_url())
        .access_token(token)
        .build()
        .unwrap();
    let answer = client
        .send(&UpdateProfile {
            nickname: "cc".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        answer,
        json!({"user": "carol", "app": "shop", "nickname": "cc"})
    );
}

#[tokio::test]
async fn added_routes_leave_the_own_ones_and_unknown_paths_alone() {
    let stand_in = stand_in_with_routes().await;
    // An own endpoint still answers.
    let answer = Answer::read(
        reqwest::Client::new()
            .post(url(&stand_in, common::TOKEN_PATH))
            .json(&json!({"accessKeyId": stand_in.access_key_id(), "accessKeySecret": stand_in.access_key_secret()}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    answer.assert_ok();
    // Unknown paths, and another method on an added path, are 404 envelopes.
    for response in [
        reqwest::get(url(&stand_in, "/nowhere")).await.unwrap(),
        reqwest::Client::new()
            .post(url(&stand_in, DEPARTMENT))
            .send()
            .await
            .unwrap(),
    ] {
        let answer = Answer::read(response).await;
        assert_eq!(
            (answer.http, answer.status_code()),
            (404, 404),
            "{}",
            answer.json
        );
    }
}

#[tokio::test]
async fn an_added_route_can_replace_an_own_endpoint_and_faults_still_apply() {
    let replaced = Router::new().route(
        ENROLL_PATH,
        post(|| async { Envelope::ok(json!({"enrollmentToken": "mine"})) }),
    );
    let stand_in = StandIn::builder().routes(replaced).start().await.unwrap();
    let post = || {
        reqwest::Client::new()
            .post(url(&stand_in, ENROLL_PATH))
            .send()
    };
    let answer = Answer::read(post().await.unwrap()).await;
    assert_eq!(answer.assert_ok().data()["enrollmentToken"], "mine");

    stand_in.script_for(ENROLL_PATH, Fault::http(503));
    assert_eq!(post().await.unwrap().status(), 503);
}

#[tokio::test]
async fn routers_given_twice_are_merged() {
    let first = Router::new().route("/one", get(|| async { Envelope::ok(json!(1)) }));
    let second = Router::new().route("/two", get(|| async { Envelope::ok(json!(2)) }));
    let stand_in = StandIn::builder()
        .routes(first)
        .routes(second)
        .start()
        .await
        .unwrap();
    for (path, value) in [("/one", 1), ("/two", 2)] {
        let answer = Answer::read(reqwest::get(url(&stand_in, path)).await.unwrap()).await;
        assert_eq!(answer.assert_ok().data(), &json!(value));
    }
}

#[tokio::test]
async fn the_extractors_refuse_outside_a_stand_in() {
    use authing_testkit::axum::body::Body;
    use authing_testkit::axum::extract::FromRequestParts as _;
    use authing_testkit::axum::http::Request;

    let (mut parts, _) = Request::new(Body::empty()).into_parts();
    let refused = Context::from_request_parts(&mut parts, &())
        .await
        .unwrap_err();
    let json = refused.to_json();
    assert_eq!(json["statusCode"], 500);
    assert!(
        json["message"]
            .as_str()
            .unwrap()
            .contains("StandInBuilder::routes")
    );
}
