//! Bulk OTP migration: imports users' OTP secrets from a CSV file into Authing, once,
//! when a team moves its users' authenticators over.
//!
//! ```text
//! cargo run -p authing-mfa --example migrate-otp -- [--batch-size N] [--dry-run] FILE.csv
//! ```
//!
//! The file's header is `userId,secret,recoveryCode` (recoveryCode may be empty). Every
//! row is checked first (user id present, base32 secret, no user twice); then the good
//! rows are imported in batches of N (default 100). A batch Authing refuses is narrowed
//! down to the rows it refuses; the end is a summary of what was imported and every row
//! that was not, by line number, with the reason. `--dry-run` checks and reports
//! without sending anything.
//!
//! The variables are the quickstart's (`AUTHING_HOST`, `AUTHING_ACCESS_KEY_ID`,
//! `AUTHING_ACCESS_KEY_SECRET`, `AUTHING_MANAGEMENT_AUTH`). With none set it runs against
//! the loopback stand-in, adding the file's user ids to its user pool first so that
//! there is someone to import for.
//!
//! Progress goes to stderr: a bar on a terminal, plain lines otherwise. No secret is
//! ever printed. Exit status: 0 when every row was imported, 1 when any was rejected or
//! the import stopped early, 2 for a usage or file error. Running it again over the same
//! file is safe: each user gets the same secret again.

mod common;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use authing_core::ManagementClient;
use authing_mfa::migrate::{self, DEFAULT_BATCH_SIZE, Plan, Progress, Rejected, Summary};
use authing_testkit::{StandIn, User};
use indicatif::{ProgressBar, ProgressStyle};

const USAGE: &str = "usage: migrate-otp [--batch-size N] [--dry-run] FILE.csv";

/// The command line.
struct Args {
    batch_size: usize,
    dry_run: bool,
    file: PathBuf,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let (mut batch_size, mut dry_run, mut file) = (DEFAULT_BATCH_SIZE, false, None);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--dry-run" => dry_run = true,
            "--batch-size" => {
                let value = args.next().ok_or("--batch-size needs a number")?;
                batch_size = match value.parse::<usize>() {
                    Ok(n) if n > 0 => n,
                    _ => {
                        return Err(format!(
                            "--batch-size takes a whole number above 0, not `{value}`"
                        ));
                    }
                };
            }
            "-h" | "--help" => return Err(USAGE.into()),
            flag if flag.starts_with('-') => {
                return Err(format!("unknown option `{flag}`\n{USAGE}"));
            }
            _ if file.is_some() => return Err(format!("one file at a time\n{USAGE}")),
            _ => file = Some(PathBuf::from(arg)),
        }
    }
    let file = file.ok_or_else(|| format!("no file given\n{USAGE}"))?;
    Ok(Args {
        batch_size,
        dry_run,
        file,
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    common::init_logs();
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let plan = match std::fs::File::open(&args.file)
        .map_err(migrate::FileError::Io)
        .and_then(migrate::read_csv)
    {
        Ok(plan) => plan,
        Err(err) => {
            eprintln!("{}: {err}", args.file.display());
            return ExitCode::from(2);
        }
    };
    eprintln!(
        "{}: {} rows, {} refused by the checks",
        args.file.display(),
        plan.total(),
        plan.rejected.len()
    );
    let summary = if args.dry_run {
        Summary::dry_run(&plan, args.batch_size)
    } else {
        match run(&plan, args.batch_size).await {
            Ok(summary) => summary,
            Err(err) => return common::report(err.as_ref()),
        }
    };
    print!("{summary}");
    if summary.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

async fn run(plan: &Plan, batch_size: usize) -> Result<Summary, Box<dyn std::error::Error>> {
    let auth = common::management_auth()?;
    // Kept alive for the run when started here.
    let mut _stand_in = None;
    let client = if common::use_stand_in() {
        let stand_in = StandIn::start().await?;
        eprintln!(
            "No AUTHING_* variable names a host: importing into the built-in loopback Authing \
             stand-in at {}, which is given the file's {} user ids first",
            stand_in.base_url(),
            plan.rows.len()
        );
        for row in &plan.rows {
            let mut user = User::new(format!("migrated-{}", row.line));
            user.id = row.user_id.clone();
            stand_in.add_user(user);
        }
        let client = stand_in.management_client().auth(auth).build()?;
        _stand_in = Some(stand_in);
        client
    } else {
        common::real_management(auth)?
    };
    Ok(import(&client, plan, batch_size).await)
}

async fn import(client: &ManagementClient, plan: &Plan, batch_size: usize) -> Summary {
    let outcome = if std::io::stderr().is_terminal() {
        migrate::import(client, &plan.rows, batch_size, &mut Bar::default()).await
    } else {
        migrate::import(client, &plan.rows, batch_size, &mut Lines::default()).await
    };
    Summary::of_import(plan, outcome)
}

/// A progress bar on stderr, for a terminal.
#[derive(Default)]
struct Bar(Option<ProgressBar>);

impl Progress for Bar {
    fn begin(&mut self, rows: usize) {
        let bar = ProgressBar::new(rows as u64);
        let style =
            ProgressStyle::with_template("{bar:40} {pos}/{len} rows {msg} ({per_sec}, {eta} left)")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        self.0 = Some(bar);
    }
    fn imported(&mut self, rows: usize) {
        if let Some(bar) = &self.0 {
            bar.inc(rows as u64);
        }
    }
    fn rejected(&mut self, rejected: &Rejected) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
            bar.println(format!("rejected {rejected}"));
        }
    }
    fn end(&mut self) {
        if let Some(bar) = self.0.take() {
            bar.finish();
        }
    }
}

