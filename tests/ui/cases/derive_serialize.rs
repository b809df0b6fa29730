use authing_core::endpoint;
use serde::Serialize;

#[endpoint(POST, "/api/v3/reset-factor", response = ())]
#[derive(Debug, Clone, Serialize)]
pub struct ResetFactor {
    pub factor_id: String,
}

fn main() {}
