//! The Pol.is CSV export format, so that `koers consensus`, Pol.is's own
//! notebooks and other Pol.is tools read a Koers session as they read a Pol.is
//! conversation: `votes.csv`, `comments.csv`, `participants-votes.csv` and
//! `summary.csv`, with the column names and sign convention (agree = +1) of
//! Pol.is's exports.
//!
//! Ids are small integers as in Pol.is ([`PolisIds`]): a session imported from
//! Pol.is keeps its original ids, so export → import → export is stable.
//! Participants of a Koers session are numbered in a shuffled order, a new
//! seeded permutation for every export ([`PolisIds::for_export`]), so that a
//! `voter-id` says nothing about when someone joined; and every time in these
//! files is rounded down to the minute, so that a vote cannot be matched to a
//! person seen tapping their phone at that second.
//!
//! These files are for tools, not spreadsheets: text is written verbatim
//! (comma-separated, RFC 4180 quoting, no BOM, no formula guard), so that a
//! round trip is exact. The spreadsheet exports guard against formulas.
//!
//! Statements are participants' text, and a `comment-body` starting with `=`
//! is run as a formula by a spreadsheet that opens the file. So the two files
//! with text in them are also made with the formula guard of `resultaten.csv`
//! ([`PolisFiles::download`]), and that is what a single file downloaded on its
//! own is, since one CSV file is what people double-click into a spreadsheet. The
//! zip (and `write_to`, for `koers consensus`) keeps the verbatim text: Pol.is's
//! notebooks, `koers consensus` and Koers's own Pol.is import read it, and none of
//! them strips an apostrophe, so a guarded copy would change every such statement
//! on a round trip. The results page says the zip is for tools.
//!
//! The anonymity rule that the spreadsheets apply to figures per perspective
//! and per opinion group is deliberately not applied here: this export is the
//! raw per-participant data in Pol.is's own format, under anonymous ids, with no
//! figure per perspective at all, and a tool reading it needs every row for the
//! analysis to come out as the room's did.

use super::{civil, SessionData, TableError};
use koers_core::anonymity::AnonymityRule;
use koers_core::sessie::{Tallies, VoteChoice};
use koers_core::{StatementId, Timestamp};
use koers_store::StatementStatus;
use koers_tables::csv::{guard_formula, push_record};
use koers_tables::zip::zip_files;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

/// Pol.is-style ids for a session's participants and statements.
///
/// When every row carries an external id (an imported conversation) and those
/// are distinct, they are used as they are. Otherwise rows are numbered 0, 1,
/// 2, … in the order of their store ids, which only grow, so a row keeps its
/// number across exports of the same session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolisIds {
    participants: BTreeMap<i64, u64>,
    statements: BTreeMap<i64, u64>,
}

fn assign(mut rows: Vec<(i64, Option<i64>)>) -> BTreeMap<i64, u64> {
    rows.sort_unstable();
    let external: Option<Vec<u64>> = rows
        .iter()
        .map(|(_, e)| e.and_then(|e| u64::try_from(e).ok()))
        .collect();
    if let Some(ext) = external {
        let distinct: HashSet<u64> = ext.iter().copied().collect();
        if distinct.len() == ext.len() {
            return rows.iter().map(|(id, _)| *id).zip(ext).collect();
        }
    }
    rows.iter().map(|(id, _)| *id).zip(0u64..).collect()
}

/// Like [`assign`], but rows without usable external ids get the numbers
/// 0..n in an order shuffled by `seed`, not in the order they joined.
fn assign_shuffled(rows: Vec<(i64, Option<i64>)>, seed: u64) -> BTreeMap<i64, u64> {
    use rand::seq::SliceRandom;
    use rand::SeedableRng;
    let external: Option<HashSet<u64>> = rows
        .iter()
        .map(|(_, e)| e.and_then(|e| u64::try_from(e).ok()))
        .collect();
    let ordered = assign(rows);
    if external.is_some_and(|ext| ext.len() == ordered.len()) {
        // Imported from Pol.is: those ids are already Pol.is's anonymous ones.
        return ordered;
    }
    let mut numbers: Vec<u64> = ordered.values().copied().collect();
    numbers.shuffle(&mut rand::rngs::StdRng::seed_from_u64(seed));
    // Never the joining order itself (the one permutation that would say who
    // is who to anyone who saw people join).
    if numbers.len() > 1 && numbers.iter().zip(0u64..).all(|(n, i)| *n == i) {
        numbers.rotate_left(1);
    }
    ordered.keys().copied().zip(numbers).collect()
}

