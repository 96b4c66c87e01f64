//! Live sessions: the session itself, its anonymous participants, statements, votes,
//! dots and next steps. Every child row carries the organisation as well as the
//! session, so the tables can be sharded by organisation later.
//!
//! Votes are written in batches (`record_votes`): one transaction for many votes is
//! what lets one small server take thousands of votes a second on SQLite.

mod console;

pub use console::{ConsoleRefusal, MergeOutcome, NewLogEntry, SessionLogEntry};

use crate::{with_pool, OrgScope, Result, Store, StoreError};
use koers_core::sessie::{ModerationMode, Phase, PhaseState, Phases, VoteChoice};
use koers_core::{LiveSessionId, OrganisationId, ParticipantId, StatementId, Timestamp, UserId};

/// Sessie's view of the store: every live-session query, and nothing else.
/// Get it with [`Store::sessie`].
#[derive(Clone, Copy)]
pub struct SessieStore<'a> {
    store: &'a Store,
}

impl Store {
    pub fn sessie(&self) -> SessieStore<'_> {
        SessieStore { store: self }
    }
}

impl<'a> SessieStore<'a> {
    /// The store behind this view, for Sessie's other store modules.
    pub(crate) fn store(&self) -> &'a Store {
        self.store
    }
}

/// Proof that a live session was reached the right way: found inside an
/// organisation the caller may see (through an [`OrgScope`]) or by its join
/// code. Every session-scoped read and write takes one, and only this module can
/// make one, so a handler that skipped the access check has nothing to pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionScope {
    organisation: OrganisationId,
    session: LiveSessionId,
}

impl SessionScope {
    /// For the store's other session modules (the room screen finds a session by
    /// its link's token): a scope is still only ever made inside this crate.
    pub(crate) fn new(organisation: OrganisationId, session: LiveSessionId) -> Self {
        Self {
            organisation,
            session,
        }
    }

    pub fn organisation(&self) -> OrganisationId {
        self.organisation
    }

