//! `POST /api/v3/signin-by-mobile`: a mobile app hands the code (or token) a social
//! provider's SDK gave it to its back end, which signs the user in with it.

use std::fmt;

use authing_core::endpoint;
use serde::Serialize;
use serde::ser::{SerializeMap as _, Serializer};
use serde_json::{Map, Value};

use super::SignInTokens;

/// The social providers `signin-by-mobile` takes, by Authing's `connection` name, each
/// with the payload field it reads (`wechatPayload`, `linkedInPayload`, …).
///
/// ```
/// use authing_oidc::signin::MobileConnection;
/// assert_eq!(MobileConnection::Wechat.as_str(), "wechat");
/// assert_eq!(MobileConnection::Linkedin.payload_field(), "linkedInPayload");
/// assert_eq!(MobileConnection::WechatMiniProgramCodeAndPhone.payload_field(), "wechatMiniProgramCodeAndPhonePayload");
/// assert_eq!(MobileConnection::ALL.len(), 32);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[allow(missing_docs)] // each variant is the provider its name says
pub enum MobileConnection {
    Apple,
    Wechat,
    Alipay,
    Wechatwork,
    WechatworkAgency,
    LarkInternal,
    LarkPublic,
    LarkBlock,
    Yidun,
    WechatMiniProgramCode,
    WechatMiniProgramPhone,
    WechatMiniProgramCodeAndPhone,
    DouyinMiniProgramCode,
    DouyinMiniProgramCodeAndPhone,
    Google,
    Facebook,
    Qq,
    Weibo,
    Baidu,
    Linkedin,
    Dingtalk,
    Github,
    Gitee,
    Gitlab,
    Douyin,
    Kuaishou,
    Xiaomi,
    Line,
    Slack,
    Oppo,
    Huawei,
    Amazon,
}

impl MobileConnection {
    /// Every connection, in Authing's order.
    pub const ALL: [Self; 32] = [
        Self::Apple,
        Self::Wechat,
        Self::Alipay,
        Self::Wechatwork,
        Self::WechatworkAgency,
        Self::LarkInternal,
        Self::LarkPublic,
        Self::LarkBlock,
        Self::Yidun,
        Self::WechatMiniProgramCode,
        Self::WechatMiniProgramPhone,
        Self::WechatMiniProgramCodeAndPhone,
        Self::DouyinMiniProgramCode,
        Self::DouyinMiniProgramCodeAndPhone,
        Self::Google,
        Self::Facebook,
        Self::Qq,
        Self::Weibo,
        Self::Baidu,
        Self::Linkedin,
        Self::Dingtalk,
        Self::Github,
        Self::Gitee,
        Self::Gitlab,
        Self::Douyin,
        Self::Kuaishou,
        Self::Xiaomi,
        Self::Line,
        Self::Slack,
        Self::Oppo,
        Self::Huawei,
        Self::Amazon,
    ];

    /// Authing's `connection` value and the payload's field name.
    const fn names(self) -> (&'static str, &'static str) {
        match self {
            Self::Apple => ("apple", "applePayload"),
            Self::Wechat => ("wechat", "wechatPayload"),
            Self::Alipay => ("alipay", "alipayPayload"),
            Self::Wechatwork => ("wechatwork", "wechatworkPayload"),
            Self::WechatworkAgency => ("wechatwork_agency", "wechatworkAgencyPayload"),
            Self::LarkInternal => ("lark_internal", "larkInternalPayload"),
            Self::LarkPublic => ("lark_public", "larkPublicPayload"),
            Self::LarkBlock => ("lark_block", "larkBlockPayload"),
            Self::Yidun => ("yidun", "yidunPayload"),
            Self::WechatMiniProgramCode => {
                ("wechat_mini_program_code", "wechatMiniProgramCodePayload")
            }
            Self::WechatMiniProgramPhone => {
                ("wechat_mini_program_phone", "wechatMiniProgramPhonePayload")
            }
            Self::WechatMiniProgramCodeAndPhone => (
                "wechat_mini_program_code_and_phone",
                "wechatMiniProgramCodeAndPhonePayload",
            ),
            Self::DouyinMiniProgramCode => {
                ("douyin_mini_program_code", "douyinMiniProgramCodePayload")
            }
            Self::DouyinMiniProgramCodeAndPhone => (
                "douyin_mini_program_code_and_phone",
                "douyinMiniProgramCodeAndPhonePayload",
            ),
            Self::Google => ("google", "googlePayload"),
            Self::Facebook => ("facebook", "facebookPayload"),
            Self::Qq => ("qq", "qqPayload"),
            Self::Weibo => ("weibo", "weiboPayload"),
            Self::Baidu => ("baidu", "baiduPayload"),
            // Authing's field names capitalise these two.
            Self::Linkedin => ("linkedin", "linkedInPayload"),
            Self::Dingtalk => ("dingtalk", "dingTalkPayload"),
            Self::Github => ("github", "githubPayload"),
            Self::Gitee => ("gitee", "giteePayload"),
            Self::Gitlab => ("gitlab", "gitlabPayload"),
            Self::Douyin => ("douyin", "douyinPayload"),
            Self::Kuaishou => ("kuaishou", "kuaishouPayload"),
            Self::Xiaomi => ("xiaomi", "xiaomiPayload"),
            Self::Line => ("line", "linePayload"),
            Self::Slack => ("slack", "slackPayload"),
            Self::Oppo => ("oppo", "oppoPayload"),
            Self::Huawei => ("huawei", "huaweiPayload"),
            Self::Amazon => ("amazon", "amazonPayload"),
        }
    }

