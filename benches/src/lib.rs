//! Benchmarks of authing-rs live in this crate's `benches/` folder; run them with
//! `cargo bench -p authing-benches`.
