use authing_core::endpoint;

#[endpoint(POST, "/api/v3/reset-factor", response = ())]
pub enum ResetFactor {
    ById { factor_id: String },
    All,
}

fn main() {}
