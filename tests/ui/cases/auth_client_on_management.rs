use authing_core::endpoint;

#[endpoint(POST, "/oidc/token", response = (), body = form, answer = plain, auth = client)]
#[serde(rename_all = "snake_case")]
pub struct ExchangeCode {
    pub code: String,
}

fn main() {}
