//! The room screen (issue 9 §1): the projector link, what the screen shows and
//! never shows, the countdown on the screen and the phones, the reveal, and the
//! join code only while joining works.

use crate::common::*;
use crate::sessie::{facilitator_with_session, join, phase, shown_statement};
use koers_core::sessie::room::{Countdown, ScreenView};
use koers_core::sessie::Phase;

/// Makes a projector link through the console and returns its token.
async fn make_link(app: &TestApp, org: i64, id: i64) -> String {
    let (s, html, _) = app
        .post_text(
            &format!("/organisaties/{org}/sessies/{id}/scherm/link"),
            &[],
        )
        .await;
    assert_eq!(s, 200, "{html}");
    assert!(html.contains("Je ziet deze link maar één keer"), "{html}");
    let link = extract(
        &html,
        "id=\"room-link\" type=\"text\" readonly value=\"",
        "\"",
    )
    .unwrap();
    assert!(link.starts_with("http://"), "{link}");
    link.rsplit("/scherm/").next().unwrap().to_owned()
}

/// A browser on the room's PC: no login, no cookies.
fn room_pc(app: &TestApp) -> TestApp {
    let mut pc = TestApp::attach(app);
    pc.fresh_browser();
    pc
}

#[tokio::test]
async fn a_projector_link_opens_its_one_session_without_login_until_revoked() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "post").await;
    let pc = room_pc(&app);
    let token = make_link(&app, org, id).await;
    assert!(token.len() >= 40, "unguessable: {token}");
    // Only the hash is stored.
    let (stored,): (Option<String>,) =
        sqlx::query_as("SELECT token_hash FROM session_room_screens WHERE session_id = $1")
            .bind(id)
            .fetch_one(match db.store.backend() {
                koers_store::Backend::Sqlite(p) => p,
                koers_store::Backend::Postgres(_) => unreachable!(),
            })
            .await
            .unwrap();
    assert_eq!(stored.unwrap(), koers_web::auth::token_hash(&token));

    let (s, html) = pc.get_text(&format!("/scherm/{token}")).await;
    assert_eq!(s, 200, "{html}");
    assert!(html.contains("Eén loket voor schuldhulp"), "{html}");
    assert!(html.contains(&code), "the join code, while joining works");
    assert!(html.contains("/doe-mee"), "the join address spelled out");
    // Full screen: none of the site's chrome.
    assert!(!html.contains("koers-page-header"), "{html}");
    assert!(!html.contains("koers-page-footer"), "{html}");
    assert!(!html.contains("/inloggen"), "{html}");
    for part in ["live", "qr.svg"] {
        let (s, _) = pc.get_text(&format!("/scherm/{token}/{part}")).await;
        assert_eq!(s, 200, "{part}");
    }
    // Read-only: nothing under /scherm takes a POST.
    let (s, _, _) = pc.post_text(&format!("/scherm/{token}"), &[]).await;
    assert_eq!(s, 405);

    // A wrong token: a friendly page in the room screen's style, 404.
    let (s, html) = pc.get_text("/scherm/geen-echte-link-0123456789").await;
    assert_eq!(s, 404);
    assert!(html.contains("Deze schermlink werkt niet"), "{html}");
    assert!(html.contains("koers-room"), "{html}");
    for part in ["live", "events", "qr.svg"] {
        let (s, _) = pc
            .get_text(&format!("/scherm/geen-echte-link/{part}"))
            .await;
        assert_eq!(s, 404, "{part}");
    }

    // A new link replaces the old one at once.
    let newer = make_link(&app, org, id).await;
    assert_ne!(newer, token);
    assert_eq!(pc.get_text(&format!("/scherm/{token}")).await.0, 404);
    assert_eq!(pc.get_text(&format!("/scherm/{newer}")).await.0, 200);

    // Another session's link opens that session, never this one.
    let (s, _, loc) = app
        .post_text(
            &format!("/organisaties/{org}/sessies/nieuw"),
            &[
                ("title", "Een andere sessie"),
                ("description", ""),
                ("perspectives", "beleid"),
                ("seeds", ""),
                ("moderation", "post"),
                ("max_chars", "140"),
                ("dots", "3"),
            ],
        )
        .await;
    assert_eq!(s, 303);
    let other: i64 = loc.unwrap().rsplit('/').next().unwrap().parse().unwrap();
    let other_token = make_link(&app, org, other).await;
    let (_, html) = pc.get_text(&format!("/scherm/{other_token}")).await;
    assert!(html.contains("Een andere sessie"));
    assert!(!html.contains("Eén loket voor schuldhulp"));
    assert!(!html.contains(&code));

    // Revoked: the link stops working; the console says there is none.
    let (s, _, _) = app
        .post_text(
            &format!("/organisaties/{org}/sessies/{id}/scherm/intrekken"),
            &[],
        )
        .await;
    assert_eq!(s, 303);
    assert_eq!(pc.get_text(&format!("/scherm/{newer}")).await.0, 404);
    let (_, console) = app
        .get_text(&format!("/organisaties/{org}/sessies/{id}"))
        .await;
    assert!(console.contains("Er is nog geen schermlink"), "{console}");
    // The other session's link is untouched.
    assert_eq!(pc.get_text(&format!("/scherm/{other_token}")).await.0, 200);
    app.stop().await;
}

