//! Schema migrations, one list per backend, embedded in the binary and applied at
//! start. What a start guarantees:
//!
//! - **Each migration is atomic.** It runs in its own transaction together with its
//!   bookkeeping row in `koers_migrations` (version, name, time, and the checksum of
//!   the SQL that ran), so a failed migration leaves the database as it was before it.
//! - **Applied migrations are never silently different from this binary's.** Before
//!   anything is applied, the bookkeeping is checked, and the start is refused with
//!   nothing applied when the database was migrated by a newer Koers
//!   ([`StoreError::TooNew`]), when an applied migration has been edited since
//!   ([`StoreError::MigrationEdited`]: its recorded checksum differs from the
//!   embedded text), or when an applied migration below the latest one is no longer in
//!   this binary ([`StoreError::MigrationRemoved`]). Migration files are therefore
//!   append-only: a change to the schema is a new migration.
//! - **Older databases are upgraded in place.** The migrator before checksums made the
//!   bookkeeping table without a `checksum` column; it is added, and the checksums of
//!   the migrations already applied are recorded from the embedded text, which is what
//!   they were applied from. A row whose checksum is empty is filled in the same way.
//! - **On PostgreSQL, instances starting together take turns** through an advisory
//!   lock, and that lock is released when the run ends, however it ends (see [`run`]).
//!
//! The checksum is the SHA-256, in lowercase hex, of the backend's SQL file exactly as
//! embedded (every byte, line endings included).

use crate::{Backend, Result, StoreError};
use sha2::{Digest, Sha256};

pub(crate) const TABLE: &str = "koers_migrations";

/// The session-level advisory lock that serialises runs on one PostgreSQL database.
/// Never change it: an older and a newer Koers starting together must take the same
/// lock.
const PG_LOCK_KEY: i64 = 4_711_000_001;

/// New databases get the checksum column at once. It is nullable on both backends
/// because an old table gains it through `ADD_CHECKSUM`, and SQLite cannot add a NOT
/// NULL column without a default; the run fills every empty checksum itself.
const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS koers_migrations (
    version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL,
    checksum TEXT)";
const ADD_CHECKSUM: &str = "ALTER TABLE koers_migrations ADD COLUMN checksum TEXT";

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
    Migration {
        version: 4,
        name: "catch_up_by_transaction",
        sqlite: include_str!("../migrations/sqlite/0004_catch_up_by_transaction.sql"),
        postgres: include_str!("../migrations/postgres/0004_catch_up_by_transaction.sql"),
    },
    Migration {
        version: 5,
        name: "room_screen",
        sqlite: include_str!("../migrations/sqlite/0005_room_screen.sql"),
        postgres: include_str!("../migrations/postgres/0005_room_screen.sql"),
    },
    Migration {
        version: 6,
        name: "moderation_edits",
        sqlite: include_str!("../migrations/sqlite/0006_moderation_edits.sql"),
        postgres: include_str!("../migrations/postgres/0006_moderation_edits.sql"),
    },
    Migration {
        version: 7,
        name: "share_links_and_resets",
        sqlite: include_str!("../migrations/sqlite/0007_share_links_and_resets.sql"),
        postgres: include_str!("../migrations/postgres/0007_share_links_and_resets.sql"),
    },
    Migration {
        version: 8,
        name: "scan_waves",
        sqlite: include_str!("../migrations/sqlite/0008_scan_waves.sql"),
        postgres: include_str!("../migrations/postgres/0008_scan_waves.sql"),
    },
    Migration {
        version: 9,
        name: "scan_results",
        sqlite: include_str!("../migrations/sqlite/0009_scan_results.sql"),
        postgres: include_str!("../migrations/postgres/0009_scan_results.sql"),
    },
];

pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

