//! Every endpoint on the wire as the official Node.js SDK sends it.
//!
//! `fixtures/conformance/<side>.<sdkMethod>.json` hold what `authing-node-sdk` 4.0.1 sent
//! when called with sample arguments (recorded by `scripts/conformance/record.sh`, whose
//! README gives the format and the rule for the samples). This test sends the same
//! arguments through authing-rs to one stand-in and compares the four parts that make a
//! request mean something: method, path, query (pairs in order) and JSON body. Every
//! endpoint is tried and every difference is reported together.
//!
//! A difference that is the official SDK's fault is listed in [`KNOWN_DIFFERENCES`] with
//! the reason; a listed difference must still be there, so the table cannot go stale.

mod compare;
mod hand_declared;

use std::future::Future;
use std::path::Path;
use std::pin::Pin;

use authing_core::{AuthenticationClient, ManagementAuth, ManagementClient, RetryPolicy};
use authing_testkit::{Fault, StandIn};
use serde::Deserialize;
use serde_json::Value;

use compare::{Part, Sent, differences};

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
const KNOWN_DIFFERENCES: &[Known] = &[];

/// The answer to every call: a success envelope with empty data (the response is not
/// what is compared, and a `data` of the wrong shape after the request is harmless).
const SUCCESS: &str = r#"{"statusCode":200,"message":"ok","apiCode":0,"data":{}}"#;

/// The two clients a fixture can be sent through.
pub(crate) struct Clients {
    pub(crate) management: ManagementClient,
    pub(crate) authentication: AuthenticationClient,
}

/// Sending one endpoint built from a fixture's arguments.
pub(crate) type Call<'a> = Pin<Box<dyn Future<Output = Result<(), authing_core::Error>> + 'a>>;

/// The call for `fixture`, or why there is none.
fn call<'a>(clients: &'a Clients, fixture: &Fixture) -> Result<Call<'a>, String> {
    hand_declared::call(clients, fixture)
        .unwrap_or_else(|| Err("no endpoint of authing-rs declares it".to_owned()))
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

async fn clients(stand_in: &StandIn) -> Clients {
    Clients {
        // The Node SDK signs; so does this client, so that the signature scheme's rendering
        // of the parameters is exercised too (the stand-in answers before checking it).
        management: stand_in
            .management_client()
            .auth(ManagementAuth::Signature)
            .retry(RetryPolicy::disabled())
            .build()
            .expect("a management client"),
        authentication: stand_in
            .authentication_client()
            .retry(RetryPolicy::disabled())
            .build()
            .expect("an authentication client"),
    }
}

#[tokio::test]
async fn every_endpoint_sends_what_the_official_node_sdk_sends() {
    let fixtures = fixtures();
    assert!(!fixtures.is_empty(), "no conformance fixtures");
    let stand_in = StandIn::start().await.expect("stand-in starts");
    let clients = clients(&stand_in).await;
    let mut failures = Vec::new();
    let mut matching = 0;
    for fixture in &fixtures {
        let key = fixture.key();
        let sent = match send(&stand_in, &clients, fixture).await {
            Ok(sent) => sent,
            Err(why) => {
                failures.push(format!("{key}: {why}"));
                continue;
            }
        };
        let found = differences(&sent, fixture);
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
        if found.is_empty() {
            matching += 1;
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
        "{} endpoints compared, {matching} send what the Node SDK sends, {} differ as listed",
        fixtures.len(),
        KNOWN_DIFFERENCES.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} endpoints do not send what the Node SDK sends:\n{}",
        failures.len(),
        fixtures.len(),
        failures.join("\n")
    );
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
        (0, Err(error)) => Err(format!("sent nothing: {error}")),
        (n, _) => Err(format!("sent {n} requests instead of one")),
    }
}
