//! Client CPU per call, calls per second and peak memory of authing-rs against the same
//! calls hand-written on reqwest, measured in the same run in alternating rounds.
//!
//! ```text
//! cargo run --release -p authing-benches --bin cpu-per-call            # the full table
//! cargo run --release -p authing-benches --bin cpu-per-call -- --quick # fewer calls
//! cargo run --release -p authing-benches --bin cpu-per-call -- --pin   # client and server on a core each
//! ```
//!
//! With `--pin` the client runs on core 0 and the server on core 1, so that neither takes
//! the other's core: on a 2-core machine the client's CPU per call otherwise includes
//! waiting for, and waking, a server that runs on its cores too, and the rounds vary more.
//!
//! The canned server runs as a child process (this binary, `serve`), so its CPU is not
//! the client's. Other modes, used by the full run, by `scripts/perf-official/run.sh` and
//! for a quick look at one change:
//!
//! ```text
//! cpu-per-call serve                                    # print the base URL, serve until stdin closes
//! cpu-per-call measure WHO WHAT CONCURRENCY CALLS BASE  # print "cpu_ns_per_call calls_per_sec"
//! cpu-per-call rss WHO WHAT CALLS BASE                  # all calls at once; print peak RSS in KiB
//! cpu-per-call profile WHO WHAT CALLS [CONCURRENCY]     # one thread, for valgrind --tool=callgrind
//! cpu-per-call compare WHAT CONCURRENCY CALLS ROUNDS WHO... # one row of the table, alternating
//! ```
//!
//! WHO is `hand-written`, `token`, `signature` or `user`; WHAT is `get-otp`, `enroll` or
//! `import-N` (an import-otp body of N users).

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use authing_benches::contenders::{Contender, What, Who};
use authing_benches::measure::{self, Sample, median};
use authing_benches::server;

type Failure = Box<dyn std::error::Error>;

fn main() -> Result<(), Failure> {
    cores();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let pin = args.iter().any(|a| a == "--pin");
    let args: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| *a != "--pin")
        .collect();
    let serving = args.first() == Some(&"serve");
    if pin && !serving && cores() < 2 {
        return Err("--pin needs two cores, one for the client and one for the server".into());
    }
    if pin {
        // Before any runtime starts: its worker threads inherit the one core, and tokio
        // sizes itself to it. The server widens the core it inherited to its own.
        pin_to(if serving { SERVER_CPU } else { CLIENT_CPU })?;
    }
    match args.as_slice() {
        ["serve"] => serve(),
        ["measure", who, what, concurrency, calls, base] => {
            let (concurrency, calls) = (concurrency.parse()?, calls.parse()?);
            let sample = runtime()?.block_on(async {
                let contender = Arc::new(contender(who, what, base).await?);
                // A warm-up that opens the connections, then the measured run.
                measure::run(&contender, concurrency, concurrency * 4).await?;
                Ok::<_, Failure>(measure::run(&contender, concurrency, calls).await?)
            })?;
            println!(
                "{} {:.1}",
                sample.cpu_per_call.as_nanos(),
                sample.calls_per_sec
            );
            Ok(())
        }
        ["rss", who, what, calls, base] => {
            let calls: usize = calls.parse()?;
            runtime()?.block_on(async {
                let contender = Arc::new(contender(who, what, base).await?);
                measure::run(&contender, calls, calls).await?;
                Ok::<_, Failure>(())
            })?;
            println!("{}", measure::max_rss_kib());
            Ok(())
        }
        ["profile", who, what, calls, concurrency @ ..] if concurrency.len() <= 1 => {
            let concurrency = concurrency.first().map_or(Ok(1), |c| c.parse())?;
            let server = Server::start(pin)?;
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(async {
                let contender = Arc::new(contender(who, what, &server.base).await?);
                measure::run(&contender, concurrency, calls.parse()?).await?;
                Ok::<_, Failure>(())
            })
        }
        ["compare", what, concurrency, calls, rounds, who @ ..] if !who.is_empty() => {
            let server = Server::start(pin)?;
            let runs = (concurrency.parse()?, calls.parse()?, rounds.parse()?);
            compare(&server, what, runs, who)
        }
        [] => full(Settings::default(), pin),
        ["--quick"] => full(Settings::quick(), pin),
        _ => Err(format!(
            "unknown arguments {args:?}; see the top of benches/src/bin/cpu_per_call.rs"
        )
        .into()),
    }
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Runtime::new()
}

