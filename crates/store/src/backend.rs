//! Opening the two backends, and refusing SQLite files that are not ours.

use crate::{RefusalReason, Result, StoreError};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::ConnectOptions;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// Runs `$body` with `$pool` bound to whichever pool the backend holds. The body is
/// expanded once per backend, so the same SQL is type-checked against both drivers.
#[macro_export]
#[doc(hidden)]
macro_rules! with_pool {
    ($backend:expr, $pool:ident => $body:expr) => {
        match &$backend {
            $crate::Backend::Sqlite($pool) => $body,
            $crate::Backend::Postgres($pool) => $body,
        }
    };
}

#[derive(Clone, Debug)]
pub enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// What we found when looking at an SQLite file before trusting it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqliteCheck {
    /// No file, or an empty one: safe to create.
    Absent,
    /// A Koers database at this schema version.
    Koers { schema_version: i64 },
}

impl Backend {
    pub(crate) async fn connect_postgres(url: &str) -> Result<Self> {
        let opts = sqlx::postgres::PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Unreachable(format!("invalid PostgreSQL URL: {e}")))?
            .log_statements(tracing::log::LevelFilter::Trace);
        // Without a database name libpq falls back to the OS user's name, so an empty
        // `postgres://` would quietly use whatever database that happens to be. Read
        // the name from the URL itself, not from the options (which take PGDATABASE).
        let named = url
            .split_once("://")
            .and_then(|(_, rest)| rest.split_once('/'))
            .map(|(_, path)| path.split(['?', '#']).next().unwrap_or(""))
            .is_some_and(|db| !db.is_empty());
        if !named {
            return Err(StoreError::Unreachable(
                "de PostgreSQL-URL noemt geen database / the PostgreSQL URL names no database \
                 (postgres://user@host:5432/DATABASE)"
                    .into(),
            ));
        }
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(opts)
            .await
            .map_err(|e| StoreError::Unreachable(e.to_string()))?;
        Ok(Self::Postgres(pool))
    }

    pub(crate) async fn open_sqlite(path: &Path) -> Result<Self> {
        // Decide with a read-only look first: a database we would refuse is never
        // opened for writing (opening switches the journal to WAL).
        if let SqliteCheck::Koers { schema_version } = check_sqlite_file(path).await? {
            let known = crate::migrate::latest_version();
            if schema_version > known {
                return Err(StoreError::TooNew {
                    found: schema_version,
                    known,
                });
            }
        }
        if let Some(parent) = path.parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(|e| {
                    StoreError::Unreachable(format!("cannot create {}: {e}", parent.display()))
                })?;
            }
        }
        let opts = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            // Checkpoints run in the background (`Store::checkpoint`); the writer
            // then rarely pays for one in the middle of a burst of votes.
            .pragma("wal_autocheckpoint", "10000")
            .log_statements(tracing::log::LevelFilter::Trace);
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            .connect_with(opts)
            .await
            .map_err(|e| StoreError::Unreachable(format!("{}: {e}", path.display())))?;
        Ok(Self::Sqlite(pool))
    }
}

fn refused(path: &Path, reason: RefusalReason) -> StoreError {
    StoreError::Refused {
        path: path.display().to_string(),
        reason,
    }
}

/// Looks at an SQLite file read-only and says whether Koers may use it. Never writes,
/// and leaves no `-wal`/`-shm` file behind that was not there before.
pub async fn check_sqlite_file(path: &Path) -> Result<SqliteCheck> {
    let sidecars: Vec<std::path::PathBuf> = ["-wal", "-shm"]
        .iter()
        .map(|suffix| {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            std::path::PathBuf::from(p)
        })
        .filter(|p| !p.exists())
        .collect();
    let result = inspect_sqlite_file(path).await;
    if result.is_err() {
        for p in sidecars {
            let _ = std::fs::remove_file(p);
        }
    }
    result
}

/// Why a read-only look at the file failed: a full disk or an I/O problem is not
/// damage, and saying "damaged" would send an operator the wrong way.
fn look_failed(path: &Path, e: &sqlx::Error) -> StoreError {
    // Only SQLite's own verdict is evidence of damage: SQLITE_CORRUPT (11) or
    // SQLITE_NOTADB (26), extended codes keeping it in the low byte.
    let primary = |d: &dyn sqlx::error::DatabaseError| {
        d.code()
            .and_then(|c| c.parse::<i64>().ok())
            .map(|n| n & 0xff)
    };
    match e {
        sqlx::Error::Database(d) if crate::is_disk_full(d.code().as_deref()) => {
            StoreError::DiskFull(format!("{}: {}", path.display(), d.message()))
        }
        sqlx::Error::Database(d) if matches!(primary(d.as_ref()), Some(11 | 26)) => {
            refused(path, RefusalReason::Corrupt)
        }
        // A file that cannot be opened or read (permissions, a full disk that keeps
        // SQLite from making its shared-memory file, I/O errors) is not a damaged one.
        sqlx::Error::Database(d) => StoreError::Unreachable(format!(
            "{} kan niet worden gelezen / cannot be read: {} (code {})",
            path.display(),
            d.message(),
            d.code().unwrap_or_default()
        )),
        sqlx::Error::Io(io) => StoreError::Unreachable(format!("{}: {io}", path.display())),
        _ => refused(path, RefusalReason::Corrupt),
    }
}

async fn inspect_sqlite_file(path: &Path) -> Result<SqliteCheck> {
    use std::io::Read;
    let mut header = [0u8; 16];
    match std::fs::File::open(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(SqliteCheck::Absent),
        Err(e) => return Err(StoreError::Unreachable(format!("{}: {e}", path.display()))),
        Ok(mut f) => {
            let len = f.metadata().map(|m| m.len()).unwrap_or(0);
            if len == 0 {
                return Ok(SqliteCheck::Absent);
            }
            if f.read_exact(&mut header).is_err() || &header != SQLITE_MAGIC {
                return Err(refused(path, RefusalReason::NotSqlite));
            }
        }
    }
    let opts = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .log_statements(tracing::log::LevelFilter::Trace);
    let mut conn = opts.connect().await.map_err(|e| look_failed(path, &e))?;
    let check: String = sqlx::query_scalar("PRAGMA quick_check")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| look_failed(path, &e))?;
    if check != "ok" {
        return Err(refused(path, RefusalReason::Corrupt));
    }
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(&mut conn)
    .await
    .map_err(|_| refused(path, RefusalReason::Corrupt))?;
    if tables.is_empty() {
        return Ok(SqliteCheck::Absent);
    }
    if !tables.iter().any(|t| t == crate::migrate::TABLE) {
        return Err(refused(path, RefusalReason::Foreign));
    }
    let version: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM koers_migrations")
        .fetch_one(&mut conn)
        .await
        .map_err(|_| refused(path, RefusalReason::Corrupt))?;
    Ok(SqliteCheck::Koers {
        schema_version: version.unwrap_or(0),
    })
}
