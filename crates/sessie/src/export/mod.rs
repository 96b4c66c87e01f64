//! Results exports of a live session ("Sessie"): CSV, ODS and XLSX for people,
//! and the Pol.is CSV format for tools (`koers consensus`, Pol.is's own
//! notebooks, red-dwarf).
//!
//! Everything here is pure apart from [`SessionData::load`]: the route reads a
//! [`SessionData`] once and hands it to whichever writer the URL asks for.
//!
//! ```text
//! let mut data = SessionData::load(&store, &session).await?;
//! let _ = data.analyse();                      // optional: opinion groups
//! let sheets = results_workbook(&data, locale, &rule);
//! sheet_csv(&sheets[0], csv_style(locale))     // export.csv  (text/csv)
//! workbook_ods(&sheets)?                       // export.ods
//! workbook_xlsx(&sheets)?                      // export.xlsx
//! polis::polis_export(&data, url).zip()?       // polis.zip
//! ```
//!
//! The files are written by the shared `koers-tables` writers; this module only
//! decides what goes in the sheets. Votes are counted by the core's one tally
//! ([`Tallies`]), and every figure per perspective or per opinion group goes
//! through the anonymity rule: a group below the threshold gets no column and no
//! row at all (never an "other" column it could be subtracted from), and a cell
//! with fewer votes behind it than the threshold is left empty.

pub mod polis;

use koers_consensus::{Analysis, AnalysisError};
use koers_core::anonymity::AnonymityRule;
use koers_core::sessie::{dot_totals, Tallies, VoteChoice};
use koers_core::{StatementId, Timestamp};
use koers_store::{
    LiveSession, NextStep, ParticipantRow, SessionStatement, StatementStatus, Store, StoreError,
    VoteRow,
};
use koers_tables::csv::CsvStyle;
pub use koers_tables::{Cell, Sheet, TableError};
use koers_web::i18n::Locale;
use std::collections::{BTreeMap, BTreeSet};

/// The CSV flavour a locale's spreadsheet program opens with a double click.
pub fn csv_style(locale: Locale) -> CsvStyle {
    match locale {
        Locale::Nl => CsvStyle::DUTCH,
        Locale::En => CsvStyle::ENGLISH,
    }
}

/// Everything an export needs, read from the store in one go. Fields are
/// public so that a caller holding fresher engine results can set `groups`
/// and `group_informed_consensus` itself.
#[derive(Debug, Clone, Default)]
pub struct SessionData {
    pub title: String,
    pub description: String,
    /// The perspectives the facilitator declared, in their order.
    pub perspectives: Vec<String>,
    /// Source and licence text (imported sessions); empty for our own.
    pub attribution: String,
    pub created_at: Timestamp,
    /// Ordered by id.
    pub participants: Vec<ParticipantRow>,
    /// Ordered by id; all statuses.
    pub statements: Vec<SessionStatement>,
    /// The latest vote per participant and statement.
    pub votes: Vec<VoteRow>,
    /// (statement id, participant id, dots).
    pub dots: Vec<(i64, i64, i64)>,
    pub next_steps: Vec<NextStep>,
    /// Participant id → opinion group id, when groups were computed.
    pub groups: Option<BTreeMap<i64, u32>>,
    /// Statement id → group-informed consensus (the product over groups of
    /// (agrees + 1) / (votes + 2)), when groups were computed.
    pub group_informed_consensus: BTreeMap<i64, f64>,
}

impl SessionData {
    /// Reads a session's participants, statements, votes, dots and next steps.
    /// No groups yet: call [`SessionData::analyse`] or
    /// [`SessionData::attach_analysis`] for those.
    pub async fn load(store: &Store, session: &LiveSession) -> Result<SessionData, StoreError> {
        let id = session.scope;
        Ok(SessionData {
            title: session.title.clone(),
            description: session.description.clone(),
            perspectives: session.perspectives.clone(),
            attribution: session.attribution.clone(),
            created_at: session.created_at,
            participants: store.sessie().participants(id).await?,
            statements: store.sessie().statements(id).await?,
            votes: store.sessie().votes(id).await?,
            dots: store.sessie().dots(id).await?,
            next_steps: store.sessie().next_steps(id).await?,
            groups: None,
            group_informed_consensus: BTreeMap::new(),
        })
    }

