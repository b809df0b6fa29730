//! The OTP migration on a generated 10,000-row file with bad rows mixed in, against the
//! stand-in: every good row imported exactly once, every bad row reported with its line.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;

use authing_mfa::migrate::{self, Progress, Rejected, Summary};
use authing_testkit::{Fault, StandIn, User};
use serde_json::Value;

/// A row of the generated file and whether it must be refused.
struct Generated {
    text: String,
    /// Lines that must be rejected.
    bad: BTreeSet<usize>,
    /// Good rows: user id to secret.
    good: HashMap<String, String>,
    /// Every secret in the file, to check none is ever printed.
    secrets: Vec<String>,
}

/// A random 160-bit base32 secret.
fn secret() -> String {
    data_encoding::BASE32_NOPAD.encode(&rand::random::<[u8; 20]>())
}

/// `rows` data rows: mostly good, with every kind of bad row mixed in at fixed strides.
/// Users of good rows (and of the rows Authing must refuse for naming no user of its
/// pool) are added to `stand_in`.
fn generate(stand_in: &StandIn, rows: usize) -> Generated {
    let mut g = Generated {
        text: "userId,secret,recoveryCode\n".into(),
        bad: BTreeSet::new(),
        good: HashMap::new(),
        secrets: Vec::new(),
    };
    let mut users = Vec::with_capacity(rows);
    // The last good row, as (user id, line), for a duplicate to copy.
    let mut last_good: Option<(String, usize)> = None;
    for index in 0..rows {
        let line = index + 2;
        let user = User::new(format!("migrated-{index}"));
        let s = secret();
        g.secrets.push(s.clone());
        let row = match index {
            // Checked and refused before sending: no user id, a secret that is not
            // base32, one field too many, a user on two rows (both rows refused).
            i if i % 211 == 5 => format!(",{s},\n"),
            i if i % 101 == 7 => format!("{},{}0,\n", user.id, &s[..31]),
            i if i % 401 == 9 => format!("{},{s},rc,extra\n", user.id),
            i if i % 307 == 11 => {
                if let Some((twin, twin_line)) = last_good.take() {
                    g.good.remove(&twin);
                    g.bad.insert(twin_line);
                    g.bad.insert(line);
                    g.text.push_str(&format!("{twin},{s},\n"));
                    continue;
                }
                format!(",{s},\n")
            }
            // Sent, and refused by Authing: a user its pool does not have.
            i if i % 499 == 3 => format!("{},{s},\n", user.id),
            _ => {
                g.good.insert(user.id.clone(), s.clone());
                last_good = Some((user.id.clone(), line));
                users.push(user.clone());
                format!("{},{s},rc-{index}\n", user.id)
            }
        };
        if !g.good.contains_key(&user.id) {
            g.bad.insert(line);
        }
        g.text.push_str(&row);
    }
    for user in users {
        stand_in.add_user(user);
    }
    g
}

/// Records what the import reports, to check it is told about every row once.
#[derive(Default)]
struct Recorder {
    begun: usize,
    imported: usize,
    rejected: Vec<usize>,
    ended: bool,
    text: String,
}

impl Progress for Recorder {
    fn begin(&mut self, rows: usize) {
        self.begun = rows;
    }
    fn imported(&mut self, rows: usize) {
        self.imported += rows;
    }
    fn rejected(&mut self, rejected: &Rejected) {
        self.rejected.push(rejected.line);
        let _ = writeln!(self.text, "{rejected}");
    }
    fn end(&mut self) {
        self.ended = true;
    }
}

