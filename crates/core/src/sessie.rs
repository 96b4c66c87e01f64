//! Live sessions ("whole system in the room"): the rules of phases, join codes,
//! perspectives, statements, votes and dot-voting. The web layer parses raw input
//! into these types; the store persists them; nothing here does I/O or reads a clock.

use crate::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub mod moderation;
pub mod participant;
pub mod results;
pub mod room;
pub mod shortlist;
pub mod tally;

pub use moderation::{
    ballot, carried_over, check_merge, BallotEdit, MergeError, MergeSide, SessionLogAction,
};
pub use results::{compare_results, dot_totals, top_by_dots};
pub use shortlist::{shortlist, ShortlistCandidates};
pub use tally::{rank_enough_first, Divide, GroupAgreement, Tallies, Tally};

/// The phases a facilitator steers a session through, in their usual order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Participants submit short statements: obstacles, ideas.
    Inbreng,
    /// Agree / disagree / pass on each other's statements, one at a time.
    Stemmen,
    /// Dot-voting on a shortlist.
    Prioriteren,
    /// Results and agreed next steps.
    Afronden,
}

impl Phase {
    pub const ALL: [Phase; 4] = [
        Self::Inbreng,
        Self::Stemmen,
        Self::Prioriteren,
        Self::Afronden,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Inbreng => "inbreng",
            Self::Stemmen => "stemmen",
            Self::Prioriteren => "prioriteren",
            Self::Afronden => "afronden",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s.trim())
    }

    fn index(self) -> usize {
        self as usize
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PhaseState {
    #[default]
    NotStarted,
    Open,
    Paused,
    Closed,
}

impl PhaseState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotStarted => "not_started",
            Self::Open => "open",
            Self::Paused => "paused",
            Self::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s.trim())
    }

    pub const ALL: [PhaseState; 4] = [Self::NotStarted, Self::Open, Self::Paused, Self::Closed];

    /// The facilitator's actions from this state, in the order the console shows
    /// them. The single source for both the buttons and [`Phases::apply`], so a
    /// button is never shown for a change that would be refused, nor the reverse.
    pub fn allowed_actions(self) -> &'static [PhaseAction] {
        match self {
            Self::NotStarted => &[PhaseAction::Open],
            Self::Open => &[PhaseAction::Pause, PhaseAction::Close],
            Self::Paused => &[PhaseAction::Open, PhaseAction::Close],
            Self::Closed => &[PhaseAction::Reopen],
        }
    }

    pub fn allows(self, action: PhaseAction) -> bool {
        self.allowed_actions().contains(&action)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PhaseAction {
    Open,
    Pause,
    Close,
    Reopen,
}

impl PhaseAction {
    pub const ALL: [PhaseAction; 4] = [Self::Open, Self::Pause, Self::Close, Self::Reopen];

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "open" => Some(Self::Open),
            "pause" => Some(Self::Pause),
            "close" => Some(Self::Close),
            "reopen" => Some(Self::Reopen),
            _ => None,
        }
    }

    /// The form value, also the suffix of its label key (`phase-action-open`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Pause => "pause",
            Self::Close => "close",
            Self::Reopen => "reopen",
        }
    }

    /// The state a phase is in after this action.
    pub fn target(self) -> PhaseState {
        match self {
            Self::Open | Self::Reopen => PhaseState::Open,
            Self::Pause => PhaseState::Paused,
            Self::Close => PhaseState::Closed,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SessieError {
    #[error("this phase change is not possible from the phase's current state")]
    InvalidTransition,
    #[error("the phase is not open")]
    PhaseNotOpen,
    #[error("more dots than the budget allows")]
    OverBudget,
    #[error("no dot to take away from this statement")]
    NoDotToTake,
    #[error("the session is read-only")]
    ReadOnly,
}

/// The state of every phase. At most one phase is open at a time: opening one pauses
/// whichever was open, so the room is never asked to do two things at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Phases {
    states: [PhaseState; 4],
}

impl Phases {
    pub fn from_states(states: [PhaseState; 4]) -> Self {
        Self { states }
    }

    pub fn states(&self) -> [PhaseState; 4] {
        self.states
    }

    pub fn state(&self, phase: Phase) -> PhaseState {
        self.states[phase.index()]
    }

    /// The open phase, if any.
    pub fn current(&self) -> Option<Phase> {
        Phase::ALL
            .into_iter()
            .find(|p| self.state(*p) == PhaseState::Open)
    }

    pub fn is_open(&self, phase: Phase) -> bool {
        self.state(phase) == PhaseState::Open
    }

    /// The actions the console offers for `phase` now.
    pub fn allowed_actions(&self, phase: Phase) -> &'static [PhaseAction] {
        self.state(phase).allowed_actions()
    }

    /// The state a phase is shown in. Opening the next phase pauses the one
    /// before it; once a later phase has started, that earlier phase has ended
    /// for the room, so it reads closed.
    pub fn shown_state(&self, phase: Phase) -> PhaseState {
        let st = self.state(phase);
        let later_started = Phase::ALL
            .iter()
            .filter(|q| **q > phase)
            .any(|q| self.state(*q) != PhaseState::NotStarted);
        if st == PhaseState::Paused && later_started {
            PhaseState::Closed
        } else {
            st
        }
    }

    /// The actions the console offers for `phase` as it is shown: a phase shown
    /// closed offers only to open it again (for a paused one that is `Open`,
    /// which `apply` accepts), never to close it once more.
    pub fn shown_actions(&self, phase: Phase) -> &'static [PhaseAction] {
        match (self.state(phase), self.shown_state(phase)) {
            (PhaseState::Paused, PhaseState::Closed) => &[PhaseAction::Open],
            (st, _) => st.allowed_actions(),
        }
    }

    /// Applies a facilitator's action, returning the new states.
    pub fn apply(&self, phase: Phase, action: PhaseAction) -> Result<Phases, SessieError> {
        use PhaseState::*;
        let mut next = *self;
        if !self.state(phase).allows(action) {
            return Err(SessieError::InvalidTransition);
        }
        let to = action.target();
        if to == Open {
            for s in next.states.iter_mut() {
                if *s == Open {
                    *s = Paused;
                }
            }
        }
        next.states[phase.index()] = to;
        Ok(next)
    }

    /// Checks that `phase` accepts participants' input now.
    pub fn require_open(&self, phase: Phase) -> Result<(), SessieError> {
        if self.is_open(phase) {
            Ok(())
        } else {
            Err(SessieError::PhaseNotOpen)
        }
    }

    /// Checks that participants may send input for `phase` (statements, votes,
    /// dots) in a session that may be read-only. Read-only is reported first: an
    /// imported session never opens again, whatever its phases say.
    pub fn accepts_input(&self, phase: Phase, read_only: bool) -> Result<(), SessieError> {
        if read_only {
            return Err(SessieError::ReadOnly);
        }
        self.require_open(phase)
    }

    /// Applies a facilitator's action to a session that may be read-only, which
    /// refuses every phase change.
    pub fn change(
        &self,
        phase: Phase,
        action: PhaseAction,
        read_only: bool,
    ) -> Result<Phases, SessieError> {
        if read_only {
            return Err(SessieError::ReadOnly);
        }
        self.apply(phase, action)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModerationMode {
    /// Statements appear only after a facilitator accepts them.
    Pre,
    /// Statements appear at once; a facilitator can take them out afterwards.
    Post,
}

impl ModerationMode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pre => "pre",
            Self::Post => "post",
        }
    }

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        match s.trim() {
            "pre" => Ok(Self::Pre),
            "post" => Ok(Self::Post),
            _ => Err(FieldError::new("moderation", "error-moderation")),
        }
    }
}

