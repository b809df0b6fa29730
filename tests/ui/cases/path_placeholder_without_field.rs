use authing_core::endpoint;

// Placeholders name Rust fields: `{userId}` is the wire name of `user_id`.
#[endpoint(GET, "/api/v3/users/{userId}", response = ())]
pub struct GetUser {
    pub user_id: String,
}

fn main() {}
