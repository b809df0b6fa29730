use authing_core::endpoint;

#[endpoint(GET, "/api/v3/get-factor", response = (), side = authentication)]
pub struct GetFactor {
    pub factor_id: String,
    #[endpoint(header = "X-Authing-App-Id")]
    pub app_id: String,
    #[endpoint(header = "x authing tenant")]
    pub tenant_id: Option<String>,
}

fn main() {}