#[tokio::test]
async fn the_room_screen_shows_nothing_pending_rejected_named_or_for_the_console() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "pre").await;
    let pc = room_pc(&app);
    let token = make_link(&app, org, id).await;
    let mut p = TestApp::attach(&app);
    p.fresh_browser();
    let (s, _, _) = p
        .post_text(
            &format!("/s/{code}"),
            &[("perspective", "beleid"), ("display_name", "Geheime Gerda")],
        )
        .await;
    assert_eq!(s, 303);
    phase(&app, org, id, "inbreng", "open").await;
    for text in [
        "Deze stelling wacht nog",
        "Deze stelling wordt afgewezen",
        "Deze stelling komt erdoor",
    ] {
        let (s, _, _) = p
            .post_text(&format!("/s/{code}/inbreng"), &[("text", text)])
            .await;
        assert_eq!(s, 303);
    }
    let statements = db
        .store
        .sessie()
        .statements(scope(&db.store, org, id).await)
        .await
        .unwrap();
    for (text, status) in [
        ("Deze stelling wordt afgewezen", "rejected"),
        ("Deze stelling komt erdoor", "accepted"),
    ] {
        let st = statements.iter().find(|s| s.text == text).unwrap();
        let (s, _, _) = app
            .post_text(
                &format!(
                    "/organisaties/{org}/sessies/{id}/stellingen/{}/moderatie",
                    st.id
                ),
                &[("status", status)],
            )
            .await;
        assert_eq!(s, 303);
    }
    for path in [format!("/scherm/{token}"), format!("/scherm/{token}/live")] {
        let (s, html) = pc.get_text(&path).await;
        assert_eq!(s, 200);
        assert!(html.contains("Deze stelling komt erdoor"), "{html}");
        // Two seeds and the accepted one.
        assert!(html.contains(">3</span> stellingen ingestuurd"), "{html}");
        assert!(!html.contains("Deze stelling wacht nog"), "pending: {html}");
        assert!(
            !html.contains("Deze stelling wordt afgewezen"),
            "rejected: {html}"
        );
        assert!(!html.contains("Geheime Gerda"), "a display name: {html}");
        assert!(!html.contains("/organisaties/"), "a console link: {html}");
        assert!(!html.contains("<form"), "read-only: {html}");
    }
    app.stop().await;
}

