//! The migrator's promises, on both backends: an applied migration whose embedded text
//! changed is refused before anything is written, databases from the migrator without
//! checksums are upgraded, and on PostgreSQL the start-up advisory lock never outlives
//! a failed run.

use crate::pg::{self, PgDatabase};
use koers_store::{Store, StoreError};
use sha2::{Digest, Sha256};

/// The key `src/migrate.rs` locks; written out here on purpose, so that changing it
/// (which would let an old and a new Koers migrate at the same time) fails this test.
const LOCK_KEY: i64 = 4_711_000_001;

/// Created by migration 3; its presence tells whether migration 3 ran.
const INDEX_OF_3: &str = "session_votes_session_time";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sqlite,
    Postgres,
}

struct Db {
    kind: Kind,
    url: String,
    _dir: tempfile::TempDir,
    _pg: Option<PgDatabase>,
}

impl Db {
    /// A fresh, migrated database; the store is closed again.
    async fn migrated(kind: Kind) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let (url, pg) = match kind {
            Kind::Sqlite => (
                dir.path().join("koers.db").to_string_lossy().into_owned(),
                None,
            ),
            Kind::Postgres => {
                let pg = PgDatabase::create().await;
                (pg.url.clone(), Some(pg))
            }
        };
        let db = Self {
            kind,
            url,
            _dir: dir,
            _pg: pg,
        };
        db.connect().await.unwrap().close().await;
        db
    }

    async fn connect(&self) -> Result<Store, StoreError> {
        Store::connect(&self.url).await
    }

    /// Runs raw SQL without migrating first (the way an operator's psql would).
    async fn sql(&self, sql: &str) {
        let store = Store::connect_unmigrated(&self.url).await.unwrap();
        store.execute_admin(sql).await.unwrap();
        store.close().await;
    }

    /// The bookkeeping rows, in version order.
    async fn bookkeeping(&self) -> Vec<(i64, String, Option<String>, i64)> {
        let store = Store::connect_unmigrated(&self.url).await.unwrap();
        let rows = koers_store::with_pool!(store.backend(), pool => {
            sqlx::query_as(
                "SELECT version, name, checksum, applied_at FROM koers_migrations ORDER BY version",
            )
            .fetch_all(pool)
            .await
            .unwrap()
        });
        store.close().await;
        rows
    }

    async fn has_index(&self, name: &str) -> bool {
        let store = Store::connect_unmigrated(&self.url).await.unwrap();
        let sql = match self.kind {
            Kind::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = $1",
            Kind::Postgres => "SELECT COUNT(*) FROM pg_indexes WHERE indexname = $1",
        };
        let n: i64 = koers_store::with_pool!(store.backend(), pool => {
            sqlx::query_scalar(sql).bind(name).fetch_one(pool).await.unwrap()
        });
        store.close().await;
        n == 1
    }

    /// What the bookkeeping should say after a complete run: every migration file of
    /// this backend, with the SHA-256 of its text.
    fn expected_checksums(&self) -> Vec<(i64, String)> {
        let dir = match self.kind {
            Kind::Sqlite => "sqlite",
            Kind::Postgres => "postgres",
        };
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(dir);
        let mut out: Vec<(i64, String)> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| {
                let path = e.unwrap().path();
                let file = path.file_name().unwrap().to_string_lossy().into_owned();
                let version = file.split('_').next().unwrap().parse().unwrap();
                let digest = Sha256::digest(std::fs::read(&path).unwrap());
                let hex = digest.iter().map(|b| format!("{b:02x}")).collect();
                (version, hex)
            })
            .collect();
        out.sort();
        out
    }

    async fn assert_complete(&self) {
        let recorded: Vec<(i64, String)> = self
            .bookkeeping()
            .await
            .into_iter()
            .map(|(v, _, c, _)| (v, c.expect("every applied migration has a checksum")))
            .collect();
        assert_eq!(recorded, self.expected_checksums());
        assert!(self.has_index(INDEX_OF_3).await);
    }
}

