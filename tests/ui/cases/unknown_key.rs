use authing_core::endpoint;

#[endpoint(POST, "/api/v3/reset-factor", respons = ())]
pub struct ResetFactor {
    pub factor_id: String,
}

#[endpoint(POST, "/api/v3/enroll-factor", response = (), timeout = 30)]
pub struct EnrollFactor {
    pub enrollment_token: String,
}

fn main() {}
