//! Compile-time tests of `#[endpoint]`: each `cases/*.rs` must fail to compile with the
//! diagnostic committed beside it in `cases/*.stderr`, and each `cases/pass/*.rs` must
//! compile and run. After changing a message on purpose, regenerate with
//! `TRYBUILD=overwrite cargo test -p authing-ui-tests` and read every changed `.stderr`
//! before committing it. What the cases are compiled against is this crate's manifest
//! alone, whichever way the tests are run (see the comment in `Cargo.toml`).

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("cases/*.rs");
    t.pass("cases/pass/*.rs");
}
