//! Benchmarks of authing-rs against the same calls hand-written on reqwest. Not tests:
//!
//! - `cargo run --release -p authing-benches --bin cpu-per-call` prints client CPU per
//!   call, calls per second and peak memory, with the hand-written call measured in the
//!   same run in alternating rounds, against a canned server in another process.
//! - `cargo bench -p authing-benches` (criterion) times one call over loopback.
//!
//! The library holds what both share: the canned server, the contenders, the measuring.

pub mod contenders;
pub mod measure;
pub mod server;
