//! Who may call what: management tokens, request signatures and the authentication
//! side's user access token, checked the way Authing does.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use authing_core::signing;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::api_code;
use crate::app::App;
use crate::envelope::Envelope;
use crate::extract::SignedIn;
use crate::ids;
use crate::record::Incoming;
use crate::store::TokenState;

/// How far a signed request's `date` may be from the stand-in's clock, either way.
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(15 * 60);

/// How long a management token's user-facing lifetime is when not configured.
pub(crate) const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(7200);

/// The claims of a management token.
#[derive(Debug, Serialize, Deserialize)]
struct ManagementClaims {
    scoped_userpool_id: String,
    iat: u64,
    exp: u64,
    jti: String,
}

/// The claims of the seeded user's access token.
#[derive(Debug, Serialize)]
struct UserClaims<'a> {
    sub: &'a str,
    aud: &'a str,
    iat: u64,
    exp: u64,
    jti: String,
}

/// Issues a management token and remembers it, so that it can later be checked for
/// expiry and revocation.
pub(crate) fn issue_management_token(app: &App) -> String {
    let lifetime = app.config.token_lifetime;
    let iat = unix_now();
    let claims = ManagementClaims {
        scoped_userpool_id: app.config.userpool_id.clone(),
        iat,
        exp: iat.saturating_add(lifetime.as_secs()),
        jti: ids::hex(16),
    };
    app.store()
        .remember_token(claims.jti.clone(), Instant::now(), lifetime);
    app.signer.encode(&claims)
}

/// A user's access token: a JWT like Authing's (`sub` the user, `aud` the app), valid
/// for the stand-in's whole life.
pub(crate) fn issue_user_token(signer: &crate::jwt::Signer, user_id: &str, app_id: &str) -> String {
    const TEN_YEARS: u64 = 10 * 365 * 24 * 3600;
    let iat = unix_now();
    signer.encode(&UserClaims {
        sub: user_id,
        aud: app_id,
        iat,
        exp: iat + TEN_YEARS,
        jti: ids::hex(16),
    })
}

/// Admits a management call made with either scheme: `Bearer <management token>` or an
/// `authing <accessKeyId>:<signature>` signature. Anything else is statusCode 401.
pub(crate) fn management(app: &App, req: &Incoming) -> Result<(), Envelope> {
    let authorization = req.header("authorization").unwrap_or_default().trim();
    if let Some(token) = strip_prefix_ignore_case(authorization, "bearer ") {
        return bearer(app, req, token.trim());
    }
    if let Some(credentials) = strip_prefix_ignore_case(authorization, "authing ") {
        return signed(app, req, credentials.trim());
    }
    let problem = if authorization.is_empty() {
        "missing"
    } else {
        "malformed"
    };
    Err(not_signed_in(format!(
        "{problem} authorization header: a management call needs `Bearer <management token>` \
         (with x-authing-userpool-id) or `authing <accessKeyId>:<signature>`"
    )))
}

fn bearer(app: &App, req: &Incoming, token: &str) -> Result<(), Envelope> {
    let claims: ManagementClaims = app
        .signer
        .decode(token)
        .ok_or_else(|| not_signed_in("the management token was not issued by this stand-in"))?;
    match app.store().token_state(&claims.jti, Instant::now()) {
        TokenState::Valid => {}
        TokenState::Unknown => return Err(not_signed_in("the management token is unknown")),
        TokenState::Expired => return Err(not_signed_in("the management token has expired")),
        TokenState::Revoked => return Err(not_signed_in("the management token was revoked")),
    }
    match req.header("x-authing-userpool-id") {
        Some(pool) if pool == claims.scoped_userpool_id => Ok(()),
        Some(pool) => Err(not_signed_in(format!(
            "x-authing-userpool-id {pool:?} is not the token's user pool {:?}",
            claims.scoped_userpool_id
        ))),
        None => Err(not_signed_in(
            "missing x-authing-userpool-id: a management token is sent with its user pool id",
        )),
    }
}

