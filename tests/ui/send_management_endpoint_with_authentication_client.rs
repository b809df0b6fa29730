// A management endpoint cannot be sent through the authentication client: the compiler
// says which client to use instead.
use authing_core::AuthenticationClient;
use authing_mfa::GetOtpSecretByUser;

async fn send(client: AuthenticationClient) {
    let _ = client.send(&GetOtpSecretByUser::new("u1")).await;
}

fn main() {
    let _ = send;
}