    /// Runs the consensus engine from scratch on this data (one cold update,
    /// store ids as the engine's voter and statement ids) and keeps its groups
    /// and group-informed consensus. Fails, leaving the data as it was, when
    /// there is too little to group (e.g. one participant); exports work
    /// without groups, so callers may ignore the error.
    pub fn analyse(&mut self) -> Result<(), AnalysisError> {
        use koers_consensus::{EngineConfig, Export, Statement, Vote, VoteEvent, VoteSource};
        let votes = self
            .votes
            .iter()
            .filter_map(|v| {
                Some(VoteEvent {
                    time: v.voted_at,
                    voter: u64::try_from(v.participant_id).ok()?,
                    statement: u64::try_from(v.statement_id).ok()?,
                    vote: match VoteChoice::from_value(v.vote)? {
                        VoteChoice::Agree => Vote::Agree,
                        VoteChoice::Disagree => Vote::Disagree,
                        VoteChoice::Pass => Vote::Pass,
                    },
                })
            })
            .collect();
        let statements = self
            .statements
            .iter()
            .filter_map(|s| {
                Some(Statement {
                    id: u64::try_from(s.id.0).ok()?,
                    text: s.text.clone(),
                    moderated_out: s.status != StatementStatus::Accepted,
                    is_meta: false,
                })
            })
            .collect();
        let perspectives: BTreeMap<u64, String> = self
            .participants
            .iter()
            .filter_map(|p| Some((u64::try_from(p.id).ok()?, p.perspective.clone())))
            .collect();
        let export = Export {
            votes,
            statements,
            source: VoteSource::EventLog,
        };
        let (_, analysis) =
            koers_consensus::analyse(&export, &EngineConfig::default(), Some(&perspectives))?;
        self.attach_analysis(&analysis);
        Ok(())
    }

    /// Takes groups and group-informed consensus from an engine result whose
    /// voter ids are participant ids and statement ids are statement ids (the
    /// convention [`SessionData::analyse`] uses too).
    pub fn attach_analysis(&mut self, analysis: &Analysis) {
        let mut groups = BTreeMap::new();
        for g in &analysis.groups {
            for m in &g.members {
                if let Ok(p) = i64::try_from(*m) {
                    groups.insert(p, g.id);
                }
            }
        }
        self.groups = Some(groups);
        self.group_informed_consensus = analysis
            .group_informed_consensus
            .iter()
            .filter_map(|(s, c)| Some((i64::try_from(*s).ok()?, *c)))
            .collect();
    }

    /// The perspectives to report on: the declared ones in their order, then
    /// any other that participants hold (e.g. "onbekend" after an import),
    /// alphabetically.
    pub fn perspective_order(&self) -> Vec<String> {
        let mut order = self.perspectives.clone();
        let extra: BTreeSet<&str> = self
            .participants
            .iter()
            .map(|p| p.perspective.as_str())
            .filter(|p| !self.perspectives.iter().any(|d| d == p))
            .collect();
        order.extend(extra.into_iter().map(str::to_owned));
        order
    }

    /// The opinion groups' ids in order, empty without groups.
    pub fn group_ids(&self) -> Vec<u32> {
        let set: BTreeSet<u32> = self
            .groups
            .iter()
            .flat_map(|g| g.values().copied())
            .collect();
        set.into_iter().collect()
    }

