//! The room screen of a live session (`session_room_screens`, migration 0005):
//! the projector link (only its token's SHA-256), the phase the screen shows,
//! the phases whose results are hidden, and the countdown. One row per session,
//! made by the first setting the facilitator changes; no row reads as the
//! defaults (follow the phase, nothing hidden, no countdown, no link).

use crate::{with_pool, LiveSession, Result, SessieStore, SessionScope, StoreError};
use koers_core::sessie::room::{Countdown, HiddenResults, ScreenView};
use koers_core::sessie::Phase;
use koers_core::{LiveSessionId, OrganisationId, Timestamp};

/// What the room screen of a session is set to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoomScreen {
    pub view: ScreenView,
    pub hidden: HiddenResults,
    pub countdown: Option<Countdown>,
    /// When the current projector link was made; `None`: there is none.
    pub link_created_at: Option<Timestamp>,
}

#[derive(sqlx::FromRow)]
struct RoomScreenRow {
    token_created_at: Option<i64>,
    view_phase: String,
    hidden_phases: String,
    countdown_phase: String,
    countdown_ends_at: Option<i64>,
}

impl From<RoomScreenRow> for RoomScreen {
    fn from(r: RoomScreenRow) -> Self {
        Self {
            // A value this Koers does not know reads as the default.
            view: ScreenView::parse(&r.view_phase).unwrap_or_default(),
            hidden: HiddenResults::from_stored(&r.hidden_phases),
            countdown: Phase::parse(&r.countdown_phase)
                .zip(r.countdown_ends_at)
                .map(|(phase, ends_at)| Countdown { phase, ends_at }),
            link_created_at: r.token_created_at,
        }
    }
}

fn db(e: sqlx::Error) -> StoreError {
    StoreError::from_db(e)
}

/// The one statement that makes or changes a session's row: `set` names the
/// columns (fixed in this module, never from input) and their parameters from $4.
fn upsert(set: &[&str]) -> String {
    let cols: Vec<&str> = set.to_vec();
    let params: Vec<String> = (0..set.len()).map(|i| format!("${}", i + 4)).collect();
    let updates: Vec<String> = set.iter().map(|c| format!("{c} = excluded.{c}")).collect();
    format!(
        "INSERT INTO session_room_screens (session_id, organisation_id, updated_at, {})
         VALUES ($1, $2, $3, {})
         ON CONFLICT (session_id) DO UPDATE SET {}, updated_at = excluded.updated_at",
        cols.join(", "),
        params.join(", "),
        updates.join(", ")
    )
}

impl SessieStore<'_> {
    /// The room screen's settings; the defaults when nothing was set.
    pub async fn room_screen(&self, scope: SessionScope) -> Result<RoomScreen> {
        let row: Option<RoomScreenRow> = with_pool!(self.store().backend, pool => {
            sqlx::query_as(
                "SELECT token_created_at, view_phase, hidden_phases, countdown_phase, countdown_ends_at
                 FROM session_room_screens WHERE session_id = $1 AND organisation_id = $2",
            )
            .bind(scope.session().0)
            .bind(scope.organisation().0)
            .fetch_optional(pool)
            .await
            .map_err(db)?
        });
        Ok(row.map(RoomScreen::from).unwrap_or_default())
    }

    /// The session a projector link opens, by the SHA-256 of its token; `None`
    /// for an unknown or revoked one. The token is the only key: it names one
    /// session of one organisation.
    pub async fn session_by_room_token(&self, token_hash: &str) -> Result<Option<LiveSession>> {
        let found: Option<(i64, i64)> = with_pool!(self.store().backend, pool => {
            sqlx::query_as(
                "SELECT organisation_id, session_id FROM session_room_screens WHERE token_hash = $1",
            )
            .bind(token_hash)
            .fetch_optional(pool)
            .await
            .map_err(db)?
        });
        let Some((org, session)) = found else {
            return Ok(None);
        };
        let scope = SessionScope::new(OrganisationId(org), LiveSessionId(session));
        match self.reload(scope).await {
            Ok(s) => Ok(Some(s)),
            Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Makes `token_hash` the session's one projector link (the previous one stops
    /// working in the same statement), or revokes it with `None`.
    pub async fn set_room_link(
        &self,
        scope: SessionScope,
        token_hash: Option<&str>,
        now: Timestamp,
    ) -> Result<()> {
        let sql = upsert(&["token_hash", "token_created_at"]);
        with_pool!(self.store().backend, pool => {
            sqlx::query(&sql)
                .bind(scope.session().0)
                .bind(scope.organisation().0)
                .bind(now)
                .bind(token_hash)
                .bind(token_hash.map(|_| now))
                .execute(pool)
                .await
                .map_err(db)?;
        });
        Ok(())
    }

    pub async fn set_room_view(
        &self,
        scope: SessionScope,
        view: ScreenView,
        now: Timestamp,
    ) -> Result<()> {
        let sql = upsert(&["view_phase"]);
        with_pool!(self.store().backend, pool => {
            sqlx::query(&sql)
                .bind(scope.session().0)
                .bind(scope.organisation().0)
                .bind(now)
                .bind(view.as_str())
                .execute(pool)
                .await
                .map_err(db)?;
        });
        Ok(())
    }

    /// Hides or reveals one phase's results, leaving the other phases as they are
    /// (read and written in one transaction).
    pub async fn set_room_hidden(
        &self,
        scope: SessionScope,
        phase: Phase,
        hidden: bool,
        now: Timestamp,
    ) -> Result<()> {
        let sql = upsert(&["hidden_phases"]);
        with_pool!(self.store().backend, pool => {
            crate::write_tx!(pool, tx => {
                let stored: Option<String> = sqlx::query_scalar(
                    "SELECT hidden_phases FROM session_room_screens WHERE session_id = $1 AND organisation_id = $2",
                )
                .bind(scope.session().0)
                .bind(scope.organisation().0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
                let mut set = HiddenResults::from_stored(stored.as_deref().unwrap_or(""));
                set.set(phase, hidden);
                sqlx::query(&sql)
                    .bind(scope.session().0)
                    .bind(scope.organisation().0)
                    .bind(now)
                    .bind(set.to_stored())
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
            })?
        });
        Ok(())
    }

    /// Starts (or replaces) the countdown, or stops it with `None`.
    pub async fn set_countdown(
        &self,
        scope: SessionScope,
        countdown: Option<Countdown>,
        now: Timestamp,
    ) -> Result<()> {
        let sql = upsert(&["countdown_phase", "countdown_ends_at"]);
        with_pool!(self.store().backend, pool => {
            sqlx::query(&sql)
                .bind(scope.session().0)
                .bind(scope.organisation().0)
                .bind(now)
                .bind(countdown.map_or("", |c| c.phase.as_str()))
                .bind(countdown.map(|c| c.ends_at))
                .execute(pool)
                .await
                .map_err(db)?;
        });
        Ok(())
    }
}
