use authing_core::endpoint;

#[endpoint(POST, "/api/v3/reset-factor", response = ())]
#[serde(rename_all = "snake_case")]
pub struct ResetFactor {
    pub factor_id: String,
}

fn main() {}
