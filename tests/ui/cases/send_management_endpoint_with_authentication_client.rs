// A management endpoint cannot be sent through the authentication client: the compiler
// says which client to use instead. The endpoint is declared here rather than taken from
// authing-mfa, whose every new endpoint would otherwise change the expected output.
use authing_core::{AuthenticationClient, endpoint};

/// Reads something of a user of the user pool.
#[endpoint(GET, "/api/v3/read-something", response = ())]
struct ReadSomething {
    user_id: String,
}

async fn send(client: AuthenticationClient) {
    let call = ReadSomething { user_id: "u1".into() };
    let _ = client.send(&call).await;
}

fn main() {
    let _ = send;
}