impl PolisIds {
    pub fn new(data: &SessionData) -> PolisIds {
        PolisIds {
            participants: assign(
                data.participants
                    .iter()
                    .map(|p| (p.id, p.external_id))
                    .collect(),
            ),
            statements: assign(
                data.statements
                    .iter()
                    .map(|s| (s.id.0, s.external_id))
                    .collect(),
            ),
        }
    }

    /// The ids of one export: statements as in [`PolisIds::new`], participants
    /// (unless imported with their own ids) in an order shuffled by `seed`.
    /// [`polis_export`] draws a fresh seed for every export.
    pub fn for_export(data: &SessionData, seed: u64) -> PolisIds {
        let ordered = PolisIds::new(data);
        PolisIds {
            participants: assign_shuffled(
                data.participants
                    .iter()
                    .map(|p| (p.id, p.external_id))
                    .collect(),
                seed,
            ),
            statements: ordered.statements,
        }
    }

    /// The Pol.is id (`voter-id`, `participant`) of a participant.
    pub fn participant(&self, store_id: i64) -> Option<u64> {
        self.participants.get(&store_id).copied()
    }

    /// The Pol.is id (`comment-id`) of a statement.
    pub fn statement(&self, store_id: i64) -> Option<u64> {
        self.statements.get(&store_id).copied()
    }
}

/// The four files of a Pol.is export, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolisFiles {
    pub votes: String,
    pub comments: String,
    pub participants_votes: String,
    pub summary: String,
    /// `comments.csv` with the formula guard, for a download on its own.
    pub comments_guarded: String,
    /// `summary.csv` with the formula guard (the title and description are text).
    pub summary_guarded: String,
}

impl PolisFiles {
    /// (file name, contents) in the order Pol.is lists them.
    pub fn files(&self) -> [(&'static str, &str); 4] {
        [
            ("summary.csv", &self.summary),
            ("comments.csv", &self.comments),
            ("votes.csv", &self.votes),
            ("participants-votes.csv", &self.participants_votes),
        ]
    }

    /// One file for a download on its own: text with the formula guard, because
    /// this is what people open in a spreadsheet.
    pub fn download(&self, name: &str) -> Option<&str> {
        match name {
            "comments.csv" => Some(&self.comments_guarded),
            "summary.csv" => Some(&self.summary_guarded),
            other => self
                .files()
                .into_iter()
                .find(|(n, _)| *n == other)
                .map(|(_, text)| text),
        }
    }

    /// Writes the four files into `dir` (which must exist), e.g. for
    /// `koers consensus DIR`.
    pub fn write_to(&self, dir: &Path) -> std::io::Result<()> {
        for (name, text) in self.files() {
            std::fs::write(dir.join(name), text)?;
        }
        Ok(())
    }

    /// The four files in one zip, for download. Serve as
    /// [`koers_tables::zip::MIME`].
    pub fn zip(&self) -> Result<Vec<u8>, TableError> {
        let files = self.files();
        let entries: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(name, text)| (*name, text.as_bytes()))
            .collect();
        zip_files(&entries)
    }
}

/// Java's `Date.toString()`, which is what Pol.is writes in `datetime`, here
/// always in UTC: `Wed Jun 18 01:16:54 UTC 2014`.
pub fn polis_datetime(ts: Timestamp) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let c = civil(ts);
    format!(
        "{} {} {:02} {:02}:{:02}:{:02} UTC {}",
        DAYS.get(c.weekday as usize).unwrap_or(&"Sun"),
        MONTHS
            .get((c.month as usize).saturating_sub(1))
            .unwrap_or(&"Jan"),
        c.day,
        c.hour,
        c.minute,
        c.second,
        c.year
    )
}

