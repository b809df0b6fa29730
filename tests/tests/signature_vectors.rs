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
/// as the stand-in recorded it, re-signed with the vector's date and nonce, must give the
/// vector's string to sign and authorization exactly.
mod through_the_client {
    use super::*;
    use authing_core::{ManagementAuth, ManagementClient};
    use authing_mfa::{GetOtpSecretByUser, ImportOtp, ImportOtpItem, UserIdType};
    use authing_testkit::{Fault, RecordedRequest, StandIn};

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

    fn assert_resigned_matches(seen: &RecordedRequest, index: usize) {
        let vectors: Vec<Value> = serde_json::from_str(VECTORS).unwrap();
        let v = &vectors[index];
        let headers: Vec<(&str, &str)> = seen
            .headers
            .iter()
            .map(|(k, val)| match k.as_str() {
                "date" => ("date", v["headers"]["date"].as_str().unwrap()),
                "x-authing-signature-nonce" => (k.as_str(), v["headers"][k].as_str().unwrap()),
                _ => (k.as_str(), val.as_str()),
            })
            .collect();
        let params = if seen.method == "GET" {
            seen.query.clone()
        } else {
            let body: Map<String, Value> = serde_json::from_str(&seen.body).unwrap();
            signing::body_params(&body)
        };
        let sts = signing::string_to_sign(&seen.method, headers, &seen.path, &params);
        assert_eq!(sts, v["stringToSign"].as_str().unwrap());
        let auth = signing::authorization("AK_TEST", "SK_TEST_SECRET", &sts);
        assert_eq!(auth, v["authorization"].as_str().unwrap());
    }

    #[tokio::test]
    async fn import_otp_signs_like_vector_0() {
        let import = ImportOtp::new(vec![
            ImportOtpItem::new("635215b413xxxxf5f63c511a", "HZ2F6J3AGNAVSOTV")
                .with_recovery_code("b471-8ec0-874a-087f-bccb-cd54"),
        ]);
        assert_resigned_matches(&send_and_record(&import, "zh-CN").await, 0);
    }

    #[tokio::test]
    async fn get_otp_secret_with_reserved_characters_signs_like_vector_4() {
        let get = GetOtpSecretByUser::new("张三 & co=1?").id_type(UserIdType::Username);
        assert_resigned_matches(&send_and_record(&get, "zh-CN").await, 4);
    }

    #[tokio::test]
    async fn get_otp_secret_in_english_signs_like_vector_2() {
        let get = GetOtpSecretByUser::new("6229ffaxxxxxxxxcade3e3d9");
        assert_resigned_matches(&send_and_record(&get, "en-US").await, 2);
    }
}
