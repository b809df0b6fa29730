//! The `authing-stand-in` binary prints lines that work as they are: exported, they point
//! the quickstart (`authing-mfa`'s main example) at the stand-in the binary runs.
//!
//! The quickstart is the binary `cargo test --workspace` builds beside this one
//! (`target/<profile>/examples/quickstart`); when only this crate's tests were built it
//! is built first with the same cargo.

use std::io::{BufRead as _, BufReader, Read as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const STAND_IN: &str = env!("CARGO_BIN_EXE_authing-stand-in");

/// How long the binary may take to print its lines, and each program to finish.
const PATIENCE: Duration = Duration::from_secs(60);

/// Stops the binary however the test ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary and reads its `NAME=value` lines: every line it prints on stdout
/// before it is ready (it prints nothing else there).
fn start_stand_in() -> (Running, Vec<(String, String)>) {
    let mut child = Command::new(STAND_IN)
        .env_remove("AUTHING_STAND_IN_PORT")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the stand-in binary starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let running = Running(child);
    let (sender, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    let mut environment = Vec::new();
    // Seven lines, then silence on stdout: the binary serves until stopped.
    while environment.len() < 7 {
        let line = lines
            .recv_timeout(PATIENCE)
            .expect("the stand-in prints its lines");
        let (name, value) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("not a NAME=value line: {line:?}"));
        environment.push((name.to_owned(), value.to_owned()));
    }
    (running, environment)
}

/// `target/<profile>/examples/quickstart`, built if it is not there yet.
fn quickstart() -> PathBuf {
    let profile_dir = Path::new(STAND_IN).parent().expect("the binary's folder");
    let path = profile_dir
        .join("examples")
        .join(format!("quickstart{}", std::env::consts::EXE_SUFFIX));
    if !path.exists() {
        let built = Command::new(env!("CARGO"))
            .args(["build", "-p", "authing-mfa", "--example", "quickstart"])
            .status()
            .expect("cargo runs");
        assert!(built.success(), "building the quickstart failed");
    }
    path
}

/// Waits for `child`, at most [`PATIENCE`].
fn wait_with_output(child: Child) -> std::process::Output {
    let (sender, done) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(child.wait_with_output());
    });
    done.recv_timeout(PATIENCE)
        .expect("the program finishes")
        .expect("its output is read")
}

#[cfg(unix)] // Ctrl-C is sent with `kill -INT`
#[test]
fn the_printed_lines_point_the_quickstart_at_the_stand_in() {
    let (mut stand_in, environment) = start_stand_in();
    let names: Vec<&str> = environment.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.contains(&"AUTHING_HOST"), "{names:?}");

    // Exactly the printed environment, nothing inherited.
    let run = Command::new(quickstart())
        .env_clear()
        .envs(environment.iter().map(|(n, v)| (n, v)))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the quickstart starts");
    let output = wait_with_output(run);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the quickstart failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    assert!(
        !stdout.contains("built-in loopback"),
        "the quickstart started a stand-in of its own:\n{stdout}"
    );
    let user_id = &environment
        .iter()
        .find(|(n, _)| n == "AUTHING_USER_ID")
        .expect("AUTHING_USER_ID is printed")
        .1;
    assert!(stdout.contains(user_id.as_str()), "{stdout}");

    // The binary served those calls: Ctrl-C makes it say how many it saw.
    let interrupted = Command::new("kill")
        .args(["-INT", &stand_in.0.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(interrupted.success());
    let mut pipe = stand_in.0.stderr.take().expect("piped stderr");
    let (sender, read) = mpsc::channel();
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        let _ = sender.send(text);
    });
    let stderr = read
        .recv_timeout(PATIENCE)
        .expect("the stand-in stops on Ctrl-C");
    let served: usize = stderr
        .split_once(" requests served")
        .and_then(|(head, _)| head.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no request count in {stderr:?}"));
    assert!(served >= 5, "only {served} requests reached it:\n{stderr}");
}