    pub fn session(&self) -> LiveSessionId {
        self.session
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveSession {
    /// The capability to read and write this session's rows.
    pub scope: SessionScope,
    pub id: LiveSessionId,
    pub organisation_id: OrganisationId,
    pub title: String,
    pub description: String,
    pub join_code: String,
    pub join_open_until: Timestamp,
    pub moderation: ModerationMode,
    pub max_statement_chars: u32,
    pub dots_per_participant: u32,
    pub perspectives: Vec<String>,
    pub phases: Phases,
    pub read_only: bool,
    pub attribution: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// When the dot-voting ballot was fixed (prioriteren opened for the first
    /// time); from then on the ballot is the statements' `ballot_position`.
    pub ballot_frozen_at: Option<Timestamp>,
}

#[derive(sqlx::FromRow)]
struct LiveSessionRow {
    id: i64,
    organisation_id: i64,
    title: String,
    description: String,
    join_code: String,
    join_open_until: i64,
    moderation: String,
    max_statement_chars: i64,
    dots_per_participant: i64,
    perspectives: String,
    phase_inbreng: String,
    phase_stemmen: String,
    phase_prioriteren: String,
    phase_afronden: String,
    read_only: bool,
    attribution: String,
    created_at: i64,
    updated_at: i64,
    ballot_frozen_at: Option<i64>,
}

fn invalid(what: &str) -> StoreError {
    StoreError::InvalidData(what.to_owned())
}

impl TryFrom<LiveSessionRow> for LiveSession {
    type Error = StoreError;
    fn try_from(r: LiveSessionRow) -> Result<Self> {
        let phase = |s: &str| PhaseState::parse(s).ok_or_else(|| invalid("phase state"));
        Ok(Self {
            scope: SessionScope {
                organisation: OrganisationId(r.organisation_id),
                session: LiveSessionId(r.id),
            },
            id: LiveSessionId(r.id),
            organisation_id: OrganisationId(r.organisation_id),
            title: r.title,
            description: r.description,
            join_code: r.join_code,
            join_open_until: r.join_open_until,
            moderation: ModerationMode::parse(&r.moderation).map_err(|_| invalid("moderation"))?,
            max_statement_chars: u32::try_from(r.max_statement_chars)
                .map_err(|_| invalid("max chars"))?,
            dots_per_participant: u32::try_from(r.dots_per_participant)
                .map_err(|_| invalid("dots"))?,
            perspectives: perspectives_from_text(&r.perspectives),
            phases: Phases::from_states([
                phase(&r.phase_inbreng)?,
                phase(&r.phase_stemmen)?,
                phase(&r.phase_prioriteren)?,
                phase(&r.phase_afronden)?,
            ]),
            read_only: r.read_only,
            attribution: r.attribution,
            created_at: r.created_at,
            updated_at: r.updated_at,
            ballot_frozen_at: r.ballot_frozen_at,
        })
    }
}

/// Perspectives are stored one per line: simple, portable, and a perspective cannot
/// contain a line break.
fn perspectives_to_text(p: &[String]) -> String {
    p.join("\n")
}

fn perspectives_from_text(s: &str) -> Vec<String> {
    s.lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

const SESSION_COLS: &str = "id, organisation_id, title, description, join_code, join_open_until, moderation, \
    max_statement_chars, dots_per_participant, perspectives, phase_inbreng, phase_stemmen, phase_prioriteren, \
    phase_afronden, read_only, attribution, created_at, updated_at, ballot_frozen_at";

pub struct NewLiveSession<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub join_code: &'a str,
    pub join_open_until: Timestamp,
    pub moderation: ModerationMode,
    pub max_statement_chars: u32,
    pub dots_per_participant: u32,
    pub perspectives: &'a [String],
    /// A read-only session (an imported conversation, an archive) starts with every
    /// phase closed, since `set_phases` never changes it afterwards; any other
    /// starts with none started.
    pub read_only: bool,
    pub attribution: &'a str,
    pub created_by: Option<UserId>,
    pub now: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementStatus {
    Pending,
    Accepted,
    Rejected,
    /// Merged into another statement as its duplicate (see
    /// `SessionStatement::merged_into`): out of every list and count.
    Merged,
}

impl StatementStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::Merged => "merged",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(Self::Pending),
            "accepted" => Some(Self::Accepted),
            "rejected" => Some(Self::Rejected),
            "merged" => Some(Self::Merged),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionStatement {
    pub id: StatementId,
    pub participant_id: Option<ParticipantId>,
    pub is_seed: bool,
    pub text: String,
    pub status: StatementStatus,
    pub profanity_hint: bool,
    pub created_at: Timestamp,
    pub external_id: Option<i64>,
    /// The author's text, once a facilitator edited it (`text` is the edit).
    pub original_text: Option<String>,
    /// The statement this duplicate was merged into.
    pub merged_into: Option<StatementId>,
    /// The facilitator's edit of its place on the dot-voting ballot.
    pub ballot_edit: Option<koers_core::sessie::BallotEdit>,
    /// Its place on the ballot fixed when prioriteren opened (from 0).
    pub ballot_position: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct StatementRow {
    id: i64,
    participant_id: Option<i64>,
    is_seed: bool,
    text: String,
    status: String,
    profanity_hint: bool,
    created_at: i64,
    external_id: Option<i64>,
    original_text: Option<String>,
    merged_into: Option<i64>,
    ballot_edit: Option<String>,
    ballot_position: Option<i64>,
}

impl TryFrom<StatementRow> for SessionStatement {
    type Error = StoreError;
    fn try_from(r: StatementRow) -> Result<Self> {
        Ok(Self {
            id: StatementId(r.id),
            participant_id: r.participant_id.map(ParticipantId),
            is_seed: r.is_seed,
            text: r.text,
            status: StatementStatus::parse(&r.status).ok_or_else(|| invalid("statement status"))?,
            profanity_hint: r.profanity_hint,
            created_at: r.created_at,
            external_id: r.external_id,
            original_text: r.original_text,
            merged_into: r.merged_into.map(StatementId),
            ballot_edit: r
                .ballot_edit
                .as_deref()
                .map(|e| {
                    koers_core::sessie::BallotEdit::parse(e).ok_or_else(|| invalid("ballot edit"))
                })
                .transpose()?,
            ballot_position: r.ballot_position,
        })
    }
}

const STATEMENT_COLS: &str =
    "id, participant_id, is_seed, text, status, profanity_hint, created_at, external_id, \
    original_text, merged_into, ballot_edit, ballot_position";

pub struct NewStatement<'a> {
    pub participant_id: Option<ParticipantId>,
    pub is_seed: bool,
    pub text: &'a str,
    pub status: StatementStatus,
    pub profanity_hint: bool,
    pub now: Timestamp,
    pub external_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ParticipantRow {
    pub id: i64,
    pub perspective: String,
    pub display_name: String,
    pub joined_at: i64,
    pub external_id: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoteRecord {
    pub scope: SessionScope,
    pub participant_id: ParticipantId,
    pub statement_id: StatementId,
    pub vote: VoteChoice,
    pub at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct VoteRow {
    pub participant_id: i64,
    pub statement_id: i64,
    pub vote: i16,
    pub voted_at: i64,
}

/// A point in PostgreSQL's commit order (a `pg_snapshot`): what an instance has
/// caught up on. See [`SessieStore::changes_since`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatchUpMark(String);

/// What other transactions committed since a [`CatchUpMark`].
#[derive(Debug, Clone)]
pub struct SessionChanges {
    /// Ask from here next time.
    pub mark: CatchUpMark,
    pub votes: Vec<VoteRow>,
    pub participants: Vec<ParticipantRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NextStep {
    pub id: i64,
    pub text: String,
    pub owner: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionCounts {
    pub participants: i64,
    pub statements: i64,
    pub votes: i64,
}

fn db(e: sqlx::Error) -> StoreError {
    StoreError::from_db(e)
}

impl SessieStore<'_> {
    pub async fn create_live_session(
        &self,
        scope: &OrgScope,
        s: NewLiveSession<'_>,
    ) -> Result<LiveSession> {
        let sql = format!(
            "INSERT INTO live_sessions (organisation_id, title, description, join_code, join_open_until, moderation,
               max_statement_chars, dots_per_participant, perspectives, read_only, attribution, created_by, created_at, updated_at,
               phase_inbreng, phase_stemmen, phase_prioriteren, phase_afronden)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $15, $16, $17) RETURNING {SESSION_COLS}"
        );
        let initial = if s.read_only {
            Phases::from_states([PhaseState::Closed; 4])
        } else {
            Phases::default()
        };
        let [p1, p2, p3, p4] = initial.states();
        let row: LiveSessionRow = with_pool!(self.store.backend, pool => {
            // In a transaction of its own: on SQLite a RETURNING row read
            // with fetch_one comes back before the statement is done, so a
            // failed autocommit would go unseen; the commit reports it.
            crate::write_tx!(pool, tx => { sqlx::query_as(&sql)
                .bind(scope.organisation().0)
                .bind(s.title)
                .bind(s.description)
                .bind(s.join_code)
                .bind(s.join_open_until)
                .bind(s.moderation.as_str())
                .bind(i64::from(s.max_statement_chars))
                .bind(i64::from(s.dots_per_participant))
                .bind(perspectives_to_text(s.perspectives))
                .bind(s.read_only)
                .bind(s.attribution)
                .bind(s.created_by.map(|u| u.0))
                .bind(s.now)
                .bind(p1.as_str())
                .bind(p2.as_str())
                .bind(p3.as_str())
                .bind(p4.as_str())
                .fetch_one(&mut *tx)
                .await
                .map_err(db)? })?
        });
        row.try_into()
    }

    /// A session of `org`. Another organisation's session is `NotFound`.
    pub async fn live_session(&self, scope: &OrgScope, id: LiveSessionId) -> Result<LiveSession> {
        let sql = format!(
            "SELECT {SESSION_COLS} FROM live_sessions WHERE id = $1 AND organisation_id = $2"
        );
        let row: Option<LiveSessionRow> = with_pool!(self.store.backend, pool => {
            sqlx::query_as(&sql).bind(id.0).bind(scope.organisation().0).fetch_optional(pool).await.map_err(db)?
        });
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// The session again (after a change), for the live machinery that holds its scope.
    pub async fn reload(&self, scope: SessionScope) -> Result<LiveSession> {
        let sql = format!(
            "SELECT {SESSION_COLS} FROM live_sessions WHERE id = $1 AND organisation_id = $2"
        );
        let row: Option<LiveSessionRow> = with_pool!(self.store.backend, pool => {
            sqlx::query_as(&sql)
                .bind(scope.session.0)
                .bind(scope.organisation.0)
                .fetch_optional(pool)
                .await
                .map_err(db)?
        });
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    pub async fn live_session_by_code(&self, code: &str) -> Result<Option<LiveSession>> {
        let sql = format!("SELECT {SESSION_COLS} FROM live_sessions WHERE join_code = $1");
        let row: Option<LiveSessionRow> = with_pool!(self.store.backend, pool => {
            sqlx::query_as(&sql).bind(code).fetch_optional(pool).await.map_err(db)?
        });
        row.map(TryInto::try_into).transpose()
    }

    pub async fn live_sessions(&self, scope: &OrgScope) -> Result<Vec<LiveSession>> {
        let sql = format!(
            "SELECT {SESSION_COLS} FROM live_sessions WHERE organisation_id = $1 ORDER BY created_at DESC, id DESC"
        );
        let rows: Vec<LiveSessionRow> = with_pool!(self.store.backend, pool => {
            sqlx::query_as(&sql).bind(scope.organisation().0).fetch_all(pool).await.map_err(db)?
        });
        rows.into_iter().map(TryInto::try_into).collect()
    }

    pub async fn session_counts(&self, scope: SessionScope) -> Result<SessionCounts> {
        let (participants, statements, votes): (i64, i64, i64) = with_pool!(self.store.backend, pool => {
            sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM session_participants WHERE session_id = $1 AND organisation_id = $2),
                        (SELECT COUNT(*) FROM session_statements WHERE session_id = $1 AND organisation_id = $2 AND status = 'accepted'),
                        (SELECT COUNT(*) FROM session_votes WHERE session_id = $1 AND organisation_id = $2)",
            )
            .bind(scope.session.0)
            .bind(scope.organisation.0)
            .fetch_one(pool)
            .await
            .map_err(db)?
        });
        Ok(SessionCounts {
            participants,
            statements,
            votes,
        })
    }

    pub async fn set_phases(
        &self,
        scope: SessionScope,
        phases: Phases,
        now: Timestamp,
    ) -> Result<()> {
        let [a, b, c, d] = phases.states();
        // Closing the last phase finishes the session: the display names go in
        // the same transaction, so no name is kept beside the votes once the
        // session is done (a reopened session goes on without them).
        let finished = d == PhaseState::Closed;
        let done = with_pool!(self.store.backend, pool => {
            crate::write_tx!(pool, tx => {
                let done = sqlx::query(
                    "UPDATE live_sessions SET phase_inbreng = $1, phase_stemmen = $2, phase_prioriteren = $3,
                       phase_afronden = $4, updated_at = $5 WHERE id = $6 AND organisation_id = $7 AND NOT read_only",
                )
                .bind(a.as_str())
                .bind(b.as_str())
                .bind(c.as_str())
                .bind(d.as_str())
                .bind(now)
                .bind(scope.session.0)
                .bind(scope.organisation.0)
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
                if done > 0 && finished {
                    sqlx::query(
                        "UPDATE session_participants SET display_name = ''
                         WHERE session_id = $1 AND organisation_id = $2 AND display_name <> ''",
                    )
                    .bind(scope.session.0)
                    .bind(scope.organisation.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                }
                done
            })?
        });
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    pub async fn set_join_open_until(&self, scope: SessionScope, until: Timestamp) -> Result<()> {
        with_pool!(self.store.backend, pool => {
            sqlx::query("UPDATE live_sessions SET join_open_until = $1 WHERE id = $2 AND organisation_id = $3")
                .bind(until)
                .bind(scope.session.0)
                .bind(scope.organisation.0)
                .execute(pool)
                .await
                .map_err(db)?;
        });
        Ok(())
    }

    // ---- participants -------------------------------------------------------

    pub async fn join_session(
        &self,
        session: &LiveSession,
        token_hash: &str,
        perspective: &str,
        display_name: &str,
        now: Timestamp,
    ) -> Result<ParticipantId> {
        let id: i64 = with_pool!(self.store.backend, pool => {
            // In a transaction of its own: on SQLite a RETURNING row read
            // with fetch_one comes back before the statement is done, so a
            // failed autocommit would go unseen; the commit reports it.
            crate::write_tx!(pool, tx => { sqlx::query_scalar(
                "INSERT INTO session_participants (organisation_id, session_id, token_hash, perspective, display_name, joined_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(session.organisation_id.0)
            .bind(session.id.0)
            .bind(token_hash)
            .bind(perspective)
            .bind(display_name)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(db)? })?
        });
        Ok(ParticipantId(id))
    }

    /// The participant behind a token, only within the given session: a token from
    /// another session is as unknown as a forged one.
    pub async fn participant_by_token(
        &self,
        session: SessionScope,
        token_hash: &str,
    ) -> Result<Option<ParticipantRow>> {
        Ok(with_pool!(self.store.backend, pool => {
            sqlx::query_as(
                "SELECT id, perspective, display_name, joined_at, external_id FROM session_participants
                 WHERE session_id = $1 AND token_hash = $2 AND organisation_id = $3",
            )
            .bind(session.session.0)
            .bind(token_hash)
            .bind(session.organisation.0)
            .fetch_optional(pool)
            .await
            .map_err(db)?
        }))
    }

    pub async fn participants(&self, session: SessionScope) -> Result<Vec<ParticipantRow>> {
        Ok(with_pool!(self.store.backend, pool => {
            sqlx::query_as(
                "SELECT id, perspective, display_name, joined_at, external_id FROM session_participants
                 WHERE session_id = $1 AND organisation_id = $2 ORDER BY id",
            )
            .bind(session.session.0)
            .bind(session.organisation.0)
            .fetch_all(pool)
            .await
            .map_err(db)?
        }))
    }

    // ---- statements ---------------------------------------------------------

    pub async fn add_statement(
        &self,
        session: &LiveSession,
        s: NewStatement<'_>,
    ) -> Result<SessionStatement> {
        let sql = format!(
            "INSERT INTO session_statements (organisation_id, session_id, participant_id, is_seed, text, status,
               profanity_hint, created_at, external_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {STATEMENT_COLS}"
        );
        let row: StatementRow = with_pool!(self.store.backend, pool => {
            // In a transaction of its own: on SQLite a RETURNING row read
            // with fetch_one comes back before the statement is done, so a
            // failed autocommit would go unseen; the commit reports it.
            crate::write_tx!(pool, tx => { sqlx::query_as(&sql)
                .bind(session.organisation_id.0)
                .bind(session.id.0)
                .bind(s.participant_id.map(|p| p.0))
                .bind(s.is_seed)
                .bind(s.text)
                .bind(s.status.as_str())
                .bind(s.profanity_hint)
                .bind(s.now)
                .bind(s.external_id)
                .fetch_one(&mut *tx)
                .await
                .map_err(db)? })?
        });
        row.try_into()
    }

    /// Whether this participant already submitted exactly this text: a double
    /// submit (a second tap, a resent form) must not create a second statement.
    pub async fn statement_exists(
        &self,
        session: SessionScope,
        participant: ParticipantId,
        text: &str,
    ) -> Result<bool> {
        let n: i64 = with_pool!(self.store.backend, pool => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM session_statements
                 WHERE session_id = $1 AND participant_id = $2 AND text = $3 AND organisation_id = $4",
            )
            .bind(session.session.0)
            .bind(participant.0)
            .bind(text)
            .bind(session.organisation.0)
            .fetch_one(pool)
            .await
            .map_err(db)?
        });
        Ok(n > 0)
    }

    pub async fn statements(&self, session: SessionScope) -> Result<Vec<SessionStatement>> {
        let sql = format!(
            "SELECT {STATEMENT_COLS} FROM session_statements WHERE session_id = $1 AND organisation_id = $2 ORDER BY id"
        );
        let rows: Vec<StatementRow> = with_pool!(self.store.backend, pool => {
            sqlx::query_as(&sql)
                .bind(session.session.0)
                .bind(session.organisation.0)
                .fetch_all(pool)
                .await
                .map_err(db)?
        });
        rows.into_iter().map(TryInto::try_into).collect()
    }

    pub async fn moderate_statement(
        &self,
        session: SessionScope,
        statement: StatementId,
        status: StatementStatus,
    ) -> Result<()> {
        let done = with_pool!(self.store.backend, pool => {
            sqlx::query(
                "UPDATE session_statements SET status = $1
                 WHERE id = $2 AND session_id = $3 AND organisation_id = $4 AND status <> 'merged'",
            )
            .bind(status.as_str())
            .bind(statement.0)
            .bind(session.session.0)
            .bind(session.organisation.0)
            .execute(pool)
            .await
            .map_err(db)?
            .rows_affected()
        });
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    // ---- votes --------------------------------------------------------------

    /// Writes a batch of votes in one statement per thousand votes, in one
    /// transaction. A vote replaces the participant's earlier vote on the same
    /// statement (idempotent, and a vote may change). A vote is only written if its
    /// statement is an accepted statement of the same session and its participant
    /// belongs to that session; the returned flags say which were. Within a batch
    /// the last vote per participant and statement wins.
    ///
    /// One multi-row statement rather than a statement per vote: on PostgreSQL each
    /// statement is a round trip, and a few thousand round trips a second would
    /// make the writer the bottleneck.
    pub async fn record_votes(&self, votes: &[VoteRecord]) -> Result<Vec<bool>> {
        use std::collections::{HashMap, HashSet};
        // The last occurrence of each (participant, statement) is the one written.
        let mut last: HashMap<(i64, i64), usize> = HashMap::new();
        for (i, v) in votes.iter().enumerate() {
            last.insert((v.participant_id.0, v.statement_id.0), i);
        }
        let mut unique: Vec<usize> = last.values().copied().collect();
        unique.sort_unstable();
        let mut written: HashSet<(i64, i64)> = HashSet::new();
        with_pool!(self.store.backend, pool => {
            crate::write_tx!(pool, tx => {
            for chunk in unique.chunks(1000) {
                let mut sql = String::from(
                    "INSERT INTO session_votes (organisation_id, session_id, statement_id, participant_id, vote, voted_at)
                     SELECT v.column1, v.column2, v.column3, v.column4, v.column5, v.column6 FROM (VALUES ",
                );
                for (n, _) in chunk.iter().enumerate() {
                    let b = n * 6;
                    if n > 0 {
                        sql.push(',');
                    }
                    sql.push_str(&format!("(${}, ${}, ${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4, b + 5, b + 6));
                }
                sql.push_str(
                    ") AS v
                     WHERE EXISTS (SELECT 1 FROM session_statements s
                                   WHERE s.id = v.column3 AND s.session_id = v.column2 AND s.status = 'accepted')
                       AND EXISTS (SELECT 1 FROM session_participants p WHERE p.id = v.column4 AND p.session_id = v.column2)
                     ON CONFLICT (participant_id, statement_id)
                     DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at
                     RETURNING participant_id, statement_id",
                );
                let mut q = sqlx::query_as::<_, (i64, i64)>(&sql);
                for &i in chunk {
                    let v = &votes[i];
                    q = q
                        .bind(v.scope.organisation.0)
                        .bind(v.scope.session.0)
                        .bind(v.statement_id.0)
                        .bind(v.participant_id.0)
                        .bind(v.vote.value())
                        .bind(v.at);
                }
                for key in q.fetch_all(&mut *tx).await.map_err(db)? {
                    written.insert(key);
                }
            }
            })
        })?;
        Ok(votes
            .iter()
            .map(|v| written.contains(&(v.participant_id.0, v.statement_id.0)))
            .collect())
    }

    pub async fn votes(&self, session: SessionScope) -> Result<Vec<VoteRow>> {
        Ok(with_pool!(self.store.backend, pool => {
            sqlx::query_as(
                "SELECT participant_id, statement_id, vote, voted_at FROM session_votes
                 WHERE session_id = $1 AND organisation_id = $2 ORDER BY voted_at, participant_id, statement_id",
            )
            .bind(session.session.0)
            .bind(session.organisation.0)
            .fetch_all(pool)
            .await
            .map_err(db)?
        }))
    }

    /// Where catching up on other instances' writes starts (PostgreSQL): the
    /// current snapshot, as `pg_snapshot` text. Taken *before* a room loads its
    /// rows, so that everything the load could have missed is newer than the mark.
    /// `None` on SQLite, which one instance serves alone.
    pub async fn catch_up_mark(&self) -> Result<Option<CatchUpMark>> {
        match &self.store.backend {
            crate::Backend::Sqlite(_) => Ok(None),
            crate::Backend::Postgres(pool) => {
                let snapshot: String = sqlx::query_scalar("SELECT pg_current_snapshot()::text")
                    .fetch_one(pool)
                    .await
                    .map_err(db)?;
                Ok(Some(CatchUpMark(snapshot)))
            }
        }
    }

    /// Every vote and participant of the session written by a transaction that was
    /// not yet visible under `mark`, and the mark to ask with next time.
    ///
    /// Why transactions and not a time or an id: a row's `voted_at` or id is fixed
    /// when its transaction *starts* writing, but it becomes readable when the
    /// transaction *commits*, in whatever order the commits happen. Visibility
    /// in a snapshot is exactly "committed before", so the rows not visible under
    /// the last mark and visible under the new one are exactly the rows committed
    /// in between, however late. Everything is read in one repeatable-read
    /// transaction, so the new mark is the snapshot the rows were read under.
    /// Rows this instance wrote itself come back too; applying them is a no-op.
    pub async fn changes_since(
        &self,
        session: SessionScope,
        mark: &CatchUpMark,
    ) -> Result<SessionChanges> {
        let crate::Backend::Postgres(pool) = &self.store.backend else {
            return Ok(SessionChanges {
                mark: mark.clone(),
                votes: vec![],
                participants: vec![],
            });
        };
        let mut tx = pool.begin().await.map_err(db)?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        // The first query fixes the transaction's snapshot; this is it.
        let snapshot: String = sqlx::query_scalar("SELECT pg_current_snapshot()::text")
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
        // `>= xmin` only lets the index skip what every snapshot since sees;
        // the visibility test is what decides.
        let votes: Vec<VoteRow> = sqlx::query_as(
            "SELECT participant_id, statement_id, vote, voted_at FROM session_votes
             WHERE session_id = $1 AND organisation_id = $2
               AND written_xid >= pg_snapshot_xmin($3::pg_snapshot)
               AND NOT pg_visible_in_snapshot(written_xid, $3::pg_snapshot)",
        )
        .bind(session.session.0)
        .bind(session.organisation.0)
        .bind(&mark.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        let participants: Vec<ParticipantRow> = sqlx::query_as(
            "SELECT id, perspective, display_name, joined_at, external_id FROM session_participants
             WHERE session_id = $1 AND organisation_id = $2
               AND written_xid >= pg_snapshot_xmin($3::pg_snapshot)
               AND NOT pg_visible_in_snapshot(written_xid, $3::pg_snapshot)
             ORDER BY id",
        )
        .bind(session.session.0)
        .bind(session.organisation.0)
        .bind(&mark.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(SessionChanges {
            mark: CatchUpMark(snapshot),
            votes,
            participants,
        })
    }

    pub async fn participant_votes(
        &self,
        session: SessionScope,
        participant: ParticipantId,
    ) -> Result<Vec<VoteRow>> {
        Ok(with_pool!(self.store.backend, pool => {
            sqlx::query_as(
                "SELECT participant_id, statement_id, vote, voted_at FROM session_votes
                 WHERE session_id = $1 AND participant_id = $2 AND organisation_id = $3",
            )
            .bind(session.session.0)
            .bind(participant.0)
            .bind(session.organisation.0)
            .fetch_all(pool)
            .await
            .map_err(db)?
        }))
    }

    // ---- dots ---------------------------------------------------------------

    /// Replaces a participant's dots in one transaction.
    pub async fn set_dots(
        &self,
        session: &LiveSession,
        participant: ParticipantId,
        allocation: &std::collections::BTreeMap<i64, u32>,
    ) -> Result<()> {
        with_pool!(self.store.backend, pool => {
            crate::write_tx!(pool, tx => {
            sqlx::query("DELETE FROM session_dots WHERE session_id = $1 AND participant_id = $2")
                .bind(session.id.0)
                .bind(participant.0)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            for (statement, dots) in allocation {
                let n = sqlx::query(
                    "INSERT INTO session_dots (organisation_id, session_id, participant_id, statement_id, dots)
                     SELECT $1, $2, $3, $4, $5
                     WHERE EXISTS (SELECT 1 FROM session_statements s
                                   WHERE s.id = $4 AND s.session_id = $2 AND s.status = 'accepted')",
                )
                .bind(session.organisation_id.0)
                .bind(session.id.0)
                .bind(participant.0)
                .bind(*statement)
                .bind(i64::from(*dots))
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
                if n == 0 {
                    // Rolls back: a dot on a foreign statement voids the whole allocation.
                    return Err(StoreError::NotFound);
                }
            }
            })
        })
    }

    /// (statement, participant, dots) for the whole session.
    pub async fn dots(&self, session: SessionScope) -> Result<Vec<(i64, i64, i64)>> {
        Ok(with_pool!(self.store.backend, pool => {
            sqlx::query_as(
                "SELECT statement_id, participant_id, dots FROM session_dots
                 WHERE session_id = $1 AND organisation_id = $2 ORDER BY statement_id, participant_id",
            )
            .bind(session.session.0)
            .bind(session.organisation.0)
            .fetch_all(pool)
            .await
            .map_err(db)?
        }))
    }

    /// One participant's dots: (statement, dots). Their own page reads these,
    /// never the whole room's (which would be N² across a room at a phase change).
    pub async fn participant_dots(
        &self,
        session: SessionScope,
        participant: ParticipantId,
    ) -> Result<Vec<(i64, i64)>> {
        Ok(with_pool!(self.store.backend, pool => {
            sqlx::query_as(
                "SELECT statement_id, dots FROM session_dots
                 WHERE participant_id = $1 AND session_id = $2 AND organisation_id = $3
                 ORDER BY statement_id",
            )
            .bind(participant.0)
            .bind(session.session.0)
            .bind(session.organisation.0)
            .fetch_all(pool)
            .await
            .map_err(db)?
        }))
    }

    /// Dots per statement, summed in the database: (statement, total).
    pub async fn dot_totals(&self, session: SessionScope) -> Result<Vec<(i64, i64)>> {
        Ok(with_pool!(self.store.backend, pool => {
            sqlx::query_as(
                "SELECT statement_id, CAST(SUM(dots) AS BIGINT) FROM session_dots d
                 WHERE session_id = $1 AND organisation_id = $2
                   -- A merged duplicate's own dots are kept but count no more.
                   AND NOT EXISTS (SELECT 1 FROM session_statements s
                                   WHERE s.id = d.statement_id AND s.status = 'merged')
                 GROUP BY statement_id ORDER BY statement_id",
            )
            .bind(session.session.0)
            .bind(session.organisation.0)
            .fetch_all(pool)
            .await
            .map_err(db)?
        }))
    }

    // ---- next steps ---------------------------------------------------------

    pub async fn add_next_step(
        &self,
        session: &LiveSession,
        text: &str,
        owner: &str,
        now: Timestamp,
    ) -> Result<()> {
        with_pool!(self.store.backend, pool => {
            sqlx::query(
                "INSERT INTO session_next_steps (organisation_id, session_id, text, owner, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(session.organisation_id.0)
            .bind(session.id.0)
            .bind(text)
            .bind(owner)
            .bind(now)
            .execute(pool)
            .await
            .map_err(db)?;
        });
        Ok(())
    }

    pub async fn update_next_step(
        &self,
        session: SessionScope,
        id: i64,
        text: &str,
        owner: &str,
    ) -> Result<()> {
        let done = with_pool!(self.store.backend, pool => {
            sqlx::query(
                "UPDATE session_next_steps SET text = $1, owner = $2 WHERE id = $3 AND session_id = $4 AND organisation_id = $5",
            )
            .bind(text)
            .bind(owner)
            .bind(id)
            .bind(session.session.0)
            .bind(session.organisation.0)
            .execute(pool)
            .await
            .map_err(db)?
            .rows_affected()
        });
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    pub async fn delete_next_step(&self, session: SessionScope, id: i64) -> Result<()> {
        let done = with_pool!(self.store.backend, pool => {
            sqlx::query("DELETE FROM session_next_steps WHERE id = $1 AND session_id = $2 AND organisation_id = $3")
                .bind(id)
                .bind(session.session.0)
                .bind(session.organisation.0)
                .execute(pool)
                .await
                .map_err(db)?
                .rows_affected()
        });
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    pub async fn next_steps(&self, session: SessionScope) -> Result<Vec<NextStep>> {
        Ok(with_pool!(self.store.backend, pool => {
            sqlx::query_as(
                "SELECT id, text, owner, created_at FROM session_next_steps
                 WHERE session_id = $1 AND organisation_id = $2 ORDER BY id",
            )
                .bind(session.session.0)
                .bind(session.organisation.0)
                .fetch_all(pool)
                .await
                .map_err(db)?
        }))
    }

    // ---- import -------------------------------------------------------------

    /// Stores a whole conversation (e.g. a Pol.is export) in one transaction:
    /// participants by external id with their perspective, statements, and votes.
    /// Returns nothing half-written: any error rolls everything back.
    pub async fn import_conversation(
        &self,
        session: &LiveSession,
        participants: &[(i64, String)],
        statements: &[(i64, String, bool)],
        votes: &[(i64, i64, VoteChoice, Timestamp)],
    ) -> Result<()> {
        use std::collections::HashMap;
        with_pool!(self.store.backend, pool => {
            crate::write_tx!(pool, tx => {
            let mut pids: HashMap<i64, i64> = HashMap::new();
            for (ext, perspective) in participants {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO session_participants (organisation_id, session_id, token_hash, perspective, joined_at, external_id)
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(session.organisation_id.0)
                .bind(session.id.0)
                .bind(format!("import:{}:{ext}", session.id.0))
                .bind(perspective)
                .bind(session.created_at)
                .bind(*ext)
                .fetch_one(&mut *tx)
                .await
                .map_err(db)?;
                pids.insert(*ext, id);
            }
            let mut sids: HashMap<i64, i64> = HashMap::new();
            for (ext, text, moderated_out) in statements {
                let status = if *moderated_out { StatementStatus::Rejected } else { StatementStatus::Accepted };
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO session_statements (organisation_id, session_id, is_seed, text, status, created_at, external_id)
                     VALUES ($1, $2, FALSE, $3, $4, $5, $6) RETURNING id",
                )
                .bind(session.organisation_id.0)
                .bind(session.id.0)
                .bind(text)
                .bind(status.as_str())
                .bind(session.created_at)
                .bind(*ext)
                .fetch_one(&mut *tx)
                .await
                .map_err(db)?;
                sids.insert(*ext, id);
            }
            // The latest vote per participant and statement wins (a vote log may hold
            // changes of mind); PostgreSQL refuses one INSERT that hits a row twice.
            let mut latest: std::collections::BTreeMap<(i64, i64), (i16, Timestamp)> = std::collections::BTreeMap::new();
            for (voter, statement, vote, at) in votes {
                if let (Some(p), Some(s)) = (pids.get(voter), sids.get(statement)) {
                    latest.insert((*p, *s), (vote.value(), *at));
                }
            }
            let all: Vec<(i64, i64, i16, Timestamp)> = latest.into_iter().map(|((p, s), (v, at))| (s, p, v, at)).collect();
            // Multi-row inserts: one statement per chunk keeps a big import quick.
            for chunk in all.chunks(500) {
                let mut sql = String::from(
                    "INSERT INTO session_votes (organisation_id, session_id, statement_id, participant_id, vote, voted_at) VALUES ",
                );
                let rows = chunk.to_vec();
                for (i, _) in rows.iter().enumerate() {
                    let b = i * 4;
                    if i > 0 {
                        sql.push(',');
                    }
                    sql.push_str(&format!("($1, $2, ${}, ${}, ${}, ${})", b + 3, b + 4, b + 5, b + 6));
                }
                sql.push_str(" ON CONFLICT (participant_id, statement_id) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at");
                let mut q = sqlx::query(&sql).bind(session.organisation_id.0).bind(session.id.0);
                for (s, p, v, at) in rows {
                    q = q.bind(s).bind(p).bind(v).bind(at);
                }
                q.execute(&mut *tx).await.map_err(db)?;
            }
            })
        })
    }
}

/// The current phase as the participants' screens should show it.
pub fn current_phase(s: &LiveSession) -> Option<Phase> {
    s.phases.current()
}

#[path = "sessie_share.rs"]
mod share;
pub use share::ShareLink;
