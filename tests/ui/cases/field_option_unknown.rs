use authing_core::endpoint;

#[endpoint(POST, "/api/v3/enroll-factor", response = ())]
pub struct EnrollFactor {
    #[endpoint(quey)]
    pub enrollment_token: String,
    #[endpoint(cookie = "sid")]
    pub session: String,
}

fn main() {}
