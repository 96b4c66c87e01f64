//! Importing a Pol.is export folder as a read-only live session, e.g. the real
//! conversations in `data/polis` for the demo, with their attribution.
//!
//! Everything is read and checked before anything is written: a malformed
//! export is refused with the file and line to open, and leaves nothing
//! behind. Participants, statements and votes then go in through
//! [`Store::import_conversation`], one transaction.
//!
//! Known gap: the session row is created just before that transaction, so a
//! database failure in between (not bad input, which is caught earlier) would
//! leave an empty read-only session. Closing it needs a store method that
//! creates the session inside the import transaction.

use koers_consensus::{load_export, LoadError, VoteSource};
use koers_core::sessie::{JoinCode, ModerationMode, VoteChoice};
use koers_core::Timestamp;
use koers_store::{LiveSession, NewLiveSession, OrgScope, Store, StoreError};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Pol.is has no perspectives; imported participants get this one.
pub const UNKNOWN_PERSPECTIVE: &str = "onbekend";

/// Whether a session's perspectives mean anything: a session imported from
/// Pol.is holds only the stand-in [`UNKNOWN_PERSPECTIVE`], and then no page
/// or export shows a section "per perspective" for it.
pub fn has_perspectives(session: &LiveSession) -> bool {
    !(session.read_only
        && session
            .perspectives
            .iter()
            .all(|p| p == UNKNOWN_PERSPECTIVE))
}

/// Why an import was refused. Messages are Dutch / English, and name the
/// file (and line, where there is one) to look at.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The folder could not be read or a file in it is malformed; the
    /// message holds `file:line: reason`.
    #[error("Pol.is-export onleesbaar / Pol.is export unreadable: {0}")]
    Load(#[from] LoadError),
    #[error("{}: comments.csv ontbreekt of is leeg, dus er zijn geen stellingen / comments.csv is missing or empty, so there are no statements", dir.display())]
    NoStatements { dir: PathBuf },
    #[error("{}: stem op stelling {statement}, die niet in comments.csv staat / a vote on statement {statement}, which comments.csv does not hold", file.display())]
    UnknownStatement { file: PathBuf, statement: u64 },
    #[error("{}: id {id} is te groot / is too large", file.display())]
    IdTooLarge { file: PathBuf, id: u64 },
    #[error("de titel is leeg / the title is empty")]
    EmptyTitle,
    #[error("opslaan mislukt / storing failed: {0}")]
    Store(#[from] StoreError),
}

/// Reads a Pol.is export folder (`votes.csv` or `participants-votes.csv`,
/// `comments.csv`, optionally `summary.csv` for the description) and stores
/// it as a read-only session of `org` with every phase closed.
///
/// - Participants are the voters, with perspective [`UNKNOWN_PERSPECTIVE`]
///   and their Pol.is id as external id.
/// - Statements keep their Pol.is ids; moderated-out ones become rejected.
/// - Of a participant's votes on a statement the latest (by timestamp,
///   ties in file order) is kept, with its time in seconds.
///
/// `attribution` is shown with the session: Pol.is data is CC BY 4.0.
pub async fn import_polis(
    store: &Store,
    org: &OrgScope,
    dir: &Path,
    title: &str,
    attribution: &str,
    now: Timestamp,
) -> Result<LiveSession, ImportError> {
    let export = load_export(dir)?;
    let description = read_description(dir)?;
    store_export(
        store,
        org,
        dir,
        export,
        &description,
        title,
        attribution,
        now,
    )
    .await
}

/// Stores a Pol.is export that has been read already (from a folder, or from the
/// copy embedded in the binary); `dir` names it in messages.
#[allow(clippy::too_many_arguments)]
async fn store_export(
    store: &Store,
    org: &OrgScope,
    dir: &Path,
    export: koers_consensus::Export,
    description: &str,
    title: &str,
    attribution: &str,
    now: Timestamp,
) -> Result<LiveSession, ImportError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(ImportError::EmptyTitle);
    }
    if export.statements.is_empty() {
        return Err(ImportError::NoStatements {
            dir: dir.to_path_buf(),
        });
    }
    let votes_file = dir.join(match export.source {
        VoteSource::EventLog => "votes.csv",
        VoteSource::Matrix => "participants-votes.csv",
    });
    let comments_file = dir.join("comments.csv");
    let id = |file: &Path, id: u64| {
        i64::try_from(id).map_err(|_| ImportError::IdTooLarge {
            file: file.to_path_buf(),
            id,
        })
    };

    let mut statements = Vec::with_capacity(export.statements.len());
    let mut known = BTreeSet::new();
    for s in &export.statements {
        statements.push((id(&comments_file, s.id)?, s.text.clone(), s.moderated_out));
        known.insert(s.id);
    }

    // Stable sort: votes with the same timestamp keep their file order, and
    // the store keeps the last one it is given per participant and statement.
    let mut events = export.votes.clone();
    events.sort_by_key(|v| v.time);
    let mut voters = BTreeSet::new();
    let mut votes = Vec::with_capacity(events.len());
    for v in &events {
        if !known.contains(&v.statement) {
            return Err(ImportError::UnknownStatement {
                file: votes_file,
                statement: v.statement,
            });
        }
        let choice = match v.vote {
            koers_consensus::Vote::Agree => VoteChoice::Agree,
            koers_consensus::Vote::Disagree => VoteChoice::Disagree,
            koers_consensus::Vote::Pass => VoteChoice::Pass,
        };
        let at = match export.source {
            // Pol.is times are milliseconds.
            VoteSource::EventLog => v.time.div_euclid(1000),
            // The matrix has no times.
            VoteSource::Matrix => now,
        };
        let voter = id(&votes_file, v.voter)?;
        voters.insert(voter);
        votes.push((voter, id(&votes_file, v.statement)?, choice, at));
    }
    let participants: Vec<(i64, String)> = voters
        .into_iter()
        .map(|v| (v, UNKNOWN_PERSPECTIVE.to_owned()))
        .collect();

    let session =
        create_read_only_session(store, org, title, description, attribution, now).await?;
    store
        .sessie()
        .import_conversation(&session, &participants, &statements, &votes)
        .await?;
    Ok(session)
}

