//! Tenant isolation, complete by construction: the routes come from the same
//! registry that builds the router (`koers_web::part::registry` over every part
//! of this binary), so a route is requested here the day it is added.
//!
//! Two organisations, A and B, each own a session with statements, a participant,
//! votes, next steps, an invitation and a second member. Logged in as A's
//! beheerder, for every organisation route:
//! - B's organisation with B's ids answers 404 (A is not a member of B);
//! - A's organisation with one of B's ids in it answers 404 (ids are looked up
//!   within the organisation of the path);
//! - A's organisation with A's own ids works (a GET answers 200), which proves the
//!   fixture really has an object behind every id;
//!
//! and no answer ever holds one of B's secrets. Routes with a secret in the path
//! (join codes, invitation links) answer 404 to a wrong secret; platform routes
//! answer 404 to a non-administrator. Afterwards nothing of B has changed. Every
//! download format and every SSE stream is among the routes, since they are in
//! the registry.

use crate::common::*;
use koers_core::sessie::{ModerationMode, VoteChoice};
use koers_core::{Role, StatementId};
use koers_store::{
    LiveSession, NewInvitation, NewLiveSession, NewStatement, Organisation, StatementStatus, Store,
    User, VoteRecord,
};
use koers_web::part::{registry, Access};
use std::collections::BTreeMap;

const NOW: i64 = 1_800_000_000;

/// One organisation's objects, by the name of the path parameter that carries each.
struct Tenant {
    org: Organisation,
    beheerder: User,
    session: LiveSession,
    ids: BTreeMap<&'static str, String>,
    invitation_token: String,
    /// The session's projector link (room screen): a secret like the others.
    screen_token: String,
    share_token: String,
    reset_token: String,
    /// Scan (issue 10): a personal link, the open link and an open-link resume key.
    scan_invite: String,
    scan_open_link: String,
    scan_key: String,
}

