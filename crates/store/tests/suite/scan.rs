//! Scan's store on both backends: waves and their scope, invitations, drafts,
//! the idempotent submit, the anonymous response without its invitation, and the
//! all-or-nothing import.

use koers_store::*;
use koers_testkit::{fresh_db, seed_org, Backend};

async fn wave(store: &Store, scope: &OrgScope, anonymous: bool) -> Wave {
    let perspectives = [
        NewPerspective {
            name: "Bestuur".into(),
            rates_self: true,
            weight: 1.0,
        },
        NewPerspective {
            name: "Medewerkers".into(),
            rates_self: false,
            weight: 2.0,
        },
    ];
    store
        .scan()
        .create_wave(
            scope,
            &NewWave {
                title: "Nulmeting",
                model_id: "m",
                model_version: "1.0.0",
                model_hash: "abc",
                model_source: "[model]",
                anonymous,
                perspectives: &perspectives,
                previous_wave: None,
                created_by: None,
                now: 100,
            },
        )
        .await
        .unwrap()
}

async fn scenario(backend: Backend) {
    let db = fresh_db(backend).await;
    let store = &db.store;
    let (org, _) = seed_org(
        store,
        "Gemeente A",
        "a@example.org",
        "wachtwoord-lang-genoeg",
    )
    .await;
    let (other, _) = seed_org(
        store,
        "Gemeente B",
        "b@example.org",
        "wachtwoord-lang-genoeg",
    )
    .await;
    let scope = store.system_scope(org.id);
    let other_scope = store.system_scope(other.id);
    let scan = store.scan();

    let w = wave(store, &scope, true).await;
    assert_eq!(w.status, WaveStatus::Concept);
    assert!(matches!(
        scan.wave(&other_scope, w.id).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(scan.waves(&scope).await.unwrap().len(), 1);
    assert!(scan.waves(&other_scope).await.unwrap().is_empty());
    let ps = scan.perspectives(w.scope).await.unwrap();
    assert_eq!(ps.len(), 2);
    assert!(ps[0].rates_self && !ps[1].rates_self);
    assert_eq!(ps[1].weight, 2.0);

    // A previous wave of another organisation is refused.
    let foreign = wave(store, &other_scope, false).await;
    let e = scan
        .create_wave(
            &scope,
            &NewWave {
                title: "x",
                model_id: "m",
                model_version: "1",
                model_hash: "h",
                model_source: "",
                anonymous: true,
                perspectives: &[],
                previous_wave: Some(foreign.id),
                created_by: None,
                now: 1,
            },
        )
        .await;
    assert!(matches!(e, Err(StoreError::NotFound)));

    let ids = scan
        .create_invitations(
            w.scope,
            &[
                NewScanInvitation {
                    perspective_id: ps[0].id,
                    token_hash: "t1".into(),
                    invitee: "Anna".into(),
                    email: None,
                },
                NewScanInvitation {
                    perspective_id: ps[1].id,
                    token_hash: "t2".into(),
                    invitee: "bob@example.org".into(),
                    email: Some("bob@example.org".into()),
                },
            ],
            200,
        )
        .await
        .unwrap();
    assert_eq!(ids.len(), 2);
    // A perspective of another wave makes nothing.
    let fps = scan.perspectives(foreign.scope).await.unwrap();
    assert!(scan
        .create_invitations(
            w.scope,
            &[NewScanInvitation {
                perspective_id: fps[0].id,
                token_hash: "t3".into(),
                invitee: "x".into(),
                email: None,
            }],
            200,
        )
        .await
        .is_err());
    assert_eq!(scan.invitations(w.scope).await.unwrap().len(), 2);

    // Not open yet: drafts and submits are refused.
    let r = scan.respondent_by_token("t1").await.unwrap().unwrap();
    assert_eq!(r.wave.id, w.id);
    let sub = Submission {
        via: Via::Invitation(r.invitation_id),
        key_hash: "t1",
        perspective_id: r.perspective.id,
        answers: r#"{"q":"1"}"#,
        completed_on: "2027-01-01",
    };
    assert_eq!(
        scan.submit(w.scope, &sub).await.unwrap(),
        SubmitOutcome::WaveNotOpen
    );
    assert!(scan.respondent_by_token("nope").await.unwrap().is_none());

    assert!(scan.open_wave(w.scope, 300).await.unwrap());
    assert!(!scan.open_wave(w.scope, 300).await.unwrap());
    scan.save_draft(w.scope, "t1", r.perspective.id, r#"{"q":"2"}"#, 310)
        .await
        .unwrap();
    scan.save_draft(w.scope, "t1", r.perspective.id, r#"{"q":"3"}"#, 320)
        .await
        .unwrap();
    assert_eq!(
        scan.draft(w.scope, "t1").await.unwrap().unwrap().answers,
        r#"{"q":"3"}"#
    );
    // A draft key of this wave cannot be overwritten through another wave.
    scan.open_wave(foreign.scope, 300).await.unwrap();
    assert!(scan
        .save_draft(foreign.scope, "t1", fps[0].id, "{}", 330)
        .await
        .is_err());

    assert_eq!(
        scan.submit(w.scope, &sub).await.unwrap(),
        SubmitOutcome::Stored
    );
    assert_eq!(
        scan.submit(w.scope, &sub).await.unwrap(),
        SubmitOutcome::AlreadySubmitted
    );
    assert!(scan.draft(w.scope, "t1").await.unwrap().is_none());
    let inv = scan.invitations(w.scope).await.unwrap();
    assert_eq!(inv[0].completed_on.as_deref(), Some("2027-01-01"));
    assert_eq!(inv[1].completed_on, None);

    // Open link: idempotent by key, never linked.
    scan.set_open_link(w.scope, Some("open")).await.unwrap();
    assert_eq!(
        scan.wave_by_open_link("open").await.unwrap().unwrap().id,
        w.id
    );
    let open = Submission {
        via: Via::OpenLink,
        key_hash: "k1",
        perspective_id: ps[1].id,
        answers: "{}",
        completed_on: "2027-01-01",
    };
    assert_eq!(
        scan.submit(w.scope, &open).await.unwrap(),
        SubmitOutcome::Stored
    );
    assert_eq!(
        scan.submit(w.scope, &open).await.unwrap(),
        SubmitOutcome::AlreadySubmitted
    );
    assert!(scan.submitted(w.scope, "k1").await.unwrap());
    scan.set_open_link(w.scope, None).await.unwrap();
    assert!(scan.wave_by_open_link("open").await.unwrap().is_none());

    // Reminders renew only unanswered invitations and move their drafts.
    scan.save_draft(w.scope, "t2", ps[1].id, "{}", 400)
        .await
        .unwrap();
    let renewed = scan
        .remind(
            w.scope,
            &[(ids[0], "t1b".into()), (ids[1], "t2b".into())],
            500,
        )
        .await
        .unwrap();
    assert_eq!(renewed, vec![ids[1]]);
    assert!(scan.respondent_by_token("t2").await.unwrap().is_none());
    assert!(scan.respondent_by_token("t2b").await.unwrap().is_some());
    assert!(scan.draft(w.scope, "t2b").await.unwrap().is_some());

    // Import: all or nothing.
    let bad = [
        ImportedResponse {
            perspective_id: ps[0].id,
            answers: "{}".into(),
        },
        ImportedResponse {
            perspective_id: fps[0].id,
            answers: "{}".into(),
        },
    ];
    assert!(scan.import_responses(w.scope, &bad).await.is_err());
    assert_eq!(scan.responses(w.scope).await.unwrap().len(), 2);
    assert_eq!(scan.import_responses(w.scope, &bad[..1]).await.unwrap(), 1);
    let responses = scan.responses(w.scope).await.unwrap();
    assert_eq!(responses.len(), 3);
    let counts = scan.response_counts(w.scope).await.unwrap();
    assert_eq!(counts.iter().map(|c| c.1).sum::<i64>(), 3);

    // The anonymous wave's responses carry no invitation.
    let linked = count_linked(&db, w.id).await;
    assert_eq!(linked, 0);

    // Closed: no more answers, the thanks page still thanks.
    assert!(scan.close_wave(w.scope, 600).await.unwrap());
    let late = Submission {
        key_hash: "k2",
        ..open
    };
    assert_eq!(
        scan.submit(w.scope, &late).await.unwrap(),
        SubmitOutcome::WaveNotOpen
    );
    assert_eq!(
        scan.submit(w.scope, &sub).await.unwrap(),
        SubmitOutcome::AlreadySubmitted
    );

    // A wave that is not anonymous links its responses.
    let named = wave(store, &scope, false).await;
    scan.open_wave(named.scope, 700).await.unwrap();
    let nps = scan.perspectives(named.scope).await.unwrap();
    let nid = scan
        .create_invitations(
            named.scope,
            &[NewScanInvitation {
                perspective_id: nps[0].id,
                token_hash: "n1".into(),
                invitee: "Cor".into(),
                email: None,
            }],
            700,
        )
        .await
        .unwrap();
    scan.submit(
        named.scope,
        &Submission {
            via: Via::Invitation(nid[0]),
            key_hash: "n1",
            perspective_id: nps[0].id,
            answers: "{}",
            completed_on: "2027-01-02",
        },
    )
    .await
    .unwrap();
    assert_eq!(count_linked(&db, named.id).await, 1);
}

async fn count_linked(db: &koers_testkit::TestDb, wave: WaveId) -> i64 {
    let sql =
        "SELECT COUNT(*) FROM scan_responses WHERE wave_id = $1 AND invitation_id IS NOT NULL";
    match db.store.backend() {
        koers_store::Backend::Sqlite(p) => sqlx::query_scalar(sql)
            .bind(wave.0)
            .fetch_one(p)
            .await
            .unwrap(),
        koers_store::Backend::Postgres(p) => sqlx::query_scalar(sql)
            .bind(wave.0)
            .fetch_one(p)
            .await
            .unwrap(),
    }
}

#[tokio::test]
async fn scan_store_on_sqlite() {
    scenario(Backend::Sqlite).await;
}

#[tokio::test]
async fn scan_store_on_postgres() {
    scenario(Backend::Postgres).await;
}
