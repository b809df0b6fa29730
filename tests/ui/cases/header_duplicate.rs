use authing_core::endpoint;

#[endpoint(GET, "/api/v3/get-factor", response = (), side = authentication)]
pub struct GetFactor {
    pub factor_id: String,
    #[endpoint(header = "x-authing-app-id")]
    pub app_id: String,
    #[endpoint(header = "x-authing-app-id")]
    pub other_app_id: Option<String>,
}

fn main() {}
