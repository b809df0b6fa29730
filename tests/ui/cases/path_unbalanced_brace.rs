use authing_core::endpoint;

#[endpoint(GET, "/api/v3/users/{user_id/roles", response = ())]
pub struct ListRoles {
    pub user_id: String,
}

#[endpoint(GET, "/api/v3/users/user_id}/roles", response = ())]
pub struct ListRolesAgain {
    pub user_id: String,
}

fn main() {}