/// Reads an event stream until `event` arrives (or gives up after ten seconds).
async fn wait_for_event(r: &mut reqwest::Response, event: &str) -> String {
    let mut seen = String::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::time::Instant::now() < deadline {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), r.chunk())
            .await
            .ok()
            .and_then(|c| c.ok().flatten());
        let Some(chunk) = chunk else { break };
        seen.push_str(&String::from_utf8_lossy(&chunk));
        if let Some(i) = seen.find(&format!("event: {event}\ndata: ")) {
            let rest = &seen[i + event.len() + 14..];
            if let Some(end) = rest.find('\n') {
                return rest[..end].to_owned();
            }
        }
    }
    panic!("no {event} event in {seen:?}");
}

#[tokio::test]
async fn a_countdown_is_stored_and_shown_on_the_room_screen_and_the_phones() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "post").await;
    let pc = room_pc(&app);
    let token = make_link(&app, org, id).await;
    let console = format!("/organisaties/{org}/sessies/{id}");
    let p = join(&app, &code, "beleid").await;

    // Without an open phase there is nothing to count down.
    let (s, html, _) = app
        .post_text(&format!("{console}/scherm/aftellen"), &[("minutes", "5")])
        .await;
    assert_eq!(s, 422);
    assert!(html.contains("Er staat geen fase open"), "{html}");
    phase(&app, org, id, "inbreng", "open").await;
    for bad in ["0", "61", "vijf", ""] {
        let (s, html, _) = app
            .post_text(&format!("{console}/scherm/aftellen"), &[("minutes", bad)])
            .await;
        assert_eq!(s, 422, "{bad:?}");
        assert!(html.contains("Vul een heel aantal minuten in"), "{html}");
    }
    assert_eq!(
        db.store
            .sessie()
            .room_screen(scope(&db.store, org, id).await)
            .await
            .unwrap()
            .countdown,
        None,
        "a refused countdown changes nothing"
    );

    // The phone's event stream hears of it.
    let mut events = p.get(&format!("/s/{code}/events")).await;
    assert_eq!(events.status(), 200);
    let now = app.state.now();
    let (s, _, _) = app
        .post_text(&format!("{console}/scherm/aftellen"), &[("minutes", "5")])
        .await;
    assert_eq!(s, 303);
    let stored = db
        .store
        .sessie()
        .room_screen(scope(&db.store, org, id).await)
        .await
        .unwrap()
        .countdown
        .unwrap();
    assert_eq!(stored.phase, Phase::Inbreng);
    assert_eq!(stored.ends_at, now + 300, "the end time, in UTC seconds");
    assert_eq!(
        wait_for_event(&mut events, "countdown").await,
        format!("inbreng {}", now + 300)
    );

    let (_, screen) = pc.get_text(&format!("/scherm/{token}")).await;
    assert!(screen.contains("data-koers-clock>5:00<"), "{screen}");
    assert!(
        screen.contains(&format!("data-koers-countdown=\"{}\"", now + 300)),
        "{screen}"
    );
    // Without JavaScript the phone shows the time left when the page was drawn.
    app.advance_clock(61);
    let (_, phone) = p.get_text(&format!("/s/{code}/nu")).await;
    assert!(phone.contains("data-koers-clock>3:59<"), "{phone}");
    assert!(
        !phone.contains("data-koers-countdown-phase=\"inbreng\" hidden"),
        "{phone}"
    );
    app.advance_clock(300);
    let (_, screen) = pc.get_text(&format!("/scherm/{token}/live")).await;
    assert!(screen.contains("data-koers-clock>0:00<"), "{screen}");
    assert!(screen.contains("De tijd is om"), "{screen}");

    // A new phase: the old countdown does not follow the room into it.
    phase(&app, org, id, "stemmen", "open").await;
    let (_, phone) = p.get_text(&format!("/s/{code}/nu")).await;
    assert!(
        phone.contains("data-koers-countdown-phase=\"stemmen\" hidden"),
        "{phone}"
    );
    let (_, screen) = pc.get_text(&format!("/scherm/{token}/live")).await;
    assert!(!screen.contains("data-koers-clock"), "{screen}");

    // Started and stopped again.
    let (s, _, _) = app
        .post_text(&format!("{console}/scherm/aftellen"), &[("minutes", "2")])
        .await;
    assert_eq!(s, 303);
    let (_, phone) = p.get_text(&format!("/s/{code}/nu")).await;
    assert!(phone.contains("data-koers-clock>2:00<"), "{phone}");
    let (s, _, _) = app
        .post_text(
            &format!("{console}/scherm/aftellen"),
            &[("countdown", "stop")],
        )
        .await;
    assert_eq!(s, 303);
    assert_eq!(
        db.store
            .sessie()
            .room_screen(scope(&db.store, org, id).await)
            .await
            .unwrap()
            .countdown,
        None
    );
    let (_, phone) = p.get_text(&format!("/s/{code}/nu")).await;
    assert!(
        phone.contains("data-koers-countdown-phase=\"stemmen\" hidden"),
        "{phone}"
    );
    app.stop().await;
}

