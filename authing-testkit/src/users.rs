//! The users of the stand-in's user pool and how Authing's `userIdType` finds them.

use crate::api_code;
use crate::envelope::Envelope;
use crate::ids::{hex, object_id};

/// A user the stand-in's user pool holds, with one value for every way Authing lets a
/// management call name a user (`userIdType`).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
/// let stand_in = authing_testkit::StandIn::start().await?;
/// let user = stand_in.user();
/// assert_eq!(user.id, stand_in.user_id());
/// assert!(user.email.contains('@'));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct User {
    /// The Authing user id (`userIdType=user_id`), 24 hex digits like Authing's.
    pub id: String,
    /// `userIdType=username`.
    pub username: String,
    /// `userIdType=email`; matched without regard to ASCII case.
    pub email: String,
    /// `userIdType=phone`, without country code, matched exactly.
    pub phone: String,
    /// The phone's country code, such as `+86`.
    pub phone_country_code: String,
    /// `userIdType=external_id`: the user's id in an external system.
    pub external_id: String,
    /// `userIdType=identity`: `<extIdpId>:<userIdInIdp>`.
    pub identity: String,
    /// `userIdType=sync_relation`: `<provider>:<userIdInIdp>`.
    pub sync_relation: String,
}

impl User {
    /// A user called `username`, with fresh random ids, the e-mail address
    /// `<username>@example.com` and a random mainland phone number, for
    /// [`StandIn::add_user`](crate::StandIn::add_user). Change any field before adding it.
    ///
    /// ```
    /// let bob = authing_testkit::User::new("bob");
    /// assert_eq!(bob.email, "bob@example.com");
    /// assert_eq!(bob.id.len(), 24);
    /// assert_ne!(bob.id, authing_testkit::User::new("bob").id);
    /// ```
    pub fn new(username: impl Into<String>) -> Self {
        let username = username.into();
        let idp_user = format!("ou_{}", hex(16));
        let phone_digits: u32 = rand::random_range(0..100_000_000);
        Self {
            id: object_id(),
            email: format!("{username}@example.com"),
            username,
            phone: format!("139{phone_digits:08}"),
            phone_country_code: "+86".into(),
            external_id: format!("ext-{}", hex(8)),
            identity: format!("{}:{idp_user}", object_id()),
            sync_relation: format!("lark:{idp_user}"),
        }
    }

    /// The seeded user: [`new`](Self::new) with fixed contact details, so that the
    /// stand-in's documentation can name them.
    pub(crate) fn seeded() -> Self {
        Self {
            phone: "13800138000".into(),
            ..Self::new("stand-in-user")
        }
    }

    /// Whether `id`, read as `id_type`, names this user.
    fn is_named_by(&self, id: &str, id_type: UserIdType) -> bool {
        match id_type {
            UserIdType::UserId => self.id == id,
            UserIdType::Phone => self.phone == id,
            UserIdType::Email => self.email.eq_ignore_ascii_case(id),
            UserIdType::Username => self.username == id,
            UserIdType::ExternalId => self.external_id == id,
            UserIdType::Identity => self.identity == id,
            UserIdType::SyncRelation => self.sync_relation == id,
        }
    }
}

/// The `userIdType`s the stand-in resolves. `custom_field` is left out on purpose:
/// Authing documents no format for it, so the stand-in answers 400 rather than guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UserIdType {
    UserId,
    Phone,
    Email,
    Username,
    ExternalId,
    Identity,
    SyncRelation,
}

impl UserIdType {
    fn parse(text: &str) -> Result<Self, Envelope> {
        Ok(match text {
            "user_id" => Self::UserId,
            "phone" => Self::Phone,
            "email" => Self::Email,
            "username" => Self::Username,
            "external_id" => Self::ExternalId,
            "identity" => Self::Identity,
            "sync_relation" => Self::SyncRelation,
            "custom_field" => {
                return Err(unsupported(
                    "userIdType custom_field is unsupported by the stand-in: Authing documents no format for it",
                ));
            }
            other => {
                return Err(unsupported(format!(
                    "unknown userIdType {other:?}; expected one of user_id, external_id, phone, email, username, identity, sync_relation, custom_field"
                )));
            }
        })
    }
}

fn unsupported(message: impl Into<String>) -> Envelope {
    Envelope::failure(400, Some(api_code::UNSUPPORTED_USER_ID_TYPE), message)
}

/// The user `id` names when read as `id_type` (`None` meaning Authing's default,
/// `user_id`): statusCode 400 for an unsupported type, 404/2004 when nobody matches.
pub(crate) fn find<'a>(
    users: &'a [User],
    id: &str,
    id_type: Option<&str>,
) -> Result<&'a User, Envelope> {
    let id_type = UserIdType::parse(id_type.unwrap_or("user_id"))?;
    users
        .iter()
        .find(|user| user.is_named_by(id, id_type))
        .ok_or_else(|| not_found(id))
}

/// statusCode 404 with Authing's "user not found" code.
pub(crate) fn not_found(id: &str) -> Envelope {
    Envelope::failure(
        404,
        Some(api_code::USER_NOT_FOUND),
        format!("user {id:?} not found"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_supported_id_type_finds_the_seeded_user() {
        let user = User::seeded();
        let users = [user.clone()];
        let cases = [
            (user.id.as_str(), None),
            (user.id.as_str(), Some("user_id")),
            (user.phone.as_str(), Some("phone")),
            ("STAND-IN-USER@example.com", Some("email")),
            (user.username.as_str(), Some("username")),
            (user.external_id.as_str(), Some("external_id")),
            (user.identity.as_str(), Some("identity")),
            (user.sync_relation.as_str(), Some("sync_relation")),
        ];
        for (id, id_type) in cases {
            assert!(find(&users, id, id_type).is_ok(), "{id} as {id_type:?}");
        }
    }

    #[test]
    fn a_value_of_another_type_does_not_match() {
        let user = User::seeded();
        let users = [user.clone()];
        assert!(find(&users, &user.phone, Some("user_id")).is_err());
        assert!(find(&users, &user.id, Some("custom_field")).is_err());
        assert!(find(&users, &user.id, Some("nonsense")).is_err());
    }
}