    /// Every current vote, counted per statement overall and per perspective.
    /// A vote whose participant is unknown counts overall only.
    pub fn perspective_tallies(&self) -> Tallies<String> {
        let perspective_of: BTreeMap<i64, &str> = self
            .participants
            .iter()
            .map(|p| (p.id, p.perspective.as_str()))
            .collect();
        Tallies::from_votes(self.votes.iter().filter_map(|v| {
            let choice = VoteChoice::from_value(v.vote)?;
            let perspective = perspective_of
                .get(&v.participant_id)
                .map(|p| (*p).to_owned());
            Some((StatementId(v.statement_id), perspective, choice))
        }))
    }

    /// Every current vote, counted per statement overall and per opinion group
    /// (none without groups).
    pub fn group_tallies(&self) -> Tallies<u32> {
        Tallies::from_votes(self.votes.iter().filter_map(|v| {
            let choice = VoteChoice::from_value(v.vote)?;
            let group = self
                .groups
                .as_ref()
                .and_then(|g| g.get(&v.participant_id))
                .copied();
            Some((StatementId(v.statement_id), group, choice))
        }))
    }

    /// The perspectives with enough participants for figures under `rule`, in
    /// [`SessionData::perspective_order`]. The others are left out of every
    /// sheet, not summed into another line.
    pub fn visible_perspectives(&self, rule: &AnonymityRule) -> Vec<String> {
        let order = self.perspective_order();
        let sizes = order.iter().map(|name| {
            let n = self
                .participants
                .iter()
                .filter(|p| p.perspective == *name)
                .count();
            (name.clone(), n, ())
        });
        rule.visible_groups(sizes)
            .into_iter()
            .map(|(name, ())| name)
            .collect()
    }

    /// The opinion groups with enough members for figures under `rule`, in
    /// [`SessionData::group_ids`] order; a smaller group is left out entirely.
    pub fn visible_group_ids(&self, rule: &AnonymityRule) -> Vec<u32> {
        let sizes = self.group_ids().into_iter().map(|id| {
            let n = self
                .groups
                .iter()
                .flat_map(|g| g.values())
                .filter(|g| **g == id)
                .count();
            (id, n, ())
        });
        rule.visible_groups(sizes)
            .into_iter()
            .map(|(id, ())| id)
            .collect()
    }

    /// Dots per statement, summed over the participants.
    pub fn dot_totals(&self) -> BTreeMap<StatementId, i64> {
        dot_totals(self.dots.iter().map(|(s, _, n)| (StatementId(*s), *n)))
    }
}

/// Picks the Dutch or English form of a label.
fn t(locale: Locale, nl: &'static str, en: &'static str) -> &'static str {
    match locale {
        Locale::Nl => nl,
        Locale::En => en,
    }
}

fn status_label(status: StatementStatus, locale: Locale) -> &'static str {
    match status {
        StatementStatus::Accepted => t(locale, "geaccepteerd", "accepted"),
        StatementStatus::Rejected => t(locale, "afgewezen", "rejected"),
        StatementStatus::Pending => t(locale, "in afwachting", "pending"),
        StatementStatus::Merged => t(locale, "samengevoegd", "merged"),
    }
}

/// How groups are named in the interface: A, B, C, … as in Pol.is.
pub fn group_label(id: u32) -> String {
    match u8::try_from(id) {
        Ok(n) if n < 26 => char::from(b'A' + n).to_string(),
        _ => format!("G{id}"),
    }
}

/// The results as sheets, Dutch headers first:
/// 1. statements with counts, % agree, dots, status, per-perspective (and,
///    with groups, per-group) agree share and group-informed consensus;
/// 2. participants per perspective;
/// 3. next steps;
/// 4. the session itself, with its source and licence text.
///
/// Statement numbers count from 1, as everywhere in Koers: the `comment-id`
/// of the Pol.is export ([`polis::PolisIds`]) plus one, since Pol.is's own
/// format counts from 0 and keeps its ids for a round trip. Figures per perspective and per
/// opinion group follow `rule` (see the module documentation).
pub fn results_workbook(data: &SessionData, locale: Locale, rule: &AnonymityRule) -> Vec<Sheet> {
    vec![
        statements_sheet(data, locale, rule),
        perspectives_sheet(data, locale, rule),
        next_steps_sheet(data, locale),
        session_sheet(data, locale, rule),
    ]
}