#[tokio::test]
async fn results_stay_hidden_until_the_reveal_phase_by_phase() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "post").await;
    let pc = room_pc(&app);
    let token = make_link(&app, org, id).await;
    let console = format!("/organisaties/{org}/sessies/{id}");
    phase(&app, org, id, "stemmen", "open").await;
    let p = join(&app, &code, "beleid").await;
    let st = shown_statement(&p, &code).await.unwrap();
    let (s, _, _) = p
        .post_text(
            &format!("/s/{code}/stem"),
            &[("statement", st.as_str()), ("vote", "agree")],
        )
        .await;
    assert_eq!(s, 303);
    let room = live(&app)
        .room(scope(&db.store, org, id).await)
        .await
        .unwrap();
    live(&app).recompute_now(&room).await;
    let fragment = format!("/scherm/{token}/live");
    let (_, html) = pc.get_text(&fragment).await;
    assert!(html.contains("Wat ons verbindt"), "{html}");
    assert!(
        html.contains(">1</span> stem<") || html.contains(">1</span> stem\n"),
        "{html}"
    );

    let (s, _, _) = app
        .post_text(
            &format!("{console}/scherm/resultaten"),
            &[("phase", "stemmen"), ("results", "hide")],
        )
        .await;
    assert_eq!(s, 303);
    let (_, html) = pc.get_text(&fragment).await;
    assert!(html.contains("De uitkomsten komen straks"), "{html}");
    assert!(!html.contains("Wat ons verbindt"), "{html}");
    assert!(!html.contains("Opiniekaart"), "{html}");
    // Participation and counts stay.
    assert!(html.contains(">1</span> deelnemer"), "{html}");
    let (_, c) = app.get_text(&console).await;
    assert!(c.contains("Uitkomsten laten zien"), "{c}");

    // Hidden per phase: the next phase's results are not hidden with it.
    phase(&app, org, id, "prioriteren", "open").await;
    let (_, html) = pc.get_text(&fragment).await;
    assert!(!html.contains("De uitkomsten komen straks"), "{html}");
    // Back to the voting view by hand: still hidden there.
    let (s, _, _) = app
        .post_text(
            &format!("{console}/scherm/weergave"),
            &[("view", "stemmen")],
        )
        .await;
    assert_eq!(s, 303);
    let (_, html) = pc.get_text(&fragment).await;
    assert!(html.contains("gekozen door de begeleider"), "{html}");
    assert!(html.contains("De uitkomsten komen straks"), "{html}");
    // The reveal.
    let (s, _, _) = app
        .post_text(
            &format!("{console}/scherm/resultaten"),
            &[("phase", "stemmen"), ("results", "show")],
        )
        .await;
    assert_eq!(s, 303);
    let (_, html) = pc.get_text(&fragment).await;
    assert!(html.contains("Wat ons verbindt"), "{html}");
    assert!(!html.contains("De uitkomsten komen straks"), "{html}");
    // Follow the phase again.
    let (s, _, _) = app
        .post_text(&format!("{console}/scherm/weergave"), &[("view", "volgen")])
        .await;
    assert_eq!(s, 303);
    let (_, html) = pc.get_text(&fragment).await;
    assert!(html.contains("stippen gezet"), "{html}");
    // Forged values are refused and change nothing.
    for (path, fields) in [
        ("weergave", vec![("view", "alles")]),
        (
            "resultaten",
            vec![("phase", "stemmen"), ("results", "misschien")],
        ),
        ("resultaten", vec![("phase", "later"), ("results", "hide")]),
    ] {
        let (s, _, _) = app
            .post_text(&format!("{console}/scherm/{path}"), &fields)
            .await;
        assert_eq!(s, 400, "{path} {fields:?}");
    }
    let screen = db
        .store
        .sessie()
        .room_screen(scope(&db.store, org, id).await)
        .await
        .unwrap();
    assert_eq!(screen.view, ScreenView::Follow);
    assert!(!screen.hidden.hides(Phase::Stemmen));
    app.stop().await;
}