async fn tenant(store: &Store, name: &str, email: &str, tag: &str, code: &str) -> Tenant {
    let (org, beheerder) = seed_org(store, name, email, &format!("wachtwoord {tag}")).await;
    let scope = store.system_scope(org.id);
    // A second member, so that `{user}` names someone who is not the caller.
    let hash = koers_web::auth::hash_password("wachtwoord lid".into())
        .await
        .unwrap();
    let member = store
        .create_user(
            koers_store::NewUser {
                email: &koers_core::Email::parse(&format!("lid@{tag}.nl")).unwrap(),
                display_name: &koers_core::DisplayName::parse(&format!("Lid {tag}")).unwrap(),
                password_hash: &hash,
                is_platform_admin: false,
            },
            NOW,
        )
        .await
        .unwrap();
    store
        .set_membership(org.id, member.id, Role::Lid, NOW)
        .await
        .unwrap();
    let invitation_token = format!("{tag}-invitation-token-0123456789abcdef");
    let invitation = store
        .create_invitation(NewInvitation {
            organisation_id: org.id,
            email: None,
            token_hash: &koers_web::auth::token_hash(&invitation_token),
            role: Role::Lid,
            note: &format!("geheime notitie {tag}"),
            created_by: beheerder.id,
            now: NOW,
            expires_at: NOW + 10 * 86_400,
        })
        .await
        .unwrap();
    let perspectives = vec!["beleid".to_owned(), "inwoner".to_owned()];
    let sessie = store.sessie();
    let session = sessie
        .create_live_session(
            &scope,
            NewLiveSession {
                title: &format!("Geheime sessie {tag}"),
                description: &format!("geheime beschrijving {tag}"),
                join_code: code,
                join_open_until: NOW + 86_400,
                moderation: ModerationMode::Post,
                max_statement_chars: 140,
                dots_per_participant: 3,
                perspectives: &perspectives,
                read_only: false,
                attribution: "",
                created_by: Some(beheerder.id),
                now: NOW,
            },
        )
        .await
        .unwrap();
    let statement = sessie
        .add_statement(
            &session,
            NewStatement {
                participant_id: None,
                is_seed: true,
                text: &format!("geheime stelling {tag}"),
                status: StatementStatus::Accepted,
                profanity_hint: false,
                now: NOW,
                external_id: None,
            },
        )
        .await
        .unwrap();
    let participant = sessie
        .join_session(
            &session,
            &koers_web::auth::token_hash(&format!("{tag}-participant")),
            "beleid",
            "",
            NOW,
        )
        .await
        .unwrap();
    sessie
        .record_votes(&[VoteRecord {
            scope: session.scope,
            participant_id: participant,
            statement_id: StatementId(statement.id.0),
            vote: VoteChoice::Agree,
            at: NOW,
        }])
        .await
        .unwrap();
    sessie
        .add_next_step(&session, &format!("geheime afspraak {tag}"), "team", NOW)
        .await
        .unwrap();
    let step = sessie.next_steps(session.scope).await.unwrap()[0].id;
    let screen_token = format!("{tag}-screen-token-0123456789abcdef");
    sessie
        .set_room_link(
            session.scope,
            Some(&koers_web::auth::token_hash(&screen_token)),
            NOW,
        )
        .await
        .unwrap();
    let share_token = format!("{tag}-results-link-token-0123456789abcdef");
    let link = sessie
        .create_share_link(
            session.scope,
            &koers_web::auth::token_hash(&share_token),
            beheerder.id,
            NOW,
            NOW + 30 * 86_400,
        )
        .await
        .unwrap();
    let reset_token = format!("{tag}-password-reset-token-0123456789abcdef");
    store
        .create_password_reset(
            &scope,
            koers_store::NewPasswordReset {
                user: member.id,
                token_hash: &koers_web::auth::token_hash(&reset_token),
                created_by: beheerder.id,
                now: NOW,
                expires_at: NOW + 86_400,
            },
        )
        .await
        .unwrap()
        .unwrap();
    // --- scan: waves --- an open wave with a personal link, an open link and a
    // draft under an open-link resume key.
    let scan = store.scan();
    let wave = scan
        .create_wave(
            &scope,
            &koers_store::NewWave {
                title: &format!("Geheime golf {tag}"),
                model_id: "m",
                model_version: "1",
                model_hash: "h",
                model_source: koers_core::scan::builtin::SOURCES[0].1,
                anonymous: true,
                perspectives: &[koers_store::NewPerspective {
                    name: format!("geheim perspectief {tag}"),
                    rates_self: false,
                    weight: 1.0,
                }],
                previous_wave: None,
                created_by: Some(beheerder.id),
                now: NOW,
            },
        )
        .await
        .unwrap();
    scan.open_wave(wave.scope, NOW).await.unwrap();
    let wave_perspective = scan.perspectives(wave.scope).await.unwrap()[0].id;
    let scan_invite = format!("{tag}-scan-invite-token-0123456789abcdef");
    scan.create_invitations(
        wave.scope,
        &[koers_store::NewScanInvitation {
            perspective_id: wave_perspective,
            token_hash: koers_web::auth::token_hash(&scan_invite),
            invitee: format!("geheime genodigde {tag}"),
            email: None,
        }],
        NOW,
    )
    .await
    .unwrap();
    let scan_open_link = format!("{tag}-scan-open-link-0123456789abcdef");
    scan.set_open_link(
        wave.scope,
        Some(&koers_web::auth::token_hash(&scan_open_link)),
    )
    .await
    .unwrap();
    let scan_key = format!("{tag}-scan-resume-key-0123456789abcdef");
    scan.save_draft(
        wave.scope,
        &koers_web::auth::token_hash(&scan_key),
        wave_perspective,
        "{}",
        NOW,
    )
    .await
    .unwrap();
    // --- end scan: waves ---
    let ids = BTreeMap::from([
        ("org", org.id.to_string()),
        ("wave", wave.id.to_string()),
        ("id", session.id.to_string()),
        ("statement", statement.id.to_string()),
        ("step", step.to_string()),
        ("invitation", invitation.id.to_string()),
        ("user", member.id.to_string()),
        ("link", link.id.to_string()),
    ]);
    Tenant {
        org,
        beheerder,
        session,
        ids,
        invitation_token,
        screen_token,
        share_token,
        reset_token,
        scan_invite,
        scan_open_link,
        scan_key,
    }
}

