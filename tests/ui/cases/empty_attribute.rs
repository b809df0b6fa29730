use authing_core::endpoint;

#[endpoint]
pub struct ResetFactor {
    pub factor_id: String,
}

fn main() {}
