//! Generates the `authing-api` crate from the inventory of Authing's V3 API.
//!
//! `cargo run -p authing-codegen` rewrites `authing-api/Cargo.toml`, `authing-api/src/`
//! (all but `support.rs`, which is written by hand) and `authing-api/COVERAGE.md` from
//! `inventory/`. The test `tests/fresh.rs` fails when the committed files differ from what
//! the inventory generates.
//!
//! The rules it follows (names, types, groups, features) are documented where they are
//! applied: [`names`] for names, [`plan`] for types, reachability and pagination.
//!
//! ```no_run
//! let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
//! let files = authing_codegen::generate(&root)?;
//! assert!(files.iter().any(|f| f.path == "authing-api/src/lib.rs"));
//! # Ok::<(), authing_codegen::Error>(())
//! ```
#![warn(missing_docs)]

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

mod emit;
pub mod inventory;
pub mod names;
pub mod plan;

/// Something the generator could not do, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// One generated file: its path from the workspace root and its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Relative to the workspace root, with `/`.
    pub path: String,
    /// The full contents.
    pub contents: String,
}

/// Generates every file from `root/inventory/`, in memory, Rust files rustfmt-formatted.
pub fn generate(root: &Path) -> Result<Vec<File>, Error> {
    generate_styled(root, emit::Style::Macro)
}

/// The same crate with every `#[endpoint]` written out as the code it expands to, for the
/// compile-time benchmark (`scripts/api-scale`): paths start at `authing-api/` likewise.
pub fn generate_by_hand(root: &Path) -> Result<Vec<File>, Error> {
    generate_styled(root, emit::Style::ByHand)
}

fn generate_styled(root: &Path, style: emit::Style) -> Result<Vec<File>, Error> {
    let input = inventory::Input::read(&root.join("inventory"))?;
    let plan = plan::Plan::new(&input)?;
    let mut files = vec![
        File {
            path: "authing-api/Cargo.toml".into(),
            contents: emit::cargo_toml(&plan),
        },
        File {
            path: "authing-api/COVERAGE.md".into(),
            contents: emit::coverage_md(&plan),
        },
    ];
    let mut rust = vec![
        ("authing-api/src/lib.rs".to_owned(), emit::lib_rs(&plan)),
        (
            "authing-api/src/models.rs".to_owned(),
            emit::models_rs(&plan),
        ),
        (
            "authing-api/src/conformance.rs".to_owned(),
            emit::conformance_rs(&plan),
        ),
    ];
    let mut modules: Vec<String> = plan.endpoints.iter().map(|e| e.group.module()).collect();
    modules.dedup();
    for m in modules {
        rust.push((
            format!("authing-api/src/{m}.rs"),
            emit::group_rs(&plan, &m, style),
        ));
    }
    for (path, text) in rust {
        files.push(File {
            contents: rustfmt(root, &path, &text)?,
            path,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Formats Rust source as `cargo fmt` does (edition 2024, the workspace's rustfmt config).
fn rustfmt(root: &Path, path: &str, text: &str) -> Result<String, Error> {
    let mut child = Command::new(std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".into()))
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            Error(format!(
                "cannot run rustfmt ({e}): install it with `rustup component add rustfmt`"
            ))
        })?;
    let mut stdin = child.stdin.take().expect("piped");
    let input = text.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| Error(format!("rustfmt failed on {path}: {e}")))?;
    let _ = writer.join();
    if !output.status.success() {
        return Err(Error(format!(
            "rustfmt refused the generated {path} (a generator bug):\n{}",
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    String::from_utf8(output.stdout)
        .map_err(|_| Error(format!("rustfmt wrote non-UTF-8 for {path}")))
}

/// Writes the generated files under `root`, and removes generated modules that are no
/// longer generated. Returns the paths that changed.
pub fn write(root: &Path) -> Result<Vec<String>, Error> {
    let files = generate(root)?;
    let mut changed = Vec::new();
    for stale in stale_modules(root, &files) {
        std::fs::remove_file(root.join(&stale))
            .map_err(|e| Error(format!("cannot remove {stale}: {e}")))?;
        changed.push(stale);
    }
    for f in files {
        let target = root.join(&f.path);
        if std::fs::read_to_string(&target).ok().as_deref() == Some(f.contents.as_str()) {
            continue;
        }
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error(format!("cannot create {}: {e}", dir.display())))?;
        }
        std::fs::write(&target, &f.contents)
            .map_err(|e| Error(format!("cannot write {}: {e}", f.path)))?;
        changed.push(f.path);
    }
    Ok(changed)
}

/// Files that differ from what the inventory generates (or should not exist).
pub fn check(root: &Path) -> Result<Vec<String>, Error> {
    let files = generate(root)?;
    let mut stale = stale_modules(root, &files);
    for f in files {
        if std::fs::read_to_string(root.join(&f.path)).ok().as_deref() != Some(f.contents.as_str())
        {
            stale.push(f.path);
        }
    }
    Ok(stale)
}

/// Generated `.rs` files under `authing-api/src` that the inventory no longer produces.
fn stale_modules(root: &Path, files: &[File]) -> Vec<String> {
    let dir = root.join("authing-api/src");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| format!("authing-api/src/{}", e.file_name().to_string_lossy()))
        .filter(|p| {
            p.ends_with(".rs")
                && p != "authing-api/src/support.rs"
                && !files.iter().any(|f| &f.path == p)
        })
        .collect();
    out.sort();
    out
}
