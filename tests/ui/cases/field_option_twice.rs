use authing_core::endpoint;

#[endpoint(POST, "/api/v3/enroll-factor", response = ())]
pub struct EnrollFactor {
    #[endpoint(query, header = "x-enrollment-token")]
    pub enrollment_token: String,
}

fn main() {}
