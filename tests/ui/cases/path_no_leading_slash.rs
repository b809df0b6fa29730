use authing_core::endpoint;

#[endpoint(GET, "api/v3/get-user", response = ())]
pub struct GetUser {
    pub user_id: String,
}

fn main() {}
