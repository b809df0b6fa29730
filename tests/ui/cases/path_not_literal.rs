use authing_core::endpoint;

const PATH: &str = "/api/v3/get-user";

#[endpoint(GET, PATH, response = ())]
pub struct GetUser {
    pub user_id: String,
}

fn main() {}
