//! The pure domain of Koers: the types every other crate speaks, and the rules that
//! decide what is valid. Nothing here touches a database, the network or the clock:
//! callers parse raw input into these types at the edge, pass time in as an
//! argument, and get typed errors back that the web layer can translate.
//!
//! Modules:
//! - [`account`]: accounts, roles, the password policy and login lockout;
//! - [`organisation`]: organisations (the tenants) and what benchmarks compare on;
//! - [`membership`]: the last-beheerder rule, invitation status and notes;
//! - [`anonymity`]: the one anonymity rule (minimum group sizes) every part uses;
//! - [`links`]: results links and password reset links: status and expiry;
//! - [`sessie`]: live sessions: phases and the actions they allow, join codes,
//!   perspectives, statements, participant names, votes and their tallies, dots,
//!   the prioritisation shortlist, next steps;
//! - [`scan`]: Scan's assessment models (files checked into types), answers, the
//!   JRC scoring, aggregation over perspectives, perception gaps, peer benchmarks;
//! - [`accessibility`]: the accessibility statement.
//!
//! This crate must not depend on any I/O crate (no tokio, sqlx, axum, HTTP client,
//! file or clock access); its dependencies are `thiserror` and `serde`, and for Scan's
//! model files `toml` (parsing with positions), `sha2` (the model hash), `schemars`
//! and `serde_json` (the generated JSON Schema) — all pure. That keeps
//! `cargo test -p koers-core` fast and every rule here testable without a server,
//! and it keeps the data flow one way: web parses, core decides, store persists.

pub mod account;
pub mod anonymity;
pub mod links;
pub mod membership;
pub mod organisation;
pub mod scan;
pub mod sessie;

pub use account::{DisplayName, Email, Password, PasswordError, Role};
pub use anonymity::{AnonymityError, AnonymityRule, MinGroupSize, Suppressed};
pub use membership::{InvitationStatus, MemberChange, MembershipError};
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

        /// Parses an id as it comes in a form field or URL segment: a decimal
        /// integer, surrounding whitespace ignored. Whether it exists is the
        /// store's question.
        impl std::str::FromStr for $name {
            type Err = IdError;

            fn from_str(s: &str) -> Result<Self, IdError> {
                s.trim().parse::<i64>().map(Self).map_err(|_| IdError)
            }
        }
    };
}

/// A form field or URL segment that is not an id at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not an id")]
pub struct IdError;

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
id_type!(
    /// The id of an agreed next step in a live session.
    NextStepId
);
