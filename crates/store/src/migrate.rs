//! Schema migrations, one list per backend, embedded in the binary and applied at
//! start. Each migration runs in its own transaction with its bookkeeping row, so a
//! failed migration leaves the database as it was.

use crate::{Backend, Result, StoreError};

pub(crate) const TABLE: &str = "koers_migrations";

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "accounts",
        sqlite: include_str!("../migrations/sqlite/0001_accounts.sql"),
        postgres: include_str!("../migrations/postgres/0001_accounts.sql"),
    },
    Migration {
        version: 2,
        name: "sessions",
        sqlite: include_str!("../migrations/sqlite/0002_sessions.sql"),
        postgres: include_str!("../migrations/postgres/0002_sessions.sql"),
    },
    Migration {
        version: 3,
        name: "vote_time_index",
        sqlite: include_str!("../migrations/sqlite/0003_vote_time_index.sql"),
        postgres: include_str!("../migrations/postgres/0003_vote_time_index.sql"),
    },
];

pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

pub(crate) async fn run(backend: &Backend) -> Result<()> {
    let create = "CREATE TABLE IF NOT EXISTS koers_migrations (
        version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";
    crate::with_pool!(backend, pool => {
        // One connection for the whole run, so that on PostgreSQL a session-level
        // advisory lock keeps two instances starting together from racing.
        let mut conn = pool.acquire().await.map_err(StoreError::from_db)?;
        if matches!(backend, Backend::Postgres(_)) {
            sqlx::query("SELECT pg_advisory_lock(4711000001)").execute(&mut *conn).await.map_err(StoreError::from_db)?;
        }
        sqlx::query(create).execute(&mut *conn).await.map_err(StoreError::from_db)?;
        let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM koers_migrations ORDER BY version")
            .fetch_all(&mut *conn)
            .await
            .map_err(StoreError::from_db)?;
        if let Some(&found) = applied.last() {
            if found > latest_version() {
                return Err(StoreError::TooNew { found, known: latest_version() });
            }
        }
        for m in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
            let sql = match backend {
                Backend::Sqlite(_) => m.sqlite,
                Backend::Postgres(_) => m.postgres,
            };
            let mut tx = sqlx::Connection::begin(&mut *conn).await.map_err(StoreError::from_db)?;
            sqlx::raw_sql(sql).execute(&mut *tx).await.map_err(StoreError::from_db)?;
            sqlx::query("INSERT INTO koers_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                .bind(m.version)
                .bind(m.name)
                .bind(unix_now())
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_db)?;
            tx.commit().await.map_err(StoreError::from_db)?;
            tracing::info!(version = m.version, name = m.name, "migration applied");
        }
        if matches!(backend, Backend::Postgres(_)) {
            sqlx::query("SELECT pg_advisory_unlock(4711000001)").execute(&mut *conn).await.map_err(StoreError::from_db)?;
        }
    });
    Ok(())
}

/// Bookkeeping time only; domain timestamps are passed in by the caller.
fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