/// Checks a signed request in Authing's order of apiCodes, except that the nonce is
/// only spent once the signature is known to be good: a forged request must not use up
/// the nonce of the genuine one.
fn signed(app: &App, req: &Incoming, credentials: &str) -> Result<(), Envelope> {
    let (access_key_id, signature) = credentials.split_once(':').ok_or_else(|| {
        Envelope::unauthorized(
            api_code::SIGNATURE_INVALID,
            "malformed authorization header: expected `authing <accessKeyId>:<signature>`",
        )
    })?;
    let now = SystemTime::now();
    let nonce = check_signed_headers(req, now)?;
    check_signature(app, req, access_key_id, signature)?;
    spend_nonce(app, nonce, now)
}

/// The headers around the signature: method (1301), version (1302), date (1304, 1303,
/// 1305) and the presence of a nonce, which is returned.
fn check_signed_headers(req: &Incoming, now: SystemTime) -> Result<&str, Envelope> {
    expect_header(
        req,
        "x-authing-signature-method",
        signing::SIGNATURE_METHOD,
        api_code::SIGNATURE_METHOD_UNSUPPORTED,
    )?;
    expect_header(
        req,
        "x-authing-signature-version",
        signing::SIGNATURE_VERSION,
        api_code::SIGNATURE_VERSION_UNSUPPORTED,
    )?;
    check_date(req, now)?;
    req.header("x-authing-signature-nonce")
        .filter(|nonce| !nonce.trim().is_empty())
        .ok_or_else(|| {
            Envelope::unauthorized(
                api_code::SIGNATURE_INVALID,
                "missing x-authing-signature-nonce: every signed request needs a fresh one",
            )
        })
}

/// Marks `nonce` used; 1306 when it already was.
fn spend_nonce(app: &App, nonce: &str, now: SystemTime) -> Result<(), Envelope> {
    // Kept twice the skew: a request older than that is refused for its date anyway.
    if app.store().use_nonce(nonce, now, 2 * MAX_CLOCK_SKEW) {
        return Ok(());
    }
    Err(Envelope::unauthorized(
        api_code::NONCE_REPLAYED,
        format!("x-authing-signature-nonce {nonce:?} was already used"),
    ))
}

fn expect_header(req: &Incoming, name: &str, expected: &str, code: i64) -> Result<(), Envelope> {
    match req.header(name) {
        Some(value) if value.trim() == expected => Ok(()),
        Some(value) => Err(Envelope::unauthorized(
            code,
            format!("{name} must be {expected:?}, not {value:?}"),
        )),
        None => Err(Envelope::unauthorized(
            code,
            format!("missing {name}: it must be {expected:?}"),
        )),
    }
}

fn check_date(req: &Incoming, now: SystemTime) -> Result<(), Envelope> {
    let text = req.header("date").ok_or_else(|| {
        Envelope::unauthorized(
            api_code::DATE_MISSING,
            "missing date header: a signed request carries its RFC 7231 date",
        )
    })?;
    let date = httpdate::parse_http_date(text.trim()).map_err(|_| {
        Envelope::unauthorized(
            api_code::DATE_MALFORMED,
            format!(
                "date {text:?} is not an RFC 7231 date such as \"Sat, 21 Nov 2026 12:00:00 GMT\""
            ),
        )
    })?;
    let skew = now
        .duration_since(date)
        .unwrap_or_else(|ahead| ahead.duration());
    if skew > MAX_CLOCK_SKEW {
        return Err(Envelope::unauthorized(
            api_code::CLOCK_SKEW,
            format!(
                "date {text:?} is {}s away from the stand-in's clock; at most 900s are allowed",
                skew.as_secs()
            ),
        ));
    }
    Ok(())
}

