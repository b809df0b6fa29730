//! The attribute by its full path and under another name, next to other derives and
//! attributes, on structs declared inside functions and macros.
#![deny(warnings)]

use authing_core::endpoint as authing_endpoint;
use authing_core::{Endpoint, ManagementEndpoint};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MfaSettings {
    pub enabled_factors: Vec<String>,
}

/// Updates the MFA factors of an application.
#[authing_core::endpoint(
    POST,
    "/api/v3/update-application-mfa-settings",
    response = MfaSettings,
    idempotent,
)]
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateApplicationMfaSettings {
    pub app_id: String,
    #[serde(default)]
    pub enabled_factors: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none", rename = "disabledFactors")]
    pub disabled: Option<Vec<String>>,
}

macro_rules! unit_endpoint {
    ($name:ident, $path:literal) => {
        #[authing_endpoint(GET, $path, response = MfaSettings)]
        pub struct $name;
    };
}

unit_endpoint!(GetGlobalMfaSettings, "/api/v3/get-global-mfa-settings");

fn management<E: ManagementEndpoint>(_: &E) {}

fn main() {
    #[authing_endpoint(DELETE, "/api/v3/factors/{factor_id}", response = ())]
    struct DeleteFactor {
        factor_id: u64,
    }

    let update = UpdateApplicationMfaSettings {
        app_id: "app".into(),
        enabled_factors: None,
        disabled: Some(vec!["SMS".into()]),
    };
    let sent = serde_json::to_value(&update).unwrap();
    assert_eq!(sent, serde_json::json!({"appId": "app", "disabledFactors": ["SMS"]}));
    let back: UpdateApplicationMfaSettings = serde_json::from_value(sent).unwrap();
    assert_eq!(back, update.clone());
    assert!(UpdateApplicationMfaSettings::METADATA.retry_safe());
    management(&update);
    management(&GetGlobalMfaSettings);

    let delete = DeleteFactor { factor_id: 42 };
    let mut parts = authing_core::RequestParts::new(DeleteFactor::METADATA.path);
    delete.write_parts(&mut parts).unwrap();
    assert_eq!(parts.path(), "/api/v3/factors/42");
}
