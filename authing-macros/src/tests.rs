//! Snapshot tests of the expansion: representative endpoints, pretty-printed, compared
//! with the committed files in `src/snapshots/`. After a deliberate change, review the
//! difference and accept it with `cargo insta review` (or `INSTA_UPDATE=always`).

use proc_macro2::TokenStream;
use quote::quote;

use crate::expand::expand;

/// Snapshots the expansion of `#[endpoint(<attr>)] <item>`, preceded by the input so
/// that each snapshot file reads on its own.
macro_rules! assert_expansion {
    ($attr:expr, $item:expr $(,)?) => {{
        let (attr, item): (TokenStream, TokenStream) = ($attr, $item);
        let input = unparse(quote!(#[endpoint(#attr)] #item));
        let output = pretty(attr, item);
        insta::with_settings!({ omit_expression => true }, {
            insta::assert_snapshot!(format!("{input}\n// expands to:\n\n{output}"));
        });
    }};
}

/// The expansion as rustfmt-like source.
fn pretty(attr: TokenStream, item: TokenStream) -> String {
    match expand(attr, item) {
        Ok(tokens) => unparse(tokens),
        Err(e) => panic!(
            "unexpected errors: {:?}",
            e.into_iter().map(|e| e.to_string()).collect::<Vec<_>>()
        ),
    }
}

fn unparse(tokens: TokenStream) -> String {
    let file: syn::File = syn::parse2(tokens).expect("parses as a file");
    prettyplease::unparse(&file)
}

/// Every message `expand` reports for the input, in order.
fn messages(attr: TokenStream, item: TokenStream) -> Vec<String> {
    match expand(attr, item) {
        Ok(_) => Vec::new(),
        Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
    }
}

#[test]
fn delete_with_only_a_path_parameter_has_no_body() {
    assert_expansion!(
        quote!(DELETE, "/api/v3/ip-list/{id}", response = ()),
        quote! {
            /// Deletes an IP list entry.
            pub struct DeleteIpListEntry {
                pub id: String,
            }
        },
    );
}

#[test]
fn plain_post() {
    assert_expansion!(
        quote!(POST, "/api/v3/import-otp", response = ()),
        quote! {
            /// Imports OTP secrets for users.
            pub struct ImportOtp {
                pub list: Vec<ImportOtpItem>,
            }
        },
    );
}

#[test]
fn get_with_option_fields() {
    assert_expansion!(
        quote!(GET, "/api/v3/get-user-mfa-info", response = UserMfaInfo),
        quote! {
            /// Reads which MFA factors a user has enabled.
            ///
            /// Authing answers each status as `"enabled"` or `"disabled"`.
            #[derive(Debug, Clone)]
            pub struct GetUserMfaInfo {
                pub user_id: String,
                pub user_id_type: Option<UserIdType>,
                #[serde(skip_serializing_if = "Option::is_none", rename = "tenantID")]
                pub tenant_id: Option<String>,
            }
        },
    );
}

#[test]
fn path_query_body_and_header_overrides() {
    assert_expansion!(
        quote!(PUT, "/api/v3/orgs/{org_code}/members/{type}", response = Vec<Member>),
        quote! {
            pub struct UpdateMember<'a> {
                pub org_code: &'a str,
                pub r#type: MemberType,
                #[endpoint(query)]
                pub page: Option<u32>,
                #[endpoint(query)]
                #[serde(rename = "userIDs")]
                pub user_ids: Vec<String>,
                #[endpoint(body)]
                pub already_in_body: bool,
                #[endpoint(header = "x-authing-app-id")]
                pub app_id: Option<&'a str>,
                #[serde(flatten)]
                pub extra: Option<Extra>,
            }
        },
    );
}

#[test]
fn get_moving_a_field_to_the_body() {
    assert_expansion!(
        quote!(GET, "/api/v3/get-factor", response = Factor),
        quote! {
            pub struct GetFactor {
                pub factor_id: String,
                #[endpoint(body)]
                pub mfa_token: Option<String>,
            }
        },
    );
}

#[test]
fn unit_struct() {
    assert_expansion!(
        quote!(
            GET,
            "/api/v3/get-global-mfa-settings",
            response = MfaSettings
        ),
        quote!(
            pub struct GetGlobalMfaSettings;
        ),
    );
}

#[test]
fn authentication_side_idempotent_sensitive() {
    assert_expansion!(
        quote!(
            POST,
            "/api/v3/mfa-totp-verify",
            response = TotpVerified,
            side = authentication,
            idempotent,
            sensitive
        ),
        quote! {
            /// Checks a TOTP code of the signed-in user.
            pub struct MfaTotpVerify {
                pub totp: authing_core::Secret,
            }
        },
    );
}

#[test]
fn reports_attribute_path_and_field_mistakes_together() {
    let found = messages(
        quote!(post, "/users/{user_id}/{missing", respone = User),
        quote! {
            #[derive(serde::Serialize)]
            struct Broken<T> {
                #[endpoint(query)]
                user_id: String,
                #[endpoint(header = "X-App")]
                app: T,
            }
        },
    );
    let expected = [
        "write `POST`",
        "did you mean `response`?", // and no "missing `response`" on top
        "`{missing` is never closed",
        "generic over types",
        "remove `Serialize`",
        "header names are written in lowercase",
        "fills `{user_id}` in the path",
    ];
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    for (message, part) in found.iter().zip(expected) {
        assert!(
            message.contains(part),
            "{message:?} should contain {part:?}"
        );
    }
}

#[test]
fn fallback_keeps_the_struct_without_helper_attributes() {
    let item = quote! {
        #[serde(rename_all = "snake_case")]
        pub struct X { #[endpoint(query)] #[serde(rename = "a")] pub a: u8 }
    };
    let fallback = crate::fallback::fallback(quote!(GET), item).to_string();
    assert!(
        !fallback.contains("# [serde") && !fallback.contains("# [endpoint"),
        "{fallback}"
    );
    assert!(fallback.contains("impl :: authing_core :: Endpoint for X"));
    assert!(fallback.contains("pub struct X"));
}
