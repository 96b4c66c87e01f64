//! The facilitator's moderation beyond accept and reject (edit, merge), the
//! dot-voting ballot's edits and freeze, and the session's log. Every change
//! writes its log entry in the same transaction, so the log never says
//! something happened that did not, nor misses something that did.

use super::{db, invalid, SessieStore, SessionScope, StatementStatus, STATEMENT_COLS};
use crate::{Result, StoreError};
use koers_core::sessie::{
    carried_over, check_merge, BallotEdit, MergeError, MergeSide, SessionLogAction, VoteChoice,
};
use koers_core::{ParticipantId, StatementId, Timestamp, UserId};
use std::collections::BTreeMap;

/// One entry of a session's log, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionLogEntry {
    pub action: SessionLogAction,
    /// The facilitator's display name; empty once the account is gone.
    pub actor: String,
    pub statement_id: Option<StatementId>,
    pub other_statement_id: Option<StatementId>,
    pub text: String,
    pub previous_text: String,
    pub detail: String,
    pub created_at: Timestamp,
}

/// A log entry to write.
#[derive(Debug, Clone, Copy)]
pub struct NewLogEntry<'a> {
    pub action: SessionLogAction,
    pub actor: Option<UserId>,
    pub statement_id: Option<StatementId>,
    pub other_statement_id: Option<StatementId>,
    pub text: &'a str,
    pub previous_text: &'a str,
    pub detail: &'a str,
    pub now: Timestamp,
}

impl<'a> NewLogEntry<'a> {
    /// An entry with only an action, its author and its time.
    pub fn new(action: SessionLogAction, actor: UserId, now: Timestamp) -> Self {
        Self {
            action,
            actor: Some(actor),
            statement_id: None,
            other_statement_id: None,
            text: "",
            previous_text: "",
            detail: "",
            now,
        }
    }

    pub fn statement(mut self, id: StatementId, text: &'a str) -> Self {
        self.statement_id = Some(id);
        self.text = text;
        self
    }

    pub fn detail(mut self, detail: &'a str) -> Self {
        self.detail = detail;
        self
    }
}

/// What a merge carried over onto the surviving statement.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeOutcome {
    /// Votes of participants who had voted only on the duplicate, now theirs
    /// on the survivor.
    pub votes: Vec<(ParticipantId, VoteChoice)>,
    /// How many participants' dots were carried over.
    pub dots: usize,
}

/// Why an edit or ballot change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ConsoleRefusal {
    #[error("the statement was merged into another one")]
    Merged,
    #[error("the ballot was fixed when prioriteren opened")]
    BallotFrozen,
    #[error(transparent)]
    Merge(#[from] MergeError),
}

const LOG_INSERT: &str =
    "INSERT INTO session_log (organisation_id, session_id, actor_user_id, action,
    statement_id, other_statement_id, text, previous_text, detail, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

/// The row of one statement the checks below need.
#[derive(sqlx::FromRow)]
struct Side {
    text: String,
    status: String,
    merged_into: Option<i64>,
}

