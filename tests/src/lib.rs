//! Integration tests of authing-rs live in this crate's tests/ folder.