#[derive(Clone, Copy)]
enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// Counts the `checksum` column of the bookkeeping table (0 or 1). Asked of each
    /// backend's catalogue rather than found out by a failing SELECT, so that no other
    /// error can be mistaken for "the column is missing".
    fn count_checksum_column(self) -> &'static str {
        match self {
            Self::Sqlite => {
                "SELECT COUNT(*) FROM pragma_table_info('koers_migrations') WHERE name = 'checksum'"
            }
            // `::regclass` resolves the name through search_path, exactly as the
            // unqualified statements of this module do; a table of the same name in
            // another schema is not looked at.
            Self::Postgres => {
                "SELECT COUNT(*) FROM pg_attribute WHERE attrelid = 'koers_migrations'::regclass \
                 AND attname = 'checksum' AND NOT attisdropped"
            }
        }
    }
}

impl Migration {
    fn sql(&self, dialect: Dialect) -> &'static str {
        match dialect {
            Dialect::Sqlite => self.sqlite,
            Dialect::Postgres => self.postgres,
        }
    }

    fn checksum(&self, dialect: Dialect) -> String {
        sha256_hex(self.sql(dialect))
    }
}

fn known(version: i64) -> Option<&'static Migration> {
    MIGRATIONS.iter().find(|m| m.version == version)
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One bookkeeping row. `checksum` is `None` for rows from before checksums.
struct Applied {
    version: i64,
    name: String,
    checksum: Option<String>,
}

/// Every reason to refuse a database, decided from its bookkeeping alone, so that a
/// refusal comes before the first write.
fn verify(applied: &[Applied], dialect: Dialect) -> Result<()> {
    let known_latest = latest_version();
    if let Some(found) = applied.iter().map(|a| a.version).max() {
        if found > known_latest {
            return Err(StoreError::TooNew {
                found,
                known: known_latest,
            });
        }
    }
    for a in applied {
        // With TooNew ruled out, an unknown version lies below the latest.
        let Some(m) = known(a.version) else {
            return Err(StoreError::MigrationRemoved {
                version: a.version,
                name: a.name.clone(),
            });
        };
        if let Some(recorded) = &a.checksum {
            if *recorded != m.checksum(dialect) {
                return Err(StoreError::MigrationEdited {
                    version: m.version,
                    name: m.name.to_owned(),
                });
            }
        }
    }
    Ok(())
}

/// The run proper, written once and expanded per driver (as `with_pool!` does), so
/// the same SQL is type-checked against both. Each expansion is a plain async fn over
/// one connection, which lets `run` put the PostgreSQL lock around it.
macro_rules! define_migrate {
    ($fn_name:ident, $conn:ty, $dialect:expr) => {
        async fn $fn_name(conn: &mut $conn) -> Result<()> {
            let dialect: Dialect = $dialect;
            sqlx::query(CREATE_TABLE)
                .execute(&mut *conn)
                .await
                .map_err(StoreError::from_db)?;
            let columns: i64 = sqlx::query_scalar(dialect.count_checksum_column())
                .fetch_one(&mut *conn)
                .await
                .map_err(StoreError::from_db)?;
            let has_checksum = columns > 0;
            let applied: Vec<Applied> = if has_checksum {
                sqlx::query_as::<_, (i64, String, Option<String>)>(
                    "SELECT version, name, checksum FROM koers_migrations ORDER BY version",
                )
                .fetch_all(&mut *conn)
                .await
                .map_err(StoreError::from_db)?
                .into_iter()
                .map(|(version, name, checksum)| Applied {
                    version,
                    name,
                    checksum,
                })
                .collect()
            } else {
                sqlx::query_as::<_, (i64, String)>(
                    "SELECT version, name FROM koers_migrations ORDER BY version",
                )
                .fetch_all(&mut *conn)
                .await
                .map_err(StoreError::from_db)?
                .into_iter()
                .map(|(version, name)| Applied {
                    version,
                    name,
                    checksum: None,
                })
                .collect()
            };
            verify(&applied, dialect)?;

            // Upgrade bookkeeping from before checksums. The ALTER and the backfill
            // are separate steps on purpose: should the backfill fail, the next start
            // finds the column with empty checksums and fills them then.
            if !has_checksum {
                sqlx::query(ADD_CHECKSUM)
                    .execute(&mut *conn)
                    .await
                    .map_err(StoreError::from_db)?;
                tracing::info!("migration bookkeeping upgraded with a checksum column");
            }
            let unrecorded: Vec<&'static Migration> = applied
                .iter()
                .filter(|a| a.checksum.is_none())
                .filter_map(|a| known(a.version))
                .collect();
            if !unrecorded.is_empty() {
                let mut tx = sqlx::Connection::begin(&mut *conn)
                    .await
                    .map_err(StoreError::from_db)?;
                for m in &unrecorded {
                    sqlx::query(
                        "UPDATE koers_migrations SET checksum = $1 \
                         WHERE version = $2 AND checksum IS NULL",
                    )
                    .bind(m.checksum(dialect))
                    .bind(m.version)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::from_db)?;
                }
                tx.commit().await.map_err(StoreError::from_db)?;
                tracing::info!(
                    count = unrecorded.len(),
                    "checksums recorded for migrations applied before checksums existed"
                );
            }

            for m in MIGRATIONS
                .iter()
                .filter(|m| !applied.iter().any(|a| a.version == m.version))
            {
                let sql = m.sql(dialect);
                let mut tx = sqlx::Connection::begin(&mut *conn)
                    .await
                    .map_err(StoreError::from_db)?;
                sqlx::raw_sql(sql)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::from_db)?;
                sqlx::query(
                    "INSERT INTO koers_migrations (version, name, applied_at, checksum) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(m.version)
                .bind(m.name)
                .bind(unix_now())
                .bind(sha256_hex(sql))
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from_db)?;
                tx.commit().await.map_err(StoreError::from_db)?;
                tracing::info!(version = m.version, name = m.name, "migration applied");
            }
            Ok(())
        }
    };
}

