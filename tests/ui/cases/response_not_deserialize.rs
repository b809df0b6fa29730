use authing_core::endpoint;

pub struct Factor {
    pub factor_id: String,
}

#[endpoint(GET, "/api/v3/get-factor", response = Factor, side = authentication)]
pub struct GetFactor {
    pub factor_id: String,
}

fn main() {}
