use authing_core::endpoint;

#[endpoint(GET, "/api/v3/users/{user_id}", response = ())]
pub struct GetUser {
    pub user_id: Option<String>,
}

fn main() {}
