use authing_core::endpoint;

// Every mistake is reported by one build, not one per build.
#[endpoint(get, "/api/v3/users/{id}/factors/{", respone = Vec<String>, sid = management)]
#[derive(serde::Serialize)]
pub struct ListFactors<T> {
    #[endpoint(body)]
    pub id: String,
    #[endpoint(header = "X-Tenant")]
    pub tenant: T,
}

fn main() {}
