//! How a management endpoint names a user.

use serde::{Deserialize, Serialize};

/// What kind of identifier a `userId` parameter holds. Authing reads `user_id` when
/// none is given.
///
/// ```
/// use authing_mfa::UserIdType;
/// assert_eq!(UserIdType::default(), UserIdType::UserId);
/// assert_eq!(serde_json::to_string(&UserIdType::SyncRelation).unwrap(), "\"sync_relation\"");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum UserIdType {
    /// Authing's own user id, e.g. `6319a1504f3xxxxf214dd5b7`.
    #[default]
    UserId,
    /// The id in an external system: the user's `externalId`.
    ExternalId,
    /// The user's phone number.
    Phone,
    /// The user's e-mail address.
    Email,
    /// The user's username.
    Username,
    /// An external identity, `<extIdpId>:<userIdInIdp>`, e.g.
    /// `62f20932716fbcc10d966ee5:ou_8bae746eac07cd2564654140d2a9ac61`.
    Identity,
    /// A synchronised identity, `<provider>:<userIdInIdp>`, e.g.
    /// `lark:ou_8bae746eac07cd2564654140d2a9ac61`.
    SyncRelation,
    /// A custom user field.
    CustomField,
}
