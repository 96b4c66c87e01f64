//! The one anonymity rule of Koers: no figure about a group of people smaller than the
//! threshold is ever shown or exported. Sessie applies it to per-perspective figures
//! today; Scan and Signalen use the same rule, so that pages, API and exports cannot
//! disagree about what is safe to show.
//!
//! The rule, as `docs/SCAN-MODELS.md` states it:
//! - a figure needs a group of at least 5 (configurable per organisation, never
//!   below 3);
//! - free text needs a larger group (8 by default, never below 3, and never below
//!   the figure threshold, since one sentence identifies more than a number);
//! - a group below the threshold is left out entirely, never merged into an
//!   "other" group, so nobody can subtract their way back to one person's answers.
//!
//! A suppressed figure is a [`Suppressed::TooFew`] that carries nothing: the page can
//! say "te weinig deelnemers" without ever holding the number it must not show.

use serde::{Deserialize, Serialize};

/// Why an anonymity setting was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AnonymityError {
    /// Below [`MinGroupSize::FLOOR`]: with two people, each can work out the other's
    /// answer from a shared figure.
    #[error("a minimum group size of {requested} is below the floor of {floor}")]
    BelowFloor { requested: u32, floor: u32 },
    /// The free-text threshold must be at least the threshold for figures.
    #[error("the free-text minimum ({free_text}) is below the minimum for figures ({figures})")]
    FreeTextBelowFigures { free_text: u32, figures: u32 },
}

/// The least number of people a group must have before anything about it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct MinGroupSize(u32);

impl MinGroupSize {
    /// Nobody may configure less: below three, members can deduce each other.
    pub const FLOOR: u32 = 3;
    /// The default for figures (counts, shares, means).
    pub const DEFAULT: MinGroupSize = MinGroupSize(5);
    /// The default for free text (quotes, comments).
    pub const DEFAULT_FREE_TEXT: MinGroupSize = MinGroupSize(8);

    pub fn new(n: u32) -> Result<Self, AnonymityError> {
        if n < Self::FLOOR {
            return Err(AnonymityError::BelowFloor {
                requested: n,
                floor: Self::FLOOR,
            });
        }
        Ok(Self(n))
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// Whether a group of `group_size` people is large enough.
    pub fn admits(self, group_size: usize) -> bool {
        // Compared in u64 so that no size is truncated on any platform.
        u64::try_from(group_size).unwrap_or(u64::MAX) >= u64::from(self.0)
    }
}

impl Default for MinGroupSize {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl std::fmt::Display for MinGroupSize {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

// Deserialising goes through `new`, so a configuration file cannot smuggle in a
// threshold below the floor.
impl<'de> Deserialize<'de> for MinGroupSize {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = u32::deserialize(d)?;
        Self::new(n).map_err(serde::de::Error::custom)
    }
}

/// A figure that may be shown, or the fact that its group was too small. `TooFew`
/// deliberately carries no value, not even the group size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Suppressed<T> {
    Shown(T),
    TooFew,
}

impl<T> Suppressed<T> {
    pub fn is_shown(&self) -> bool {
        matches!(self, Self::Shown(_))
    }

    /// The figure, if it may be shown.
    pub fn shown(self) -> Option<T> {
        match self {
            Self::Shown(v) => Some(v),
            Self::TooFew => None,
        }
    }

