//! Persistence for Koers. One `Store` type, backed by either an embedded SQLite file
//! or a PostgreSQL server, chosen at run time from the database URL. Both backends run
//! the same portable SQL (numbered `$n` parameters, `ON CONFLICT`, `RETURNING`), so a
//! query is written once; only the migrations differ per backend, because column types
//! and identity columns do.
//!
//! Every table that holds organisation data carries `organisation_id`, and every query
//! that reads such data is scoped by it: tenant isolation is enforced here, not hoped
//! for in the handlers. Organisation-scoped reads take an [`OrgScope`], which only the
//! access check ([`Store::authorise`]) makes; session rows take a [`SessionScope`],
//! which only a session found through an `OrgScope` or its join code carries.
//!
//! One interface per part: [`Store`] itself for the shell's accounts, organisations,
//! invitations and settings; [`Store::sessie`] for Sessie. A new part gets its own
//! (`store.scan()`, …) rather than growing `Store`.
//!
//! The store depends on `koers-core` and sqlx, and on nothing of the web layer or any
//! part: it must not know about HTTP, templates or the request context.

mod accounts;
pub mod backend;
mod migrate;
mod password_reset;
mod scan;
mod scan_results;
mod sessie;
mod sessie_room;

pub use accounts::*;
pub use backend::{Backend, SqliteCheck};
pub use migrate::latest_version as latest_schema_version;
pub use password_reset::{NewPasswordReset, PasswordReset};
pub use scan::*;
pub use scan_results::*;
pub use sessie::*;
pub use sessie_room::*;

use std::path::Path;

/// What can go wrong in the store, in the kinds the web layer needs to tell apart.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken (e.g. the e-mail address is taken).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database cannot be reached.
    #[error("database unreachable: {0}")]
    Unreachable(String),
    /// The database stayed locked by other writers past the busy timeout (SQLite's
    /// `SQLITE_BUSY`/`SQLITE_LOCKED`, PostgreSQL's `lock_not_available`): nothing
    /// was written, and the same request may succeed a moment later. Past capacity
    /// this is load, not a fault, so it is answered "busy" rather than as an error.
    #[error("database busy: {0}")]
    Busy(String),
    /// The disk (or the database's size limit) is full: nothing was written. The
    /// database itself is intact; writes work again once there is space.
    #[error(
        "de schijf is vol; er is niets opgeslagen / the disk is full; nothing was stored: {0}"
    )]
    DiskFull(String),
    /// The file is not a Koers database, or it is damaged. We never write to it.
    #[error("{path}: {reason}")]
    Refused { path: String, reason: RefusalReason },
    /// The database was migrated by a newer Koers than this one.
    #[error("databaseschema {found} is nieuwer dan deze Koers kent / database schema {found} is newer than this Koers knows ({known}); gebruik een nieuwere koers / use a newer koers")]
    TooNew { found: i64, known: i64 },
    /// A migration that was applied to this database has since been edited: its SQL in
    /// this Koers differs from what was applied. Refused before anything was applied.
    #[error("migratie {version} ({name}) is gewijzigd nadat ze op deze database is toegepast / migration {version} ({name}) was edited after it was applied to this database; er is niets toegepast / nothing was applied. Zet de oorspronkelijke migratie terug en zet de wijziging in een nieuwe migratie / restore the original migration and put the change in a new one")]
    MigrationEdited { version: i64, name: String },
    /// The database records an applied migration, below this Koers's latest, that this
    /// Koers does not have (it was removed from the list). Refused before anything
    /// was applied.
    #[error("migratie {version} ({name}) is op deze database toegepast maar ontbreekt in deze Koers / migration {version} ({name}) was applied to this database but is missing from this Koers; er is niets toegepast / nothing was applied. Zet de migratie terug / restore the migration")]
    MigrationRemoved { version: i64, name: String },
    /// Stored data that the domain does not accept (should never happen).
    #[error("invalid stored data: {0}")]
    InvalidData(String),
    #[error(transparent)]
    Other(#[from] sqlx::Error),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalReason {
    /// Not an SQLite file at all.
    NotSqlite,
    /// An SQLite file whose integrity check fails.
    Corrupt,
    /// A valid SQLite database that some other program created.
    Foreign,
}

impl std::fmt::Display for RefusalReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::NotSqlite => "is geen SQLite-database / is not an SQLite database (geweigerd en niet aangeraakt / refused, left untouched)",
            Self::Corrupt => "is een beschadigde SQLite-database / is a damaged SQLite database (geweigerd en niet aangeraakt / refused, left untouched)",
            Self::Foreign => "is een SQLite-database van een ander programma / belongs to another program (geweigerd en niet aangeraakt / refused, left untouched)",
        })
    }
}

impl StoreError {
    pub(crate) fn from_db(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => Self::NotFound,
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                Self::Conflict(d.message().to_owned())
            }
            sqlx::Error::Database(d) if is_disk_full(d.code().as_deref()) => {
                Self::DiskFull(d.message().to_owned())
            }
            sqlx::Error::Database(d) if is_busy(d.code().as_deref()) => {
                Self::Busy(d.message().to_owned())
            }
            sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => {
                Self::Unreachable(e.to_string())
            }
            _ => Self::Other(e),
        }
    }
}

