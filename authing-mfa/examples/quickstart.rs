//! The main job, MFA end to end for one user: import an OTP secret for them, read it
//! back, check a code as the user, unbind it; then enroll an authenticator app the way
//! a user does (request, code from the otpauth URI, finish), check a code again, and
//! unbind that too.
//!
//! It reads first: when the user already has an OTP secret it stops and changes
//! nothing, unless run with `--overwrite` (`cargo run -p authing-mfa --example
//! quickstart -- --overwrite`). On success the user is left with no OTP factor.
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
//! | `AUTHING_USER_ACCESS_TOKEN`, `AUTHING_USER_ID` | a signed-in user of it: the same user |
//!
//! `RUST_LOG` sets the log level (e.g. `RUST_LOG=authing_core=debug`). On an error it
//! prints the error and its causes and exits with status 1. No secret is printed in full.
//!
//! Run: `cargo run -p authing-mfa --example quickstart`

mod common;

use std::error::Error as StdError;
use std::process::ExitCode;

use authing_core::{AuthenticationClient, ManagementAuth, ManagementClient, Secret};
use authing_mfa::{
    EnrollFactor, FactorType, GetOtpSecretByUser, GetUserMfaInfo, ImportOtp, ImportOtpItem,
    ListEnrolledFactors, MfaTotpVerify, ResetFactor, SendEnrollFactorRequest, Totp,
};
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
    common::init_logs();
    let overwrite = match overwrite_flag(std::env::args().skip(1)) {
        Ok(overwrite) => overwrite,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match run(overwrite).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => common::report(err.as_ref()),
    }
}

fn overwrite_flag(args: impl Iterator<Item = String>) -> Result<bool, String> {
    let mut overwrite = false;
    for arg in args {
        match arg.as_str() {
            "--overwrite" => overwrite = true,
            other => {
                return Err(format!(
                    "unknown argument `{other}`; usage: quickstart [--overwrite]"
                ));
            }
        }
    }
    Ok(overwrite)
}

async fn run(overwrite: bool) -> Result<(), Box<dyn StdError>> {
    run_on(&target().await?, overwrite).await
}

async fn run_on(target: &Target, overwrite: bool) -> Result<(), Box<dyn StdError>> {
    refuse_to_replace(target, overwrite).await?;
    import_check_and_unbind(target).await?;
    enroll_check_and_unbind(target).await?;
    println!(
        "done: user {} has no OTP factor now; nothing else was changed",
        target.user_id
    );
    Ok(())
}

/// Reads before writing anything: an existing OTP secret is someone's authenticator.
async fn refuse_to_replace(target: &Target, overwrite: bool) -> Result<(), Box<dyn StdError>> {
    println!("0. reading user {}'s MFA state", target.user_id);
    let info = target
        .management
        .send(&GetUserMfaInfo::new(target.user_id.clone()))
        .await?;
    if !info.totp {
        println!("   no OTP secret yet: safe to go on");
        return Ok(());
    }
    if overwrite {
        println!("   the user has an OTP secret; --overwrite given, so it will be replaced");
        return Ok(());
    }
    Err(format!(
        "user {} already has an OTP secret, which this example would replace, locking their \
         authenticator app out. Nothing was changed. Point AUTHING_USER_ID and \
         AUTHING_USER_ACCESS_TOKEN at a test user without MFA (create one in the console under \
         Users, sign it in to the application for its access token), or run again with \
         `-- --overwrite` if replacing this user's secret is really meant",
        target.user_id
    )
    .into())
}

/// Steps 1-4: the user pool imports a secret; the user proves they hold it.
async fn import_check_and_unbind(target: &Target) -> Result<(), Box<dyn StdError>> {
    let totp = Totp::fresh("authing-rs quickstart", &target.user_id)?;
    println!(
        "1. importing OTP secret {} for the user",
        totp.secret().masked()
    );
    let item = ImportOtpItem::new(target.user_id.clone(), totp.secret().clone());
    target.management.send(&ImportOtp::new(vec![item])).await?;

    println!("2. reading it back");
    let stored = target
        .management
        .send(&GetOtpSecretByUser::new(target.user_id.clone()))
        .await?;
    if &stored.secret != totp.secret() {
        return Err(format!(
            "Authing holds {} for the user, not the {} just imported",
            stored.secret.masked(),
            totp.secret().masked()
        )
        .into());
    }
    println!("   it matches: {}", stored.secret.masked());

    println!("3. checking a code of it as the signed-in user");
    verify(target, &totp).await?;
    println!("4. unbinding it");
    reset_otp(target).await
}

