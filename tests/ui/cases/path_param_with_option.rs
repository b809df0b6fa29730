use authing_core::endpoint;

#[endpoint(POST, "/api/v3/users/{user_id}/roles", response = ())]
pub struct AssignRoles {
    #[endpoint(query)]
    pub user_id: String,
    pub role_codes: Vec<String>,
}

fn main() {}
