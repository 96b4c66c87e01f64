//! Links that stand in for an account for one purpose: a read-only results link
//! of a session, and a one-time password reset link. Their tokens are made and
//! hashed at the edge; here are the rules that decide whether a link still works
//! and how long a new one lasts, so the console, the shared page and the store's
//! `expires_at > now` queries agree.

use crate::{Email, FieldError, Timestamp};

const DAY: i64 = 86_400;

/// What a link can be: usable, used (a reset link works once), revoked, or past
/// its expiry. A used or revoked link ranks before an expired one, because that
/// is what its owner did last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkStatus {
    Open,
    Used,
    Revoked,
    Expired,
}

/// The stored dates that decide a link's status; named fields, because two
/// `Option<Timestamp>`s side by side are too easy to swap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LinkDates {
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

impl LinkDates {
    /// The link is open up to, not including, `expires_at` (as the store's
    /// `expires_at > now`).
    pub fn status(self, now: Timestamp) -> LinkStatus {
        if self.used_at.is_some() {
            LinkStatus::Used
        } else if self.revoked_at.is_some() {
            LinkStatus::Revoked
        } else if self.expires_at <= now {
            LinkStatus::Expired
        } else {
            LinkStatus::Open
        }
    }
}

impl LinkStatus {
    pub fn is_open(self) -> bool {
        self == Self::Open
    }

    /// The label in the locale files, e.g. `link-status-open`.
    pub fn message_key(self) -> &'static str {
        match self {
            Self::Open => "link-status-open",
            Self::Used => "link-status-used",
            Self::Revoked => "link-status-revoked",
            Self::Expired => "link-status-expired",
        }
    }
}

/// How long a results link lasts, chosen by the facilitator from a short list:
/// long enough to send the outcome round after a session, never open-ended, so a
/// forgotten link stops working by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ShareExpiry(u32);

impl ShareExpiry {
    /// The choices the form offers, in days.
    pub const CHOICES: [u32; 4] = [7, 30, 90, 365];
    pub const DEFAULT: ShareExpiry = ShareExpiry(30);

    /// One of [`Self::CHOICES`]; anything else is refused (the form only offers these).
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        s.trim()
            .parse::<u32>()
            .ok()
            .filter(|d| Self::CHOICES.contains(d))
            .map(Self)
            .ok_or(FieldError::new("days", "error-share-days"))
    }

    pub fn days(self) -> u32 {
        self.0
    }

    pub fn expires_at(self, now: Timestamp) -> Timestamp {
        now + i64::from(self.0) * DAY
    }
}

/// A password reset link lasts a day: long enough to hand over, short enough
/// that a link left in a chat does not open the account next month.
pub const PASSWORD_RESET_SECS: i64 = DAY;

/// Why a beheerder may not make a reset link for an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ResetRefusal {
    /// A platform administrator's account reaches every organisation: only the
    /// platform (another administrator, or the command line) resets it.
    #[error("platform administrator")]
    PlatformAdmin,
    /// The account is also a member elsewhere: a new password would open that
    /// other organisation too, which this beheerder does not manage.
    #[error("member of another organisation")]
    OtherOrganisation,
}

impl ResetRefusal {
    pub fn message_key(self) -> &'static str {
        match self {
            Self::PlatformAdmin => "error-reset-platform-admin",
            Self::OtherOrganisation => "error-reset-other-organisation",
        }
    }
}

/// The account a beheerder wants to reset, as far as the rule needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResetTarget {
    pub is_platform_admin: bool,
    /// Organisations the account belongs to besides the beheerder's.
    pub other_memberships: usize,
}

/// A beheerder may reset the password of a member of their own organisation
/// whose account reaches nothing beyond it. (That the target is a member, and
/// the caller a beheerder there, is the access check's and the store's part.)
pub fn may_reset(target: ResetTarget) -> Result<(), ResetRefusal> {
    if target.is_platform_admin {
        Err(ResetRefusal::PlatformAdmin)
    } else if target.other_memberships > 0 {
        Err(ResetRefusal::OtherOrganisation)
    } else {
        Ok(())
    }
}

/// Whether an invitation may be accepted by the account with this address. An
/// invitation tied to an address (`Some`) is for that address only; one without
/// is for whoever holds the link. Addresses are compared as [`Email`] keeps them
/// (trimmed, lower-cased).
pub fn invitation_accepts(tied_to: Option<&Email>, by: &Email) -> bool {
    tied_to.is_none_or(|t| t == by)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(expires_at: i64, used_at: Option<i64>, revoked_at: Option<i64>) -> LinkDates {
        LinkDates {
            expires_at,
            used_at,
            revoked_at,
        }
    }

    #[test]
    fn a_link_is_open_until_its_expiry_and_not_at_it() {
        assert_eq!(dates(100, None, None).status(99), LinkStatus::Open);
        assert_eq!(dates(100, None, None).status(100), LinkStatus::Expired);
        assert_eq!(dates(100, None, None).status(500), LinkStatus::Expired);
    }

    #[test]
    fn used_and_revoked_links_are_closed_whatever_the_date() {
        assert_eq!(dates(100, Some(50), None).status(60), LinkStatus::Used);
        assert_eq!(dates(100, None, Some(50)).status(60), LinkStatus::Revoked);
        assert_eq!(dates(100, None, Some(50)).status(200), LinkStatus::Revoked);
        assert!(!LinkStatus::Used.is_open());
        assert!(LinkStatus::Open.is_open());
    }

    #[test]
    fn share_expiry_takes_only_the_offered_choices() {
        for d in ShareExpiry::CHOICES {
            let e = ShareExpiry::parse(&d.to_string()).unwrap();
            assert_eq!(e.days(), d);
            assert_eq!(e.expires_at(1_000), 1_000 + i64::from(d) * DAY);
        }
        for bad in ["", "0", "-1", "31", "abc", "100000000000", "30.5"] {
            assert_eq!(
                ShareExpiry::parse(bad),
                Err(FieldError::new("days", "error-share-days")),
                "{bad:?}"
            );
        }
        assert_eq!(ShareExpiry::parse(" 30 "), Ok(ShareExpiry::DEFAULT));
    }

    #[test]
    fn a_beheerder_resets_only_accounts_that_stay_within_the_organisation() {
        let t = |is_platform_admin, other_memberships| ResetTarget {
            is_platform_admin,
            other_memberships,
        };
        assert_eq!(may_reset(t(false, 0)), Ok(()));
        assert_eq!(may_reset(t(true, 0)), Err(ResetRefusal::PlatformAdmin));
        assert_eq!(may_reset(t(true, 2)), Err(ResetRefusal::PlatformAdmin));
        assert_eq!(may_reset(t(false, 1)), Err(ResetRefusal::OtherOrganisation));
    }

    #[test]
    fn an_invitation_tied_to_an_address_takes_only_that_address() {
        let anne = Email::parse("Anne@Voorbeeld.nl").unwrap();
        let bert = Email::parse("bert@voorbeeld.nl").unwrap();
        let tied = Email::parse(" anne@voorbeeld.NL ").unwrap();
        assert!(invitation_accepts(None, &anne));
        assert!(invitation_accepts(Some(&tied), &anne));
        assert!(!invitation_accepts(Some(&tied), &bert));
    }
}
