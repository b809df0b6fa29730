use authing_core::endpoint;

// The client writes credentials itself: an endpoint field cannot.
#[endpoint(GET, "/api/v3/get-user", response = ())]
pub struct GetUser {
    pub user_id: String,
    #[endpoint(header = "authorization")]
    pub token: String,
}

fn main() {}