#[tokio::test]
async fn the_room_sees_joining_is_closed_instead_of_a_dead_code() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "post").await;
    let pc = room_pc(&app);
    let token = make_link(&app, org, id).await;
    let console = format!("/organisaties/{org}/sessies/{id}");
    let closed = |html: &str| html.contains("Meedoen is gesloten") && !html.contains(&code);
    let (_, html) = pc.get_text(&format!("/scherm/{token}")).await;
    assert!(!closed(&html), "{html}");

    let (s, _, _) = app
        .post_text(
            &format!("{console}/deelname"),
            &[("action", "close"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(s, 303);
    let (_, html) = pc.get_text(&format!("/scherm/{token}")).await;
    assert!(closed(&html), "{html}");
    assert_eq!(pc.get_text(&format!("/scherm/{token}/qr.svg")).await.0, 404);
    // The logged-in projector is the same screen, and says the same.
    let (s, html) = app.get_text(&format!("{console}/projectie")).await;
    assert_eq!(s, 200);
    assert!(html.contains("data-koers-room"), "{html}");
    assert!(closed(&html), "{html}");

    let (s, _, _) = app
        .post_text(&format!("{console}/deelname"), &[("action", "extend")])
        .await;
    assert_eq!(s, 303);
    let (_, html) = pc.get_text(&format!("/scherm/{token}")).await;
    assert!(!closed(&html), "{html}");

    // The join window expired by itself.
    app.advance_clock(15 * 86_400);
    let (_, html) = pc.get_text(&format!("/scherm/{token}/live")).await;
    assert!(closed(&html), "{html}");
    // The facilitator's login did not last fifteen days either.
    assert_eq!(
        app.login("f@sessiestad.nl", "wachtwoord sessie").await.0,
        303
    );
    let (s, _, _) = app
        .post_text(&format!("{console}/deelname"), &[("action", "extend")])
        .await;
    assert_eq!(s, 303);
    let (_, html) = pc.get_text(&format!("/scherm/{token}/live")).await;
    assert!(!closed(&html), "{html}");

    // A finished session.
    for (p, a) in [
        ("inbreng", "open"),
        ("stemmen", "open"),
        ("prioriteren", "open"),
        ("afronden", "open"),
        ("afronden", "close"),
    ] {
        phase(&app, org, id, p, a).await;
    }
    let (_, html) = pc.get_text(&format!("/scherm/{token}/live")).await;
    assert!(closed(&html), "{html}");
    assert!(
        html.contains("Onze prioriteiten"),
        "the last view stays: {html}"
    );
    app.stop().await;
}

async fn room_screen_store(backend: Backend) {
    let db = fresh_db(backend).await;
    let (org, _) = seed_org(
        &db.store,
        "Gemeente Scherm",
        "s@scherm.nl",
        "wachtwoord scherm",
    )
    .await;
    let scope_org = db.store.system_scope(org.id);
    let mut sessions = vec![];
    for code in ["SCHRM2", "SCHRM3"] {
        let s = db
            .store
            .sessie()
            .create_live_session(
                &scope_org,
                koers_store::NewLiveSession {
                    title: code,
                    description: "",
                    join_code: code,
                    join_open_until: 2_000,
                    moderation: koers_core::sessie::ModerationMode::Post,
                    max_statement_chars: 140,
                    dots_per_participant: 3,
                    perspectives: &["beleid".to_owned()],
                    read_only: false,
                    attribution: "",
                    created_by: None,
                    now: 1_000,
                },
            )
            .await
            .unwrap();
        sessions.push(s);
    }
    let store = db.store.sessie();
    let (a, b) = (&sessions[0], &sessions[1]);
    assert_eq!(
        store.room_screen(a.scope).await.unwrap(),
        koers_store::RoomScreen::default(),
        "no row reads as the defaults"
    );
    store
        .set_room_link(a.scope, Some("hash-a"), 1_000)
        .await
        .unwrap();
    store
        .set_room_link(b.scope, Some("hash-b"), 1_000)
        .await
        .unwrap();
    assert_eq!(
        store
            .session_by_room_token("hash-a")
            .await
            .unwrap()
            .unwrap()
            .id,
        a.id
    );
    assert_eq!(
        store
            .session_by_room_token("hash-b")
            .await
            .unwrap()
            .unwrap()
            .id,
        b.id
    );
    assert!(store
        .session_by_room_token("hash-x")
        .await
        .unwrap()
        .is_none());
    // A new link replaces the old one.
    store
        .set_room_link(a.scope, Some("hash-a2"), 1_100)
        .await
        .unwrap();
    assert!(store
        .session_by_room_token("hash-a")
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        store.room_screen(a.scope).await.unwrap().link_created_at,
        Some(1_100)
    );
    store
        .set_room_view(a.scope, ScreenView::Fixed(Phase::Afronden), 1_200)
        .await
        .unwrap();
    store
        .set_room_hidden(a.scope, Phase::Stemmen, true, 1_200)
        .await
        .unwrap();
    store
        .set_room_hidden(a.scope, Phase::Prioriteren, true, 1_200)
        .await
        .unwrap();
    store
        .set_room_hidden(a.scope, Phase::Prioriteren, false, 1_200)
        .await
        .unwrap();
    let cd = Countdown {
        phase: Phase::Stemmen,
        ends_at: 1_500,
    };
    store.set_countdown(a.scope, Some(cd), 1_200).await.unwrap();
    let screen = store.room_screen(a.scope).await.unwrap();
    assert_eq!(screen.view, ScreenView::Fixed(Phase::Afronden));
    assert!(screen.hidden.hides(Phase::Stemmen));
    assert!(!screen.hidden.hides(Phase::Prioriteren));
    assert_eq!(screen.countdown, Some(cd));
    assert_eq!(
        screen.link_created_at,
        Some(1_100),
        "settings keep the link"
    );
    // The other session is untouched.
    let other = store.room_screen(b.scope).await.unwrap();
    assert_eq!(other.view, ScreenView::Follow);
    assert_eq!(other.countdown, None);
    store.set_countdown(a.scope, None, 1_300).await.unwrap();
    store.set_room_link(a.scope, None, 1_300).await.unwrap();
    let screen = store.room_screen(a.scope).await.unwrap();
    assert_eq!(screen.countdown, None);
    assert_eq!(screen.link_created_at, None);
    assert!(store
        .session_by_room_token("hash-a2")
        .await
        .unwrap()
        .is_none());
    assert!(
        screen.hidden.hides(Phase::Stemmen),
        "revoking keeps the settings"
    );
}

#[tokio::test]
async fn room_screen_settings_are_stored_on_sqlite() {
    room_screen_store(Backend::Sqlite).await;
}

#[tokio::test]
async fn room_screen_settings_are_stored_on_postgres() {
    room_screen_store(Backend::Postgres).await;
}
