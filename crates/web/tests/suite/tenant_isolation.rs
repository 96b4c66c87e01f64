//! Tenant isolation: logged in as a beheerder of organisation A, every URL and id of
//! organisation B must answer 404 (or 403) and never show B's data; and nothing of B
//! may change. Every feature that adds routes adds them to `ROUTES`.

use crate::common::*;
use koers_core::{InvitationId, Role};

/// `{org}` is B's organisation, `{own}` is A's, `{inv}` an invitation of B, `{user}`
/// B's beheerder. A's own routes with B's ids inside them are in the list too: the id
/// must be looked up within the organisation in the path.
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/organisaties/{org}"),
    ("GET", "/organisaties/{org}/gegevens"),
    ("POST", "/organisaties/{org}/gegevens"),
    ("POST", "/organisaties/{org}/uitnodigingen"),
    ("POST", "/organisaties/{org}/uitnodigingen/{inv}/intrekken"),
    ("POST", "/organisaties/{org}/leden/{user}/rol"),
    ("POST", "/organisaties/{org}/leden/{user}/verwijderen"),
    ("POST", "/organisaties/{own}/uitnodigingen/{inv}/intrekken"),
    ("POST", "/organisaties/{own}/leden/{user}/rol"),
    ("POST", "/organisaties/{own}/leden/{user}/verwijderen"),
    ("GET", "/organisaties/{org}/sessies"),
    ("GET", "/organisaties/{org}/sessies/nieuw"),
    ("POST", "/organisaties/{org}/sessies/nieuw"),
    ("GET", "/organisaties/{org}/sessies/{session}"),
    ("POST", "/organisaties/{org}/sessies/{session}/fase"),
    ("POST", "/organisaties/{org}/sessies/{session}/deelname"),
    ("POST", "/organisaties/{org}/sessies/{session}/stellingen"),
    (
        "POST",
        "/organisaties/{org}/sessies/{session}/stellingen/{statement}/moderatie",
    ),
    ("POST", "/organisaties/{org}/sessies/{session}/afspraken"),
    ("POST", "/organisaties/{org}/sessies/{session}/afspraken/1"),
    (
        "POST",
        "/organisaties/{org}/sessies/{session}/afspraken/1/verwijderen",
    ),
    (
        "GET",
        "/organisaties/{org}/sessies/{session}/download/resultaten.csv",
    ),
    (
        "GET",
        "/organisaties/{org}/sessies/{session}/download/polis.zip",
    ),
    (
        "GET",
        "/organisaties/{own}/sessies/{session}/download/votes.csv",
    ),
    ("GET", "/organisaties/{org}/sessies/{session}/qr.svg"),
    ("GET", "/organisaties/{org}/sessies/{session}/projectie"),
    (
        "GET",
        "/organisaties/{org}/sessies/{session}/projectie/live",
    ),
    (
        "GET",
        "/organisaties/{org}/sessies/{session}/projectie/events",
    ),
    ("GET", "/organisaties/{org}/sessies/{session}/resultaten"),
    ("GET", "/organisaties/{own}/sessies/{session}"),
    ("POST", "/organisaties/{own}/sessies/{session}/fase"),
    (
        "POST",
        "/organisaties/{own}/sessies/{session}/stellingen/{statement}/moderatie",
    ),
    (
        "GET",
        "/organisaties/{own}/sessies/{session}/projectie/live",
    ),
    ("GET", "/organisaties/{own}/sessies/{session}/resultaten"),
    ("GET", "/beheer"),
    ("POST", "/beheer/organisaties"),
    ("POST", "/beheer/gebruikers"),
    ("POST", "/beheer/gebruikers/{user}/wachtwoord"),
    ("GET", "/toegankelijkheid/bewerken"),
    ("POST", "/toegankelijkheid/bewerken"),
];

