//! Membership of an organisation: who may stay beheerder, and where an invitation
//! stands. The store holds members and invitations; these rules decide what a change
//! may do to them, given the current rows and `now`.

use crate::{FieldError, Role, Timestamp, UserId};
use serde::{Deserialize, Serialize};

/// A change a beheerder makes to one member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MemberChange {
    SetRole(Role),
    Remove,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MembershipError {
    /// The change would leave the organisation without a beheerder, and then nobody
    /// could manage its members, invitations or settings.
    #[error("the organisation must keep at least one beheerder")]
    LastBeheerder,
}

impl MembershipError {
    /// The message shown above the member list.
    pub fn field_error(self) -> FieldError {
        match self {
            Self::LastBeheerder => FieldError::new("members", "error-last-beheerder"),
        }
    }
}

/// Checks a change to `target` against the rule that an organisation keeps at least
/// one beheerder. `members` are the organisation's current (user, role) pairs. A
/// target that is not a member, or is no beheerder, is never refused here: whether
/// it exists is the caller's question.
pub fn check_member_change(
    members: impl IntoIterator<Item = (UserId, Role)>,
    target: UserId,
    change: MemberChange,
) -> Result<(), MembershipError> {
    if change == MemberChange::SetRole(Role::Beheerder) {
        return Ok(());
    }
    let mut target_is_beheerder = false;
    let mut other_beheerders = 0usize;
    for (user, role) in members {
        if role != Role::Beheerder {
            continue;
        }
        if user == target {
            target_is_beheerder = true;
        } else {
            other_beheerders += 1;
        }
    }
    if target_is_beheerder && other_beheerders == 0 {
        return Err(MembershipError::LastBeheerder);
    }
    Ok(())
}

/// Where an invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InvitationStatus {
    /// Can still be used.
    Open,
    /// Used by someone to join.
    Accepted,
    /// Withdrawn by a beheerder before use.
    Revoked,
    /// Not used in time.
    Expired,
}

impl InvitationStatus {
    pub const ALL: [InvitationStatus; 4] =
        [Self::Open, Self::Accepted, Self::Revoked, Self::Expired];

    /// From the stored fields. What happened to an invitation outranks the calendar:
    /// one accepted (or revoked) before it expired stays accepted (or revoked).
    /// Expiry is exclusive: at `expires_at` itself the invitation no longer works,
    /// as the store's `expires_at > now` check has it.
    pub fn at(dates: InvitationDates, now: Timestamp) -> Self {
        if dates.accepted_at.is_some() {
            Self::Accepted
        } else if dates.revoked_at.is_some() {
            Self::Revoked
        } else if dates.expires_at <= now {
            Self::Expired
        } else {
            Self::Open
        }
    }

    /// Whether the invitation can still be used to join.
    pub fn is_open(self) -> bool {
        self == Self::Open
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Accepted => "accepted",
            Self::Revoked => "revoked",
            Self::Expired => "expired",
        }
    }

    /// The label in the locale files, e.g. `invitation-status-open`.
    pub fn message_key(self) -> &'static str {
        match self {
            Self::Open => "invitation-status-open",
            Self::Accepted => "invitation-status-accepted",
            Self::Revoked => "invitation-status-revoked",
            Self::Expired => "invitation-status-expired",
        }
    }
}

/// The stored dates that decide an invitation's status; named fields, because two
/// `Option<Timestamp>`s side by side are too easy to swap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct InvitationDates {
    pub expires_at: Timestamp,
    pub accepted_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

impl InvitationDates {
    pub fn status(self, now: Timestamp) -> InvitationStatus {
        InvitationStatus::at(self, now)
    }
}

/// The beheerder's note on an invitation (who it is for): trimmed, at most 200
/// characters, may be empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InvitationNote(String);

impl InvitationNote {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let note = s.trim();
        if note.chars().count() > Self::MAX_CHARS {
            return Err(FieldError::new("note", "error-note-long"));
        }
        Ok(Self(note.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