/// A short code participants type on their phone. Letters and digits that cannot be
/// mistaken for each other (no 0/O, 1/I/L).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct JoinCode(String);

impl JoinCode {
    pub const ALPHABET: &'static [u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    pub const LEN: usize = 6;

    /// Makes a code from random bytes supplied by the caller (the core has no RNG).
    pub fn from_random(bytes: [u8; Self::LEN]) -> Self {
        let n = Self::ALPHABET.len();
        Self(
            bytes
                .iter()
                .map(|b| Self::ALPHABET[*b as usize % n] as char)
                .collect(),
        )
    }

    /// Accepts what people type: any case, spaces or dashes in between. A refusal
    /// says what is wrong, because "invalid code" alone leaves someone squinting at
    /// the projector: nothing typed, a character no code contains (the confusable
    /// O/0/I/1/L first, as those are the usual slip), or the wrong length.
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let code: String = s
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{2010}'..='\u{2015}'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let refuse = |key| Err(FieldError::new("code", key));
        if code.is_empty() {
            return refuse("error-join-code-empty");
        }
        if code
            .chars()
            .any(|c| matches!(c, 'O' | '0' | 'I' | '1' | 'L'))
        {
            return refuse("error-join-code-confusable");
        }
        if !code.bytes().all(|b| Self::ALPHABET.contains(&b)) {
            return refuse("error-join-code-char");
        }
        match code.len().cmp(&Self::LEN) {
            std::cmp::Ordering::Less => refuse("error-join-code-short"),
            std::cmp::Ordering::Greater => refuse("error-join-code-long"),
            std::cmp::Ordering::Equal => Ok(Self(code)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The perspectives a facilitator expects when nothing else is said.
pub const DEFAULT_PERSPECTIVES: [&str; 8] = [
    "bestuur",
    "directie",
    "beleid",
    "informatievoorziening",
    "uitvoering",
    "toezicht",
    "ketenpartner",
    "inwoner",
];

/// A perspective in the room, e.g. "uitvoering".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Perspective(String);

impl Perspective {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let p = crate::organisation::collapse_whitespace(s);
        let len = p.chars().count();
        if len == 0 || len > 40 {
            return Err(FieldError::new("perspectives", "error-perspective"));
        }
        Ok(Self(p))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Parses the facilitator's list: one perspective per line (or comma separated),
/// duplicates dropped, 1 to 20 of them.
pub fn parse_perspectives(s: &str) -> Result<Vec<Perspective>, FieldError> {
    let mut out: Vec<Perspective> = vec![];
    for part in s.split(['\n', ',']) {
        if part.trim().is_empty() {
            continue;
        }
        let p = Perspective::parse(part)?;
        if !out
            .iter()
            .any(|q| q.as_str().eq_ignore_ascii_case(p.as_str()))
        {
            out.push(p);
        }
    }
    if out.is_empty() || out.len() > 20 {
        return Err(FieldError::new("perspectives", "error-perspectives-count"));
    }
    Ok(out)
}

/// A statement's text: trimmed, whitespace folded, 1 to `max_chars` characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementText(String);

impl StatementText {
    pub const DEFAULT_MAX_CHARS: usize = 140;

    /// The length the limit is judged on, so a refusal can quote the same number.
    pub fn counted_chars(s: &str) -> usize {
        crate::organisation::collapse_whitespace(s).chars().count()
    }

    pub fn parse(s: &str, max_chars: usize) -> Result<Self, FieldError> {
        let text = crate::organisation::collapse_whitespace(s);
        let len = text.chars().count();
        // A statement of zero-width spaces or blank-looking letters shows as an empty
        // card that people are asked to vote on; it is as empty as one of spaces.
        if len == 0 || !text.chars().any(is_visible) {
            return Err(FieldError::new("text", "error-statement-empty"));
        }
        if len > max_chars {
            return Err(FieldError::new("text", "error-statement-long"));
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether a character puts something on the screen by itself: not whitespace or a
/// control, not one of Unicode's default-ignorable code points (zero-width and bidi
/// marks, variation selectors, tags, Hangul fillers, …), not a blank that looks like
/// a letter (U+2800 BRAILLE PATTERN BLANK), and not a combining mark, which only
/// changes the character before it. The ranges follow Unicode 15's
/// `DerivedCoreProperties.txt` (Default_Ignorable_Code_Point) and the main blocks of
/// combining diacritical marks; core has no Unicode tables of its own.
fn is_visible(c: char) -> bool {
    let invisible = c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'..='\u{1160}'
                | '\u{17B4}'..='\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{2800}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFF8}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
                // Combining marks.
                | '\u{0300}'..='\u{036F}'
                | '\u{0483}'..='\u{0489}'
                | '\u{1AB0}'..='\u{1AFF}'
                | '\u{1DC0}'..='\u{1DFF}'
                | '\u{20D0}'..='\u{20FF}'
                | '\u{FE20}'..='\u{FE2F}'
        );
    !invisible
}

/// The longest statement a facilitator may allow, and the shortest: 20 to 1,000
/// characters (140 unless they choose otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MaxStatementChars(u32);

impl MaxStatementChars {
    pub const RANGE: std::ops::RangeInclusive<u32> = 20..=1000;

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        parse_in_range(s, Self::RANGE, "max_chars", "error-max-chars").map(Self)
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// Dots per participant for prioritising: 1 to 20 (5 unless chosen otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DotBudget(u32);

impl DotBudget {
    pub const RANGE: std::ops::RangeInclusive<u32> = 1..=20;

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        parse_in_range(s, Self::RANGE, "dots", "error-dots").map(Self)
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

fn parse_in_range(
    s: &str,
    range: std::ops::RangeInclusive<u32>,
    field: &'static str,
    key: &'static str,
) -> Result<u32, FieldError> {
    s.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or(FieldError::new(field, key))
}

/// At most this many seed statements when a session is created.
pub const MAX_SEEDS: usize = 200;

/// The facilitator's seed statements, one per line, blank lines skipped. The first
/// line that is not a valid statement stops the reading (one message is enough);
/// more than [`MAX_SEEDS`] is refused as well. Every error found is returned, so the
/// form can show them together with its other fields' errors.
pub fn parse_seeds(
    s: &str,
    max_chars: MaxStatementChars,
) -> Result<Vec<StatementText>, Vec<FieldError>> {
    let mut seeds = vec![];
    let mut errors = vec![];
    for line in s.lines().filter(|l| !l.trim().is_empty()) {
        match StatementText::parse(line, max_chars.get() as usize) {
            Ok(t) => seeds.push(t),
            Err(_) => {
                errors.push(FieldError::new("seeds", "error-seed-long"));
                break;
            }
        }
    }
    if seeds.len() > MAX_SEEDS {
        errors.push(FieldError::new("seeds", "error-seed-count"));
    }
    if errors.is_empty() {
        Ok(seeds)
    } else {
        Err(errors)
    }
}

/// How long a join code works after creation, or after the facilitator extends it.
pub const JOIN_CODE_DAYS: i64 = 14;

/// Why someone cannot join a session now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum JoinRefusal {
    /// An imported or archived session: nobody joins it any more.
    #[error("the session is read-only")]
    ReadOnly,
    /// The join window has closed (expired, or closed by the facilitator).
    #[error("joining has closed")]
    Closed,
}

/// The end of the join window when it is opened or extended at `now`.
pub fn join_open_until(now: crate::Timestamp) -> crate::Timestamp {
    now.saturating_add(JOIN_CODE_DAYS * 86_400)
}

/// Whether the join window is open at `now`; it closes at `until` itself.
pub fn join_is_open(until: crate::Timestamp, now: crate::Timestamp) -> bool {
    until > now
}

/// Whether a participant may join now. Read-only is reported first, since it is the
/// lasting reason.
pub fn check_join(
    read_only: bool,
    join_open_until: crate::Timestamp,
    now: crate::Timestamp,
) -> Result<(), JoinRefusal> {
    if read_only {
        return Err(JoinRefusal::ReadOnly);
    }
    if !join_is_open(join_open_until, now) {
        return Err(JoinRefusal::Closed);
    }
    Ok(())
}

/// The session's case (*opgave*) title: whitespace folded, 3 to 120 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SessionTitle(String);

impl SessionTitle {
    pub const MIN_CHARS: usize = 3;
    pub const MAX_CHARS: usize = 120;

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let t = crate::organisation::collapse_whitespace(s);
        let len = t.chars().count();
        if !(Self::MIN_CHARS..=Self::MAX_CHARS).contains(&len) {
            return Err(FieldError::new("title", "error-session-title"));
        }
        Ok(Self(t))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// The session's case title as a plain string; [`SessionTitle::parse`] is the same
/// rule with a type that says it was checked.
pub fn parse_title(s: &str) -> Result<String, FieldError> {
    SessionTitle::parse(s).map(SessionTitle::into_inner)
}

/// The name a participant may give on joining. Optional: empty means they take part
/// without one, and the name is never shown with their statements or votes.
/// Whitespace is folded; at most 40 characters, and control characters are refused
/// rather than silently dropped, since the name is stored as typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ParticipantName(String);

impl ParticipantName {
    pub const MAX_CHARS: usize = 40;

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let name = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.chars().count() > Self::MAX_CHARS || name.chars().any(char::is_control) {
            return Err(FieldError::new("display_name", "error-join-name"));
        }
        Ok(Self(name))
    }

    /// The name, or "" for a participant who gave none (as the store keeps it).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_anonymous(&self) -> bool {
        self.0.is_empty()
    }
}

/// An agreed next step (*afspraak*) as a facilitator adds or edits it: what, and who
/// takes it on. The text is 1 to 300 characters, the owner (optional) at most 100,
/// both trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NextStepDraft {
    text: String,
    owner: String,
}

impl NextStepDraft {
    pub const MAX_TEXT_CHARS: usize = 300;
    pub const MAX_OWNER_CHARS: usize = 100;

    /// The first problem is reported, on the field it is about: the form shows one
    /// message at a time next to the console's step fields.
    pub fn parse(text: &str, owner: &str) -> Result<Self, FieldError> {
        let text = text.trim();
        let owner = owner.trim();
        if text.is_empty() {
            return Err(FieldError::new("step_text", "error-step-empty"));
        }
        if text.chars().count() > Self::MAX_TEXT_CHARS {
            return Err(FieldError::new("step_text", "error-step-long"));
        }
        if owner.chars().count() > Self::MAX_OWNER_CHARS {
            return Err(FieldError::new("owner", "error-step-owner-long"));
        }
        Ok(Self {
            text: text.to_owned(),
            owner: owner.to_owned(),
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Who takes the step on; "" when nobody was named.
    pub fn owner(&self) -> &str {
        &self.owner
    }
}

/// The case description: up to 2,000 characters, line breaks kept.
pub fn parse_description(s: &str) -> Result<String, FieldError> {
    let d = s.trim().replace("\r\n", "\n");
    if d.chars().count() > 2000 || d.chars().any(|c| c.is_control() && c != '\n') {
        return Err(FieldError::new("description", "error-session-description"));
    }
    Ok(d)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VoteChoice {
    Agree,
    Disagree,
    Pass,
}

impl VoteChoice {
    /// The Pol.is export convention: agree = +1, disagree = -1, pass = 0.
    pub fn value(self) -> i16 {
        match self {
            Self::Agree => 1,
            Self::Disagree => -1,
            Self::Pass => 0,
        }
    }

    pub fn from_value(v: i16) -> Option<Self> {
        match v {
            1 => Some(Self::Agree),
            -1 => Some(Self::Disagree),
            0 => Some(Self::Pass),
            _ => None,
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "agree" | "eens" => Some(Self::Agree),
            "disagree" | "oneens" => Some(Self::Disagree),
            "pass" | "overslaan" => Some(Self::Pass),
            _ => None,
        }
    }
}

/// Checks a participant's dot allocation against the budget. Zero entries are
/// dropped; a negative number or a sum over the budget is refused.
pub fn check_dots(
    allocation: &BTreeMap<i64, i64>,
    budget: u32,
) -> Result<BTreeMap<i64, u32>, SessieError> {
    let mut out = BTreeMap::new();
    let mut total: i64 = 0;
    for (&statement, &dots) in allocation {
        if dots < 0 {
            return Err(SessieError::OverBudget);
        }
        total = total.saturating_add(dots);
        if dots > 0 {
            out.insert(
                statement,
                u32::try_from(dots).map_err(|_| SessieError::OverBudget)?,
            );
        }
    }
    if total > i64::from(budget) {
        return Err(SessieError::OverBudget);
    }
    Ok(out)
}

/// Words that suggest a statement needs a facilitator's look. A hint only: the
/// facilitator decides; Koers never rejects a statement on its own.
///
/// Dutch glues swear words into compounds ("kutsmoes", "kloteweer",
/// "zeiklul"), so a whole-word match misses most of them. Matching every word
/// as a substring would flag innocent words instead ("hoera" holds "hoer",
/// "versleten" holds "slet", "catering" holds "tering", "borstkanker" is a
/// disease). So each word has its own place where it may match, chosen by
/// how often it occurs innocently inside other words:
///
/// Anywhere inside a word: stems that (almost) never occur innocently.
const PROFANITY_ANYWHERE: &[&str] = &[
    "klote",
    "kloot",
    "tyfus",
    "kolere",
    "godverdomme",
    "godver",
    "kankerlijer",
    "teringlijer",
    "tyfuslijer",
    "mongool",
    "debiel",
    "sukkel",
    "idioot",
    "fuck",
    "shit",
    "bitch",
    "asshole",
    "cunt",
    "whore",
];

/// At the start of a word: swear words Dutch uses as an intensifying prefix
/// ("kutsmoes", "teringherrie"). Not "kanker": "kankeronderzoek" and
/// "kankerpatiënt" are ordinary words in a discussion about health care.
const PROFANITY_PREFIX: &[&str] = &["kut", "tering"];

/// At the end of a word: swear words that end a compound ("zeiklul",
/// "straathoer"). Not at the start: "hoera", "Eikelenboom".
const PROFANITY_SUFFIX: &[&str] = &["lul", "hoer", "eikel"];

/// Only as a whole word: short words that occur inside innocent words
/// ("truth", "scrap", "amsterdam", "versleten", "flikkerend licht").
const PROFANITY_EXACT: &[&str] = &[
    "kanker", "flikker", "trut", "slet", "bastard", "dick", "idiot", "moron", "retard", "crap",
    "damn",
];

/// Lower case without accents, so "kLoTé" and "klote" are the same word.
fn normalise_word(w: &str) -> String {
    w.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            c => c,
        })
        .collect()
}

pub fn profanity_hint(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(normalise_word)
        .any(|w| {
            PROFANITY_EXACT.contains(&w.as_str())
                || PROFANITY_SUFFIX.iter().any(|p| w.ends_with(p))
                || PROFANITY_PREFIX.iter().any(|p| w.starts_with(p))
                || PROFANITY_ANYWHERE.iter().any(|p| w.contains(p))
        })
}
