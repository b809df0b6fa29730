use authing_core::endpoint;

// Placeholders name the field without `r#`: `{type}` for `r#type`.
#[endpoint(GET, "/api/v3/factors/{r#type}", response = ())]
pub struct ListFactorsOfType {
    pub r#type: String,
}

fn main() {}
