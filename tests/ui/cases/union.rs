use authing_core::endpoint;

#[endpoint(POST, "/api/v3/reset-factor", response = ())]
pub union ResetFactor {
    pub id: u64,
    pub code: u32,
}

fn main() {}
