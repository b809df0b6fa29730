//! Every endpoint on the wire as the official Node.js SDK sends it.
//!
//! `fixtures/conformance/<side>.<sdkMethod>.json` hold what `authing-node-sdk` 4.0.1 sent
//! when called with sample arguments (recorded by `scripts/conformance/record.sh`, whose
//! README gives the format and the rule for the samples). This test sends the same
//! arguments through authing-rs to one stand-in and compares the four parts that make a
//! request mean something: method, path, query (pairs in order) and JSON body. Every
//! endpoint is tried and every difference is reported together.
//!
//! A difference kept on purpose (most are the official SDK's bugs) is listed in
//! [`KNOWN_DIFFERENCES`] with the reason, a typed request that sends only part of the
//! sample in [`NARROWER_BODIES`], and an endpoint authing-rs does not send yet in
//! [`NOT_SENT`]; a listed entry must still hold, so the tables cannot go stale.

mod compare;
mod hand_declared;
mod signin;

use std::future::Future;
use std::path::Path;
use std::pin::Pin;

use authing_api::__conformance::{self, Failure};
use authing_core::{AuthenticationClient, ManagementAuth, ManagementClient, RetryPolicy};
use authing_testkit::{Fault, StandIn};
use serde::Deserialize;
use serde_json::Value;

use compare::{Part, Sent, body_within, differences};

/// One fixture: the SDK call and what it sent.
#[derive(Debug, Deserialize)]
pub(crate) struct Fixture {
    pub(crate) side: String,
    pub(crate) sdk_method: String,
    /// The arguments of the SDK method, in order.
    pub(crate) args: Vec<Value>,
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) body: Option<Value>,
    /// A body that is not JSON, as text.
    #[serde(default)]
    pub(crate) body_text: Option<String>,
}

impl Fixture {
    pub(crate) fn key(&self) -> String {
        format!("{}.{}", self.side, self.sdk_method)
    }
}

/// A difference from the official SDK that is kept on purpose.
struct Known {
    /// `<side>.<sdkMethod>`, as the fixture is named.
    endpoint: &'static str,
    part: Part,
    why: &'static str,
}

/// Where authing-rs deliberately sends something else than the official SDK.
const KNOWN_DIFFERENCES: &[Known] = &[
    Known {
        endpoint: "management.deleteById",
        part: Part::Path,
        why: PLACEHOLDER_SENT_LITERALLY,
    },
    Known {
        endpoint: "management.deleteRiskListPolicyById",
        part: Part::Path,
        why: PLACEHOLDER_SENT_LITERALLY,
    },
    Known {
        endpoint: "management.deleteUserListById",
        part: Part::Path,
        why: PLACEHOLDER_SENT_LITERALLY,
    },
    Known {
        endpoint: "authentication.deleteWebAuthnCredential",
        part: Part::Path,
        why: PLACEHOLDER_SENT_LITERALLY,
    },
    Known {
        endpoint: "authentication.updateWebAuthnCredential",
        part: Part::Path,
        why: PLACEHOLDER_SENT_LITERALLY,
    },
    Known {
        endpoint: "authentication.deleteWebAuthnAdminCredential",
        part: Part::Path,
        why: PLACEHOLDER_SENT_LITERALLY,
    },
    Known {
        endpoint: "authentication.updateWebAuthnAdminCredential",
        part: Part::Path,
        why: PLACEHOLDER_SENT_LITERALLY,
    },
    Known {
        endpoint: "authentication.removeCredential",
        part: Part::Path,
        why: PLACEHOLDER_SENT_LITERALLY,
    },
    Known {
        endpoint: "authentication.verifyMfaToken",
        part: Part::Body,
        why: "the official SDK declares the form argument `token` but sends no body (a bug of \
              its generator); authing-rs sends `token` form-encoded, as RFC 7662 introspection \
              takes it, with the application's credentials (auth = client)",
    },
    Known {
        endpoint: "authentication.checkValidCredentialsByCredIds",
        part: Part::Body,
        why: EMPTY_MODEL_BODY,
    },
    Known {
        endpoint: "authentication.listCredentialsByPage",
        part: Part::Body,
        why: EMPTY_MODEL_BODY,
    },
    Known {
        endpoint: "authentication.removeAllCredentials",
        part: Part::Body,
        why: EMPTY_MODEL_BODY,
    },
    Known {
        endpoint: "authentication.removeCredential",
        part: Part::Body,
        why: EMPTY_MODEL_BODY,
    },
    Known {
        endpoint: "management.sendInviteTenantUserEmail",
        part: Part::Body,
        why: EMPTY_MODEL_BODY,
    },
];

