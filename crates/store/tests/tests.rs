//! Store tests that are about files and schemas rather than behaviour (the web crate's
//! story test covers behaviour on both backends). One test binary; the modules live in
//! `suite/` so cargo does not build each as its own binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "suite/migrate.rs"]
mod migrate;
#[path = "suite/pg.rs"]
mod pg;
#[path = "suite/scan.rs"]
mod scan;

use koers_store::{RefusalReason, SqliteCheck, Store, StoreError};
use std::path::Path;

fn refused_with(e: StoreError) -> RefusalReason {
    match e {
        StoreError::Refused { reason, .. } => reason,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_fresh_file_is_created_and_migrated_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_data_dir(dir.path()).await.unwrap();
    store.ping().await.unwrap();
    store.close().await;
    // Opening again applies nothing new and keeps working.
    let store = Store::open_data_dir(dir.path()).await.unwrap();
    store.ping().await.unwrap();
    store.close().await;
    let check = koers_store::backend::check_sqlite_file(&dir.path().join("koers.db"))
        .await
        .unwrap();
    assert_eq!(
        check,
        SqliteCheck::Koers {
            schema_version: koers_store::latest_schema_version()
        }
    );
}

#[tokio::test]
async fn a_file_that_is_not_sqlite_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("koers.db");
    let text = b"Dit is een boodschappenlijst, geen database.\n".repeat(100);
    std::fs::write(&path, &text).unwrap();
    let e = Store::open_data_dir(dir.path()).await.unwrap_err();
    assert_eq!(refused_with(e), RefusalReason::NotSqlite);
    assert_eq!(std::fs::read(&path).unwrap(), text, "never overwritten");
    assert!(!dir.path().join("koers.db-wal").exists());
}

#[tokio::test]
async fn a_damaged_database_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_data_dir(dir.path()).await.unwrap();
    store.close().await;
    let path = dir.path().join("koers.db");
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 8192);
    // Keep the header, scribble over the schema and table pages.
    for b in bytes.iter_mut().skip(100).take(6000) {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let e = Store::open_data_dir(dir.path()).await.unwrap_err();
    assert_eq!(refused_with(e), RefusalReason::Corrupt);
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[tokio::test]
async fn another_programs_database_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("koers.db");
    make_foreign_db(&path).await;
    let before = std::fs::read(&path).unwrap();
    let e = Store::open_data_dir(dir.path()).await.unwrap_err();
    assert_eq!(refused_with(e), RefusalReason::Foreign);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

async fn make_foreign_db(path: &Path) {
    use sqlx::{ConnectOptions, Connection};
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .connect()
        .await
        .unwrap();
    sqlx::query("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("INSERT INTO recipes (name) VALUES ('stamppot')")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
}

#[tokio::test]
async fn a_database_from_a_newer_koers_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_data_dir(dir.path()).await.unwrap();
    if let koers_store::Backend::Sqlite(pool) = store.backend() {
        sqlx::query(
            "INSERT INTO koers_migrations (version, name, applied_at) VALUES (9999, 'future', 0)",
        )
        .execute(pool)
        .await
        .unwrap();
    }
    store.close().await;
    match Store::open_data_dir(dir.path()).await.unwrap_err() {
        StoreError::TooNew { found: 9999, .. } => {}
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_unreachable_postgres_is_a_clear_error() {
    let e = Store::connect("postgres://koers@127.0.0.1:1/koers")
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Unreachable(_)), "{e:?}");
}

#[tokio::test]
async fn backup_is_a_consistent_koers_database() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_data_dir(dir.path()).await.unwrap();
    store.put_setting("k", "v").await.unwrap();
    let out = dir.path().join("backup.db");
    store.backup_sqlite(&out).await.unwrap();
    store.close().await;
    assert!(matches!(
        koers_store::backend::check_sqlite_file(&out).await.unwrap(),
        SqliteCheck::Koers { .. }
    ));
    let copy = Store::connect(&out.to_string_lossy()).await.unwrap();
    assert_eq!(copy.setting("k").await.unwrap().as_deref(), Some("v"));
}

#[tokio::test]
async fn an_empty_postgres_url_is_refused() {
    for url in [
        "postgres://",
        "postgresql://",
        "postgres://postgres@127.0.0.1:5432",
        "postgres://postgres@127.0.0.1:5432/",
        "postgres://postgres@127.0.0.1:5432/?sslmode=disable",
    ] {
        match Store::connect(url).await {
            Err(StoreError::Unreachable(m)) => {
                assert!(m.contains("names no database"), "{url}: {m}")
            }
            other => panic!("{url}: expected a refusal, got {other:?}"),
        }
    }
}

