use authing_core::endpoint;

#[endpoint(POST, "/api/v3/reset-factor")]
pub struct ResetFactor {
    pub factor_id: String,
}

fn main() {}
