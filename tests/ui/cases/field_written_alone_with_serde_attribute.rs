use authing_core::endpoint;

fn csv<S: serde::Serializer>(ids: &[String], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&ids.join(","))
}

// A field written on its own (path parameter, header, moved field) does not go through
// serde's derive, so attributes that change how the derive writes it would be ignored.
#[endpoint(POST, "/api/v3/things/{id}", response = ())]
pub struct UpdateThing {
    #[serde(skip)]
    pub id: String,
    #[endpoint(query)]
    #[serde(serialize_with = "csv")]
    pub ids: Vec<String>,
    #[endpoint(header = "x-authing-app-id")]
    #[serde(skip_serializing_if = "String::is_empty")]
    pub app: String,
}

fn main() {}