/// Why a few bodies differ: nothing to send, said two ways.
const EMPTY_MODEL_BODY: &str = "the SDK posts its request model, which has no fields, as {}; \
     authing-rs has no body parameter and sends no body; both carry no parameters";

/// The official SDK's bug behind most listed differences.
const PLACEHOLDER_SENT_LITERALLY: &str = "the official SDK sends the path template's placeholder literally (`%7Bid%7D`) instead of the argument; authing-rs fills it";

/// Typed requests that cannot carry the whole sample, whose body must then be part of
/// the SDK's: every member sent is one the SDK sent, with the same value
/// ([`body_within`]). A body the same as the SDK's must leave this list.
const NARROWER_BODIES: &[(&str, &str)] = &[
    ("authentication.signInByCredentials", ONE_CONNECTION),
    ("authentication.signInByMobile", ONE_CONNECTION),
];

/// Why the sign-in bodies are narrower.
const ONE_CONNECTION: &str = "the sample fills every connection's payload (and every way to \
     name the user) at once; the typed request sends one connection with its one payload, \
     and options only as far as it has setters for them";

/// The answer to every call: a success envelope with empty data (the response is not
/// what is compared, and a `data` of the wrong shape after the request is harmless).
const SUCCESS: &str = r#"{"statusCode":200,"message":"ok","apiCode":0,"data":{}}"#;

/// The two clients a fixture can be sent through.
pub(crate) struct Clients {
    pub(crate) management: ManagementClient,
    pub(crate) authentication: AuthenticationClient,
    /// The same two, as `authing-api` takes them.
    pub(crate) generated: __conformance::Clients,
    /// The stand-in's address, for clients configured from a fixture's arguments.
    pub(crate) base_url: String,
}

/// Sending one endpoint built from a fixture's arguments.
/// Its error says why nothing may have been sent.
pub(crate) type Call<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + 'a>>;

/// The call for `fixture`, or why there is none: a hand-declared endpoint, else the one
/// `authing-api` generates.
fn call<'a>(clients: &'a Clients, fixture: &'a Fixture) -> Result<Call<'a>, String> {
    if let Some(call) = hand_declared::call(clients, fixture) {
        return call;
    }
    Ok(Box::pin(async move {
        let args = Value::Array(fixture.args.clone());
        let sent = __conformance::send(
            &clients.generated,
            &fixture.side,
            &fixture.sdk_method,
            &args,
        );
        match sent.await {
            Ok(()) => Ok(()),
            Err(Failure::Call(error)) => Err(error.to_string()),
            Err(Failure::Args(why)) => Err(format!("the arguments do not fit the request: {why}")),
            Err(Failure::NotGenerated) => {
                Err("neither generated nor declared by hand in authing-rs".to_owned())
            }
        }
    }))
}

fn fixtures() -> Vec<Fixture> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/conformance");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("a readable fixture");
            serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("fixture {} is malformed: {e}", path.display()))
        })
        .collect()
}

fn clients(stand_in: &StandIn) -> Clients {
    // The Node SDK signs; so does this client, so that the signature scheme's rendering
    // of the parameters is exercised too (the stand-in answers before checking it).
    let management = stand_in
        .management_client()
        .auth(ManagementAuth::Signature)
        .retry(RetryPolicy::disabled())
        .build()
        .expect("a management client");
    // The application's secret, as the recorder's Node client had it, for the endpoints
    // that authenticate the application (auth = client).
    let authentication = stand_in
        .authentication_client()
        .app_secret("APP_SECRET")
        .retry(RetryPolicy::disabled())
        .build()
        .expect("an authentication client");
    Clients {
        generated: __conformance::Clients {
            management: management.clone(),
            authentication: authentication.clone(),
        },
        management,
        authentication,
        base_url: stand_in.base_url().to_string(),
    }
}

/// Endpoints of the official SDK that authing-rs does not send yet, with the reason; each
/// must still fail to send, so a new declaration removes its line. None is left.
const NOT_SENT: &[(&str, &str)] = &[];

