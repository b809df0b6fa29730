//! `cargo run -p authing-codegen`: regenerates authing-api from inventory/.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    // `--by-hand DIR`: the crate written without the macro, for scripts/api-scale.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, dir] = args.as_slice()
        && flag == "--by-hand"
    {
        return match by_hand(&root, Path::new(dir)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("authing-codegen: {e}");
                ExitCode::FAILURE
            }
        };
    }
    match authing_codegen::write(&root) {
        Ok(changed) if changed.is_empty() => {
            println!("authing-api is up to date with inventory/authing-v3.json");
            ExitCode::SUCCESS
        }
        Ok(changed) => {
            for path in changed {
                println!("wrote {path}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("authing-codegen: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Writes the by-hand variant of authing-api (plus its hand-written `support.rs`) to `dir`.
fn by_hand(root: &Path, dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    for f in authing_codegen::generate_by_hand(root)? {
        let Some(rel) = f.path.strip_prefix("authing-api/") else {
            continue;
        };
        let target = dir.join(rel);
        std::fs::create_dir_all(target.parent().ok_or("no parent")?)?;
        if std::fs::read_to_string(&target).ok().as_deref() != Some(f.contents.as_str()) {
            std::fs::write(&target, f.contents)?;
        }
    }
    std::fs::copy(
        root.join("authing-api/src/support.rs"),
        dir.join("src/support.rs"),
    )?;
    Ok(())
}
