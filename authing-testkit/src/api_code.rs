//! The `apiCode`s the stand-in answers with, so tests can name them instead of repeating
//! numbers.
//!
//! Codes below 9 000 000 are Authing's own, from its published error-code pages.
//! Authing documents no code for a wrong access key, a malformed body, an invalid OTP secret, an
//! unsupported `userIdType` or a user without an OTP; for those the stand-in uses codes
//! of its own, all in the 9 000 000 range so that they can never be mistaken for one of
//! Authing's.
//!
//! ```
//! use authing_testkit::api_code;
//! assert_eq!(api_code::NONCE_REPLAYED, 1306);
//! assert!(api_code::WRONG_ACCESS_KEY >= 9_000_000);
//! ```

/// The signature does not match the request (or the access key id is unknown).
pub const SIGNATURE_INVALID: i64 = 1300;
/// `x-authing-signature-method` is not `HMAC-SHA1`.
pub const SIGNATURE_METHOD_UNSUPPORTED: i64 = 1301;
/// `x-authing-signature-version` is not `1.0`.
pub const SIGNATURE_VERSION_UNSUPPORTED: i64 = 1302;
/// The `date` header is not an RFC 7231 date.
pub const DATE_MALFORMED: i64 = 1303;
/// A signed request has no `date` header.
pub const DATE_MISSING: i64 = 1304;
/// The `date` header is more than 15 minutes away from the stand-in's clock.
pub const CLOCK_SKEW: i64 = 1305;
/// The `x-authing-signature-nonce` was already used by an accepted request.
pub const NONCE_REPLAYED: i64 = 1306;
/// No user matches the given id (Authing's code).
pub const USER_NOT_FOUND: i64 = 2004;
/// The `x-authing-app-id` of an authentication call is missing or not the stand-in's
/// app (Authing's "应用不存在", application not found).
pub const APP_NOT_FOUND: i64 = 2011;
/// Not signed in: a missing, unknown, expired or revoked token (Authing's
/// "尚未登录,无权限访问此请求"). Authing has no dedicated expiry code, and neither does the
/// stand-in.
pub const NOT_SIGNED_IN: i64 = 2020;

/// A sign-in named no user, or the wrong password (Authing's "账号或密码错误", wrong
/// account or password).
pub const WRONG_CREDENTIALS: i64 = 2333;

/// Stand-in's own: the body is not JSON, or a required field is missing or mistyped.
pub const MALFORMED_REQUEST: i64 = 9_400_000;
/// Stand-in's own: an imported OTP secret is empty or not base32.
pub const INVALID_OTP_SECRET: i64 = 9_400_001;
/// Stand-in's own: the `userIdType` is unknown, or one the stand-in does not model
/// (`custom_field`).
pub const UNSUPPORTED_USER_ID_TYPE: i64 = 9_400_002;
/// Stand-in's own: a sign-in passcode is wrong, used or expired.
pub const WRONG_PASSCODE: i64 = 9_400_003;
/// Stand-in's own: a sign-in password does not decrypt with the stand-in's RSA or SM2 key.
pub const PASSWORD_NOT_DECRYPTED: i64 = 9_400_004;
/// Stand-in's own: a sign-in's client authentication (`client_secret_post`,
/// `client_secret_basic` or `none`, as the application is registered) failed.
pub const CLIENT_AUTHENTICATION_FAILED: i64 = 9_401_001;
/// Stand-in's own: `get-management-token` was called with a wrong access key id or secret.
pub const WRONG_ACCESS_KEY: i64 = 9_401_000;
/// Stand-in's own: the user exists but has no OTP imported.
pub const OTP_NOT_SET: i64 = 9_404_000;
/// The TOTP code given to finish an enrollment is wrong (Authing's code).
pub const WRONG_TOTP_CODE: i64 = 6001;
/// Stand-in's own: an enrollment token that was never issued to this user, was used
/// already, or is older than a minute.
pub const ENROLLMENT_TOKEN_INVALID: i64 = 9_400_003;
/// Stand-in's own: finishing an SMS, e-mail or face enrollment, which the stand-in
/// cannot check (it sends no messages and sees no faces).
pub const FACTOR_TYPE_UNSUPPORTED: i64 = 9_400_004;
/// Stand-in's own: the signed-in user has no factor with this id.
pub const FACTOR_NOT_FOUND: i64 = 9_404_001;
