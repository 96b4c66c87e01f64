//! The room screen (the projector): which phase it shows, whether a phase's
//! results are hidden until the facilitator reveals them, the countdown, and
//! whether the join code on it still works. Pure rules; the store keeps the
//! settings and the web layer renders them.

use super::{check_join, Phase, PhaseState, Phases};
use crate::{FieldError, Timestamp};
use std::collections::BTreeSet;

/// What the room screen shows: the open phase (the default), or one phase the
/// facilitator picked by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScreenView {
    #[default]
    Follow,
    Fixed(Phase),
}

impl ScreenView {
    /// The stored and posted form: "" (or "volgen") follows, else a phase name.
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        match s.trim() {
            "" | "volgen" => Ok(Self::Follow),
            other => Phase::parse(other)
                .map(Self::Fixed)
                .ok_or(FieldError::new("view", "error-room-view")),
        }
    }

    /// The stored form; "" follows the phase.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Follow => "",
            Self::Fixed(p) => p.as_str(),
        }
    }

    /// The phase on the screen. Following, that is the open phase; with none open,
    /// the latest phase that has started (so the room keeps seeing where it got
    /// to during a pause or after the end); before anything started, none.
    pub fn shown(self, phases: &Phases) -> Option<Phase> {
        match self {
            Self::Fixed(p) => Some(p),
            Self::Follow => phases.current().or_else(|| {
                Phase::ALL
                    .into_iter()
                    .rev()
                    .find(|p| phases.state(*p) != PhaseState::NotStarted)
            }),
        }
    }
}

/// The phases whose results the room does not see yet. Hiding is per phase:
/// revealing the votes' results does not also show the dots of a later phase as
/// they come in, and hiding one phase leaves the others as they are.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HiddenResults(BTreeSet<Phase>);

impl HiddenResults {
    /// From the stored form: phase names separated by commas; unknown names are
    /// left out (a value written by a newer Koers).
    pub fn from_stored(s: &str) -> Self {
        Self(s.split(',').filter_map(Phase::parse).collect())
    }

    pub fn to_stored(&self) -> String {
        self.0
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn hides(&self, phase: Phase) -> bool {
        self.0.contains(&phase)
    }

    pub fn set(&mut self, phase: Phase, hidden: bool) {
        if hidden {
            self.0.insert(phase);
        } else {
            self.0.remove(&phase);
        }
    }
}

/// A countdown length as the facilitator types or picks it: whole minutes, 1 to 60.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountdownMinutes(u32);

impl CountdownMinutes {
    pub const MAX: u32 = 60;
    /// The buttons the console offers.
    pub const PRESETS: [u32; 5] = [1, 2, 3, 5, 10];

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let n: u32 = s
            .trim()
            .parse()
            .map_err(|_| FieldError::new("minutes", "error-countdown-minutes"))?;
        if (1..=Self::MAX).contains(&n) {
            Ok(Self(n))
        } else {
            Err(FieldError::new("minutes", "error-countdown-minutes"))
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// The countdown for `phase` started at `now`.
    pub fn start(self, phase: Phase, now: Timestamp) -> Countdown {
        Countdown {
            phase,
            ends_at: now.saturating_add(i64::from(self.0) * 60),
        }
    }
}

/// A running countdown: it belongs to the phase that was open when it started, and
/// ends at a moment in UTC seconds (stored, so every instance and a restart agree).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Countdown {
    pub phase: Phase,
    pub ends_at: Timestamp,
}

impl Countdown {
    /// Whether it is shown while `current` is open: only in its own phase, so a
    /// countdown of a phase that ended does not follow the room into the next one.
    pub fn applies_to(&self, current: Option<Phase>) -> bool {
        current == Some(self.phase)
    }

    /// Seconds left at `now`; zero once the time is up.
    pub fn remaining(&self, now: Timestamp) -> u64 {
        u64::try_from(self.ends_at.saturating_sub(now)).unwrap_or(0)
    }
}

/// Seconds as the clock on the screen shows them: "4:05", "12:00", "0:00".
pub fn clock(seconds: u64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// Whether a join code shown to the room still lets people in: the join window is
/// open, the session is not an imported archive, and it has not finished (its last
/// phase closed). Otherwise the room sees "joining is closed" instead of a dead code.
pub fn joining_open(
    read_only: bool,
    phases: &Phases,
    join_open_until: Timestamp,
    now: Timestamp,
) -> bool {
    check_join(read_only, join_open_until, now).is_ok()
        && phases.state(Phase::Afronden) != PhaseState::Closed
}
