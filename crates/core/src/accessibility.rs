//! The accessibility statement (*toegankelijkheidsverklaring*). Dutch government
//! bodies must publish one for every website and app; the organisation running Koers
//! fills it in, Koers shows it on a fixed, public page linked from every page.

use crate::FieldError;
use serde::{Deserialize, Serialize};

/// Compliance status, following the statuses of the Dutch model statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ComplianceStatus {
    /// A: voldoet volledig.
    Full,
    /// B: voldoet gedeeltelijk.
    Partial,
    /// C: eerste maatregelen genomen.
    FirstSteps,
    /// D: voldoet niet.
    None,
    /// E: nog niet beoordeeld. The honest default until someone has checked.
    #[default]
    NotAssessed,
}

impl ComplianceStatus {
    pub const ALL: [ComplianceStatus; 5] = [
        Self::Full,
        Self::Partial,
        Self::FirstSteps,
        Self::None,
        Self::NotAssessed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Partial => "partial",
            Self::FirstSteps => "first_steps",
            Self::None => "none",
            Self::NotAssessed => "not_assessed",
        }
    }

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s.trim())
            .ok_or(FieldError::new("status", "error-a11y-status"))
    }
}

/// What the operating organisation fills in. Stored as JSON in the settings table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct AccessibilityStatement {
    pub organisation: String,
    pub status: ComplianceStatus,
    /// ISO date (YYYY-MM-DD) of the statement.
    pub date: String,
    pub contact_email: String,
    pub known_limitations: String,
}

impl AccessibilityStatement {
    /// Validates a filled-in form. Every error is returned so that the form can show
    /// them all at once.
    pub fn parse(
        organisation: &str,
        status: &str,
        date: &str,
        contact_email: &str,
        known_limitations: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let organisation = organisation.trim();
        if organisation.is_empty() || organisation.chars().count() > 200 {
            errors.push(FieldError::new("organisation", "error-a11y-organisation"));
        }
        let status = ComplianceStatus::parse(status)
            .map_err(|e| errors.push(e))
            .ok();
        let date = date.trim();
        if !is_iso_date(date) {
            errors.push(FieldError::new("date", "error-a11y-date"));
        }
        let contact = contact_email.trim();
        if crate::Email::parse(contact).is_err() {
            errors.push(FieldError::new("contact_email", "error-email"));
        }
        if known_limitations.chars().count() > 5000 {
            errors.push(FieldError::new(
                "known_limitations",
                "error-a11y-limitations",
            ));
        }
        match (errors.is_empty(), status) {
            (true, Some(status)) => Ok(Self {
                organisation: organisation.to_owned(),
                status,
                date: date.to_owned(),
                contact_email: contact.to_lowercase(),
                known_limitations: known_limitations.trim().to_owned(),
            }),
            _ => Err(errors),
        }
    }
}

/// YYYY-MM-DD with a real calendar day.
pub fn is_iso_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=9999).contains(&y) && (1..=days).contains(&d)
}
