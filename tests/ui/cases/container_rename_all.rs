use authing_core::endpoint;

#[endpoint(POST, "/api/v3/reset-factor", response = ())]
#[serde(rename_all = "kebab-case")]
pub struct ResetFactor {
    pub factor_id: String,
}

fn main() {}
