// An authentication endpoint cannot be sent through the management client: the compiler
// says which client to use instead. The endpoint is declared here rather than taken from
// authing-mfa, whose every new endpoint would otherwise change the expected output.
use authing_core::{ManagementClient, endpoint};

/// Starts something for the signed-in user.
#[endpoint(POST, "/api/v3/start-something", response = (), side = authentication)]
struct StartSomething {
    kind: String,
}

async fn send(client: ManagementClient) {
    let call = StartSomething { kind: "OTP".into() };
    let _ = client.send(&call).await;
}

fn main() {
    let _ = send;
}