#[tokio::test(flavor = "current_thread")]
async fn every_endpoint_sends_what_the_official_node_sdk_sends() {
    let fixtures = fixtures();
    assert!(!fixtures.is_empty(), "no conformance fixtures");
    let stand_in = StandIn::start().await.expect("stand-in starts");
    let clients = clients(&stand_in);
    let mut failures = Vec::new();
    let mut matching = 0;
    for fixture in &fixtures {
        let key = fixture.key();
        let not_sent = NOT_SENT.iter().find(|(k, _)| *k == key).map(|(_, why)| why);
        let sent = match (send(&stand_in, &clients, fixture).await, not_sent) {
            (Ok(_), Some(why)) => {
                failures.push(format!(
                    "{key}: listed in NOT_SENT ({why}), but it is sent now: remove it there"
                ));
                continue;
            }
            (Ok(sent), None) => sent,
            (Err(_), Some(_)) => continue,
            (Err(why), None) => {
                failures.push(format!("{key}: {why}"));
                continue;
            }
        };
        let mut found = differences(&sent, fixture);
        let narrowed = narrow(&key, &sent, fixture, &mut found).unwrap_or_else(|failure| {
            failures.push(failure);
            true
        });
        let known: Vec<&Known> = KNOWN_DIFFERENCES
            .iter()
            .filter(|k| k.endpoint == key)
            .collect();
        for difference in &found {
            if !known.iter().any(|k| k.part == difference.part) {
                failures.push(format!("{key}: {difference}"));
            }
        }
        for k in &known {
            if !found.iter().any(|d| d.part == k.part) {
                failures.push(format!(
                    "{key}: listed as differing in its {} ({}), but it no longer does: \
                     remove it from KNOWN_DIFFERENCES",
                    k.part, k.why
                ));
            }
        }
        if found.is_empty() && !narrowed {
            matching += 1;
        }
    }
    for (key, _) in NOT_SENT {
        if !fixtures.iter().any(|f| f.key() == *key) {
            failures.push(format!("NOT_SENT lists {key}, which has no fixture"));
        }
    }
    for (key, _) in NARROWER_BODIES {
        if !fixtures.iter().any(|f| f.key() == *key) {
            failures.push(format!("NARROWER_BODIES lists {key}, which has no fixture"));
        }
    }
    for k in KNOWN_DIFFERENCES {
        if !fixtures.iter().any(|f| f.key() == k.endpoint) {
            failures.push(format!(
                "KNOWN_DIFFERENCES lists {}, which has no fixture",
                k.endpoint
            ));
        }
    }
    println!(
        "{} endpoints compared, {matching} send what the Node SDK sends, {} differences as \
         listed, {} narrower bodies as listed, {} not sent as listed",
        fixtures.len(),
        KNOWN_DIFFERENCES.len(),
        NARROWER_BODIES.len(),
        NOT_SENT.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} endpoints do not send what the Node SDK sends:\n{}",
        failures.len(),
        fixtures.len(),
        failures.join("\n")
    );
}

/// For an endpoint of [`NARROWER_BODIES`]: takes its body difference out of `found` when
/// the body sent is part of the SDK's (`Ok(true)`), else says what is wrong. `Ok(false)`
/// for the others.
fn narrow(
    key: &str,
    sent: &Sent,
    fixture: &Fixture,
    found: &mut Vec<compare::Difference>,
) -> Result<bool, String> {
    let Some((_, why)) = NARROWER_BODIES.iter().find(|(k, _)| *k == key) else {
        return Ok(false);
    };
    let Some(at) = found.iter().position(|d| d.part == Part::Body) else {
        return Err(format!(
            "{key}: listed in NARROWER_BODIES ({why}), but its body is the SDK's: remove it there"
        ));
    };
    let difference = found.remove(at);
    if !names_a_connection_with_its_payload(sent) {
        // Being part of the SDK's body, an empty one would pass too.
        Err(format!(
            "{key}: its body should name a connection and carry that connection's payload, \
             but is {}",
            sent.body
        ))
    } else if body_within(sent, fixture) {
        Ok(true)
    } else {
        Err(format!(
            "{key}: its body should be part of the SDK's ({why}), but is not: {difference}"
        ))
    }
}

/// Whether a sign-in body names its `connection` and carries a non-empty `…Payload`.
fn names_a_connection_with_its_payload(sent: &Sent) -> bool {
    let Ok(Value::Object(body)) = serde_json::from_str::<Value>(&sent.body) else {
        return false;
    };
    let connection = body
        .get("connection")
        .and_then(Value::as_str)
        .is_some_and(|c| !c.is_empty());
    let payload = body.iter().any(|(name, value)| {
        name.ends_with("Payload") && value.as_object().is_some_and(|o| !o.is_empty())
    });
    connection && payload
}

/// Sends `fixture`'s endpoint and returns the one request the stand-in received for it.
async fn send(stand_in: &StandIn, clients: &Clients, fixture: &Fixture) -> Result<Sent, String> {
    let call = call(clients, fixture)?;
    let before = stand_in.requests().len();
    stand_in.script(Fault::raw(200, "application/json", SUCCESS));
    let result = call.await;
    stand_in.clear_faults();
    let mut received = stand_in.requests().split_off(before);
    match (received.len(), result) {
        (1, _) => Ok(Sent::from(received.remove(0))),
        (0, Err(why)) => Err(format!("sent nothing: {why}")),
        (n, _) => Err(format!("sent {n} requests instead of one")),
    }
}