fn check_signature(
    app: &App,
    req: &Incoming,
    access_key_id: &str,
    signature: &str,
) -> Result<(), Envelope> {
    if access_key_id != app.config.access_key_id {
        return Err(Envelope::unauthorized(
            api_code::SIGNATURE_INVALID,
            format!("unknown access key id {access_key_id:?}"),
        ));
    }
    let params = signed_params(req)?;
    let record = &req.record;
    let string_to_sign =
        signing::string_to_sign(&record.method, req.header_pairs(), &record.path, &params);
    let expected = signing::signature(&app.config.access_key_secret, &string_to_sign);
    if constant_time_eq(expected.as_bytes(), signature.as_bytes()) {
        return Ok(());
    }
    // Naming what was signed is what makes a mismatch debuggable; the secret stays out.
    Err(Envelope::unauthorized(
        api_code::SIGNATURE_INVALID,
        format!("signature mismatch; the stand-in signed {string_to_sign:?}"),
    ))
}

/// The parameters a signature covers: the decoded query for GET, the top-level fields
/// of the JSON body (in the order sent) for every other method.
fn signed_params(req: &Incoming) -> Result<Vec<(String, String)>, Envelope> {
    if req.record.method == "GET" {
        return Ok(req.record.query.clone());
    }
    if req.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Vec::new());
    }
    let body: Map<String, Value> = serde_json::from_slice(&req.body)
        .map_err(|e| Envelope::bad_request(format!("the body must be a JSON object: {e}")))?;
    Ok(signing::body_params(&body))
}

/// Admits an authentication-side call: `x-authing-app-id` must name one of the
/// stand-in's applications and `authorization` be, as is and without `Bearer `, an
/// access token a user got by signing in to that application.
pub(crate) fn authentication(app: &App, req: &Incoming) -> Result<SignedIn, Envelope> {
    let Some(app_id) = req.header("x-authing-app-id") else {
        return Err(Envelope::unauthorized(
            api_code::APP_NOT_FOUND,
            "missing x-authing-app-id: an authentication call names its application",
        ));
    };
    let store = app.store();
    let application = store.app(app_id).cloned().ok_or_else(|| {
        Envelope::unauthorized(
            api_code::APP_NOT_FOUND,
            format!("x-authing-app-id {app_id:?} is not an application of this stand-in"),
        )
    })?;
    let token = req.header("authorization").unwrap_or_default();
    if let Some((user_id, token_app)) = store.user_token(token) {
        if token_app != application.id {
            return Err(not_signed_in(format!(
                "the user access token was issued for another application, not {app_id:?}"
            )));
        }
        let user = store
            .user(user_id)
            .cloned()
            .ok_or_else(|| not_signed_in("the user of this access token is gone"))?;
        return Ok(SignedIn { user, application });
    }
    let message = match strip_prefix_ignore_case(token, "bearer ") {
        _ if token.is_empty() => "missing authorization: send the user's access token as is",
        Some(rest) if store.user_token(rest.trim()).is_some() => {
            "send the user's access token as is, without the `Bearer ` prefix"
        }
        _ => "the user access token is not valid",
    };
    Err(not_signed_in(message))
}

/// A fresh access token of `user_id` for `app_id`, remembered so that authentication
/// calls carrying it are admitted; `None` when either is unknown.
pub(crate) fn sign_in(app: &App, user_id: &str, app_id: &str) -> Option<String> {
    let mut store = app.store();
    store.user(user_id)?;
    store.app(app_id)?;
    let token = issue_user_token(&app.signer, user_id, app_id);
    store.remember_user_token(token.clone(), user_id, app_id);
    Some(token)
}

fn not_signed_in(message: impl Into<String>) -> Envelope {
    Envelope::unauthorized(api_code::NOT_SIGNED_IN, message)
}

