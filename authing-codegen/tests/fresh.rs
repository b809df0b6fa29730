//! The committed authing-api is what the inventory generates, and every endpoint of the
//! inventory has exactly one source: generated, or declared by hand in the crate that
//! inventory/hand-declared.tsv names.

use std::path::Path;

use authing_codegen::inventory::Input;
use authing_codegen::plan::Plan;

fn root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn committed_code_is_what_the_inventory_generates() {
    let stale = authing_codegen::check(&root()).expect("generation succeeds");
    assert!(
        stale.is_empty(),
        "these files are stale against inventory/: {stale:?}\nregenerate with `cargo run -p authing-codegen` and commit"
    );
}

#[test]
fn every_inventory_endpoint_is_generated_or_declared_by_hand() {
    let input = Input::read(&root().join("inventory")).expect("inventory reads");
    let plan = Plan::new(&input).expect("plan");
    assert_eq!(
        plan.endpoints.len() + plan.skipped.len(),
        input.inventory.endpoints.len()
    );
    // Each hand-declared row names an endpoint of the inventory, so the list cannot drift.
    for h in &input.hand_declared {
        assert!(
            input
                .inventory
                .endpoints
                .iter()
                .any(|e| e.side == h.side && e.http_method == h.method && e.path == h.path),
            "hand-declared.tsv lists {} {} {} which the inventory does not have",
            h.side,
            h.method,
            h.path
        );
        let source = std::fs::read_to_string(root().join(&h.krate).join("src").join("lib.rs"));
        assert!(
            source.is_ok(),
            "hand-declared.tsv names the crate {} which does not exist",
            h.krate
        );
    }
    // No generated endpoint shares a name with another.
    let mut names: Vec<&str> = plan.endpoints.iter().map(|e| e.name.as_str()).collect();
    names.sort();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len());
}