async fn isolation(backend: Backend) {
    let db = fresh_db(backend).await;
    let (org_a, _user_a) =
        seed_org(&db.store, "Gemeente Alfa", "a@alfa.nl", "wachtwoord alfa").await;
    let (org_b, user_b) = seed_org(
        &db.store,
        "Gemeente Bravo",
        "b@bravo.nl",
        "wachtwoord bravo",
    )
    .await;
    let token_hash = koers_web::auth::token_hash("bravo-invitation-token");
    let inv_b = db
        .store
        .create_invitation(koers_store::NewInvitation {
            organisation_id: org_b.id,
            token_hash: &token_hash,
            role: Role::Lid,
            note: "geheime notitie bravo",
            created_by: user_b.id,
            now: 1_800_000_000,
            expires_at: 1_900_000_000,
        })
        .await
        .unwrap();
    let perspectives = vec!["beleid".to_owned()];
    let session_b = db
        .store
        .create_live_session(koers_store::NewLiveSession {
            organisation_id: org_b.id,
            title: "Geheime sessie bravo",
            description: "",
            join_code: "BRAVO2",
            join_open_until: 1_900_000_000,
            moderation: koers_core::sessie::ModerationMode::Post,
            max_statement_chars: 140,
            dots_per_participant: 3,
            perspectives: &perspectives,
            read_only: false,
            attribution: "",
            created_by: None,
            now: 1_800_000_000,
        })
        .await
        .unwrap();
    let statement_b = db
        .store
        .add_statement(
            &session_b,
            koers_store::NewStatement {
                participant_id: None,
                is_seed: true,
                text: "geheime stelling bravo",
                status: koers_store::StatementStatus::Accepted,
                profanity_hint: false,
                now: 1_800_000_000,
                external_id: None,
            },
        )
        .await
        .unwrap();
    let app = TestApp::start(db.store.clone(), test_config()).await;
    let (s, _, _) = app.login("a@alfa.nl", "wachtwoord alfa").await;
    assert_eq!(s, 303);
    assert_eq!(
        app.get(&format!("/organisaties/{}", org_a.id))
            .await
            .status(),
        200,
        "A sees its own organisation"
    );

    let fields: &[(&str, &str)] = &[
        ("name", "Overgenomen"),
        ("kind", "gemeente"),
        ("size_class", "m"),
        ("country", "NL"),
        ("role", "beheerder"),
        ("note", "x"),
        ("password", "nieuw wachtwoord 123"),
        ("display_name", "Indringer"),
        ("email", "indringer@alfa.nl"),
        ("organisation", &org_b.id.to_string()),
        ("status", "full"),
        ("date", "2026-01-01"),
        ("contact_email", "x@alfa.nl"),
        ("phase", "stemmen"),
        ("action", "open"),
        ("text", "ingebroken"),
        ("step_text", "ingebroken"),
        ("title", "Overgenomen sessie"),
        ("perspectives", "beleid"),
        ("moderation", "post"),
        ("max_chars", "140"),
        ("dots", "3"),
    ];
    for (method, pattern) in ROUTES {
        let path = pattern
            .replace("{org}", &org_b.id.to_string())
            .replace("{own}", &org_a.id.to_string())
            .replace("{inv}", &inv_b.id.to_string())
            .replace("{user}", &user_b.id.to_string())
            .replace("{session}", &session_b.id.to_string())
            .replace("{statement}", &statement_b.id.to_string());
        let (status, body) = if *method == "GET" {
            app.get_text(&path).await
        } else {
            let (s, b, _) = app.post_text(&path, fields).await;
            (s, b)
        };
        assert!(
            status == 404 || status == 403,
            "{backend:?} {method} {path} answered {status}"
        );
        for secret in [
            "Gemeente Bravo",
            "b@bravo.nl",
            "geheime notitie bravo",
            "Beheerder Gemeente Bravo",
            "Geheime sessie bravo",
            "geheime stelling bravo",
            "BRAVO2",
        ] {
            assert!(
                !body.contains(secret),
                "{backend:?} {method} {path} leaked {secret:?}"
            );
        }
    }

    // Nothing of B changed.
    let sb = db.store.live_session(org_b.id, session_b.id).await.unwrap();
    assert_eq!(sb.phases, koers_core::sessie::Phases::default());
    assert_eq!(db.store.statements(session_b.id).await.unwrap().len(), 1);
    assert!(db.store.next_steps(session_b.id).await.unwrap().is_empty());
    assert!(
        db.store.live_sessions(org_a.id).await.unwrap().is_empty(),
        "no session created in A by the forms"
    );
    let b = db.store.organisation(org_b.id).await.unwrap();
    assert_eq!(b.name, "Gemeente Bravo");
    assert_eq!(
        db.store.role_in(org_b.id, user_b.id).await.unwrap(),
        Some(Role::Beheerder)
    );
    let invs = db.store.invitations(org_b.id).await.unwrap();
    assert_eq!(invs.len(), 1);
    assert!(invs[0].is_open(1_800_000_001));
    assert_eq!(invs[0].id, InvitationId(inv_b.id.0));
    assert!(db
        .store
        .user_by_email(&koers_core::Email::parse("indringer@alfa.nl").unwrap())
        .await
        .unwrap()
        .is_none());
    let hash_b = db.store.user(user_b.id).await.unwrap().password_hash;
    assert!(koers_web::auth::verify_password("wachtwoord bravo".into(), hash_b).await);
    app.stop().await;
}

#[tokio::test]
async fn tenant_isolation_on_sqlite() {
    isolation(Backend::Sqlite).await;
}

#[tokio::test]
async fn tenant_isolation_on_postgres() {
    isolation(Backend::Postgres).await;
}
