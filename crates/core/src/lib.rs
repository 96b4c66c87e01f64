//! The pure domain of Koers: the types every other crate speaks, and the rules that
//! decide what is valid. Nothing here touches a database, the network or the clock:
//! callers parse raw input into these types at the edge, pass time in as an
//! argument, and get typed errors back that the web layer can translate.

pub mod account;
pub mod organisation;
pub mod sessie;

pub use account::{DisplayName, Email, Password, PasswordError, Role};
pub use organisation::{Country, OrganisationKind, OrganisationName, SizeClass};

/// Seconds since the Unix epoch. The core never reads the clock itself: the web
/// layer passes `now` in, which keeps rules such as lockouts and expiries testable.
pub type Timestamp = i64;

/// A field-level validation failure. `key` names a message in the locale files, so
/// the interface can show it in the user's language next to the right field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {key}")]
pub struct FieldError {
    pub field: &'static str,
    pub key: &'static str,
}

impl FieldError {
    pub fn new(field: &'static str, key: &'static str) -> Self {
        Self { field, key }
    }
}

pub mod accessibility;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// The id of an organisation (a tenant).
    OrganisationId
);
id_type!(
    /// The id of an account.
    UserId
);
id_type!(
    /// The id of an invitation to join an organisation.
    InvitationId
);
id_type!(
    /// The id of a live session (Sessie).
    LiveSessionId
);
id_type!(
    /// The id of an anonymous participant in one live session.
    ParticipantId
);
id_type!(
    /// The id of a statement in a live session.
    StatementId
);
