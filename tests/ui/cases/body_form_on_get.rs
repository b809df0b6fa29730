use authing_core::endpoint;

#[endpoint(GET, "/oidc/me", response = (), side = authentication, body = form)]
pub struct GetUserInfo {
    pub access_token: String,
}

fn main() {}
