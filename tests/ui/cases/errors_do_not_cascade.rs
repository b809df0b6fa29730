use authing_core::{Endpoint, ManagementEndpoint, endpoint};

// With a mistake in the attribute, the struct still exists and still implements the
// traits, so code using it reports nothing more than the mistake.
#[endpoint(POST, "/api/v3/reset-factor", response = (), side = managment)]
pub struct ResetFactor {
    #[serde(rename = "factorID")]
    pub factor_id: String,
}

fn send<E: ManagementEndpoint>(endpoint: &E) -> E::Response {
    let _ = E::METADATA;
    unimplemented!("{}", serde_json::to_string(endpoint).is_ok())
}

fn main() {
    let () = send(&ResetFactor { factor_id: "f1".into() });
    let _ = <ResetFactor as Endpoint>::METADATA;
}