/// Sheet 1: the statements.
pub fn statements_sheet(data: &SessionData, locale: Locale, rule: &AnonymityRule) -> Sheet {
    let perspectives = data.visible_perspectives(rule);
    let groups = data.visible_group_ids(rule);
    let by_perspective = data.perspective_tallies();
    let by_group = data.group_tallies();
    let dots = data.dot_totals();
    let ids = polis::PolisIds::new(data);
    let mut header = vec![
        Cell::text(t(locale, "Nr", "No.")),
        Cell::text(t(locale, "Stelling", "Statement")),
        Cell::text(t(locale, "Status", "Status")),
        Cell::text(t(locale, "Eens", "Agree")),
        Cell::text(t(locale, "Oneens", "Disagree")),
        Cell::text(t(locale, "Overgeslagen", "Pass")),
        Cell::text(t(locale, "Totaal", "Total")),
        Cell::text(t(locale, "% eens", "% agree")),
        Cell::text(t(locale, "Stippen", "Dots")),
    ];
    if data.groups.is_some() {
        header.push(Cell::text(t(
            locale,
            "Groepsconsensus",
            "Group-informed consensus",
        )));
    }
    for p in &perspectives {
        header.push(Cell::Text(format!(
            "{} {p}",
            t(locale, "% eens", "% agree")
        )));
    }
    for g in &groups {
        header.push(Cell::Text(format!(
            "{} {}",
            t(locale, "% eens groep", "% agree group"),
            group_label(*g)
        )));
    }
    let mut rows = vec![header];
    for statement in &data.statements {
        let id = statement.id;
        let tally = by_perspective.statement(id);
        let number = ids.statement(id.0).map_or(Cell::Empty, |n| {
            i64::try_from(n)
                .ok()
                .and_then(|n| n.checked_add(1))
                .map_or(Cell::Empty, Cell::Int)
        });
        let mut row = vec![
            number,
            Cell::text(statement.text.clone()),
            Cell::text(status_label(statement.status, locale)),
            Cell::count(tally.agree),
            Cell::count(tally.disagree),
            Cell::count(tally.pass),
            Cell::count(tally.total()),
            Cell::maybe(tally.percent_agree()),
            Cell::count(dots.get(&id).copied().unwrap_or(0)),
        ];
        if data.groups.is_some() {
            row.push(Cell::maybe(
                data.group_informed_consensus
                    .get(&id.0)
                    .map(|c| (c * 10_000.0).round() / 10_000.0),
            ));
        }
        // A cell with too few votes behind it stays empty, even in a column
        // whose group is large enough.
        row.extend(perspectives.iter().map(|p| {
            Cell::maybe(
                by_perspective
                    .group_figure(id, p.as_str(), rule)
                    .shown()
                    .and_then(|t| t.percent_agree()),
            )
        }));
        row.extend(groups.iter().map(|g| {
            Cell::maybe(
                by_group
                    .group_figure(id, g, rule)
                    .shown()
                    .and_then(|t| t.percent_agree()),
            )
        }));
        rows.push(row);
    }
    Sheet {
        name: t(locale, "Stellingen", "Statements").to_owned(),
        rows,
    }
}