/// Steps 5-8: the user enrolls an authenticator app themselves.
async fn enroll_check_and_unbind(target: &Target) -> Result<(), Box<dyn StdError>> {
    println!("5. starting an OTP enrollment for the signed-in user");
    let started = target.user.send(&SendEnrollFactorRequest::otp()).await?;
    let otp = started
        .otp_data
        .ok_or("Authing answered the OTP enrollment without otpData")?;
    let app = Totp::from_uri(otp.qr_code_uri.expose())?;
    println!(
        "   otpauth URI: {}",
        mask_uri_secret(otp.qr_code_uri.expose())
    );

    println!("6. finishing it with the code an authenticator app would show");
    let finish = EnrollFactor::otp(started.enrollment_token, app.code_now());
    target.user.send(&finish).await?;

    println!("7. checking a code as the signed-in user");
    verify(target, &app).await?;
    println!("8. unbinding it");
    reset_otp(target).await
}

async fn verify(target: &Target, totp: &Totp) -> Result<(), Box<dyn StdError>> {
    let answer = target
        .user
        .send(&MfaTotpVerify::new(totp.code_now()))
        .await?;
    if !answer.verified {
        return Err(
            "Authing did not accept the current code; is the machine's clock right?".into(),
        );
    }
    println!("   verified");
    Ok(())
}

async fn reset_otp(target: &Target) -> Result<(), Box<dyn StdError>> {
    let factors = target.user.send(&ListEnrolledFactors).await?;
    let otp = factors
        .iter()
        .find(|f| f.factor_type == FactorType::Otp)
        .ok_or("the user's OTP factor is not among their enrolled factors")?;
    target
        .user
        .send(&ResetFactor::new(otp.factor_id.clone()))
        .await?;
    println!("   factor {} unbound", otp.factor_id);
    Ok(())
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

async fn target() -> Result<Target, Box<dyn StdError>> {
    let auth = common::management_auth()?;
    if common::use_stand_in() {
        return stand_in_target(auth).await;
    }
    let user = AuthenticationClient::builder(
        common::var("AUTHING_APP_ID")?,
        common::var("AUTHING_APP_HOST")?,
    )
    .access_token(common::var("AUTHING_USER_ACCESS_TOKEN")?)
    .build()?;
    Ok(Target {
        management: common::real_management(auth)?,
        user,
        user_id: common::var("AUTHING_USER_ID")?,
        _stand_in: None,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    const THEIR_SECRET: &str = "JBSWY3DPEHPK3PXP";

    async fn target_whose_user_has_a_secret() -> Target {
        let target = stand_in_target(ManagementAuth::Token).await.unwrap();
        let item = ImportOtpItem::new(target.user_id.clone(), THEIR_SECRET);
        target
            .management
            .send(&ImportOtp::new(vec![item]))
            .await
            .unwrap();
        target
    }

    fn otp_of(target: &Target) -> Option<String> {
        let stand_in = target._stand_in.as_ref().unwrap();
        stand_in.imported_otp(&target.user_id).map(|otp| otp.secret)
    }

    #[tokio::test]
    async fn an_existing_secret_is_left_alone_without_overwrite() {
        let target = target_whose_user_has_a_secret().await;
        let err = run_on(&target, false).await.unwrap_err().to_string();
        assert!(err.contains("already has an OTP secret"), "{err}");
        assert!(
            err.contains("AUTHING_USER_ID") && err.contains("--overwrite"),
            "{err}"
        );
        assert_eq!(otp_of(&target).as_deref(), Some(THEIR_SECRET));
        let imports = target
            ._stand_in
            .as_ref()
            .unwrap()
            .requests_to("/api/v3/import-otp");
        assert_eq!(imports.len(), 1, "only the test's own import");
    }

    #[tokio::test]
    async fn overwrite_replaces_it_and_the_run_leaves_no_otp_factor() {
        let target = target_whose_user_has_a_secret().await;
        run_on(&target, true).await.unwrap();
        assert_eq!(otp_of(&target), None);
    }

    #[tokio::test]
    async fn a_user_without_otp_goes_through_import_and_enrollment_and_ends_without_one() {
        let target = stand_in_target(ManagementAuth::Signature).await.unwrap();
        run_on(&target, false).await.unwrap();
        assert_eq!(otp_of(&target), None);
        let stand_in = target._stand_in.as_ref().unwrap();
        assert_eq!(stand_in.requests_to("/api/v3/enroll-factor").len(), 1);
        assert_eq!(stand_in.requests_to("/api/v3/reset-factor").len(), 2);
    }

    #[test]
    fn only_overwrite_is_accepted_as_an_argument() {
        assert_eq!(overwrite_flag(std::iter::empty()), Ok(false));
        assert_eq!(
            overwrite_flag(["--overwrite".to_owned()].into_iter()),
            Ok(true)
        );
        assert!(overwrite_flag(["--force".to_owned()].into_iter()).is_err());
    }

    #[test]
    fn the_uri_secret_is_masked() {
        let uri = "otpauth://totp/p:u?secret=HZ2F6J3AGNAVSOTV&period=30";
        let masked = mask_uri_secret(uri);
        assert!(!masked.contains("HZ2F6J3AGNAVSOTV"), "{masked}");
        assert!(masked.ends_with("&period=30"));
    }
}