/// Pol.is timestamps are milliseconds; ours are seconds. Rounded down to the
/// minute (see the module documentation).
fn millis(ts: Timestamp) -> i64 {
    minute(ts).saturating_mul(1000)
}

/// A time rounded down to the whole minute.
pub fn minute(ts: Timestamp) -> Timestamp {
    ts - ts.rem_euclid(60)
}

/// One record of a Pol.is file: comma-separated whatever the interface's
/// language, since tools read these, not spreadsheets.
fn line(out: &mut String, fields: &[String]) {
    push_record(out, fields, b',');
}

/// A record like [`line`], with the last field (text) formula-guarded.
fn guarded_line(out: &mut String, fields: &[String]) {
    let guarded: Vec<String> = fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            if i + 1 == fields.len() {
                guard_formula(f).into_owned()
            } else {
                f.clone()
            }
        })
        .collect();
    line(out, &guarded);
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// A session in the Pol.is export format. `url` goes into `summary.csv`
/// (Pol.is puts the conversation's address there); pass the session's public
/// results or join URL, or an empty string.
///
/// - `votes.csv`: the latest vote per participant and statement, in time
///   order (Koers keeps only the latest vote, so no changes of mind).
/// - `comments.csv`: every statement with `moderated` -1 (rejected), 1
///   (accepted) or 0 (pending); `author-id` empty for seed statements.
/// - `participants-votes.csv`: every participant, `group-id` from the
///   engine's groups when the data has them, and only for a group with enough
///   members under the anonymity rule: a group of two is not named beside its
///   members' votes.
/// - `summary.csv`: topic, url, voters, voters-in-conv, commenters, comments,
///   groups, conversation-description.
pub fn polis_export(data: &SessionData, url: &str, rule: &AnonymityRule) -> PolisFiles {
    polis_export_with(data, url, &PolisIds::for_export(data, rand::random()), rule)
}