    pub fn as_ref(&self) -> Suppressed<&T> {
        match self {
            Self::Shown(v) => Suppressed::Shown(v),
            Self::TooFew => Suppressed::TooFew,
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Suppressed<U> {
        match self {
            Self::Shown(v) => Suppressed::Shown(f(v)),
            Self::TooFew => Suppressed::TooFew,
        }
    }
}

/// The thresholds in force for one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "RawRule")]
pub struct AnonymityRule {
    figures: MinGroupSize,
    free_text: MinGroupSize,
}

/// The shape of a rule in a configuration file; either threshold may be left out.
#[derive(Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawRule {
    figures: MinGroupSize,
    free_text: MinGroupSize,
}

impl Default for RawRule {
    fn default() -> Self {
        Self {
            figures: MinGroupSize::DEFAULT,
            free_text: MinGroupSize::DEFAULT_FREE_TEXT,
        }
    }
}

impl From<AnonymityRule> for RawRule {
    fn from(r: AnonymityRule) -> Self {
        Self {
            figures: r.figures,
            free_text: r.free_text,
        }
    }
}

// Through `new`, so a file cannot set free text below figures.
impl<'de> Deserialize<'de> for AnonymityRule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = RawRule::deserialize(d)?;
        Self::new(raw.figures, raw.free_text).map_err(serde::de::Error::custom)
    }
}

impl Default for AnonymityRule {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl AnonymityRule {
    /// 5 for figures, 8 for free text.
    pub const DEFAULT: AnonymityRule = AnonymityRule {
        figures: MinGroupSize::DEFAULT,
        free_text: MinGroupSize::DEFAULT_FREE_TEXT,
    };

    /// An organisation's own thresholds. Free text may not be shown from smaller
    /// groups than figures are.
    pub fn new(figures: MinGroupSize, free_text: MinGroupSize) -> Result<Self, AnonymityError> {
        if free_text < figures {
            return Err(AnonymityError::FreeTextBelowFigures {
                free_text: free_text.get(),
                figures: figures.get(),
            });
        }
        Ok(Self { figures, free_text })
    }

    pub fn figures(&self) -> MinGroupSize {
        self.figures
    }

    pub fn free_text(&self) -> MinGroupSize {
        self.free_text
    }

    /// Whether a figure about a group of `group_size` people may be shown.
    pub fn shows(&self, group_size: usize) -> bool {
        self.figures.admits(group_size)
    }

    /// Whether free text from a group of `group_size` people may be shown.
    pub fn shows_text(&self, group_size: usize) -> bool {
        self.free_text.admits(group_size)
    }

    /// The figure for a group, computed only when it may be shown.
    pub fn figure<T>(&self, group_size: usize, compute: impl FnOnce() -> T) -> Suppressed<T> {
        if self.shows(group_size) {
            Suppressed::Shown(compute())
        } else {
            Suppressed::TooFew
        }
    }

    /// Free text from a group, taken only when it may be shown.
    pub fn text<T>(&self, group_size: usize, take: impl FnOnce() -> T) -> Suppressed<T> {
        if self.shows_text(group_size) {
            Suppressed::Shown(take())
        } else {
            Suppressed::TooFew
        }
    }

    /// The groups whose figures may be shown, in their given order; each item is
    /// (key, group size, figure). Groups below the threshold are dropped entirely:
    /// nothing of theirs is summed into another group or an "other" line.
    pub fn visible_groups<K, T>(
        &self,
        groups: impl IntoIterator<Item = (K, usize, T)>,
    ) -> Vec<(K, T)> {
        groups
            .into_iter()
            .filter(|(_, n, _)| self.shows(*n))
            .map(|(k, _, t)| (k, t))
            .collect()
    }

    /// As [`AnonymityRule::visible_groups`], with the free-text threshold.
    pub fn visible_texts<K, T>(
        &self,
        groups: impl IntoIterator<Item = (K, usize, T)>,
    ) -> Vec<(K, T)> {
        groups
            .into_iter()
            .filter(|(_, n, _)| self.shows_text(*n))
            .map(|(k, _, t)| (k, t))
            .collect()
    }

    /// Every group with its figure or [`Suppressed::TooFew`], in the given order, for
    /// tables that list each group by name and say which are too small.
    pub fn label_groups<K, T>(
        &self,
        groups: impl IntoIterator<Item = (K, usize, T)>,
    ) -> Vec<(K, Suppressed<T>)> {
        groups
            .into_iter()
            .map(|(k, n, t)| (k, self.figure(n, || t)))
            .collect()
    }
}