/// The userIds of each import-otp request the stand-in accepted (all of whose users it
/// has: it imports a list all or nothing), counted per user.
fn accepted_imports(stand_in: &StandIn, known: &HashSet<String>) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for request in stand_in.requests_to("/api/v3/import-otp") {
        if request.scripted {
            continue;
        }
        let body: Value = serde_json::from_str(&request.body).unwrap();
        let ids: Vec<String> = body["list"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["userId"].as_str().unwrap().to_owned())
            .collect();
        if ids.iter().all(|id| known.contains(id)) {
            for id in ids {
                *counts.entry(id).or_insert(0) += 1;
            }
        }
    }
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_rows_good_ones_imported_exactly_once_bad_ones_reported_by_line() {
    let stand_in = StandIn::start().await.unwrap();
    let file = generate(&stand_in, 10_000);
    let path = std::env::temp_dir().join(format!("migrate-otp-{}.csv", std::process::id()));
    std::fs::write(&path, &file.text).unwrap();
    let plan = migrate::read_csv(std::fs::File::open(&path).unwrap()).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(plan.total(), 10_000);

    // The first call fails at the gateway; the transport's retry carries it.
    stand_in.script_for("/api/v3/import-otp", Fault::http(503));
    let client = stand_in.management_client().build().unwrap();
    let mut progress = Recorder::default();
    let started = std::time::Instant::now();
    let outcome = migrate::import(&client, &plan.rows, 100, &mut progress).await;
    let took = started.elapsed();
    eprintln!(
        "imported {} rows in {took:?}: {:.0} rows/s",
        outcome.imported.len(),
        outcome.imported.len() as f64 / took.as_secs_f64()
    );
    assert!(outcome.stopped.is_none(), "{:?}", outcome.stopped);
    assert!(progress.ended);
    assert_eq!(progress.begun, plan.rows.len());
    assert_eq!(progress.imported + progress.rejected.len(), plan.rows.len());
    let summary = Summary::of_import(&plan, outcome);

    // Every bad row is reported, by its line, and nothing else is.
    let reported: BTreeSet<usize> = summary.rejected.iter().map(|r| r.line).collect();
    assert_eq!(reported, file.bad);
    assert_eq!(summary.imported, file.good.len());
    assert!(!summary.is_clean());
    assert!(
        file.bad.len() > 250,
        "the file mixes in {} bad rows",
        file.bad.len()
    );
    let refused_by_authing = summary
        .rejected
        .iter()
        .filter(|r| r.reason.contains("apiCode 2004"))
        .count();
    assert!(
        refused_by_authing >= 19,
        "{refused_by_authing} rows narrowed down"
    );

    // Every good row holds its secret, imported by exactly one accepted call.
    let known: HashSet<String> = stand_in.users().into_iter().map(|u| u.id).collect();
    let counts = accepted_imports(&stand_in, &known);
    for (user, secret) in &file.good {
        assert_eq!(counts.get(user), Some(&1), "user {user}");
        let held = stand_in.imported_otp(user).map(|otp| otp.secret);
        assert_eq!(held.as_deref(), Some(secret.as_str()));
    }
    assert_eq!(counts.len(), file.good.len());
    assert!(stand_in.requests_to("/api/v3/import-otp")[0].scripted);

    // No secret is in what a person would read.
    let printed = format!("{summary}{}", progress.text);
    for secret in &file.secrets {
        assert!(!printed.contains(&secret[..16]), "a secret was printed");
    }
}

#[tokio::test]
async fn a_second_run_over_the_same_file_changes_nothing_and_reports_the_same() {
    let stand_in = StandIn::start().await.unwrap();
    let file = generate(&stand_in, 400);
    let plan = migrate::read_csv(file.text.as_bytes()).unwrap();
    let client = stand_in.management_client().build().unwrap();
    let first = Summary::of_import(
        &plan,
        migrate::import(&client, &plan.rows, 50, &mut ()).await,
    );
    let held: Vec<_> = file.good.keys().map(|u| stand_in.imported_otp(u)).collect();
    let second = Summary::of_import(
        &plan,
        migrate::import(&client, &plan.rows, 50, &mut ()).await,
    );
    assert_eq!(first.to_string(), second.to_string());
    let again: Vec<_> = file.good.keys().map(|u| stand_in.imported_otp(u)).collect();
    assert_eq!(held, again);
    assert_eq!(second.imported, file.good.len());
}

#[tokio::test]
async fn a_failure_that_no_smaller_batch_can_fix_stops_the_import_and_says_what_is_left() {
    let stand_in = StandIn::start().await.unwrap();
    let file = generate(&stand_in, 50);
    let plan = migrate::read_csv(file.text.as_bytes()).unwrap();
    let client = stand_in
        .management_client()
        .retry(authing_core::RetryPolicy::disabled())
        .build()
        .unwrap();
    // The first call is throttled: no smaller batch helps, so nothing is narrowed and
    // everything is left for a re-run.
    stand_in.script_for("/api/v3/import-otp", Fault::envelope(429, None));
    let outcome = migrate::import(&client, &plan.rows, 10, &mut ()).await;
    let (why, left) = outcome.stopped.expect("stopped");
    assert!(outcome.imported.is_empty());
    assert_eq!(left.len(), plan.rows.len());
    assert!(why.contains("429"), "{why}");
    let text = Summary::of_import(&plan, migrate::ImportOutcome::default()).to_string();
    assert!(text.contains("imported 0"), "{text}");
}

#[tokio::test]
async fn a_dry_run_sends_nothing() {
    let stand_in = StandIn::start().await.unwrap();
    let file = generate(&stand_in, 200);
    let plan = migrate::read_csv(file.text.as_bytes()).unwrap();
    let summary = Summary::dry_run(&plan, 100);
    assert!(summary.to_string().starts_with("dry run: "));
    assert_eq!(summary.dry_run, Some(plan.rows.len().div_ceil(100)));
    assert!(stand_in.requests().is_empty());
}