/// SQLite's `SQLITE_FULL` (13, extended codes keep it in the low byte) and
/// PostgreSQL's `disk_full` (53100) and `insufficient_resources` class (53…).
pub(crate) fn is_disk_full(code: Option<&str>) -> bool {
    match code {
        Some(c) if c.starts_with("53") && c.len() == 5 => true,
        Some(c) => c.parse::<i64>().is_ok_and(|n| n & 0xff == 13),
        None => false,
    }
}

/// SQLite's `SQLITE_BUSY` (5) and `SQLITE_LOCKED` (6), extended codes included,
/// and PostgreSQL's `lock_not_available` (55P03).
pub(crate) fn is_busy(code: Option<&str>) -> bool {
    match code {
        Some("55P03") => true,
        Some(c) => c.parse::<i64>().is_ok_and(|n| matches!(n & 0xff, 5 | 6)),
        None => false,
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Runs `$body` in a transaction on a connection of its own and commits it; the
/// value is the body's. Every write that a user will be told succeeded goes through
/// here (or is a single autocommit `execute`, which reports its own failure), so an
/// acknowledged write is a committed one.
///
/// If anything fails, the connection is closed instead of going back to the pool:
/// after a failed COMMIT (a full disk) SQLite may keep the transaction open or roll
/// it back behind the driver's back, and a connection in that state would swallow
/// the next request's writes or read an old snapshot.
#[macro_export]
#[doc(hidden)]
macro_rules! write_tx {
    ($pool:ident, $tx:ident => $body:block) => {{
        let mut conn = $pool.acquire().await.map_err($crate::StoreError::from_db)?;
        let result: $crate::Result<_> = async {
            let mut $tx = sqlx::Connection::begin(&mut *conn)
                .await
                .map_err($crate::StoreError::from_db)?;
            let value = $body;
            $tx.commit().await.map_err($crate::StoreError::from_db)?;
            Ok(value)
        }
        .await;
        if result.is_err() {
            drop(conn.detach());
        }
        result
    }};
}

/// The handle every part of Koers persists through. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    backend: Backend,
}

/// The SQLite file inside a data directory.
pub const SQLITE_FILE: &str = "koers.db";

impl Store {
    /// Connects to `url`: `postgres://…`/`postgresql://…` selects PostgreSQL; anything
    /// else is taken as an SQLite file path (an optional `sqlite://` prefix is allowed).
    /// Migrations are applied before the store is returned.
    pub async fn connect(url: &str) -> Result<Self> {
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::connect_postgres(url).await?
        } else {
            let path = url.strip_prefix("sqlite://").unwrap_or(url);
            Backend::open_sqlite(Path::new(path)).await?
        };
        let store = Self { backend };
        migrate::run(&store.backend).await?;
        Ok(store)
    }

    /// Connects without migrating, for administrative statements on a server's
    /// maintenance database (creating or dropping a database).
    pub async fn connect_unmigrated(url: &str) -> Result<Self> {
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::connect_postgres(url).await?
        } else {
            Backend::open_sqlite(Path::new(url.strip_prefix("sqlite://").unwrap_or(url))).await?
        };
        Ok(Self { backend })
    }

    /// Runs one administrative statement (e.g. `CREATE DATABASE`), outside any
    /// transaction. For tools and tests, never with user input.
    pub async fn execute_admin(&self, sql: &str) -> Result<()> {
        with_pool!(self.backend, pool => {
            sqlx::raw_sql(sql).execute(pool).await.map_err(StoreError::from_db)?;
        });
        Ok(())
    }

    /// Opens (creating if absent) the SQLite database in a data directory.
    pub async fn open_data_dir(dir: &Path) -> Result<Self> {
        let path = dir.join(SQLITE_FILE);
        Self::connect(&path.to_string_lossy()).await
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// A cheap round trip, for `/readyz`.
    pub async fn ping(&self) -> Result<()> {
        with_pool!(self.backend, pool => {
            sqlx::query("SELECT 1").execute(pool).await.map_err(StoreError::from_db)?;
        });
        Ok(())
    }

    /// Writes a consistent copy of a live SQLite database to `target` (SQLite's
    /// `VACUUM INTO`, which does not block writers for long and works under WAL).
    pub async fn backup_sqlite(&self, target: &Path) -> Result<()> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                sqlx::query("VACUUM INTO $1")
                    .bind(target.to_string_lossy().into_owned())
                    .execute(pool)
                    .await
                    .map_err(StoreError::from_db)?;
                Ok(())
            }
            Backend::Postgres(_) => Err(StoreError::InvalidData(
                "backup of PostgreSQL is done with pg_dump".into(),
            )),
        }
    }

    /// Moves the SQLite write-ahead log into the database without blocking writers
    /// (`PASSIVE`). The server calls this every second; a no-op on PostgreSQL.
    pub async fn checkpoint(&self) -> Result<()> {
        if let Backend::Sqlite(pool) = &self.backend {
            sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(pool)
                .await
                .map_err(StoreError::from_db)?;
        }
        Ok(())
    }

    pub async fn close(&self) {
        with_pool!(self.backend, pool => pool.close().await);
    }
}
