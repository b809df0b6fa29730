//! Cross-crate integration and compile-fail tests of authing-rs live in this crate's
//! `tests/` folder; this library only compiles the README's Rust examples as doc tests,
//! so the README cannot show code that does not build.
#![doc = include_str!("../../README.md")]

use std::io::Write;
use std::sync::{Arc, Mutex};

/// A log sink the tests can read back: give `move || sink.clone()` to a
/// `tracing_subscriber::fmt()` writer and read what was written with [`Captured::text`].
///
/// ```
/// use std::io::Write;
/// let logs = authing_tests::Captured::default();
/// logs.clone().write_all(b"one line").unwrap();
/// assert_eq!(logs.text(), "one line");
/// ```
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// Everything written so far, as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