    /// Authing's `connection` value.
    ///
    /// Example: see [`MobileConnection`].
    pub const fn as_str(self) -> &'static str {
        self.names().0
    }

    /// The body field that carries this connection's payload.
    ///
    /// Example: see [`MobileConnection`].
    pub const fn payload_field(self) -> &'static str {
        self.names().1
    }
}

impl Serialize for MobileConnection {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// What the provider's mobile SDK handed the app: most take `{"code": ...}`; others
/// more fields (see Authing's docs of each `...PayloadDto`). Its values are never
/// printed by `Debug`, as they sign a user in.
///
/// ```
/// use authing_oidc::signin::MobilePayload;
/// let payload = MobilePayload::code("CODE").with("iv", "IV");
/// assert_eq!(format!("{payload:?}"), "MobilePayload { fields: [\"code\", \"iv\"] }");
/// ```
#[derive(Clone, Default)]
pub struct MobilePayload(Map<String, Value>);

impl MobilePayload {
    /// `{"code": code}`.
    ///
    /// Example: see [`MobilePayload`].
    pub fn code(code: impl Into<String>) -> Self {
        Self::default().with("code", code.into())
    }

    /// Adds a field.
    ///
    /// Example: see [`MobilePayload`].
    #[must_use]
    pub fn with(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.0.insert(name.into(), value.into());
        self
    }
}

impl fmt::Debug for MobilePayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fields: Vec<&String> = self.0.keys().collect();
        f.debug_struct("MobilePayload")
            .field("fields", &fields)
            .finish()
    }
}

/// The payload, under its connection's field name (flattened into the body).
#[derive(Debug, Clone)]
struct ConnectionPayload {
    connection: MobileConnection,
    payload: MobilePayload,
}

impl Serialize for ConnectionPayload {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.connection.payload_field(), &self.payload.0)?;
        map.end()
    }
}

/// `options` of a mobile sign-in.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct MobileOptions {
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tenant_id: Option<String>,
}

/// Signs a user in with a social provider's mobile code (`POST /api/v3/signin-by-mobile`,
/// Authing's `signInByMobile`). Unlike the Node SDK, the client's credentials are added as
/// the application is registered, as for every `auth = client` endpoint.
///
/// ```
/// use authing_oidc::signin::{MobileConnection, MobilePayload, SignInByMobile};
///
/// let sign_in = SignInByMobile::new("wechat-mobile", MobileConnection::Wechat, MobilePayload::code("CODE"))
///     .scope("openid profile");
/// let body = serde_json::to_value(&sign_in)?;
/// assert_eq!(body["extIdpConnidentifier"], "wechat-mobile");
/// assert_eq!(body["connection"], "wechat");
/// assert_eq!(body["wechatPayload"]["code"], "CODE");
/// assert_eq!(body["options"]["scope"], "openid profile");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[endpoint(POST, "/api/v3/signin-by-mobile", response = SignInTokens, side = authentication, auth = client, sensitive)]
#[derive(Clone)]
pub struct SignInByMobile {
    ext_idp_connidentifier: String,
    connection: MobileConnection,
    #[serde(flatten)]
    payload: ConnectionPayload,
    options: Option<MobileOptions>,
}

impl SignInByMobile {
    /// A sign-in through the social identity source `ext_idp_connidentifier` (its
    /// identifier in the Authing console) of type `connection`, with the provider's payload.
    ///
    /// Example: see [`SignInByMobile`].
    pub fn new(
        ext_idp_connidentifier: impl Into<String>,
        connection: MobileConnection,
        payload: MobilePayload,
    ) -> Self {
        Self {
            ext_idp_connidentifier: ext_idp_connidentifier.into(),
            connection,
            payload: ConnectionPayload {
                connection,
                payload,
            },
            options: None,
        }
    }

    /// The scopes asked for, space-separated.
    ///
    /// Example: see [`SignInByMobile`].
    #[must_use]
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.options
            .get_or_insert_with(MobileOptions::default)
            .scope = Some(scope.into());
        self
    }

    /// The tenant to sign in to.
    ///
    /// ```
    /// use authing_oidc::signin::{MobileConnection, MobilePayload, SignInByMobile};
    /// let sign_in = SignInByMobile::new("x", MobileConnection::Apple, MobilePayload::code("c")).tenant_id("t1");
    /// assert_eq!(serde_json::to_value(&sign_in)?["options"]["tenantId"], "t1");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[must_use]
    pub fn tenant_id(mut self, tenant_id: impl Into<String>) -> Self {
        self.options
            .get_or_insert_with(MobileOptions::default)
            .tenant_id = Some(tenant_id.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_names_are_unique_and_fields_end_in_payload() {
        let mut names: Vec<&str> = MobileConnection::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 32);
        for connection in MobileConnection::ALL {
            assert!(
                connection.payload_field().ends_with("Payload"),
                "{connection:?}"
            );
        }
    }
}