/// A read-only session with all phases closed, under a fresh random join
/// code (retried on the rare collision with an existing one).
async fn create_read_only_session(
    store: &Store,
    org: &OrgScope,
    title: &str,
    description: &str,
    attribution: &str,
    now: Timestamp,
) -> Result<LiveSession, StoreError> {
    let perspectives = vec![UNKNOWN_PERSPECTIVE.to_owned()];
    let mut attempts = 0;
    loop {
        let code = JoinCode::from_random(rand::random::<[u8; JoinCode::LEN]>());
        let created = store
            .sessie()
            .create_live_session(
                org,
                NewLiveSession {
                    title,
                    description,
                    join_code: code.as_str(),
                    // Nobody joins an archive.
                    join_open_until: now,
                    moderation: ModerationMode::Post,
                    max_statement_chars: 140,
                    dots_per_participant: 0,
                    perspectives: &perspectives,
                    // Read-only also makes the store create every phase closed.
                    read_only: true,
                    attribution,
                    created_by: None,
                    now,
                },
            )
            .await;
        match created {
            Err(StoreError::Conflict(_)) if attempts < 5 => attempts += 1,
            other => return other,
        }
    }
}

/// `conversation-description` from `summary.csv`, empty when the file or the
/// key is absent.
fn read_description(dir: &Path) -> Result<String, LoadError> {
    let path = dir.join("summary.csv");
    if !path.is_file() {
        return Ok(String::new());
    }
    let text = std::fs::read_to_string(&path).map_err(|source| LoadError::Io {
        path: path.clone(),
        source,
    })?;
    description_from(&text, &path)
}

fn description_from(text: &str, path: &Path) -> Result<String, LoadError> {
    let records = koers_consensus::csv::parse(text).map_err(|e| LoadError::Malformed {
        file: path.display().to_string(),
        line: e.line,
        reason: e.reason.to_owned(),
    })?;
    Ok(records
        .iter()
        .find(|r| r.fields.first().map(|k| k.trim()) == Some("conversation-description"))
        .and_then(|r| r.fields.get(1))
        .map(|d| d.trim().to_owned())
        .unwrap_or_default())
}

/// One of the real Pol.is conversations in `data/polis`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolisConversation {
    /// The folder name in the data directory.
    pub folder: &'static str,
    /// The session title in Koers (Dutch).
    pub title: &'static str,
    /// The case study on compdemocracy.org, where the data set is described.
    pub case_study: Option<&'static str>,
}

/// The eight conversations of `data/polis`, with the case-study links
/// its README lists (CC BY 4.0: the attribution must travel with the data).
pub const POLIS_CONVERSATIONS: [PolisConversation; 8] = [
    PolisConversation {
        folder: "15-per-hour-seattle",
        title: "Seattle: een minimumloon van $15 per uur (Pol.is, 2014)",
        case_study: Some("https://compdemocracy.org/case-studies/2014-seattle-15-per-hour"),
    },
    PolisConversation {
        folder: "vtaiwan.uberx",
        title: "vTaiwan: regels voor UberX (Pol.is, 2015)",
        case_study: Some("https://compdemocracy.org/case-studies/2015-vtaiwan-uberx"),
    },
    PolisConversation {
        folder: "football-concussions",
        title: "Hersenschuddingen in American football (Pol.is, 2015)",
        case_study: Some("https://compdemocracy.org/case-studies/2015-football-concussions"),
    },
    PolisConversation {
        folder: "canadian-electoral-reform",
        title: "Canada: hervorming van het kiesstelsel (Pol.is, 2016)",
        case_study: Some("https://compdemocracy.org/case-studies/2016-canadian-electoral-reform"),
    },
    PolisConversation {
        folder: "brexit-consensus",
        title: "Brexit: waar zijn we het over eens? (Pol.is, 2017)",
        case_study: Some("https://compdemocracy.org/case-studies/2017-brexit-consensus"),
    },
    PolisConversation {
        folder: "scoop-hivemind.ubi",
        title: "Scoop HiveMind: basisinkomen (Pol.is, 2017)",
        case_study: Some("https://compdemocracy.org/case-studies/2017-scoop-hivemind-ubi"),
    },
    PolisConversation {
        folder: "scoop-hivemind.biodiversity",
        title: "Scoop HiveMind: biodiversiteit (Pol.is, 2019)",
        case_study: Some("https://compdemocracy.org/case-studies/2019-scoop-hivemind-biodiversity"),
    },
    PolisConversation {
        folder: "bg2050-volunteers",
        title: "Bowling Green 2050: vrijwilligers (Pol.is, 2024)",
        case_study: None,
    },
];

