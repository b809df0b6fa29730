// An authentication endpoint cannot be sent through the management client: the compiler
// says which client to use instead.
use authing_core::ManagementClient;
use authing_mfa::SendEnrollFactorRequest;

async fn send(client: ManagementClient) {
    let _ = client.send(&SendEnrollFactorRequest::otp()).await;
}

fn main() {
    let _ = send;
}
