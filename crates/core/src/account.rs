//! Accounts and roles. Participants in sessions and respondents in scans need no
//! account; accounts are for the people who run Koers inside an organisation.

use crate::organisation::collapse_whitespace;
use crate::{FieldError, Timestamp};
use serde::{Deserialize, Serialize};

/// A role within one organisation. Platform administration is not a role here: it is
/// a property of the account, because it spans organisations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// A member: takes part, sees results shared with the organisation.
    Lid,
    /// Runs sessions and scans.
    Facilitator,
    /// Manages the organisation: members, invitations, settings.
    Beheerder,
}

impl Role {
    pub const ALL: [Role; 3] = [Self::Beheerder, Self::Facilitator, Self::Lid];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Lid => "lid",
            Self::Facilitator => "facilitator",
            Self::Beheerder => "beheerder",
        }
    }

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or(FieldError::new("role", "error-role"))
    }

    /// Whether this role may do what `needed` allows. Roles are ordered:
    /// beheerder ⊇ facilitator ⊇ lid.
    pub fn allows(self, needed: Role) -> bool {
        self >= needed
    }
}

/// An e-mail address, lower-cased. We check shape only: the real test of an address
/// is whether an invitation reaches it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let e = s.trim().to_lowercase();
        let invalid = FieldError::new("email", "error-email");
        if e.is_empty() {
            return Err(FieldError::new("email", "error-email-empty"));
        }
        if e.len() > 254 || e.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid);
        }
        let (local, domain) = e.split_once('@').ok_or(invalid.clone())?;
        if local.is_empty()
            || domain.contains('@')
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
        {
            return Err(invalid);
        }
        Ok(Self(e))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The name shown for an account: 1 to 80 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let name = collapse_whitespace(s);
        let len = name.chars().count();
        if len == 0 {
            return Err(FieldError::new("display_name", "error-name-empty"));
        }
        if len > 80 {
            return Err(FieldError::new("display_name", "error-name-long"));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordError {
    TooShort,
    TooLong,
    Mismatch,
}

/// A new password that meets the policy. Following NIST SP 800-63B, we ask for length
/// (at least 10 characters) rather than composition rules, and cap it so hashing
/// cannot be used to exhaust the server.
#[derive(Clone)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_BYTES: usize = 1024;

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        Self::check(s).map_err(|e| FieldError::new("password", e.message_key()))
    }

    /// Parses a new password typed twice.
    pub fn parse_confirmed(s: &str, again: &str) -> Result<Self, FieldError> {
        let p = Self::parse(s)?;
        if s != again {
            return Err(FieldError::new(
                "password_again",
                PasswordError::Mismatch.message_key(),
            ));
        }
        Ok(p)
    }

    fn check(s: &str) -> Result<Self, PasswordError> {
        if s.chars().count() < Self::MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        if s.len() > Self::MAX_BYTES {
            return Err(PasswordError::TooLong);
        }
        Ok(Self(s.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl PasswordError {
    pub fn message_key(self) -> &'static str {
        match self {
            Self::TooShort => "error-password-short",
            Self::TooLong => "error-password-long",
            Self::Mismatch => "error-password-mismatch",
        }
    }
}

/// The lockout rule for logins: after `max_failures` consecutive failures the account
/// is locked for `lockout_secs`. Kept here so the web layer and tests share one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    pub max_failures: u32,
    pub lockout_secs: i64,
}

impl LockoutPolicy {
    /// Given the failure count *after* a failed attempt, when the account unlocks, if
    /// it is to be locked at all.
    pub fn locked_until(&self, failures: u32, now: Timestamp) -> Option<Timestamp> {
        (failures >= self.max_failures).then_some(now + self.lockout_secs)
    }

    pub fn is_locked(locked_until: Option<Timestamp>, now: Timestamp) -> bool {
        locked_until.is_some_and(|t| t > now)
    }
}