/// Everything of B that a request could change or leak, read straight from the store.
async fn snapshot(store: &Store, b: &Tenant) -> String {
    let scope = store.system_scope(b.org.id);
    let sessie = store.sessie();
    let session = sessie.live_session(&scope, b.session.id).await.unwrap();
    let member: i64 = b.ids["user"].parse().unwrap();
    // --- scan: waves ---
    let scan = store.scan();
    let mut scan_state = String::new();
    for w in scan.waves(&scope).await.unwrap() {
        scan_state.push_str(&format!(
            "{w:?}|{:?}|{:?}|{:?}|",
            scan.perspectives(w.scope).await.unwrap(),
            scan.invitations(w.scope).await.unwrap(),
            scan.responses(w.scope).await.unwrap(),
        ));
    }
    // --- end scan: waves ---
    format!(
        "{scan_state}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{}|{:?}|{}",
        store.organisation(b.org.id).await.unwrap(),
        store.members(&scope).await.unwrap(),
        store.invitations(&scope).await.unwrap(),
        sessie.live_sessions(&scope).await.unwrap().len(),
        session,
        sessie.statements(b.session.scope).await.unwrap(),
        sessie.votes(b.session.scope).await.unwrap(),
        sessie.dots(b.session.scope).await.unwrap(),
        sessie.next_steps(b.session.scope).await.unwrap(),
        sessie.room_screen(b.session.scope).await.unwrap(),
        store.user(b.beheerder.id).await.unwrap().password_hash,
        sessie.share_links(b.session.scope).await.unwrap(),
        store
            .user(koers_core::UserId(member))
            .await
            .unwrap()
            .password_hash,
    )
}

const SECRETS_OF_B: &[&str] = &[
    "Gemeente Bravo",
    "b@bravo.nl",
    "lid@bravo.nl",
    "Lid bravo",
    "geheime notitie bravo",
    "Geheime sessie bravo",
    "geheime beschrijving bravo",
    "geheime stelling bravo",
    "geheime afspraak bravo",
    "BRAVO2",
    "Geheime golf bravo",
    "geheime genodigde bravo",
    "geheim perspectief bravo",
];

/// Every field any form of Koers reads, with a value it accepts, so that a form
/// that would pass validation reaches its lookups.
const FIELDS: &[(&str, &str)] = &[
    ("name", "Overgenomen"),
    ("kind", "gemeente"),
    ("size_class", "m"),
    ("country", "NL"),
    ("role", "beheerder"),
    ("note", "x"),
    ("password", "nieuw wachtwoord 123"),
    ("display_name", "Indringer"),
    ("email", "indringer@alfa.nl"),
    ("status", "rejected"),
    ("date", "2026-01-01"),
    ("contact_email", "x@alfa.nl"),
    ("phase", "stemmen"),
    ("action", "open"),
    ("text", "ingebroken"),
    ("step_text", "ingebroken"),
    ("owner", "indringer"),
    ("title", "Overgenomen sessie"),
    ("perspectives", "beleid"),
    ("moderation", "post"),
    ("max_chars", "140"),
    ("dots", "3"),
    ("decision", "accept"),
    ("days", "30"),
    ("password_again", "nieuw wachtwoord 123"),
];

