//! Compile-time tests of `#[endpoint]`: each `ui/*.rs` must fail to compile with the
//! diagnostic committed beside it in `ui/*.stderr`, and each `ui/pass/*.rs` must compile and
//! run. After changing a message on purpose, regenerate with `TRYBUILD=overwrite` and read
//! every changed `.stderr` before committing it.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
    t.pass("ui/pass/*.rs");
}