/// Plain progress lines on stderr, for a log or a pipe: one every tenth of the way and
/// one per rejected row.
#[derive(Default)]
struct Lines {
    total: usize,
    done: usize,
    next_report: usize,
}

impl Lines {
    fn advance(&mut self, rows: usize) {
        self.done += rows;
        if self.done >= self.next_report || self.done == self.total {
            eprintln!("progress: {}/{} rows", self.done, self.total);
            self.next_report = self.done + (self.total / 10).max(1);
        }
    }
}

impl Progress for Lines {
    fn begin(&mut self, rows: usize) {
        self.total = rows;
        self.next_report = (rows / 10).max(1);
        eprintln!("progress: importing {rows} rows");
    }
    fn imported(&mut self, rows: usize) {
        self.advance(rows);
    }
    fn rejected(&mut self, rejected: &Rejected) {
        eprintln!("rejected {rejected}");
        self.advance(1);
    }
    fn end(&mut self) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Args, String> {
        parse_args(list.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn arguments_are_a_file_and_two_options() {
        let parsed = args(&["--batch-size", "25", "--dry-run", "otp.csv"]).unwrap();
        assert_eq!((parsed.batch_size, parsed.dry_run), (25, true));
        assert_eq!(parsed.file, PathBuf::from("otp.csv"));
        let plain = args(&["otp.csv"]).unwrap();
        assert_eq!(
            (plain.batch_size, plain.dry_run),
            (DEFAULT_BATCH_SIZE, false)
        );
        for bad in [
            &["--batch-size", "0", "f"][..],
            &["--batch-size", "x", "f"],
            &["--batch-size"],
            &["--force", "f"],
            &["a.csv", "b.csv"],
            &[],
        ] {
            assert!(args(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn plain_progress_reports_every_tenth_and_the_end() {
        let mut lines = Lines::default();
        lines.begin(25);
        let mut reports = 0;
        for _ in 0..25 {
            let before = lines.next_report;
            lines.imported(1);
            reports += usize::from(lines.next_report != before);
        }
        assert_eq!(lines.done, 25);
        assert!((10..=13).contains(&reports), "{reports} progress lines");
    }

    #[tokio::test]
    async fn an_import_into_the_stand_in_is_clean_only_when_every_row_went_in() {
        let stand_in = StandIn::start().await.unwrap();
        let known = stand_in.add_user(User::new("known"));
        let file = format!(
            "userId,secret,recoveryCode\n{},HZ2F6J3AGNAVSOTV,\n0123456789abcdef01234567,JBSWY3DPEHPK3PXP,\n",
            known.id
        );
        let plan = migrate::read_csv(file.as_bytes()).unwrap();
        let client = stand_in.management_client().build().unwrap();
        let summary = import(&client, &plan, 10).await;
        assert_eq!(summary.imported, 1);
        assert!(!summary.is_clean());
        let text = summary.to_string();
        assert!(
            text.contains("line 3 (user 0123456789abcdef01234567): Authing refused it"),
            "{text}"
        );
        assert!(!text.contains("JBSWY3DPEHPK3PXP") && !text.contains("HZ2F6J3AGNAVSOTV"));
    }
}
