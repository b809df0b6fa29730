//! Cross-crate integration and compile-fail tests of authing-rs live in this crate's
//! `tests/` folder; this library only compiles the README's Rust examples as doc tests,
//! so the README cannot show code that does not build.
#![doc = include_str!("../../README.md")]
