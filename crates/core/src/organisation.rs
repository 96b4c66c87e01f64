//! Organisations are the tenants of Koers. Kind, size class and country are what peer
//! benchmarks compare on, so they are closed sets rather than free text.

use crate::FieldError;
use serde::{Deserialize, Serialize};

/// The kind of public organisation, as Dutch and Flemish government is organised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrganisationKind {
    Gemeente,
    Provincie,
    Waterschap,
    Ministerie,
    Uitvoeringsorganisatie,
    Zorginstelling,
    Overig,
}

impl OrganisationKind {
    pub const ALL: [OrganisationKind; 7] = [
        Self::Gemeente,
        Self::Provincie,
        Self::Waterschap,
        Self::Ministerie,
        Self::Uitvoeringsorganisatie,
        Self::Zorginstelling,
        Self::Overig,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gemeente => "gemeente",
            Self::Provincie => "provincie",
            Self::Waterschap => "waterschap",
            Self::Ministerie => "ministerie",
            Self::Uitvoeringsorganisatie => "uitvoeringsorganisatie",
            Self::Zorginstelling => "zorginstelling",
            Self::Overig => "overig",
        }
    }

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or(FieldError::new("kind", "error-org-kind"))
    }
}

/// Size class by number of employees: comparable across kinds, unlike inhabitants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SizeClass {
    #[serde(rename = "xs")]
    UpTo50,
    #[serde(rename = "s")]
    UpTo250,
    #[serde(rename = "m")]
    UpTo1000,
    #[serde(rename = "l")]
    UpTo5000,
    #[serde(rename = "xl")]
    Over5000,
}

impl SizeClass {
    pub const ALL: [SizeClass; 5] = [
        Self::UpTo50,
        Self::UpTo250,
        Self::UpTo1000,
        Self::UpTo5000,
        Self::Over5000,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::UpTo50 => "xs",
            Self::UpTo250 => "s",
            Self::UpTo1000 => "m",
            Self::UpTo5000 => "l",
            Self::Over5000 => "xl",
        }
    }

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or(FieldError::new("size_class", "error-org-size"))
    }

    /// The class an organisation with this many employees falls in.
    pub fn for_employees(n: u32) -> Self {
        match n {
            0..=50 => Self::UpTo50,
            51..=250 => Self::UpTo250,
            251..=1000 => Self::UpTo1000,
            1001..=5000 => Self::UpTo5000,
            _ => Self::Over5000,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Country {
    #[serde(rename = "NL")]
    Nederland,
    #[serde(rename = "BE")]
    Belgie,
}

impl Country {
    pub const ALL: [Country; 2] = [Self::Nederland, Self::Belgie];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Nederland => "NL",
            Self::Belgie => "BE",
        }
    }

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        match s.trim().to_ascii_uppercase().as_str() {
            "NL" => Ok(Self::Nederland),
            "BE" => Ok(Self::Belgie),
            _ => Err(FieldError::new("country", "error-org-country")),
        }
    }
}

/// An organisation's display name: trimmed, 2 to 120 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrganisationName(String);

impl OrganisationName {
    pub const MAX_CHARS: usize = 120;

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let name = collapse_whitespace(s);
        let len = name.chars().count();
        if len < 2 {
            return Err(FieldError::new("name", "error-org-name-short"));
        }
        if len > Self::MAX_CHARS {
            return Err(FieldError::new("name", "error-org-name-long"));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Trims, folds runs of whitespace into one space and drops control characters, so
/// that names that look the same are stored the same.
pub(crate) fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace()
        .map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