async fn checksums_are_recorded(kind: Kind) {
    let db = Db::migrated(kind).await;
    db.assert_complete().await;
    // A second start verifies and applies nothing.
    let before = db.bookkeeping().await;
    db.connect().await.unwrap().close().await;
    assert_eq!(db.bookkeeping().await, before);
}

#[tokio::test]
async fn checksums_are_recorded_for_every_migration_sqlite() {
    checksums_are_recorded(Kind::Sqlite).await;
}

#[tokio::test]
async fn checksums_are_recorded_for_every_migration_postgres() {
    checksums_are_recorded(Kind::Postgres).await;
}

/// Makes migration 3 pending again, so that a refused start can be seen not to apply it.
async fn unapply_3(db: &Db) {
    db.sql(&format!(
        "DELETE FROM koers_migrations WHERE version = 3; DROP INDEX {INDEX_OF_3}"
    ))
    .await;
    assert!(!db.has_index(INDEX_OF_3).await);
}

async fn edited_migration_is_refused(kind: Kind) {
    let db = Db::migrated(kind).await;
    unapply_3(&db).await;
    db.sql("UPDATE koers_migrations SET checksum = 'x' WHERE version = 1")
        .await;
    let before = db.bookkeeping().await;

    let e = db.connect().await.unwrap_err();
    match &e {
        StoreError::MigrationEdited { version: 1, name } if name == "accounts" => {}
        other => panic!("expected MigrationEdited for 1 accounts, got {other:?}"),
    }
    let text = e.to_string();
    assert!(text.contains("1 (accounts)"), "{text}");
    assert!(
        text.contains("gewijzigd") && text.contains("edited"),
        "{text}"
    );

    // Refused before any write: the pending migration did not run, the bookkeeping is
    // as it was, and a second attempt is refused the same way.
    assert_eq!(db.bookkeeping().await, before);
    assert!(!db.has_index(INDEX_OF_3).await);
    assert!(matches!(
        db.connect().await.unwrap_err(),
        StoreError::MigrationEdited { version: 1, .. }
    ));
}

#[tokio::test]
async fn an_edited_migration_is_refused_and_nothing_is_applied_sqlite() {
    edited_migration_is_refused(Kind::Sqlite).await;
}

#[tokio::test]
async fn an_edited_migration_is_refused_and_nothing_is_applied_postgres() {
    edited_migration_is_refused(Kind::Postgres).await;
}

async fn removed_migration_is_refused(kind: Kind) {
    let db = Db::migrated(kind).await;
    // Version 0 is below the latest and not in this binary: as if a migration had
    // been deleted from the list after it was applied.
    db.sql("INSERT INTO koers_migrations (version, name, applied_at, checksum) VALUES (0, 'weg', 0, 'x')")
        .await;
    let before = db.bookkeeping().await;
    match db.connect().await.unwrap_err() {
        StoreError::MigrationRemoved { version: 0, name } if name == "weg" => {}
        other => panic!("expected MigrationRemoved for 0 weg, got {other:?}"),
    }
    assert_eq!(db.bookkeeping().await, before);
}

#[tokio::test]
async fn a_migration_unknown_to_this_koers_is_refused_sqlite() {
    removed_migration_is_refused(Kind::Sqlite).await;
}

#[tokio::test]
async fn a_migration_unknown_to_this_koers_is_refused_postgres() {
    removed_migration_is_refused(Kind::Postgres).await;
}

/// Turns a database into what the migrator before checksums left behind: the same
/// bookkeeping table without the `checksum` column. Migration 3 is left pending too,
/// so the upgrade is also seen to apply (and record) a new migration.
async fn make_old_style(db: &Db) {
    unapply_3(db).await;
    db.sql(
        "CREATE TABLE koers_migrations_old (
             version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL);
         INSERT INTO koers_migrations_old (version, name, applied_at)
             SELECT version, name, applied_at FROM koers_migrations;
         DROP TABLE koers_migrations;
         ALTER TABLE koers_migrations_old RENAME TO koers_migrations;",
    )
    .await;
}

