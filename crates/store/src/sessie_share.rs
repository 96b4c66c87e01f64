//! Read-only results links of a session. The token is the key to one session's
//! results and nothing else; only its SHA-256 is stored, as for invitations. A
//! link found by its token carries the session's scope, the same way a join code
//! does, so the shared page reads that one session's rows and no other.

use super::{db, LiveSession, LiveSessionRow, SessieStore, SessionScope, SESSION_COLS};
use crate::{with_pool, Result, StoreError};
use koers_core::links::LinkDates;
use koers_core::{Timestamp, UserId};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ShareLink {
    pub id: i64,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

impl ShareLink {
    /// The dates the core's link rule decides on (a results link is never "used").
    pub fn dates(&self) -> LinkDates {
        LinkDates {
            expires_at: self.expires_at,
            used_at: None,
            revoked_at: self.revoked_at,
        }
    }
}

const LINK_COLS: &str = "id, created_at, expires_at, revoked_at";

impl SessieStore<'_> {
    /// A new results link of this session.
    pub async fn create_share_link(
        &self,
        scope: SessionScope,
        token_hash: &str,
        created_by: UserId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<ShareLink> {
        let sql = format!(
            "INSERT INTO session_share_links (organisation_id, session_id, token_hash, created_by, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING {LINK_COLS}"
        );
        Ok(with_pool!(self.store.backend, pool => {
            // RETURNING read with fetch_one: in a transaction of its own, so the
            // commit reports a failed write before the facilitator sees the link.
            crate::write_tx!(pool, tx => { sqlx::query_as(&sql)
                .bind(scope.organisation().0)
                .bind(scope.session().0)
                .bind(token_hash)
                .bind(created_by.0)
                .bind(now)
                .bind(expires_at)
                .fetch_one(&mut *tx)
                .await
                .map_err(db)? })?
        }))
    }

    /// The session's results links, newest first.
    pub async fn share_links(&self, scope: SessionScope) -> Result<Vec<ShareLink>> {
        let sql = format!(
            "SELECT {LINK_COLS} FROM session_share_links WHERE session_id = $1 AND organisation_id = $2
             ORDER BY created_at DESC, id DESC"
        );
        Ok(with_pool!(self.store.backend, pool => {
            sqlx::query_as(&sql)
                .bind(scope.session().0)
                .bind(scope.organisation().0)
                .fetch_all(pool)
                .await
                .map_err(db)?
        }))
    }

    /// Revokes a link of this session. Another session's link, or one already
    /// revoked, is `NotFound`.
    pub async fn revoke_share_link(
        &self,
        scope: SessionScope,
        id: i64,
        now: Timestamp,
    ) -> Result<()> {
        let done = with_pool!(self.store.backend, pool => {
            sqlx::query(
                "UPDATE session_share_links SET revoked_at = $1
                 WHERE id = $2 AND session_id = $3 AND organisation_id = $4 AND revoked_at IS NULL",
            )
            .bind(now)
            .bind(id)
            .bind(scope.session().0)
            .bind(scope.organisation().0)
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

    /// The link behind a token and its session, whatever the link's status (the
    /// page tells an expired link from an unknown one).
    pub async fn share_link_by_token_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<(ShareLink, LiveSession)>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            link_id: i64,
            link_created_at: i64,
            link_expires_at: i64,
            link_revoked_at: Option<i64>,
            session_id: i64,
            organisation_id: i64,
        }
        let row: Option<Row> = with_pool!(self.store.backend, pool => {
            sqlx::query_as(
                "SELECT id AS link_id, created_at AS link_created_at, expires_at AS link_expires_at,
                        revoked_at AS link_revoked_at, session_id, organisation_id
                 FROM session_share_links WHERE token_hash = $1",
            )
            .bind(token_hash)
            .fetch_optional(pool)
            .await
            .map_err(db)?
        });
        let Some(r) = row else { return Ok(None) };
        let sql = format!(
            "SELECT {SESSION_COLS} FROM live_sessions WHERE id = $1 AND organisation_id = $2"
        );
        let session: Option<LiveSessionRow> = with_pool!(self.store.backend, pool => {
            sqlx::query_as(&sql)
                .bind(r.session_id)
                .bind(r.organisation_id)
                .fetch_optional(pool)
                .await
                .map_err(db)?
        });
        let Some(session) = session else {
            return Ok(None);
        };
        Ok(Some((
            ShareLink {
                id: r.link_id,
                created_at: r.link_created_at,
                expires_at: r.link_expires_at,
                revoked_at: r.link_revoked_at,
            },
            session.try_into()?,
        )))
    }
}
