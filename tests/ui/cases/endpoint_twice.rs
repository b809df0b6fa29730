use authing_core::endpoint;

#[endpoint(POST, "/api/v3/reset-factor", response = ())]
#[endpoint(POST, "/api/v3/reset-factor", response = ())]
pub struct ResetFactor {
    pub factor_id: String,
}

fn main() {}
