use authing_core::endpoint;

#[endpoint(POST, "/api/v3/reset-factor", response = (), side = auth)]
pub struct ResetFactor {
    pub factor_id: String,
}

fn main() {}