/// Compares secrets without an early exit, so timing does not leak how much matched.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Config;
    use crate::jwt::Signer;
    use crate::record::RecordedRequest;
    use crate::users::User;

    fn app_with_access_key(id: &str, secret: &str) -> App {
        let config = Config {
            access_key_id: id.into(),
            access_key_secret: secret.into(),
            userpool_id: "pool".into(),
            app: crate::Application::new("app"),
            user_access_token: "token".into(),
            token_lifetime: DEFAULT_TOKEN_LIFETIME,
            send_interval: Duration::from_secs(60),
            user: User::seeded(),
        };
        let (_, stop) = tokio::sync::watch::channel(false);
        App::new(config, Signer::random(), stop)
    }

    fn incoming(
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        headers: &[(&str, &str)],
        body: &str,
    ) -> Incoming {
        let pairs = |list: &[(&str, &str)]| {
            list.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        Incoming {
            record: RecordedRequest {
                method: method.into(),
                path: path.into(),
                query: pairs(query),
                headers: pairs(headers),
                body: body.into(),
                scripted: false,
            },
            body: bytes::Bytes::copy_from_slice(body.as_bytes()),
        }
    }

    /// Requests the official Node.js SDK 4.0.1 sent (captures/authing-node-sdk-4.0.1.jsonl):
    /// the stand-in must accept its signatures byte for byte. Their date is long past, so
    /// only the signature itself is checked here.
    #[test]
    fn signatures_of_the_official_node_sdk_verify() {
        let app = app_with_access_key("AK_TEST", "SK_TEST_SECRET");
        let common = [
            ("accept", "application/json"),
            ("content-type", "application/json"),
            ("x-authing-signature-method", "HMAC-SHA1"),
            ("x-authing-signature-version", "1.0"),
            (
                "user-agent",
                "AuthingIdentityCloud (linux; x64) Node.js/v20.20.2 Core/4.0.1",
            ),
            ("x-authing-sdk-version", "authing-node-sdk:4.0.1"),
            ("x-authing-lang", "zh-CN"),
            ("date", "Sat, 21 Nov 2026 23:49:23 GMT"),
        ];
        let mut import_headers = common.to_vec();
        import_headers.push((
            "x-authing-signature-nonce",
            "73280a27490f90df179b4d3c3ad46255",
        ));
        let import = incoming(
            "POST",
            "/api/v3/import-otp",
            &[],
            &import_headers,
            r#"{"list":[{"userId":"635215b413xxxxf5f63c511a","otp":{"secret":"HZ2F6J3AGNAVSOTV","recoveryCode":"b471-8ec0-874a-087f-bccb-cd54"}}]}"#,
        );
        assert!(check_signature(&app, &import, "AK_TEST", "vP8eKyxVi6VSARgtvZX2zwzVFes=").is_ok());

        let mut get_headers = common.to_vec();
        get_headers.push((
            "x-authing-signature-nonce",
            "5631398deb7f76daadfdef45643f5211",
        ));
        let query = [
            ("userId", "6229ffaxxxxxxxxcade3e3d9"),
            ("userIdType", "user_id"),
        ];
        let get = incoming(
            "GET",
            "/api/v3/get-otp-secret-by-user",
            &query,
            &get_headers,
            "",
        );
        assert!(check_signature(&app, &get, "AK_TEST", "555Rsg6M1SYIU4lQ8BFQJJ9EgTc=").is_ok());
        assert!(check_signature(&app, &get, "AK_TEST", "vP8eKyxVi6VSARgtvZX2zwzVFes=").is_err());
    }

    #[test]
    fn prefixes_match_without_regard_to_case_and_never_split_characters() {
        assert_eq!(
            strip_prefix_ignore_case("Bearer abc", "bearer "),
            Some("abc")
        );
        assert_eq!(
            strip_prefix_ignore_case("AUTHING a:b", "authing "),
            Some("a:b")
        );
        assert_eq!(strip_prefix_ignore_case("Bear", "bearer "), None);
        assert_eq!(strip_prefix_ignore_case("Beäer xyz", "bearer "), None);
    }

    #[test]
    fn constant_time_eq_compares_bytes() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
