use authing_core::endpoint;

#[endpoint(POST, "/api/v3/list-things", response = (), idempotent = true)]
pub struct ListThings {
    pub page: u32,
}

fn main() {}
