use authing_core::endpoint;

#[endpoint(GET, "/api/v3/users/{}", response = ())]
pub struct GetUser {
    pub user_id: String,
}

fn main() {}