/// A path pattern filled with the given values; `None` if it names a parameter
/// the fixture does not know (the test then fails, naming it).
fn fill(pattern: &str, values: &BTreeMap<&str, String>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let j = rest[i..].find('}').ok_or("unclosed {")? + i;
        let name = &rest[i + 1..j];
        out.push_str(values.get(name).ok_or_else(|| name.to_owned())?);
        rest = &rest[j + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn assert_no_leak(backend: Backend, what: &str, body: &str) {
    for secret in SECRETS_OF_B {
        assert!(
            !body.contains(secret),
            "{backend:?} {what} leaked {secret:?}"
        );
    }
}

async fn request(app: &TestApp, method: &str, path: &str) -> (u16, String) {
    if method == "GET" {
        let r = app.get(path).await;
        let status = r.status().as_u16();
        let streaming = r
            .headers()
            .get("content-type")
            .is_some_and(|c| c.to_str().unwrap_or("").starts_with("text/event-stream"));
        if streaming {
            // An SSE stream never ends; its first event is enough to check.
            let mut r = r;
            let first = tokio::time::timeout(std::time::Duration::from_secs(5), r.chunk())
                .await
                .ok()
                .and_then(|c| c.ok().flatten())
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            return (status, first);
        }
        let body = r.bytes().await.unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    } else {
        let (s, b, _) = app.post_text(path, FIELDS).await;
        (s, b)
    }
}

async fn isolation(backend: Backend) {
    let db = fresh_db(backend).await;
    let a = tenant(&db.store, "Gemeente Alfa", "a@alfa.nl", "alfa", "AKFA23").await;
    let b = tenant(&db.store, "Gemeente Bravo", "b@bravo.nl", "bravo", "BRAVO2").await;
    let before = snapshot(&db.store, &b).await;

    let app = TestApp::start(db.store.clone(), test_config(), koers::parts()).await;
    assert_eq!(app.login("a@alfa.nl", "wachtwoord alfa").await.0, 303);

    let routes = registry(&koers::parts());
    let mut org_routes = 0;
    for route in &routes {
        let method = route.method.as_str();
        let pattern = route.path;
        // Parameters that are not ids take each of their listed values.
        let variants: Vec<BTreeMap<&str, String>> = match route.values.first() {
            Some((name, values)) => values
                .iter()
                .map(|v| BTreeMap::from([(*name, (*v).to_owned())]))
                .collect(),
            None => vec![BTreeMap::new()],
        };
        for extra in variants {
            let with = |t: &Tenant| {
                let mut v = t.ids.clone();
                v.extend(extra.clone());
                v
            };
            match route.access {
                Access::Org(_) => {
                    org_routes += 1;
                    // B's organisation, B's ids.
                    let path = fill(pattern, &with(&b)).unwrap_or_else(|p| {
                        panic!("{pattern}: add parameter {{{p}}} to the tenant fixture")
                    });
                    let (status, body) = request(&app, method, &path).await;
                    assert_eq!(
                        status, 404,
                        "{backend:?} {method} {path} (B's organisation)"
                    );
                    assert_no_leak(backend, &format!("{method} {path}"), &body);
                    // A's organisation with one of B's ids at a time.
                    let own = with(&a);
                    for (name, value) in &b.ids {
                        if *name == "org" || !pattern.contains(&format!("{{{name}}}")) {
                            continue;
                        }
                        let mut mixed = own.clone();
                        mixed.insert(name, value.clone());
                        let path = fill(pattern, &mixed).unwrap();
                        let (status, body) = request(&app, method, &path).await;
                        assert_eq!(
                            status, 404,
                            "{backend:?} {method} {path} (B's {name} inside A)"
                        );
                        assert_no_leak(backend, &format!("{method} {path}"), &body);
                    }
                    // A's own: the fixture has an object behind every id.
                    if method == "GET" {
                        let path = fill(pattern, &own).unwrap();
                        let (status, body) = request(&app, method, &path).await;
                        assert_eq!(status, 200, "{backend:?} GET {path} (A's own)");
                        assert_no_leak(backend, &format!("GET {path}"), &body);
                    }
                }
                Access::Secret { .. } => {
                    let wrong = BTreeMap::from([
                        ("token", "no-such-invitation-token-0123456789".to_owned()),
                        ("code", "ZZZZ99".to_owned()),
                        ("screen", "no-such-screen-token-0123456789".to_owned()),
                        ("share", "no-such-results-link-0123456789".to_owned()),
                        ("reset", "no-such-reset-link-0123456789".to_owned()),
                        ("invite", "no-such-scan-invite-0123456789".to_owned()),
                        ("openlink", "no-such-scan-open-link-0123456789".to_owned()),
                        ("key", "no-such-scan-resume-key-0123456789".to_owned()),
                    ]);
                    let path = fill(pattern, &wrong)
                        .unwrap_or_else(|p| panic!("{pattern}: add secret {{{p}}} to the test"));
                    let (status, body) = request(&app, method, &path).await;
                    assert_eq!(status, 404, "{backend:?} {method} {path} (a wrong secret)");
                    assert_no_leak(backend, &format!("{method} {path}"), &body);
                    if method == "GET" {
                        let right = BTreeMap::from([
                            ("token", a.invitation_token.clone()),
                            ("code", a.session.join_code.clone()),
                            ("screen", a.screen_token.clone()),
                            ("share", a.share_token.clone()),
                            ("reset", a.reset_token.clone()),
                            ("invite", a.scan_invite.clone()),
                            ("openlink", a.scan_open_link.clone()),
                            ("key", a.scan_key.clone()),
                        ]);
                        let path = fill(pattern, &right).unwrap();
                        let (status, body) = request(&app, method, &path).await;
                        // The right secret opens the page (or sends a visitor who has
                        // not joined yet to the join form, or refuses a page that is
                        // only for participants), but never answers as if unknown.
                        // The room screen has no join step: its link opens it.
                        if pattern.starts_with("/scherm/") {
                            assert_eq!(status, 200, "{backend:?} GET {path} (A's own screen link)");
                        }
                        assert!(
                            matches!(status, 200 | 303 | 403),
                            "{backend:?} GET {path} with the right secret answered {status}"
                        );
                        // A results link and a reset link open their page outright.
                        if pattern.contains("{share}") || pattern.contains("{reset}") {
                            assert_eq!(status, 200, "{backend:?} GET {path} (A's own link)");
                        }
                        assert_no_leak(backend, &format!("GET {path}"), &body);
                    }
                }
                Access::PlatformAdmin => {
                    let path = fill(pattern, &with(&b))
                        .unwrap_or_else(|p| panic!("{pattern}: add {{{p}}} to the fixture"));
                    let (status, body) = request(&app, method, &path).await;
                    assert_eq!(
                        status, 404,
                        "{backend:?} {method} {path} (not an administrator)"
                    );
                    assert_no_leak(backend, &format!("{method} {path}"), &body);
                }
                Access::User | Access::Public { .. } => {
                    // Nothing organisation-specific; still, nothing of B may show.
                    let generic = BTreeMap::from([
                        ("code", "nl".to_owned()),
                        ("file", "koers.css".to_owned()),
                    ]);
                    if method == "GET" {
                        let path = fill(pattern, &generic).unwrap_or_else(|p| {
                            panic!("{pattern}: add {{{p}}} to the public values")
                        });
                        let (status, body) = request(&app, method, &path).await;
                        assert!(status < 500, "{backend:?} GET {path} answered {status}");
                        assert_no_leak(backend, &format!("GET {path}"), &body);
                    }
                }
            }
        }
    }
    assert!(
        org_routes > 20,
        "the registry lists the organisation routes"
    );
    // The language switch above may have changed A's language; the forms do not mind.
    assert_eq!(
        snapshot(&db.store, &b).await,
        before,
        "{backend:?}: B changed"
    );
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