impl PolisConversation {
    /// The attribution to show with the session, Dutch first, then the
    /// licensor's own wording.
    pub fn attribution(&self) -> String {
        let source = match self.case_study {
            Some(url) => url.to_owned(),
            None => {
                "Bowling Green 2050 volunteers conversation, Pol.is open data (compdemocracy.org)"
                    .to_owned()
            }
        };
        format!(
            "Bron: {source}. Gegevens verzameld met de Polis-software (compdemocracy.org/polis), \
             in sublicentie onder CC BY 4.0 met naamsvermelding van The Computational Democracy Project. \
             / Data gathered using the Polis software (compdemocracy.org/polis) and sub-licensed under \
             CC BY 4.0 with Attribution to The Computational Democracy Project. \
             Licentie / licence: https://creativecommons.org/licenses/by/4.0/"
        )
    }
}

/// A conversation from [`POLIS_CONVERSATIONS`] found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvailableConversation {
    pub conversation: PolisConversation,
    source: Source,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    Folder(PathBuf),
    /// The copy of `data/polis` compiled into the binary, so that `koers demo`
    /// shows the same conversations from any working directory or install.
    Embedded(&'static Embedded),
}

#[derive(Debug, PartialEq, Eq)]
struct Embedded {
    folder: &'static str,
    votes: &'static str,
    comments: &'static str,
    summary: &'static str,
}

macro_rules! embedded {
    ($($folder:literal),* $(,)?) => {
        &[$(Embedded {
            folder: $folder,
            votes: include_str!(concat!("../../../data/polis/", $folder, "/votes.csv")),
            comments: include_str!(concat!("../../../data/polis/", $folder, "/comments.csv")),
            summary: include_str!(concat!("../../../data/polis/", $folder, "/summary.csv")),
        }),*]
    };
}

const EMBEDDED: &[Embedded] = embedded!(
    "15-per-hour-seattle",
    "vtaiwan.uberx",
    "football-concussions",
    "canadian-electoral-reform",
    "brexit-consensus",
    "scoop-hivemind.ubi",
    "scoop-hivemind.biodiversity",
    "bg2050-volunteers",
);

impl AvailableConversation {
    /// The folder it was read from (`data/polis/…` for the embedded copy).
    pub fn dir(&self) -> PathBuf {
        match &self.source {
            Source::Folder(d) => d.clone(),
            Source::Embedded(e) => Path::new("data/polis").join(e.folder),
        }
    }
}

/// The conversations of [`POLIS_CONVERSATIONS`] present in `data_dir`
/// (a folder holding a `comments.csv`), in the table's order. Missing ones
/// are left out, so the demo works with a partial copy.
/// The eight conversations embedded in the binary (from the repository's
/// `data/polis`, CC BY 4.0).
pub fn polis_conversations() -> Vec<AvailableConversation> {
    POLIS_CONVERSATIONS
        .iter()
        .filter_map(|c| {
            let e = EMBEDDED.iter().find(|e| e.folder == c.folder)?;
            Some(AvailableConversation {
                conversation: *c,
                source: Source::Embedded(e),
            })
        })
        .collect()
}

pub fn polis_conversations_in(data_dir: &Path) -> Vec<AvailableConversation> {
    POLIS_CONVERSATIONS
        .iter()
        .map(|c| AvailableConversation {
            conversation: *c,
            source: Source::Folder(data_dir.join(c.folder)),
        })
        .filter(|a| a.dir().join("comments.csv").is_file())
        .collect()
}

/// Imports one of the known conversations with its title and attribution.
pub async fn import_polis_conversation(
    store: &Store,
    org: &OrgScope,
    conversation: &AvailableConversation,
    now: Timestamp,
) -> Result<LiveSession, ImportError> {
    let title = conversation.conversation.title;
    let attribution = conversation.conversation.attribution();
    match &conversation.source {
        Source::Folder(dir) => import_polis(store, org, dir, title, &attribution, now).await,
        Source::Embedded(e) => {
            let dir = conversation.dir();
            let name = |f: &str| dir.join(f).display().to_string();
            let export = koers_consensus::Export {
                votes: koers_consensus::load::parse_votes_csv(e.votes, &name("votes.csv"))?,
                statements: koers_consensus::load::parse_comments_csv(
                    e.comments,
                    &name("comments.csv"),
                )?,
                source: VoteSource::EventLog,
            };
            let description = description_from(e.summary, &dir.join("summary.csv"))?;
            store_export(
                store,
                org,
                &dir,
                export,
                &description,
                title,
                &attribution,
                now,
            )
            .await
        }
    }
}
