//! Serves the login example on `AUTHING_LOGIN_ADDR` (default `127.0.0.1:3000`), against
//! the real Authing application of `AUTHING_APP_ID`, `AUTHING_APP_SECRET` and
//! `AUTHING_APP_HOST` when they are set, else against a loopback stand-in.

use std::process::ExitCode;

use authing_login_example::{Settings, router};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("authing-login-example: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let addr = std::env::var("AUTHING_LOGIN_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    let base_url = format!("http://{}", listener.local_addr()?);
    let (stand_in, settings) = match Settings::from_env(&base_url) {
        Some(settings) => {
            println!(
                "Signing in to the Authing application {} at {}",
                settings.app_id, settings.app_host
            );
            println!("(register {base_url}/callback as its callback URL)");
            (None, settings)
        }
        None => {
            let (stand_in, settings) = Settings::stand_in(&base_url).await?;
            println!(
                "No AUTHING_APP_ID/AUTHING_APP_SECRET/AUTHING_APP_HOST: signing in to a loopback stand-in at {}",
                stand_in.base_url()
            );
            (Some(stand_in), settings)
        }
    };
    println!("Open {base_url}/ and sign in; Ctrl-C stops.");
    axum::serve(listener, router(settings)?)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    drop(stand_in);
    Ok(())
}
