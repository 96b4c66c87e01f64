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
    /// One character, or one short piece, over and over (`aaaaaaaaaa`, `abcabcabca`).
    Repeated,
    /// A run along the alphabet, the digits or a keyboard row (`abcdefghij`,
    /// `1234567890`, `qwertyuiop`, `qwerty123456`).
    Sequence,
    /// The account's own e-mail address, or its part before the `@`.
    ContainsEmail,
    /// On Koers's list of common passwords, perhaps with digits or punctuation
    /// around it or look-alike digits inside (`Welkom2024!`, `p@ssw0rd1`).
    Common,
}

/// A new password that meets the policy. Following NIST SP 800-63B, we ask for length
/// (at least 10 characters) rather than composition rules, cap it so hashing cannot
/// be used to exhaust the server, and refuse what is guessed first: repetition,
/// sequences, the account's own address and common passwords.
#[derive(Clone)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// Base words and whole passwords refused by [`Password`]; where it comes from is in
/// the file's own header.
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// Runs that count as a plain sequence, read forwards and backwards.
const SEQUENCES: [&str; 8] = [
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "qwertzuiop",
    "azertyuiop",
    "yxcvbnm",
];

impl Password {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_BYTES: usize = 1024;

    /// Parses a new password without knowing whose it is (the CLI's generated ones).
    /// Web forms know the account and use [`Password::parse_for`].
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        Self::check(s, None).map_err(|e| FieldError::new("password", e.message_key()))
    }

    /// Parses a new password for the account with this e-mail address.
    pub fn parse_for(s: &str, email: Option<&Email>) -> Result<Self, FieldError> {
        Self::check(s, email).map_err(|e| FieldError::new("password", e.message_key()))
    }

    /// Parses a new password typed twice, for the account with this address (if it
    /// is known yet: a sign-up form whose address does not parse has none).
    pub fn parse_confirmed(
        s: &str,
        again: &str,
        email: Option<&Email>,
    ) -> Result<Self, FieldError> {
        let p = Self::parse_for(s, email)?;
        if s != again {
            return Err(FieldError::new(
                "password_again",
                PasswordError::Mismatch.message_key(),
            ));
        }
        Ok(p)
    }

    fn check(s: &str, email: Option<&Email>) -> Result<Self, PasswordError> {
        if s.chars().count() < Self::MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        if s.len() > Self::MAX_BYTES {
            return Err(PasswordError::TooLong);
        }
        // Case and spaces add little against a guesser who tries these first.
        let plain: Vec<char> = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        if plain.is_empty() || is_repetition(&plain) {
            return Err(PasswordError::Repeated);
        }
        if is_sequence(&plain) {
            return Err(PasswordError::Sequence);
        }
        let plain: String = plain.into_iter().collect();
        if email.is_some_and(|e| contains_email(&plain, e)) {
            return Err(PasswordError::ContainsEmail);
        }
        if is_common(&plain) {
            return Err(PasswordError::Common);
        }
        Ok(Self(s.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Whether the text is one piece of at most four characters, repeated.
fn is_repetition(chars: &[char]) -> bool {
    (1..=4.min(chars.len() / 2))
        .any(|unit| chars.iter().enumerate().all(|(i, c)| *c == chars[i % unit]))
}

/// Whether the text is made of at most three runs, each of three or more steps
/// along one of [`SEQUENCES`] (either way).
fn is_sequence(chars: &[char]) -> bool {
    let next_in_sequence = |a: char, b: char| {
        SEQUENCES.iter().any(|seq| {
            let seq: Vec<char> = seq.chars().collect();
            seq.windows(2)
                .any(|w| (w[0] == a && w[1] == b) || (w[1] == a && w[0] == b))
        })
    };
    let mut runs = vec![1usize];
    for pair in chars.windows(2) {
        match runs.last_mut() {
            Some(n) if next_in_sequence(pair[0], pair[1]) => *n += 1,
            _ => runs.push(1),
        }
    }
    runs.len() <= 3 && runs.iter().all(|n| *n >= 3)
}

/// Whether the (lower-cased, spaceless) password holds the address, its local part
/// (when that is long enough to mean something), or is just one piece of the local
/// part (`jansen` of `jan.jansen@…`) with digits or punctuation around it.
fn contains_email(plain: &str, email: &Email) -> bool {
    let address = email.as_str();
    let local = address.split('@').next().unwrap_or(address);
    if plain.contains(address) || (local.chars().count() >= 4 && plain.contains(local)) {
        return true;
    }
    let core = strip_non_letters(plain);
    std::iter::once(local)
        .chain(local.split(['.', '_', '-', '+']))
        .any(|piece| piece.chars().count() >= 3 && core == piece)
}

fn strip_non_letters(s: &str) -> &str {
    s.trim_matches(|c: char| !c.is_alphabetic())
}

/// Look-alike digits and signs read as the letters they stand for.
fn undo_look_alikes(s: &str, one: char) -> String {
    s.chars()
        .map(|c| match c {
            '@' | '4' => 'a',
            '3' | '€' => 'e',
            '1' | '!' | '|' => one,
            '0' => 'o',
            '$' | '5' => 's',
            '7' | '+' => 't',
            '8' => 'b',
            '9' => 'g',
            other => other,
        })
        .collect()
}

/// Whether the password is on the list: whole, or as a base word (twice at most)
/// with leading and trailing digits and punctuation removed and look-alikes undone.
fn is_common(plain: &str) -> bool {
    let mut whole = COMMON_PASSWORDS
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'));
    if whole.any(|l| l == plain) {
        return true;
    }
    let core = strip_non_letters(plain);
    let candidates = [
        core.to_owned(),
        undo_look_alikes(core, 'i'),
        undo_look_alikes(core, 'l'),
        strip_non_letters(&undo_look_alikes(plain, 'i')).to_owned(),
    ];
    let is_word = |w: &str| {
        !w.is_empty()
            && COMMON_PASSWORDS
                .lines()
                .any(|l| !l.starts_with('#') && l == w)
    };
    candidates.iter().any(|c| {
        let c = c.as_str();
        let half = c.len() / 2;
        let doubled = c.len() % 2 == 0 && c.is_char_boundary(half) && c[..half] == c[half..];
        is_word(c)
            || (doubled && is_word(&c[..half]))
            || ["mijn", "my", "het", "de", "the"]
                .iter()
                .any(|p| c.strip_prefix(p).is_some_and(is_word))
    })
}

impl PasswordError {
    pub fn message_key(self) -> &'static str {
        match self {
            Self::TooShort => "error-password-short",
            Self::TooLong => "error-password-long",
            Self::Mismatch => "error-password-mismatch",
            Self::Repeated => "error-password-repeated",
            Self::Sequence => "error-password-sequence",
            Self::ContainsEmail => "error-password-email",
            Self::Common => "error-password-common",
        }
    }
}

/// The lockout rule for logins: after `max_failures` consecutive failures, what failed
/// is held back for `lockout_secs`. The web layer applies it per (client address,
/// e-mail address) pair, never to the account as a whole, so that nobody can lock
/// another person out from elsewhere. Kept here so the web layer and tests share
/// one rule.
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
