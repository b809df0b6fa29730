//! Starts an Authing stand-in on 127.0.0.1, prints how to reach it as `AUTHING_*=` lines
//! (ready for `export` or an `.env` file: they are the variables the quickstart reads)
//! and serves until Ctrl-C.
//!
//! ```sh
//! cargo run -p authing-testkit > stand-in.env &
//! sleep 5; set -a; . ./stand-in.env; set +a
//! cargo run -p authing-mfa --example quickstart
//! ```
//!
//! The port is free and random unless `AUTHING_STAND_IN_PORT` names one.

use std::io::Write as _;
use std::process::ExitCode;

use authing_testkit::StandIn;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("authing-stand-in: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let port = match std::env::var("AUTHING_STAND_IN_PORT") {
        Ok(text) => text
            .parse()
            .map_err(|_| format!("AUTHING_STAND_IN_PORT={text:?} is not a port number"))?,
        Err(_) => 0,
    };
    let stand_in = StandIn::builder().port(port).start().await?;
    print_environment(&stand_in)?;
    eprintln!(
        "authing-stand-in: serving user pool {} on {}; Ctrl-C stops it",
        stand_in.userpool_id(),
        stand_in.base_url()
    );
    tokio::signal::ctrl_c().await?;
    eprintln!(
        "authing-stand-in: {} requests served; stopping",
        stand_in.requests().len()
    );
    stand_in.shutdown().await;
    Ok(())
}

/// The variables the examples of `authing-mfa` (the quickstart first) read to reach an
/// Authing, so that `export`ing these lines points them at this stand-in.
fn print_environment(stand_in: &StandIn) -> std::io::Result<()> {
    let lines = [
        ("AUTHING_HOST", stand_in.base_url()),
        ("AUTHING_ACCESS_KEY_ID", stand_in.access_key_id()),
        ("AUTHING_ACCESS_KEY_SECRET", stand_in.access_key_secret()),
        ("AUTHING_APP_HOST", stand_in.base_url()),
        ("AUTHING_APP_ID", stand_in.app_id()),
        ("AUTHING_USER_ACCESS_TOKEN", stand_in.user_access_token()),
        ("AUTHING_USER_ID", stand_in.user_id()),
    ];
    let mut out = std::io::stdout().lock();
    for (name, value) in lines {
        writeln!(out, "{name}={value}")?;
    }
    // Flushed now, so a parent process reading the pipe sees the lines before Ctrl-C.
    out.flush()
}
