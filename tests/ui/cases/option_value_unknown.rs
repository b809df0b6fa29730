use authing_core::endpoint;

#[endpoint(POST, "/oidc/token", response = (), side = authentication, body = xml, answer = raw, auth = user)]
pub struct ExchangeCode {
    pub code: String,
}

#[endpoint(POST, "/oidc/token/revocation", response = (), answer = "plain", auth = clinet)]
pub struct Revoke {
    pub token: String,
}

fn main() {}