/// Sheet 2: participants per perspective (and, with groups, per group). Only
/// perspectives and groups large enough under `rule` are listed, and a
/// perspective's count in a group is left empty when that intersection is too
/// small; the total row adds up what is listed, so nothing left out can be
/// recovered by subtracting.
pub fn perspectives_sheet(data: &SessionData, locale: Locale, rule: &AnonymityRule) -> Sheet {
    let order = data.visible_perspectives(rule);
    let groups = data.visible_group_ids(rule);
    let mut header = vec![
        Cell::text(t(locale, "Perspectief", "Perspective")),
        Cell::text(t(locale, "Deelnemers", "Participants")),
        Cell::text(t(
            locale,
            "Deelnemers die stemden",
            "Participants who voted",
        )),
        Cell::text(t(locale, "Stemmen", "Votes")),
        Cell::text(t(locale, "Ingediende stellingen", "Statements submitted")),
    ];
    for g in &groups {
        header.push(Cell::Text(format!(
            "{} {}",
            t(locale, "In groep", "In group"),
            group_label(*g)
        )));
    }
    #[derive(Default, Clone)]
    struct Row {
        participants: i64,
        voters: i64,
        votes: i64,
        statements: i64,
        groups: Vec<i64>,
    }
    let mut per = vec![
        Row {
            groups: vec![0; groups.len()],
            ..Row::default()
        };
        order.len()
    ];
    let mut votes_of: BTreeMap<i64, i64> = BTreeMap::new();
    for v in &data.votes {
        *votes_of.entry(v.participant_id).or_default() += 1;
    }
    let mut authored: BTreeMap<i64, i64> = BTreeMap::new();
    for s in &data.statements {
        if let Some(p) = s.participant_id {
            *authored.entry(p.0).or_default() += 1;
        }
    }
    for p in &data.participants {
        let Some(i) = order.iter().position(|o| *o == p.perspective) else {
            continue;
        };
        let row = &mut per[i];
        row.participants += 1;
        let n = votes_of.get(&p.id).copied().unwrap_or(0);
        if n > 0 {
            row.voters += 1;
        }
        row.votes += n;
        row.statements += authored.get(&p.id).copied().unwrap_or(0);
        let group = data.groups.as_ref().and_then(|g| g.get(&p.id));
        if let Some(g) = group.and_then(|g| groups.iter().position(|x| x == g)) {
            row.groups[g] += 1;
        }
    }
    let in_group = |n: i64| rule.figure(usize::try_from(n).unwrap_or(0), || n).shown();
    let mut rows = vec![header];
    let mut total = Row {
        groups: vec![0; groups.len()],
        ..Row::default()
    };
    for (name, r) in order.iter().zip(&per) {
        let mut row = vec![
            Cell::text(name.clone()),
            Cell::Int(r.participants),
            Cell::Int(r.voters),
            Cell::Int(r.votes),
            Cell::Int(r.statements),
        ];
        row.extend(
            r.groups
                .iter()
                .map(|n| in_group(*n).map_or(Cell::Empty, Cell::Int)),
        );
        rows.push(row);
        total.participants += r.participants;
        total.voters += r.voters;
        total.votes += r.votes;
        total.statements += r.statements;
        for (t, n) in total.groups.iter_mut().zip(&r.groups) {
            *t += in_group(*n).unwrap_or(0);
        }
    }
    let mut row = vec![
        Cell::text(t(locale, "Totaal", "Total")),
        Cell::Int(total.participants),
        Cell::Int(total.voters),
        Cell::Int(total.votes),
        Cell::Int(total.statements),
    ];
    row.extend(total.groups.iter().map(|n| Cell::Int(*n)));
    rows.push(row);
    Sheet {
        name: t(locale, "Perspectieven", "Perspectives").to_owned(),
        rows,
    }
}

/// Sheet 3: the agreed next steps.
pub fn next_steps_sheet(data: &SessionData, locale: Locale) -> Sheet {
    let mut rows = vec![vec![
        Cell::text(t(locale, "Nr", "No.")),
        Cell::text(t(locale, "Volgende stap", "Next step")),
        Cell::text(t(locale, "Eigenaar", "Owner")),
        Cell::text(t(locale, "Toegevoegd op", "Added on")),
    ]];
    for (i, step) in data.next_steps.iter().enumerate() {
        rows.push(vec![
            Cell::Int(i64::try_from(i + 1).unwrap_or(i64::MAX)),
            Cell::text(step.text.clone()),
            Cell::text(step.owner.clone()),
            Cell::Text(iso_date(step.created_at)),
        ]);
    }
    Sheet {
        name: t(locale, "Volgende stappen", "Next steps").to_owned(),
        rows,
    }
}

