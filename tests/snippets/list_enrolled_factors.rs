use authing_core::endpoint;

/// Lists the MFA factors the signed-in user has enrolled.
#[endpoint(GET, "/api/v3/list-enrolled-factors", response = Vec<Factor>, side = authentication)]
pub struct ListEnrolledFactors;

/// One enrolled factor.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Factor {
    pub factor_id: String,
    pub factor_type: String,
}
