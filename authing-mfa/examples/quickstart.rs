//! The main job: import an OTP secret for a user, read it back and check it, then start
//! an OTP enrollment and show its otpauth URI (with the secret masked).
//!
//! With none of the variables below set (`AUTHING_MANAGEMENT_AUTH` aside) it starts the
//! loopback Authing stand-in and runs against it. Otherwise it talks to the hosts the
//! variables name:
//!
//! | variable | meaning |
//! | --- | --- |
//! | `AUTHING_HOST` | management host, default `https://api.authing.cn` |
//! | `AUTHING_ACCESS_KEY_ID`, `AUTHING_ACCESS_KEY_SECRET` | the user pool's access key |
//! | `AUTHING_MANAGEMENT_AUTH` | `token` (default) or `signature` |
//! | `AUTHING_APP_HOST`, `AUTHING_APP_ID` | the application |
//! | `AUTHING_USER_ACCESS_TOKEN`, `AUTHING_USER_ID` | a signed-in user of it |
//!
//! `RUST_LOG` sets the log level (e.g. `RUST_LOG=authing_core=debug`). On an error it
//! prints the error and its causes and exits with status 1. No secret is printed in full.
//!
//! Run: `cargo run -p authing-mfa --example quickstart`

use std::error::Error as StdError;
use std::process::ExitCode;

use authing_core::{AuthenticationClient, ManagementAuth, ManagementClient, Secret};
use authing_mfa::{GetOtpSecretByUser, ImportOtp, ImportOtpItem, SendEnrollFactorRequest};
use authing_testkit::StandIn;

/// Where the example runs: the clients and the user they act on.
struct Target {
    management: ManagementClient,
    user: AuthenticationClient,
    user_id: String,
    /// Kept alive for the run when the example started it.
    _stand_in: Option<StandIn>,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            let mut cause = err.source();
            while let Some(inner) = cause {
                eprintln!("  caused by: {inner}");
                cause = inner.source();
            }
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn StdError>> {
    let target = target().await?;

    let secret = Secret::new(fresh_otp_secret());
    println!(
        "1. importing an OTP secret {} for user {}",
        secret.masked(),
        target.user_id
    );
    let item = ImportOtpItem::new(target.user_id.clone(), secret.clone());
    target.management.send(&ImportOtp::new(vec![item])).await?;

    println!("2. reading it back");
    let stored = target
        .management
        .send(&GetOtpSecretByUser::new(target.user_id.clone()))
        .await?;
    if stored.secret != secret {
        return Err(format!(
            "Authing holds {} for the user, not the {} just imported",
            stored.secret.masked(),
            secret.masked()
        )
        .into());
    }
    println!("   it matches: {}", stored.secret.masked());

    println!("3. starting an OTP enrollment for the signed-in user");
    let started = target.user.send(&SendEnrollFactorRequest::otp()).await?;
    let otp = started
        .otp_data
        .ok_or("Authing answered the OTP enrollment without otpData")?;
    println!(
        "   otpauth URI: {}",
        mask_uri_secret(otp.qr_code_uri.expose())
    );
    println!("   enrollment token: {}", started.enrollment_token.masked());
    println!("done");
    Ok(())
}

/// A random 160-bit TOTP secret in base32, as authenticator apps expect.
fn fresh_otp_secret() -> String {
    data_encoding::BASE32_NOPAD.encode(&rand::random::<[u8; 20]>())
}

/// The otpauth URI with its `secret` parameter masked; the whole URI masked if it has
/// none where expected, since it may still carry one.
fn mask_uri_secret(uri: &str) -> String {
    let Some(start) = ["?secret=", "&secret="]
        .iter()
        .find_map(|key| uri.find(key).map(|i| i + key.len()))
    else {
        return Secret::from(uri).masked();
    };
    let end = uri[start..].find('&').map_or(uri.len(), |i| start + i);
    let masked = Secret::from(&uri[start..end]).masked();
    format!("{}{masked}{}", &uri[..start], &uri[end..])
}

/// The variables that name a real Authing; none set means "use the stand-in".
const VARIABLES: [&str; 7] = [
    "AUTHING_HOST",
    "AUTHING_ACCESS_KEY_ID",
    "AUTHING_ACCESS_KEY_SECRET",
    "AUTHING_APP_HOST",
    "AUTHING_APP_ID",
    "AUTHING_USER_ACCESS_TOKEN",
    "AUTHING_USER_ID",
];

async fn target() -> Result<Target, Box<dyn StdError>> {
    let auth = management_auth(std::env::var("AUTHING_MANAGEMENT_AUTH").ok().as_deref())?;
    if VARIABLES.iter().all(|v| std::env::var_os(v).is_none()) {
        return stand_in_target(auth).await;
    }
    let var = |name: &str| {
        std::env::var(name).map_err(|_| {
            format!(
                "{name} is not set; set it, or unset every AUTHING_* variable to use the stand-in"
            )
        })
    };
    let management = ManagementClient::builder(
        var("AUTHING_ACCESS_KEY_ID")?,
        var("AUTHING_ACCESS_KEY_SECRET")?,
    )
    .host(
        std::env::var("AUTHING_HOST")
            .unwrap_or_else(|_| authing_core::DEFAULT_MANAGEMENT_HOST.into()),
    )
    .auth(auth)
    .build()?;
    let user = AuthenticationClient::builder(var("AUTHING_APP_ID")?, var("AUTHING_APP_HOST")?)
        .access_token(var("AUTHING_USER_ACCESS_TOKEN")?)
        .build()?;
    Ok(Target {
        management,
        user,
        user_id: var("AUTHING_USER_ID")?,
        _stand_in: None,
    })
}

fn management_auth(value: Option<&str>) -> Result<ManagementAuth, String> {
    match value.map(str::trim) {
        None | Some("") | Some("token") => Ok(ManagementAuth::Token),
        Some("signature") => Ok(ManagementAuth::Signature),
        Some(other) => Err(format!(
            "AUTHING_MANAGEMENT_AUTH is `{other}`; use `token` or `signature`"
        )),
    }
}

async fn stand_in_target(auth: ManagementAuth) -> Result<Target, Box<dyn StdError>> {
    let stand_in = StandIn::start().await?;
    println!(
        "No AUTHING_* variable names a host: running against the built-in loopback Authing \
         stand-in at {} ({auth:?} scheme)",
        stand_in.base_url()
    );
    let management = stand_in.management_client().auth(auth).build()?;
    let user = stand_in.authentication_client().build()?;
    Ok(Target {
        management,
        user,
        user_id: stand_in.user_id().to_owned(),
        _stand_in: Some(stand_in),
    })
}
