use authing_core::endpoint;

#[endpoint(POST, "/api/v3/mfa-totp-verify", response = (), sensitive, side = authentication, sensitive)]
pub struct MfaTotpVerify {
    pub totp: String,
}

fn main() {}