define_migrate!(migrate_sqlite, sqlx::SqliteConnection, Dialect::Sqlite);
define_migrate!(migrate_postgres, sqlx::PgConnection, Dialect::Postgres);

pub(crate) async fn run(backend: &Backend) -> Result<()> {
    match backend {
        Backend::Sqlite(pool) => {
            // No lock to hold, so an ordinary pooled connection will do.
            let mut conn = pool.acquire().await.map_err(StoreError::from_db)?;
            migrate_sqlite(&mut conn).await
        }
        Backend::Postgres(pool) => {
            // Instances starting together must not migrate at the same time, so the
            // run holds an advisory lock. A session-level one, not
            // `pg_advisory_xact_lock`: every migration commits on its own, and the lock
            // must span the whole run. A session lock belongs to its connection, so
            // that connection is taken out of the pool first (`detach`). Had it stayed
            // pooled, any way out other than the happy path (an early `?`, a panic,
            // the caller dropping this future) would hand it back to the pool with the
            // lock still held, and every later start would wait until the pool
            // happened to close it. Detached, it is closed whatever happens, and a
            // closed session holds no locks. The lock is also released explicitly
            // after the body, error or not, so that it is free the moment `run`
            // returns, not only once the server has noticed the closed session.
            let mut conn = pool.acquire().await.map_err(StoreError::from_db)?.detach();
            sqlx::query("SELECT pg_advisory_lock($1)")
                .bind(PG_LOCK_KEY)
                .execute(&mut conn)
                .await
                .map_err(StoreError::from_db)?;
            // A failed migration leaves its transaction to be rolled back when next the
            // connection is used; the unlock below is that use, and a session lock
            // survives the rollback.
            let outcome = migrate_postgres(&mut conn).await;
            let unlocked: std::result::Result<bool, _> =
                sqlx::query_scalar("SELECT pg_advisory_unlock($1)")
                    .bind(PG_LOCK_KEY)
                    .fetch_one(&mut conn)
                    .await;
            match unlocked {
                Ok(true) => {}
                // Not fatal either way: closing the session releases the lock.
                Ok(false) => tracing::warn!("the migration lock was not held at the end"),
                Err(e) => tracing::warn!(
                    error = %e,
                    "could not release the migration lock; closing its session does"
                ),
            }
            if let Err(e) = sqlx::Connection::close(conn).await {
                tracing::debug!(error = %e, "closing the migration connection");
            }
            outcome
        }
    }
}

/// Bookkeeping time only; domain timestamps are passed in by the caller.
fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