async fn old_database_is_upgraded(kind: Kind) {
    let db = Db::migrated(kind).await;
    make_old_style(&db).await;

    db.connect().await.unwrap().close().await;
    db.assert_complete().await;
    // And it keeps opening.
    db.connect().await.unwrap().close().await;
    db.assert_complete().await;

    // The backfilled checksums are checked from now on.
    db.sql("UPDATE koers_migrations SET checksum = 'x' WHERE version = 2")
        .await;
    match db.connect().await.unwrap_err() {
        StoreError::MigrationEdited { version: 2, name } if name == "sessions" => {}
        other => panic!("expected MigrationEdited for 2 sessions, got {other:?}"),
    }
}

#[tokio::test]
async fn a_database_from_the_migrator_without_checksums_is_upgraded_sqlite() {
    old_database_is_upgraded(Kind::Sqlite).await;
}

#[tokio::test]
async fn a_database_from_the_migrator_without_checksums_is_upgraded_postgres() {
    old_database_is_upgraded(Kind::Postgres).await;
}

/// Takes the migrator's lock from a connection of our own, and gives it back.
async fn lock_is_free(observer: &mut sqlx::PgConnection) -> bool {
    let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
        .bind(LOCK_KEY)
        .fetch_one(&mut *observer)
        .await
        .unwrap();
    if got {
        let released: bool = sqlx::query_scalar("SELECT pg_advisory_unlock($1)")
            .bind(LOCK_KEY)
            .fetch_one(&mut *observer)
            .await
            .unwrap();
        assert!(released);
    }
    got
}

#[tokio::test]
async fn the_advisory_lock_is_released_after_every_run_postgres() {
    let db = Db::migrated(Kind::Postgres).await;
    // Opened beforehand, so the check runs the moment `connect` returns, with no
    // connection set-up in between that could hide a lock released late.
    let mut observer = pg::connect(&db.url).await;

    // Success, with the store (and its pool) still open.
    let store = db.connect().await.unwrap();
    assert!(lock_is_free(&mut observer).await, "held after a good start");

    // Refused after the lock was taken: an edited migration...
    db.sql("UPDATE koers_migrations SET checksum = 'x' WHERE version = 1")
        .await;
    assert!(matches!(
        db.connect().await.unwrap_err(),
        StoreError::MigrationEdited { .. }
    ));
    assert!(
        lock_is_free(&mut observer).await,
        "held after MigrationEdited"
    );

    // ...and a database from a newer Koers.
    let (_, good) = db.expected_checksums().swap_remove(0);
    db.sql(&format!(
        "UPDATE koers_migrations SET checksum = '{good}' WHERE version = 1;
         INSERT INTO koers_migrations (version, name, applied_at) VALUES (9999, 'toekomst', 0)"
    ))
    .await;
    assert!(matches!(
        db.connect().await.unwrap_err(),
        StoreError::TooNew { found: 9999, .. }
    ));
    assert!(lock_is_free(&mut observer).await, "held after TooNew");

    // A failing migration statement: migration 3's index already exists while its
    // bookkeeping row is gone, so its CREATE INDEX fails inside the run.
    db.sql("DELETE FROM koers_migrations WHERE version IN (3, 9999)")
        .await;
    assert!(matches!(
        db.connect().await.unwrap_err(),
        StoreError::Other(_)
    ));
    assert!(
        lock_is_free(&mut observer).await,
        "held after a failed migration"
    );

    // The store that was open all along still works, and so does a new start.
    store.ping().await.unwrap();
    store.close().await;
    db.sql(&format!("DROP INDEX {INDEX_OF_3}")).await;
    db.connect().await.unwrap().close().await;
    db.assert_complete().await;
}
