//! Valid endpoints using every part of the syntax, checked at run time: what serde
//! sends, what `write_parts` writes, the metadata and the side.
#![deny(warnings)]

use authing_core::{
    AuthenticationEndpoint, Endpoint, ManagementEndpoint, Method, RequestParts, endpoint,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Deserialize)]
pub struct Thing {
    pub id: String,
}

#[derive(Debug, Serialize)]
pub struct Extra {
    pub note: String,
}

/// Reads a thing.
#[endpoint(GET, "/api/v3/things/{id}", response = Thing, side = authentication, idempotent, sensitive)]
pub struct GetThing {
    pub id: String,
    #[endpoint(query)]
    pub page: Option<u32>,
    #[endpoint(body)]
    pub extra: Option<Extra>,
    #[endpoint(header = "x-authing-app-id")]
    pub app: Option<String>,
    #[serde(rename = "userIDs")]
    pub ids: Vec<String>,
    pub user_id_type: Option<String>,
}

/// Lists the factors of the signed-in user.
#[endpoint(GET, "/api/v3/list-enrolled-factors", response = Vec<Thing>, side = authentication)]
pub struct ListEnrolledFactors;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OtpItem<'a> {
    pub user_id: &'a str,
    pub secret: &'a str,
}

/// Imports OTP secrets, with borrowed fields and fields moved to the query.
#[endpoint(POST, "/api/v3/{type}/import-otp", response = ())]
pub struct ImportOtp<'a> {
    pub r#type: &'a str,
    pub list: Vec<OtpItem<'a>>,
    #[endpoint(query)]
    #[serde(rename = "dryRUN")]
    pub dry_run: bool,
    #[endpoint(query)]
    pub tenant_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(flatten)]
    pub extra: Option<Extra>,
}

fn parts_of<E: Endpoint>(endpoint: &E) -> RequestParts {
    let mut parts = RequestParts::new(E::METADATA.path);
    endpoint.write_parts(&mut parts).expect("write_parts");
    parts
}

fn management<E: ManagementEndpoint>(_: &E) {}
fn authentication<E: AuthenticationEndpoint>(_: &E) {}

fn main() {
    let get = GetThing {
        id: "a b".into(),
        page: Some(2),
        extra: None,
        app: Some("app1".into()),
        ids: vec!["u1".into()],
        user_id_type: None,
    };
    // `page` is in the query already (GET); the path parameter and the header are not
    // serialised, nor is the `None`.
    assert_eq!(
        serde_json::to_value(&get).unwrap(),
        json!({"page": 2, "userIDs": ["u1"]})
    );
    assert_eq!(parts_of(&get).path(), "/api/v3/things/a%20b");
    let meta = GetThing::METADATA;
    assert_eq!((meta.method, meta.path), (Method::Get, "/api/v3/things/{id}"));
    assert!(meta.idempotent && meta.sensitive);
    authentication(&get);

    assert_eq!(serde_json::to_value(&ListEnrolledFactors).unwrap(), json!(null));
    assert!(!ListEnrolledFactors::METADATA.idempotent);
    authentication(&ListEnrolledFactors);

    let import = ImportOtp {
        r#type: "otp",
        list: vec![OtpItem { user_id: "u1", secret: "S" }],
        dry_run: true,
        tenant_id: None,
        tags: Vec::new(),
        extra: Some(Extra { note: "n".into() }),
    };
    assert_eq!(
        serde_json::to_value(&import).unwrap(),
        json!({"list": [{"userId": "u1", "secret": "S"}], "note": "n"})
    );
    assert_eq!(parts_of(&import).path(), "/api/v3/otp/import-otp");
    assert_eq!(ImportOtp::METADATA.method, Method::Post);
    management(&import);
}