async fn contender(who: &str, what: &str, base: &str) -> Result<Contender, Failure> {
    let who = Who::parse(who).ok_or_else(|| format!("unknown client `{who}`"))?;
    let what = What::parse(what).ok_or_else(|| format!("unknown call `{what}`"))?;
    Ok(Contender::new(who, what, base).await?)
}

/// The canned server, a child process that ends when this one drops it (or dies: it
/// exits when its standard input closes).
struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// Starts the server; with `pin`, on a core of its own.
    fn start(pin: bool) -> Result<Self, Failure> {
        let mut child = Command::new(std::env::current_exe()?)
            .arg("serve")
            .args(pin.then_some("--pin"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let stdout = child.stdout.take().ok_or("no stdout from the server")?;
        let mut base = String::new();
        BufReader::new(stdout).read_line(&mut base)?;
        let base = base.trim().to_owned();
        if !base.starts_with("http://") {
            return Err(format!("the server did not say where it listens (`{base}`)").into());
        }
        Ok(Self { child, base })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve() -> Result<(), Failure> {
    let rt = runtime()?;
    rt.block_on(async {
        let listener = server::bind()?;
        println!("http://{}", listener.local_addr()?);
        std::io::stdout().flush()?;
        // The parent holds our stdin: when it goes, so do we.
        std::thread::spawn(|| {
            let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
            std::process::exit(0);
        });
        server::serve(listener).await?;
        Ok(())
    })
}

/// How much to measure.
struct Settings {
    rounds: usize,
    calls_alone: usize,
    calls_at_64: usize,
    rss_calls: usize,
    rss_rounds: usize,
    body_items: &'static [(usize, usize)],
}

/// Many short rounds rather than a few long ones: on a shared or virtual machine the
/// CPU a fixed piece of work takes swings by a third and more from one second to the
/// next, and contenders measured within a fraction of a second of each other see the
/// same swing, which their ratio cancels. On the 2-core VM these numbers were chosen on,
/// 5 rounds of 10,000 calls at 64 gave ratios from 1.06 to 1.39 for the same code;
/// 31 rounds of 3,000 stay within a few percent.
impl Default for Settings {
    fn default() -> Self {
        Self {
            rounds: 31,
            calls_alone: 500,
            calls_at_64: 3_000,
            rss_calls: 10_000,
            rss_rounds: 3,
            body_items: &[(1, 500), (10, 400), (100, 150), (1_000, 40)],
        }
    }
}

impl Settings {
    fn quick() -> Self {
        Self {
            rounds: 11,
            calls_alone: 200,
            calls_at_64: 1_000,
            rss_calls: 10_000,
            rss_rounds: 1,
            body_items: &[(1, 200), (100, 50)],
        }
    }
}

/// Per contender, per round, what it cost.
type Rounds = Vec<Vec<Sample>>;

/// Measures `contenders` in `rounds` rounds, each contender once a round, the order
/// rotated so that none always goes first.
async fn alternating(
    contenders: &[Arc<Contender>],
    concurrency: usize,
    calls: usize,
    rounds: usize,
) -> Result<Rounds, String> {
    for c in contenders {
        measure::run(c, concurrency, concurrency * 4).await?;
    }
    let mut samples = vec![Vec::with_capacity(rounds); contenders.len()];
    for round in 0..rounds {
        for k in 0..contenders.len() {
            let i = (round + k) % contenders.len();
            samples[i].push(measure::run(&contenders[i], concurrency, calls).await?);
        }
    }
    Ok(samples)
}

/// The median over rounds of `of(a) / of(b)` taken within each round.
fn ratio(a: &[Sample], b: &[Sample], of: impl Fn(&Sample) -> f64) -> f64 {
    let mut r: Vec<f64> = a.iter().zip(b).map(|(a, b)| of(a) / of(b)).collect();
    median(&mut r)
}

fn cpu_us(s: &Sample) -> f64 {
    s.cpu_per_call.as_secs_f64() * 1e6
}

fn per_sec(s: &Sample) -> f64 {
    s.calls_per_sec
}

fn med(samples: &[Sample], of: impl Fn(&Sample) -> f64) -> f64 {
    median(&mut samples.iter().map(of).collect::<Vec<_>>())
}

/// A target, checked and printed.
struct Target {
    what: String,
    value: f64,
    limit: f64,
    at_most: bool,
}

impl Target {
    fn met(&self) -> bool {
        if self.at_most {
            self.value <= self.limit
        } else {
            self.value >= self.limit
        }
    }
}

fn full(settings: Settings, pin: bool) -> Result<(), Failure> {
    let server = Server::start(pin)?;
    let rt = runtime()?;
    println!("{}", machine());
    if pin {
        println!("client pinned to core {CLIENT_CPU}, server to core {SERVER_CPU}");
    }
    println!(
        "median of {} alternating rounds; ratios are taken within each round against the \
         hand-written reqwest call, then the median is printed\n",
        settings.rounds
    );
    let mut targets = Vec::new();
    rt.block_on(async {
        let base = server.base.as_str();
        let get = build(&[Who::HandWritten, Who::Token, Who::Signature], What::GetOtp, base).await?;
        let post = build(&[Who::HandWritten, Who::User], What::Enroll, base).await?;
        println!("| call | client | CPU/call, 1 caller | ratio | CPU/call, 64 callers | ratio | calls/s at 64 | ratio |");
        println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
        for (label, contenders) in [
            ("GET get-otp-secret-by-user (management)", &get),
            ("POST send-enroll-factor-request (authentication)", &post),
        ] {
            let alone = alternating(contenders, 1, settings.calls_alone, settings.rounds).await?;
            let many = alternating(contenders, 64, settings.calls_at_64, settings.rounds).await?;
            for (i, c) in contenders.iter().enumerate() {
                println!(
                    "| {label} | {} | {:.1} µs | {:.2} | {:.1} µs | {:.2} | {:.0} | {:.2} |",
                    c.name(),
                    med(&alone[i], cpu_us),
                    ratio(&alone[i], &alone[0], cpu_us),
                    med(&many[i], cpu_us),
                    ratio(&many[i], &many[0], cpu_us),
                    med(&many[i], per_sec),
                    ratio(&many[i], &many[0], per_sec),
                );
            }
            if label.starts_with("GET") {
                let (token, sig) = (1, 2);
                targets.extend([
                    at_most("token CPU/call vs hand-written, 1 caller", ratio(&alone[token], &alone[0], cpu_us), 1.00),
                    at_most("token CPU/call vs hand-written, 64 callers", ratio(&many[token], &many[0], cpu_us), 1.00),
                    at_least("token calls/s vs hand-written, 64 callers", ratio(&many[token], &many[0], per_sec), 1.00),
                    at_most("signature CPU/call vs token, 1 caller", ratio(&alone[sig], &alone[token], cpu_us), 1.10),
                    at_most("signature CPU/call vs token, 64 callers", ratio(&many[sig], &many[token], cpu_us), 1.10),
                ]);
            }
        }
        body_sizes(base, &settings).await?;
        Ok::<_, Failure>(())
    })?;
    targets.push(rss(&server.base, &settings)?);
    println!("\n| target | measured | limit | |\n| --- | --- | --- | --- |");
    for t in &targets {
        println!(
            "| {} | {:.2} | {} {:.2} | {} |",
            t.what,
            t.value,
            if t.at_most { "<=" } else { ">=" },
            t.limit,
            if t.met() { "met" } else { "MISSED" }
        );
    }
    Ok(())
}

/// A quick look at one call: `who` in alternating rounds, each against the first.
fn compare(
    server: &Server,
    what: &str,
    (concurrency, calls, rounds): (usize, usize, usize),
    who: &[&str],
) -> Result<(), Failure> {
    let what = What::parse(what).ok_or_else(|| format!("unknown call `{what}`"))?;
    let who = who
        .iter()
        .map(|w| Who::parse(w).ok_or_else(|| format!("unknown client `{w}`")))
        .collect::<Result<Vec<_>, _>>()?;
    runtime()?.block_on(async {
        let contenders = build(&who, what, &server.base).await?;
        let s = alternating(&contenders, concurrency, calls, rounds).await?;
        println!(
            "| client | CPU/call | ratio | calls/s | ratio |\n| --- | --- | --- | --- | --- |"
        );
        for (i, c) in contenders.iter().enumerate() {
            println!(
                "| {} | {:.1} µs | {:.3} | {:.0} | {:.3} |",
                c.name(),
                med(&s[i], cpu_us),
                ratio(&s[i], &s[0], cpu_us),
                med(&s[i], per_sec),
                ratio(&s[i], &s[0], per_sec),
            );
        }
        Ok::<_, Failure>(())
    })
}

fn at_most(what: &str, value: f64, limit: f64) -> Target {
    Target {
        what: what.to_owned(),
        value,
        limit,
        at_most: true,
    }
}

fn at_least(what: &str, value: f64, limit: f64) -> Target {
    Target {
        at_most: false,
        ..at_most(what, value, limit)
    }
}

async fn build(who: &[Who], what: What, base: &str) -> Result<Vec<Arc<Contender>>, String> {
    let mut out = Vec::new();
    for &w in who {
        let c = Contender::new(w, what, base).await?;
        c.call().await.map_err(|e| format!("{}: {e}", c.name()))?;
        out.push(Arc::new(c));
    }
    Ok(out)
}

/// How a call's cost grows with its body: import-otp bodies of a few sizes, one caller.
async fn body_sizes(base: &str, settings: &Settings) -> Result<(), Failure> {
    println!("\nCPU per call against the body's size (POST import-otp, management, 1 caller):\n");
    println!("| body | hand-written | token | ratio | signature | ratio | signature vs token |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for &(items, calls) in settings.body_items {
        let what = What::Import(items);
        let c = build(&[Who::HandWritten, Who::Token, Who::Signature], what, base).await?;
        let s = alternating(&c, 1, calls, settings.rounds).await?;
        println!(
            "| {} B | {:.1} µs | {:.1} µs | {:.2} | {:.1} µs | {:.2} | {:.2} |",
            c[0].body_bytes().unwrap_or(0),
            med(&s[0], cpu_us),
            med(&s[1], cpu_us),
            ratio(&s[1], &s[0], cpu_us),
            med(&s[2], cpu_us),
            ratio(&s[2], &s[0], cpu_us),
            ratio(&s[2], &s[1], cpu_us),
        );
    }
    Ok(())
}

/// Peak RSS of a process making `rss_calls` calls at once: one child process per
/// client and round, alternating.
fn rss(base: &str, settings: &Settings) -> Result<Target, Failure> {
    let who = [Who::HandWritten, Who::Token, Who::Signature];
    let mut kib = vec![Vec::new(); who.len()];
    for round in 0..settings.rss_rounds {
        for k in 0..who.len() {
            let i = (round + k) % who.len();
            let out = Command::new(std::env::current_exe()?)
                .args([
                    "rss",
                    who[i].name(),
                    "get-otp",
                    &settings.rss_calls.to_string(),
                    base,
                ])
                .stderr(Stdio::inherit())
                .output()?;
            if !out.status.success() {
                return Err(format!("the {} rss child failed", who[i].name()).into());
            }
            kib[i].push(String::from_utf8(out.stdout)?.trim().parse::<f64>()?);
        }
    }
    println!(
        "\nPeak RSS of a process making {} GET calls at once (median of {} rounds):\n",
        settings.rss_calls, settings.rss_rounds
    );
    println!("| client | peak RSS | ratio |\n| --- | --- | --- |");
    let floor = median(&mut kib[0].clone());
    for (i, w) in who.iter().enumerate() {
        let m = median(&mut kib[i]);
        println!(
            "| {} | {:.1} MiB | {:.2} |",
            w.name(),
            m / 1024.0,
            m / floor
        );
    }
    let token = median(&mut kib[1]);
    Ok(at_most(
        "token peak RSS vs hand-written, 10,000 calls at once",
        token / floor,
        1.10,
    ))
}

/// The core `--pin` puts the client on.
const CLIENT_CPU: usize = 0;
/// The core `--pin` puts the server on.
const SERVER_CPU: usize = 1;

/// The machine's cores, counted the first time (at the start of `main`, before `--pin`
/// narrows what this process may use: after it, `available_parallelism` counts one).
fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Runs the calling thread, and the threads it starts from now on, on `cpu` only.
#[cfg(target_os = "linux")]
fn pin_to(cpu: usize) -> Result<(), Failure> {
    if cpu >= libc::CPU_SETSIZE as usize {
        return Err(format!("core {cpu} is past CPU_SETSIZE").into());
    }
    // SAFETY: `cpu_set_t` is plain bits, valid zeroed; CPU_SET writes inside it for a
    // `cpu` below CPU_SETSIZE (checked above); sched_setaffinity (pid 0: this thread)
    // only reads the set it is given.
    let rc = unsafe {
        let mut set = std::mem::zeroed::<libc::cpu_set_t>();
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set)
    };
    if rc != 0 {
        let err = std::io::Error::last_os_error();
        return Err(format!("could not pin this process to core {cpu}: {err}").into());
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn pin_to(_cpu: usize) -> Result<(), Failure> {
    Err("--pin is only implemented on Linux (sched_setaffinity)".into())
}

/// The machine, for the table's caption.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = cores();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load = load.split_whitespace().next().unwrap_or("?");
    format!("machine: {cores} cores, {cpu}; load average {load} at the start")
}
