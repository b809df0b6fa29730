//! Random identifiers shaped like Authing's.

use rand::RngCore as _;

/// A random id shaped like Authing's (a MongoDB ObjectId: 24 hex digits).
pub(crate) fn object_id() -> String {
    hex(12)
}

/// `bytes` random bytes as lowercase hex.
pub(crate) fn hex(bytes: usize) -> String {
    random_bytes(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// `len` random bytes.
pub(crate) fn random_bytes(len: usize) -> Vec<u8> {
    let mut bytes = vec![0; len];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}

/// A recovery code like Authing's: six groups of four hex digits,
/// `e7ad-aaa4-da75-fa37-57d1-5141`.
pub(crate) fn recovery_code() -> String {
    let digits = hex(12);
    let groups: Vec<&str> = (0..6)
        .filter_map(|i| digits.get(i * 4..i * 4 + 4))
        .collect();
    groups.join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_authing_shapes() {
        assert_eq!(object_id().len(), 24);
        let code = recovery_code();
        assert_eq!(code.len(), 29);
        assert!(
            code.split('-')
                .all(|g| g.len() == 4 && g.bytes().all(|b| b.is_ascii_hexdigit()))
        );
    }
}