/// [`polis_export`] with the given ids (tests pass a fixed seed).
pub fn polis_export_with(
    data: &SessionData,
    url: &str,
    ids: &PolisIds,
    rule: &AnonymityRule,
) -> PolisFiles {
    // Opinion groups the rule lets us name; a smaller one's members get no group-id.
    let mut group_sizes: BTreeMap<u32, usize> = BTreeMap::new();
    for g in data.groups.iter().flat_map(|g| g.values()) {
        *group_sizes.entry(*g).or_default() += 1;
    }
    // votes.csv
    let mut votes: Vec<(Timestamp, u64, u64, i16)> = data
        .votes
        .iter()
        .filter_map(|v| {
            Some((
                // By minute, so the order within a minute says nothing either.
                minute(v.voted_at),
                ids.participant(v.participant_id)?,
                ids.statement(v.statement_id)?,
                v.vote,
            ))
        })
        .collect();
    votes.sort_unstable();
    let mut votes_csv = String::from("timestamp,datetime,comment-id,voter-id,vote\n");
    for (at, voter, statement, vote) in &votes {
        line(
            &mut votes_csv,
            &[
                millis(*at).to_string(),
                polis_datetime(*at),
                statement.to_string(),
                voter.to_string(),
                vote.to_string(),
            ],
        );
    }

    // Per statement counts, by the one tally, of the same votes as votes.csv.
    let tallies = Tallies::from_choices(data.votes.iter().filter_map(|v| {
        ids.participant(v.participant_id)?;
        ids.statement(v.statement_id)?;
        Some((StatementId(v.statement_id), VoteChoice::from_value(v.vote)?))
    }));
    // Per participant: the vote matrix.
    let mut matrix: BTreeMap<u64, BTreeMap<u64, i16>> = BTreeMap::new();
    for (_, voter, statement, vote) in &votes {
        matrix.entry(*voter).or_default().insert(*statement, *vote);
    }

    // comments.csv, by comment id.
    let mut statements: Vec<(u64, &koers_store::SessionStatement)> = data
        .statements
        .iter()
        .filter_map(|s| Some((ids.statement(s.id.0)?, s)))
        .collect();
    statements.sort_unstable_by_key(|(id, _)| *id);
    let mut authored: BTreeMap<u64, u32> = BTreeMap::new();
    let mut comments_csv = String::from(
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n",
    );
    let mut comments_guarded = comments_csv.clone();
    for (id, s) in &statements {
        let author = s.participant_id.and_then(|p| ids.participant(p.0));
        if let Some(a) = author {
            *authored.entry(a).or_default() += 1;
        }
        let moderated = match s.status {
            // A merged duplicate is moderated out, as Pol.is does with one.
            StatementStatus::Rejected | StatementStatus::Merged => "-1",
            StatementStatus::Accepted => "1",
            StatementStatus::Pending => "0",
        };
        let record = [
            millis(s.created_at).to_string(),
            polis_datetime(minute(s.created_at)),
            id.to_string(),
            opt(author),
            tallies.statement(s.id).agree.to_string(),
            tallies.statement(s.id).disagree.to_string(),
            moderated.to_owned(),
            s.text.clone(),
        ];
        line(&mut comments_csv, &record);
        guarded_line(&mut comments_guarded, &record);
    }

    // participants-votes.csv, by participant id.
    let comment_ids: Vec<u64> = statements.iter().map(|(id, _)| *id).collect();
    let mut header: Vec<String> = [
        "participant",
        "group-id",
        "n-comments",
        "n-votes",
        "n-agree",
        "n-disagree",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    header.extend(comment_ids.iter().map(u64::to_string));
    let mut pv_csv = String::new();
    line(&mut pv_csv, &header);
    let mut participants: Vec<(u64, i64)> = data
        .participants
        .iter()
        .filter_map(|p| Some((ids.participant(p.id)?, p.id)))
        .collect();
    participants.sort_unstable();
    let empty = BTreeMap::new();
    for (pid, store_id) in &participants {
        let row = matrix.get(pid).unwrap_or(&empty);
        let group = data
            .groups
            .as_ref()
            .and_then(|g| g.get(store_id))
            .filter(|g| rule.shows(group_sizes.get(g).copied().unwrap_or(0)));
        let mut fields = vec![
            pid.to_string(),
            opt(group),
            authored.get(pid).copied().unwrap_or(0).to_string(),
            row.len().to_string(),
            row.values().filter(|v| **v == 1).count().to_string(),
            row.values().filter(|v| **v == -1).count().to_string(),
        ];
        fields.extend(comment_ids.iter().map(|c| opt(row.get(c))));
        line(&mut pv_csv, &fields);
    }

    // summary.csv
    let voters = matrix.len();
    let in_conv = match &data.groups {
        Some(g) => g.len(),
        None => {
            // The engine's rule: at least 7 votes, or all statements when
            // there are fewer.
            let accepted = data
                .statements
                .iter()
                .filter(|s| s.status == StatementStatus::Accepted)
                .count();
            let needed = accepted.clamp(1, 7);
            matrix.values().filter(|r| r.len() >= needed).count()
        }
    };
    let groups: BTreeSet<u32> = data
        .groups
        .iter()
        .flat_map(|g| g.values().copied())
        .collect();
    let mut summary = String::new();
    let mut summary_guarded = String::new();
    for (key, value) in [
        ("topic", data.title.clone()),
        ("url", url.to_owned()),
        ("voters", voters.to_string()),
        ("voters-in-conv", in_conv.to_string()),
        ("commenters", authored.len().to_string()),
        ("comments", statements.len().to_string()),
        ("groups", groups.len().to_string()),
        ("conversation-description", data.description.clone()),
    ] {
        let record = [key.to_owned(), value];
        line(&mut summary, &record);
        guarded_line(&mut summary_guarded, &record);
    }
    PolisFiles {
        votes: votes_csv,
        comments: comments_csv,
        participants_votes: pv_csv,
        summary,
        comments_guarded,
        summary_guarded,
    }
}