impl SessieStore<'_> {
    /// Writes one log entry on its own (a single autocommit statement).
    pub async fn add_log(&self, scope: SessionScope, e: NewLogEntry<'_>) -> Result<()> {
        crate::with_pool!(self.store.backend, pool => {
            bind_log(sqlx::query(LOG_INSERT), scope, &e)
                .execute(pool)
                .await
                .map_err(db)?;
        });
        Ok(())
    }

    /// The session's log, oldest first.
    pub async fn session_log(&self, scope: SessionScope) -> Result<Vec<SessionLogEntry>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            action: String,
            actor: Option<String>,
            statement_id: Option<i64>,
            other_statement_id: Option<i64>,
            text: String,
            previous_text: String,
            detail: String,
            created_at: i64,
        }
        let rows: Vec<Row> = crate::with_pool!(self.store.backend, pool => {
            sqlx::query_as(
                "SELECT l.action, u.display_name AS actor, l.statement_id, l.other_statement_id,
                        l.text, l.previous_text, l.detail, l.created_at
                 FROM session_log l LEFT JOIN users u ON u.id = l.actor_user_id
                 WHERE l.session_id = $1 AND l.organisation_id = $2 ORDER BY l.id",
            )
            .bind(scope.session().0)
            .bind(scope.organisation().0)
            .fetch_all(pool)
            .await
            .map_err(db)?
        });
        rows.into_iter()
            .map(|r| {
                Ok(SessionLogEntry {
                    action: SessionLogAction::parse(&r.action)
                        .ok_or_else(|| invalid("session log action"))?,
                    actor: r.actor.unwrap_or_default(),
                    statement_id: r.statement_id.map(StatementId),
                    other_statement_id: r.other_statement_id.map(StatementId),
                    text: r.text,
                    previous_text: r.previous_text,
                    detail: r.detail,
                    created_at: r.created_at,
                })
            })
            .collect()
    }

    /// Replaces a statement's text with the facilitator's correction. The
    /// author's text is kept (`original_text`, set on the first edit only) and
    /// the log records the text before and after. Votes stay: an edit is for a
    /// typo, not for another statement. A merged statement is refused.
    pub async fn edit_statement(
        &self,
        scope: SessionScope,
        statement: StatementId,
        text: &str,
        profanity_hint: bool,
        actor: UserId,
        now: Timestamp,
    ) -> Result<std::result::Result<(), ConsoleRefusal>> {
        crate::with_pool!(self.store.backend, pool => {
            crate::write_tx!(pool, tx => {
                let side: Option<Side> = sqlx::query_as(
                    "SELECT text, status, merged_into FROM session_statements
                     WHERE id = $1 AND session_id = $2 AND organisation_id = $3",
                )
                .bind(statement.0)
                .bind(scope.session().0)
                .bind(scope.organisation().0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
                let side = side.ok_or(StoreError::NotFound)?;
                if side.status == StatementStatus::Merged.as_str() {
                    Err(ConsoleRefusal::Merged)
                } else {
                    sqlx::query(
                        "UPDATE session_statements
                         SET original_text = COALESCE(original_text, text), text = $1, profanity_hint = $2
                         WHERE id = $3 AND session_id = $4 AND organisation_id = $5",
                    )
                    .bind(text)
                    .bind(profanity_hint)
                    .bind(statement.0)
                    .bind(scope.session().0)
                    .bind(scope.organisation().0)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    let mut e = NewLogEntry::new(SessionLogAction::Edited, actor, now)
                        .statement(statement, text);
                    e.previous_text = &side.text;
                    bind_log(sqlx::query(LOG_INSERT), scope, &e)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    Ok(())
                }
            })
        })
    }

    /// Merges `duplicate` into `survivor`, in one transaction: the duplicate
    /// becomes `merged` (out of every list and count, its own votes and dots
    /// kept as its own), and each participant who voted (or put dots) on the
    /// duplicate but not on the survivor gets that vote (those dots) on the
    /// survivor, marked `merged_from`. Refusals: see [`check_merge`].
    pub async fn merge_statements(
        &self,
        scope: SessionScope,
        duplicate: StatementId,
        survivor: StatementId,
        actor: UserId,
        now: Timestamp,
    ) -> Result<std::result::Result<MergeOutcome, ConsoleRefusal>> {
        let (session, org) = (scope.session().0, scope.organisation().0);
        crate::with_pool!(self.store.backend, pool => {
            crate::write_tx!(pool, tx => {
                let mut sides = vec![];
                for id in [duplicate, survivor] {
                    let side: Option<Side> = sqlx::query_as(
                        "SELECT text, status, merged_into FROM session_statements
                         WHERE id = $1 AND session_id = $2 AND organisation_id = $3",
                    )
                    .bind(id.0)
                    .bind(session)
                    .bind(org)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?;
                    let has_duplicates: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM session_statements
                         WHERE merged_into = $1 AND session_id = $2 AND organisation_id = $3",
                    )
                    .bind(id.0)
                    .bind(session)
                    .bind(org)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db)?;
                    let check = MergeSide {
                        id,
                        in_session: side.is_some(),
                        accepted: side
                            .as_ref()
                            .is_some_and(|s| s.status == StatementStatus::Accepted.as_str()),
                        merged: side.as_ref().is_some_and(|s| {
                            s.merged_into.is_some() || s.status == StatementStatus::Merged.as_str()
                        }),
                        has_duplicates: has_duplicates > 0,
                    };
                    sides.push((check, side));
                }
                let (Some((dup_check, dup_row)), Some((surv_check, surv_row))) =
                    (sides.first(), sides.get(1))
                else {
                    return Err(StoreError::InvalidData("merge sides".into()));
                };
                match check_merge(*dup_check, *surv_check) {
                    Err(e) => Err(ConsoleRefusal::Merge(e)),
                    Ok(()) => {
                        let dup_text = dup_row.as_ref().map(|s| s.text.clone()).unwrap_or_default();
                        let surv_text = surv_row.as_ref().map(|s| s.text.clone()).unwrap_or_default();
                        let votes_of = |id: StatementId| {
                            sqlx::query_as::<_, (i64, i16)>(
                                "SELECT participant_id, vote FROM session_votes
                                 WHERE statement_id = $1 AND session_id = $2 AND organisation_id = $3",
                            )
                            .bind(id.0)
                            .bind(session)
                            .bind(org)
                        };
                        let kept: BTreeMap<i64, i16> =
                            votes_of(survivor).fetch_all(&mut *tx).await.map_err(db)?.into_iter().collect();
                        let theirs: BTreeMap<i64, i16> =
                            votes_of(duplicate).fetch_all(&mut *tx).await.map_err(db)?.into_iter().collect();
                        let mut outcome = MergeOutcome::default();
                        for (participant, vote) in carried_over(&kept, &theirs) {
                            sqlx::query(
                                "INSERT INTO session_votes (organisation_id, session_id, statement_id, participant_id,
                                   vote, voted_at, merged_from)
                                 SELECT organisation_id, session_id, $1, participant_id, vote, voted_at, statement_id
                                 FROM session_votes WHERE participant_id = $2 AND statement_id = $3 AND session_id = $4",
                            )
                            .bind(survivor.0)
                            .bind(participant)
                            .bind(duplicate.0)
                            .bind(session)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                            if let Some(choice) = VoteChoice::from_value(vote) {
                                outcome.votes.push((ParticipantId(participant), choice));
                            }
                        }
                        let dots_of = |id: StatementId| {
                            sqlx::query_as::<_, (i64, i64)>(
                                "SELECT participant_id, dots FROM session_dots
                                 WHERE statement_id = $1 AND session_id = $2 AND organisation_id = $3",
                            )
                            .bind(id.0)
                            .bind(session)
                            .bind(org)
                        };
                        let kept: BTreeMap<i64, i64> =
                            dots_of(survivor).fetch_all(&mut *tx).await.map_err(db)?.into_iter().collect();
                        let theirs: BTreeMap<i64, i64> =
                            dots_of(duplicate).fetch_all(&mut *tx).await.map_err(db)?.into_iter().collect();
                        for (participant, dots) in carried_over(&kept, &theirs) {
                            sqlx::query(
                                "INSERT INTO session_dots (organisation_id, session_id, participant_id, statement_id,
                                   dots, merged_from)
                                 VALUES ($1, $2, $3, $4, $5, $6)",
                            )
                            .bind(org)
                            .bind(session)
                            .bind(participant)
                            .bind(survivor.0)
                            .bind(dots)
                            .bind(duplicate.0)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                            outcome.dots += 1;
                        }
                        sqlx::query(
                            "UPDATE session_statements SET status = 'merged', merged_into = $1
                             WHERE id = $2 AND session_id = $3 AND organisation_id = $4",
                        )
                        .bind(survivor.0)
                        .bind(duplicate.0)
                        .bind(session)
                        .bind(org)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                        let mut e = NewLogEntry::new(SessionLogAction::Merged, actor, now)
                            .statement(duplicate, &dup_text);
                        e.other_statement_id = Some(survivor);
                        e.previous_text = &surv_text;
                        bind_log(sqlx::query(LOG_INSERT), scope, &e)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                        Ok(outcome)
                    }
                }
            })
        })
    }

    /// Puts a statement on the ballot or takes it off (`None`: as the
    /// analysis says), with its log entry. Refused once the ballot is fixed.
    pub async fn set_ballot_edit(
        &self,
        scope: SessionScope,
        statement: StatementId,
        edit: Option<BallotEdit>,
        actor: UserId,
        now: Timestamp,
    ) -> Result<std::result::Result<(), ConsoleRefusal>> {
        crate::with_pool!(self.store.backend, pool => {
            crate::write_tx!(pool, tx => {
                let frozen: Option<Option<i64>> = sqlx::query_scalar(
                    "SELECT ballot_frozen_at FROM live_sessions WHERE id = $1 AND organisation_id = $2",
                )
                .bind(scope.session().0)
                .bind(scope.organisation().0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
                let frozen = frozen.ok_or(StoreError::NotFound)?;
                let text: Option<String> = sqlx::query_scalar(
                    "SELECT text FROM session_statements
                     WHERE id = $1 AND session_id = $2 AND organisation_id = $3 AND status = 'accepted'",
                )
                .bind(statement.0)
                .bind(scope.session().0)
                .bind(scope.organisation().0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
                let text = text.ok_or(StoreError::NotFound)?;
                if frozen.is_some() {
                    Err(ConsoleRefusal::BallotFrozen)
                } else {
                    sqlx::query(
                        "UPDATE session_statements SET ballot_edit = $1
                         WHERE id = $2 AND session_id = $3 AND organisation_id = $4",
                    )
                    .bind(edit.map(BallotEdit::as_str))
                    .bind(statement.0)
                    .bind(scope.session().0)
                    .bind(scope.organisation().0)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    let action = match edit {
                        Some(BallotEdit::Added) | None => SessionLogAction::BallotAdded,
                        Some(BallotEdit::Removed) => SessionLogAction::BallotRemoved,
                    };
                    let e = NewLogEntry::new(action, actor, now).statement(statement, &text);
                    bind_log(sqlx::query(LOG_INSERT), scope, &e)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    Ok(())
                }
            })
        })
    }

    /// Fixes the ballot as prioriteren opens for the first time: the given
    /// statements in their order. Once fixed it stays (dots point at it), so a
    /// second call changes nothing and answers `false`.
    pub async fn freeze_ballot(
        &self,
        scope: SessionScope,
        ballot: &[StatementId],
        actor: UserId,
        now: Timestamp,
    ) -> Result<bool> {
        crate::with_pool!(self.store.backend, pool => {
            crate::write_tx!(pool, tx => {
                let done = sqlx::query(
                    "UPDATE live_sessions SET ballot_frozen_at = $1
                     WHERE id = $2 AND organisation_id = $3 AND ballot_frozen_at IS NULL",
                )
                .bind(now)
                .bind(scope.session().0)
                .bind(scope.organisation().0)
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
                if done > 0 {
                    for (position, id) in ballot.iter().enumerate() {
                        sqlx::query(
                            "UPDATE session_statements SET ballot_position = $1
                             WHERE id = $2 AND session_id = $3 AND organisation_id = $4",
                        )
                        .bind(position as i64)
                        .bind(id.0)
                        .bind(scope.session().0)
                        .bind(scope.organisation().0)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    }
                    let count = ballot.len().to_string();
                    let e = NewLogEntry::new(SessionLogAction::BallotFrozen, actor, now).detail(&count);
                    bind_log(sqlx::query(LOG_INSERT), scope, &e)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                }
                done > 0
            })
        })
    }

    /// One statement of the session, whatever its status.
    pub async fn statement(
        &self,
        scope: SessionScope,
        id: StatementId,
    ) -> Result<super::SessionStatement> {
        let sql = format!(
            "SELECT {STATEMENT_COLS} FROM session_statements WHERE id = $1 AND session_id = $2 AND organisation_id = $3"
        );
        let row: Option<super::StatementRow> = crate::with_pool!(self.store.backend, pool => {
            sqlx::query_as(&sql)
                .bind(id.0)
                .bind(scope.session().0)
                .bind(scope.organisation().0)
                .fetch_optional(pool)
                .await
                .map_err(db)?
        });
        row.ok_or(StoreError::NotFound)?.try_into()
    }
}

fn bind_log<'q, DB: sqlx::Database>(
    q: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>,
    scope: SessionScope,
    e: &NewLogEntry<'q>,
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>
where
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<i64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    q.bind(scope.organisation().0)
        .bind(scope.session().0)
        .bind(e.actor.map(|u| u.0))
        .bind(e.action.as_str())
        .bind(e.statement_id.map(|s| s.0))
        .bind(e.other_statement_id.map(|s| s.0))
        .bind(e.text)
        .bind(e.previous_text)
        .bind(e.detail)
        .bind(e.now)
}
