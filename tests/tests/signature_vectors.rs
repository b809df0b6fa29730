//! Every known answer of `fixtures/signature-vectors.json` (computed with the official
//! Node.js code) reproduced: the string to sign and the authorization header.

use authing_core::signing;
use serde_json::{Map, Value};

const VECTORS: &str = include_str!("../fixtures/signature-vectors.json");

fn check(index: usize) {
    let vectors: Vec<Value> = serde_json::from_str(VECTORS).unwrap();
    let v = &vectors[index];
    let text = |key: &str| {
        v[key]
            .as_str()
            .unwrap_or_else(|| panic!("{key} of vector {index}"))
    };
    let headers: Vec<(&str, &str)> = v["headers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str().unwrap()))
        .collect();
    let params: &Map<String, Value> = v["params"].as_object().unwrap();
    let params = if text("method") == "GET" {
        params
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect()
    } else {
        signing::body_params(params)
    };
    let sts = signing::string_to_sign(text("method"), headers, text("uriPattern"), &params);
    assert_eq!(
        sts,
        text("stringToSign"),
        "string to sign of `{}`",
        text("name")
    );
    let authorization = signing::authorization(text("accessKeyId"), text("accessKeySecret"), &sts);
    assert_eq!(
        authorization,
        text("authorization"),
        "authorization of `{}`",
        text("name")
    );
}

macro_rules! vectors {
    ($($name:ident = $index:literal),* $(,)?) => {
        $( #[test] fn $name() { check($index); } )*

        #[test]
        fn every_vector_has_a_test() {
            let vectors: Vec<Value> = serde_json::from_str(VECTORS).unwrap();
            assert_eq!(vectors.len(), [$($index),*].len());
        }
    };
}

vectors! {
    import_otp_one_item_with_recovery_code = 0,
    import_otp_two_items_one_without_recovery_code = 1,
    get_otp_secret_default_id_type = 2,
    get_otp_secret_identity_with_colon = 3,
    get_otp_secret_non_ascii_and_reserved_characters_raw = 4,
    post_scalar_values_as_javascript_prints_them = 5,
    post_empty_body = 6,
    tenant_header_takes_part = 7,
    nested_strings_needing_json_escapes = 8,
}

/// What the client itself signs, end to end: a request sent through `ManagementClient`,
/// as the stand-in recorded it, must carry the `authorization` header of the vector's
/// string to sign with the request's own date and nonce put in, computed here with HMAC-SHA1
/// directly rather than with the SDK's signing code.
mod through_the_client {
    use super::*;
    use authing_core::{ManagementAuth, ManagementClient};
    use authing_mfa::{GetOtpSecretByUser, ImportOtp, ImportOtpItem, UserIdType};
    use authing_testkit::{Fault, RecordedRequest, StandIn};
    use base64::Engine as _;
    use hmac::{Hmac, Mac};

    const OK: &str = r#"{"statusCode":200,"message":"ok","data":{"secret":"S"}}"#;

    async fn send_and_record<E: authing_core::ManagementEndpoint>(
        endpoint: &E,
        lang: &str,
    ) -> RecordedRequest {
        let stand_in = StandIn::builder()
            .access_key("AK_TEST", "SK_TEST_SECRET")
            .start()
            .await
            .unwrap();
        stand_in.script(Fault::raw(200, "application/json", OK));
        let client = ManagementClient::builder("AK_TEST", "SK_TEST_SECRET")
            .host(stand_in.base_url())
            .auth(ManagementAuth::Signature)
            .lang(lang)
            .build()
            .unwrap();
        client.send(endpoint).await.unwrap();
        stand_in.requests().remove(0)
    }

    /// `authing <id>:<base64(HMAC-SHA1(secret, text))>`, without the SDK.
    fn expected_authorization(text: &str) -> String {
        let mut mac = Hmac::<sha1::Sha1>::new_from_slice(b"SK_TEST_SECRET").unwrap();
        mac.update(text.as_bytes());
        let signature =
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        format!("authing AK_TEST:{signature}")
    }

    fn assert_sent_authorization_matches(seen: &RecordedRequest, index: usize) {
        let vectors: Vec<Value> = serde_json::from_str(VECTORS).unwrap();
        let v = &vectors[index];
        let vector_header = |name: &str| v["headers"][name].as_str().unwrap();
        let sent_header = |name: &str| {
            seen.header(name)
                .unwrap_or_else(|| panic!("the client sent no {name}"))
        };
        // The vector's text with this request's own date and nonce: everything else the
        // client signed must be what the official SDK's code signs.
        let text = v["stringToSign"]
            .as_str()
            .unwrap()
            .replace(
                &format!("date:{}", vector_header("date")),
                &format!("date:{}", sent_header("date")),
            )
            .replace(
                vector_header("x-authing-signature-nonce"),
                sent_header("x-authing-signature-nonce"),
            );
        assert_eq!(
            sent_header("authorization"),
            expected_authorization(&text),
            "what was signed, by the vector: {text}"
        );
        // The recomputation itself reproduces the vector.
        assert_eq!(
            expected_authorization(v["stringToSign"].as_str().unwrap()),
            v["authorization"].as_str().unwrap()
        );
    }

    #[tokio::test]
    async fn import_otp_signs_like_vector_0() {
        let import = ImportOtp::new(vec![
            ImportOtpItem::new("635215b413xxxxf5f63c511a", "HZ2F6J3AGNAVSOTV")
                .with_recovery_code("b471-8ec0-874a-087f-bccb-cd54"),
        ]);
        assert_sent_authorization_matches(&send_and_record(&import, "zh-CN").await, 0);
    }

    #[tokio::test]
    async fn get_otp_secret_with_reserved_characters_signs_like_vector_4() {
        let get = GetOtpSecretByUser::new("张三 & co=1?").id_type(UserIdType::Username);
        assert_sent_authorization_matches(&send_and_record(&get, "zh-CN").await, 4);
    }

    #[tokio::test]
    async fn get_otp_secret_in_english_signs_like_vector_2() {
        let get = GetOtpSecretByUser::new("6229ffaxxxxxxxxcade3e3d9");
        assert_sent_authorization_matches(&send_and_record(&get, "en-US").await, 2);
    }
}
