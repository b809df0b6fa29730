//! What the examples share: reading the `AUTHING_*` variables, and printing an error
//! with its causes.

use std::error::Error as StdError;
use std::process::ExitCode;

use authing_core::{ManagementAuth, ManagementClient};

/// The variables that name a real Authing; none set means "use the stand-in".
pub const VARIABLES: [&str; 7] = [
    "AUTHING_HOST",
    "AUTHING_ACCESS_KEY_ID",
    "AUTHING_ACCESS_KEY_SECRET",
    "AUTHING_APP_HOST",
    "AUTHING_APP_ID",
    "AUTHING_USER_ACCESS_TOKEN",
    "AUTHING_USER_ID",
];

/// Whether no variable names a real Authing.
pub fn use_stand_in() -> bool {
    VARIABLES.iter().all(|v| std::env::var_os(v).is_none())
}

/// A variable that must be set, or a message saying so.
pub fn var(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| {
        format!("{name} is not set; set it, or unset every AUTHING_* variable to use the stand-in")
    })
}

/// `AUTHING_MANAGEMENT_AUTH`: `token` (default) or `signature`.
pub fn management_auth() -> Result<ManagementAuth, String> {
    match std::env::var("AUTHING_MANAGEMENT_AUTH")
        .ok()
        .as_deref()
        .map(str::trim)
    {
        None | Some("") | Some("token") => Ok(ManagementAuth::Token),
        Some("signature") => Ok(ManagementAuth::Signature),
        Some(other) => Err(format!(
            "AUTHING_MANAGEMENT_AUTH is `{other}`; use `token` or `signature`"
        )),
    }
}

/// The management client the variables describe.
pub fn real_management(auth: ManagementAuth) -> Result<ManagementClient, Box<dyn StdError>> {
    let host = std::env::var("AUTHING_HOST")
        .unwrap_or_else(|_| authing_core::DEFAULT_MANAGEMENT_HOST.into());
    let client = ManagementClient::builder(
        var("AUTHING_ACCESS_KEY_ID")?,
        var("AUTHING_ACCESS_KEY_SECRET")?,
    )
    .host(host)
    .auth(auth)
    .build()?;
    Ok(client)
}

/// Prints `err` and its causes to stderr; the exit status for a failed run.
pub fn report(err: &dyn StdError) -> ExitCode {
    eprintln!("error: {err}");
    let mut cause = err.source();
    while let Some(inner) = cause {
        eprintln!("  caused by: {inner}");
        cause = inner.source();
    }
    ExitCode::FAILURE
}

/// Logs go to stderr, at the level `RUST_LOG` sets.
pub fn init_logs() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
}