/// A database from a newer Koers is refused before it is opened for writing: the
/// file keeps its journal mode and its bytes, and no `-wal`/`-shm` appears beside it.
#[tokio::test]
async fn refusing_a_newer_database_changes_nothing() {
    use sqlx::{ConnectOptions, Connection};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("koers.db");
    let store = Store::open_data_dir(dir.path()).await.unwrap();
    if let koers_store::Backend::Sqlite(pool) = store.backend() {
        sqlx::query(
            "INSERT INTO koers_migrations (version, name, applied_at) VALUES (9999, 'future', 0)",
        )
        .execute(pool)
        .await
        .unwrap();
    }
    store.close().await;
    // Back to a rollback journal, as an older tool or a copy might leave it.
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&path)
        .connect()
        .await
        .unwrap();
    // The pool's connections are closed on sqlx's worker threads, which may still be
    // letting go of the WAL when `close` returns; leaving WAL needs the file to
    // itself and SQLite answers BUSY at once rather than waiting, so try again briefly.
    let mut tries = 0;
    while let Err(e) = sqlx::query("PRAGMA journal_mode = DELETE")
        .execute(&mut conn)
        .await
    {
        tries += 1;
        assert!(tries < 100, "the closed store still holds the file: {e}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    conn.close().await.unwrap();
    let sidecar = |s: &str| dir.path().join(format!("koers.db{s}"));
    assert!(!sidecar("-wal").exists() && !sidecar("-shm").exists());
    let before = std::fs::read(&path).unwrap();

    match Store::open_data_dir(dir.path()).await.unwrap_err() {
        StoreError::TooNew { found: 9999, .. } => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file is untouched"
    );
    assert!(
        !sidecar("-wal").exists(),
        "no -wal left beside a refused file"
    );
    assert!(
        !sidecar("-shm").exists(),
        "no -shm left beside a refused file"
    );
}

/// On SQLite an `INSERT … RETURNING` read with `fetch_one` hands back the row before
/// the statement has finished, so a commit that then fails (a full disk) goes unseen
/// (sqlx issues 2099 and 3430). Every RETURNING write in the store therefore runs in
/// `write_tx!`, an explicit transaction whose commit reports the failure and whose
/// connection is closed if anything fails; this test keeps it so.
#[test]
fn every_returning_write_runs_in_an_explicit_transaction() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut checked = 0;
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, _) in text.match_indices("RETURNING") {
            let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
            if text[line_start..i].trim_start().starts_with("//") {
                continue;
            }
            // The function the statement is in: from its `fn` to the next one.
            let Some(start) = text[..i].rfind("async fn ") else {
                continue;
            };
            let end = text[i..]
                .find("\n    pub ")
                .or_else(|| text[i..].find("\n    async fn "))
                .map_or(text.len(), |n| i + n);
            let function = &text[start..end];
            let in_tx = function.contains("write_tx!");
            let line = text[..i].matches('\n').count() + 1;
            assert!(
                in_tx,
                "{}:{line}: a RETURNING write outside an explicit transaction",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 7, "found only {checked} RETURNING writes");
}

/// An intact database on a full disk is reported as a full disk, never as a damaged
/// database, and is not refused: Koers starts (reads need no space) and writes fail
/// with `DiskFull` until space returns.
#[tokio::test]
async fn a_full_disk_is_a_full_disk_not_a_damaged_database() {
    let disk = koers_testkit::SmallDisk::mount("4m");
    let store = Store::open_data_dir(disk.path()).await.unwrap();
    store.put_setting("before", "ok").await.unwrap();
    store.close().await;
    let filler = disk.fill();
    match Store::open_data_dir(disk.path()).await {
        Ok(store) => {
            match store.put_setting("during", "x").await {
                Err(StoreError::DiskFull(_)) => {}
                other => panic!("a write on a full disk: {other:?}"),
            }
            assert_eq!(
                store.setting("before").await.unwrap().as_deref(),
                Some("ok")
            );
            store.close().await;
        }
        // Not damaged, not refused: a full disk, or (when SQLite cannot even make
        // its shared-memory file) a database that cannot be opened right now.
        Err(StoreError::DiskFull(_) | StoreError::Unreachable(_)) => {}
        Err(other) => panic!("an intact database on a full disk was reported as {other:?}"),
    }
    std::fs::remove_file(filler).unwrap();
    let store = Store::open_data_dir(disk.path()).await.unwrap();
    store.put_setting("after", "ok").await.unwrap();
    assert_eq!(store.setting("during").await.unwrap(), None);
    store.close().await;
}

/// A database that another writer keeps locked past the busy timeout is reported as
/// busy (load: the shell answers 503 with `Retry-After`), never as an internal error,
/// and nothing of the refused write is stored.
#[tokio::test]
async fn a_locked_database_is_busy_not_an_error() {
    use sqlx::Connection as _;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_data_dir(dir.path()).await.unwrap();
    let url = format!("sqlite://{}", dir.path().join("koers.db").display());
    let mut other = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .unwrap();
    match store.put_setting("during", "x").await {
        Err(StoreError::Busy(_)) => {}
        other => panic!("a write to a locked database: {other:?}"),
    }
    sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
    other.close().await.unwrap();
    assert_eq!(store.setting("during").await.unwrap(), None);
    store.put_setting("after", "ok").await.unwrap();
    store.close().await;
}
