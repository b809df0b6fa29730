use authing_core::endpoint;

#[endpoint(post, "/api/v3/import-otp", response = ())]
pub struct ImportOtp {
    pub list: Vec<String>,
}

fn main() {}
