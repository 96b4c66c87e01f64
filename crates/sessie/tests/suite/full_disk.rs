//! Acknowledged means committed, on a really full disk: the SQLite file lives on a
//! small tmpfs that the test fills. A participant who joins, or submits a statement,
//! while the disk is full gets a clear page and no cookie or confirmation; nothing
//! is acknowledged that is not stored; once space returns everything works, and no
//! participant is handed someone else's id or votes.
//!
//! Mounting a tmpfs needs root, which the CI machines have; anywhere else the test
//! fails with a message that says so rather than passing without checking anything.

use crate::common::*;
use koers_core::sessie::{ModerationMode, Phase, PhaseAction, Phases};
use koers_store::{NewLiveSession, Store};

async fn count(store: &Store, sql: &str) -> i64 {
    match store.backend() {
        koers_store::Backend::Sqlite(pool) => {
            sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
        }
        koers_store::Backend::Postgres(pool) => {
            sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
        }
    }
}

#[tokio::test]
async fn nothing_is_acknowledged_that_a_full_disk_did_not_store() {
    let disk = SmallDisk::mount("6m");
    let url = disk.path().join("koers.db").to_string_lossy().into_owned();
    let store = Store::connect(&url).await.unwrap();
    let (org, _) = seed_org(&store, "Gemeente Vol", "f@vol.nl", "wachtwoord vol").await;
    let scope = store.system_scope(org.id);
    let perspectives = vec!["beleid".to_owned(), "inwoner".to_owned()];
    let session = store
        .sessie()
        .create_live_session(
            &scope,
            NewLiveSession {
                title: "Volle schijf",
                description: "",
                join_code: "VQRX23",
                join_open_until: 1_900_000_000,
                moderation: ModerationMode::Post,
                max_statement_chars: 140,
                dots_per_participant: 3,
                perspectives: &perspectives,
                read_only: false,
                attribution: "",
                created_by: None,
                now: 1_800_000_000,
            },
        )
        .await
        .unwrap();
    let open = Phases::default()
        .apply(Phase::Inbreng, PhaseAction::Open)
        .unwrap();
    store
        .sessie()
        .set_phases(session.scope, open, 1_800_000_000)
        .await
        .unwrap();
    let app = TestApp::start(store.clone(), test_config(), parts()).await;
    let code = session.join_code.clone();

    // One participant joins while there is space, and is known by a cookie.
    let mut early = TestApp::attach(&app);
    early.fresh_browser();
    let (s, _, _) = early
        .post_text(
            &format!("/s/{code}"),
            &[("perspective", "beleid"), ("display_name", "")],
        )
        .await;
    assert_eq!(s, 303);

    let filler = disk.fill();

    // Joining on a full disk: a clear page, no participant cookie, no row.
    let mut late = TestApp::attach(&app);
    late.fresh_browser();
    let _ = late.get(&format!("/s/{code}")).await;
    let token = late.csrf().await;
    let r = late
        .client
        .post(late.url(&format!("/s/{code}")))
        .form(&[
            ("csrf", token.as_str()),
            ("perspective", "inwoner"),
            ("display_name", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503, "a join on a full disk is not acknowledged");
    assert!(
        !r.headers()
            .get_all("set-cookie")
            .iter()
            .any(|c| c.to_str().unwrap_or("").starts_with("koers_p")),
        "no participant cookie for a join that was not stored"
    );
    let page = r.text().await.unwrap();
    assert!(page.contains("De opslag is vol"), "{page}");

    // A statement on a full disk: the same, and nothing stored.
    let (s, page, _) = early
        .post_text(
            &format!("/s/{code}/inbreng"),
            &[("text", "Een stelling op een volle schijf")],
        )
        .await;
    assert_eq!(s, 503, "a statement on a full disk is not acknowledged");
    assert!(page.contains("De opslag is vol"));

    // Space returns: everything works again, and every acknowledged thing is there.
    std::fs::remove_file(filler).unwrap();
    let (s, _, _) = late
        .post_text(
            &format!("/s/{code}"),
            &[("perspective", "inwoner"), ("display_name", "")],
        )
        .await;
    assert_eq!(s, 303, "joining works once there is space");
    let (s, _, _) = early
        .post_text(
            &format!("/s/{code}/inbreng"),
            &[("text", "Een stelling na de volle schijf")],
        )
        .await;
    assert_eq!(s, 303);
    let mut third = TestApp::attach(&app);
    third.fresh_browser();
    let (s, _, _) = third
        .post_text(
            &format!("/s/{code}"),
            &[("perspective", "beleid"), ("display_name", "")],
        )
        .await;
    assert_eq!(s, 303);

    let participants = store.sessie().participants(session.scope).await.unwrap();
    assert_eq!(
        participants.len(),
        3,
        "exactly the three acknowledged joins: {participants:?}"
    );
    let mut ids: Vec<i64> = participants.iter().map(|p| p.id).collect();
    ids.dedup();
    assert_eq!(ids.len(), 3, "no id handed out twice");
    let statements = store.sessie().statements(session.scope).await.unwrap();
    assert_eq!(
        statements
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>(),
        ["Een stelling na de volle schijf"],
        "only the acknowledged statement is stored"
    );
    // And a restart sees the same: nothing lived only in memory.
    app.stop().await;
    store.close().await;
    let again = Store::connect(&url).await.unwrap();
    assert_eq!(
        count(&again, "SELECT COUNT(*) FROM session_participants").await,
        3
    );
    again.close().await;
}
