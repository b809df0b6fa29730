//! `cargo run -p authing-codegen`: regenerates authing-api from inventory/.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
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