/// Sheet 4: what the session was, and where its data came from. Figures for
/// the whole room; the opinion groups counted are those sheet 1 has columns for.
pub fn session_sheet(data: &SessionData, locale: Locale, rule: &AnonymityRule) -> Sheet {
    let accepted = data
        .statements
        .iter()
        .filter(|s| s.status == StatementStatus::Accepted)
        .count();
    let voters: BTreeSet<i64> = data.votes.iter().map(|v| v.participant_id).collect();
    let dots: i64 = data.dots.iter().map(|d| d.2).sum();
    let count = |n: usize| Cell::Int(i64::try_from(n).unwrap_or(i64::MAX));
    let mut rows = vec![
        vec![
            Cell::text(t(locale, "Gegeven", "Item")),
            Cell::text(t(locale, "Waarde", "Value")),
        ],
        vec![
            Cell::text(t(locale, "Titel", "Title")),
            Cell::text(data.title.clone()),
        ],
        vec![
            Cell::text(t(locale, "Beschrijving", "Description")),
            Cell::text(data.description.clone()),
        ],
        vec![
            Cell::text(t(locale, "Datum", "Date")),
            Cell::Text(iso_date(data.created_at)),
        ],
        vec![
            Cell::text(t(locale, "Perspectieven", "Perspectives")),
            Cell::Text(data.perspectives.join(", ")),
        ],
        vec![
            Cell::text(t(locale, "Deelnemers", "Participants")),
            count(data.participants.len()),
        ],
        vec![
            Cell::text(t(
                locale,
                "Deelnemers die stemden",
                "Participants who voted",
            )),
            count(voters.len()),
        ],
        vec![
            Cell::text(t(locale, "Geaccepteerde stellingen", "Accepted statements")),
            count(accepted),
        ],
        vec![
            Cell::text(t(locale, "Stemmen", "Votes")),
            count(data.votes.len()),
        ],
        vec![Cell::text(t(locale, "Stippen", "Dots")), Cell::Int(dots)],
    ];
    if data.groups.is_some() {
        rows.push(vec![
            Cell::text(t(locale, "Opiniegroepen", "Opinion groups")),
            count(data.visible_group_ids(rule).len()),
        ]);
    }
    if !data.attribution.is_empty() {
        rows.push(vec![
            Cell::text(t(locale, "Bron en licentie", "Source and licence")),
            Cell::text(data.attribution.clone()),
        ]);
    }
    Sheet {
        name: t(locale, "Sessie", "Session").to_owned(),
        rows,
    }
}

/// A civil date and time in UTC from unix seconds (Howard Hinnant's
/// days-to-civil algorithm), so no date crate is needed.
pub(crate) struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// 0 = Sunday.
    pub weekday: u32,
}

pub(crate) fn civil(ts: Timestamp) -> Civil {
    let days = ts.div_euclid(86_400);
    let secs = ts.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // 1970-01-01 was a Thursday.
    let weekday = (days + 4).rem_euclid(7);
    let small = |n: i64| u32::try_from(n).unwrap_or(0);
    Civil {
        year,
        month: small(month),
        day: small(day),
        hour: small(secs / 3600),
        minute: small(secs % 3600 / 60),
        second: small(secs % 60),
        weekday: small(weekday),
    }
}

/// `2026-03-14` (UTC).
pub fn iso_date(ts: Timestamp) -> String {
    let c = civil(ts);
    format!("{:04}-{:02}-{:02}", c.year, c.month, c.day)
}
