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
fn oauth_token_endpoint_form_plain_client_auth() {
    assert_expansion!(
        quote!(
            POST,
            "/oidc/token",
            response = TokenSet,
            side = authentication,
            body = form,
            answer = plain,
            auth = client
        ),
        quote! {
            /// Exchanges a refresh token for new tokens.
            #[serde(rename_all = "snake_case")]
            pub struct RefreshToken {
                pub grant_type: &'static str,
                pub refresh_token: authing_core::Secret,
                pub scope: Option<String>,
                #[endpoint(query)]
                pub tenant_id: Option<String>,
            }
        },
    );
}

#[test]
fn plain_answer_without_credentials() {
    assert_expansion!(
        quote!(
            GET,
            "/oidc/me",
            response = UserInfo,
            side = authentication,
            answer = plain,
            auth = none,
            sensitive
        ),
        quote! {
            /// Reads the claims of the user an access token belongs to.
            pub struct GetUserInfo {
                pub access_token: authing_core::Secret,
            }
        },
    );
}

#[test]
fn default_options_written_out_expand_as_if_left_out() {
    let explicit = pretty(
        quote!(
            POST,
            "/api/v3/x",
            response = (),
            side = management,
            body = json,
            answer = envelope
        ),
        quote!(
            pub struct X {
                pub a: u8,
            }
        ),
    );
    let implicit = pretty(
        quote!(POST, "/api/v3/x", response = ()),
        quote!(
            pub struct X {
                pub a: u8,
            }
        ),
    );
    assert_eq!(explicit, implicit);
}

#[test]
fn option_combinations_that_cannot_apply() {
    let found = messages(
        quote!(GET, "/x", response = (), body = form, auth = client),
        quote!(
            pub struct X {
                pub a: u8,
            }
        ),
    );
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].contains("a GET sends its fields as the query string"));
    assert!(found[1].contains("add `side = authentication`"));
}

#[test]
fn bearer_auth_belongs_to_the_authentication_side() {
    let found = messages(
        quote!(GET, "/oidc/me", response = (), auth = bearer),
        quote!(
            pub struct X;
        ),
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("`auth = bearer` carries a signed-in user's access token"),
        "{}",
        found[0]
    );
    assert!(
        found[0].ends_with("add `side = authentication`"),
        "{}",
        found[0]
    );
}

#[test]
fn only_camel_or_snake_case_names() {
    let found = messages(
        quote!(POST, "/x", response = ()),
        quote!(
            #[serde(rename_all = "kebab-case")]
            pub struct X {
                pub a: u8,
            }
        ),
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("`rename_all` may only say"), "{found:#?}");
    let snake = pretty(
        quote!(POST, "/x", response = ()),
        quote!(
            #[serde(rename_all = "snake_case")]
            pub struct X {
                #[endpoint(query)]
                pub user_id: u8,
            }
        ),
    );
    assert!(
        snake.contains(r#"parts.query("user_id", &self.user_id)"#),
        "{snake}"
    );
    assert!(!snake.contains("camelCase"), "{snake}");
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
