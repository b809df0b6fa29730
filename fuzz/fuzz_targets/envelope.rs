//! Fuzzes what the SDK does with an answer: `Retry-After`, the envelope, `data` and
//! the retry decision, through `authing_core::__fuzz::decode`. It must never panic,
//! and every outcome must be one that decoding an answer can produce.
//!
//! Input layout (so that seeds can be written by hand):
//!
//! | bytes | meaning |
//! | --- | --- |
//! | 0–1 | HTTP status, big-endian, folded into 100–999 |
//! | 2 | `n`: 0 for no `Retry-After`, else `n - 1` header bytes follow |
//! | … | the header bytes (fewer if the input ends) |
//! | rest | the body |
#![no_main]

use authing_core::__fuzz::decode;
use authing_core::Error;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Some((&[hi, lo, n], rest)) = input.split_first_chunk::<3>() else {
        return;
    };
    let status = 100 + u16::from_be_bytes([hi, lo]) % 900;
    let (header, body) = match usize::from(n) {
        0 => (None, rest),
        n => {
            let len = (n - 1).min(rest.len());
            (Some(&rest[..len]), &rest[len..])
        }
    };
    let outcome = decode(status, header, body).expect("100-999 is an HTTP status");

    // Only the four variants an answer can produce, each displayable.
    for err in [
        outcome.unit.as_ref().err(),
        outcome.value.as_ref().err(),
        outcome.typed.as_ref().err(),
    ]
    .into_iter()
    .flatten()
    {
        assert!(
            matches!(
                err,
                Error::Api(_)
                    | Error::HttpStatus { .. }
                    | Error::NotJson { .. }
                    | Error::UnexpectedShape { .. }
            ),
            "{err:?}"
        );
        let _ = err.to_string();
    }
    // A success only under 2xx, from a JSON object, never retried; `data` fails only
    // as a shape.
    if outcome.unit.is_ok() {
        assert!((200..300).contains(&status));
        let first = body.iter().find(|b| !b" \t\r\n".contains(b));
        assert_eq!(first, Some(&b'{'), "a success that is not an object");
        assert!(outcome.retry.is_none() && !outcome.retried_get && !outcome.retried_post);
        for err in [outcome.value.as_ref().err(), outcome.typed.as_ref().err()]
            .into_iter()
            .flatten()
        {
            assert!(matches!(err, Error::UnexpectedShape { .. }), "{err:?}");
        }
    }
    // A call that is not idempotent is retried only when a GET would be too.
    assert!(!outcome.retried_post || outcome.retried_get);
    let _ = format!("{outcome:?}");
});
