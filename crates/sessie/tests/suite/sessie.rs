//! Live sessions end to end over HTTP: a facilitator sets up and steers, participants
//! join without an account, submit, vote, prioritise; bad input gets polite pages
//! and loses nothing. Plus two instances on one PostgreSQL sharing a live session.

use crate::common::*;
use koers_core::sessie::VoteChoice;
use koers_core::LiveSessionId;

/// A facilitator's browser and a started session: (app, org id, session id, code).
pub(crate) async fn facilitator_with_session(
    db: &TestDb,
    moderation: &str,
) -> (TestApp, i64, i64, String) {
    facilitator_with_session_config(db, moderation, test_config()).await
}

/// The same, on a server with this configuration.
pub(crate) async fn facilitator_with_session_config(
    db: &TestDb,
    moderation: &str,
    config: koers_web::config::Config,
) -> (TestApp, i64, i64, String) {
    let (org, _) = seed_org(
        &db.store,
        "Gemeente Sessiestad",
        "f@sessiestad.nl",
        "wachtwoord sessie",
    )
    .await;
    let app = TestApp::start(db.store.clone(), config, parts()).await;
    assert_eq!(
        app.login("f@sessiestad.nl", "wachtwoord sessie").await.0,
        303
    );
    let (s, _, loc) = app
        .post_text(
            &format!("/organisaties/{}/sessies/nieuw", org.id),
            &[
                ("title", "Eén loket voor schuldhulp"),
                ("description", "Hoe voorkomen we dat inwoners tussen twee loketten vallen?"),
                ("perspectives", "beleid\nuitvoering\ninwoner"),
                ("seeds", "Inwoners moeten één vast contactpersoon hebben\nDe wachttijd is het grootste probleem"),
                ("moderation", moderation),
                ("max_chars", "140"),
                ("dots", "3"),
            ],
        )
        .await;
    assert_eq!(s, 303);
    let loc = loc.unwrap();
    let id: i64 = loc.rsplit('/').next().unwrap().parse().unwrap();
    let session = db
        .store
        .sessie()
        .live_session(&db.store.system_scope(org.id), LiveSessionId(id))
        .await
        .unwrap();
    (app, org.id.0, id, session.join_code)
}

pub(crate) async fn phase(app: &TestApp, org: i64, id: i64, phase: &str, action: &str) {
    let (s, _, _) = app
        .post_text(
            &format!("/organisaties/{org}/sessies/{id}/fase"),
            &[("phase", phase), ("action", action)],
        )
        .await;
    assert_eq!(s, 303);
}

pub(crate) async fn join(app: &TestApp, code: &str, perspective: &str) -> TestApp {
    let mut p = TestApp::attach(app);
    p.fresh_browser();
    let (s, html) = p.get_text(&format!("/s/{code}")).await;
    assert_eq!(s, 200, "{html}");
    let (s, _, loc) = p
        .post_text(
            &format!("/s/{code}"),
            &[("perspective", perspective), ("display_name", "")],
        )
        .await;
    assert_eq!(s, 303);
    assert_eq!(loc.unwrap(), format!("/s/{code}/nu"));
    p
}

/// The statement a participant is shown now, by id.
pub(crate) async fn shown_statement(p: &TestApp, code: &str) -> Option<String> {
    let (_, html) = p.get_text(&format!("/s/{code}/nu")).await;
    extract(&html, "name=\"statement\" value=\"", "\"")
}

#[tokio::test]
async fn a_whole_session_on_sqlite() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "post").await;

    // The console shows the code, the QR code and the join URL.
    let (s, html) = app
        .get_text(&format!("/organisaties/{org}/sessies/{id}"))
        .await;
    assert_eq!(s, 200);
    assert!(html.contains(&code));
    assert!(html.contains(&format!("/s/{code}")));
    let r = app
        .get(&format!("/organisaties/{org}/sessies/{id}/qr.svg"))
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("<svg"));

    // Joining: the code page accepts what people type.
    let mut anon = TestApp::attach(&app);
    anon.fresh_browser();
    let typed = format!("{}-{}", &code[..3].to_lowercase(), &code[3..]);
    let (s, _, loc) = anon
        .post_text("/doe-mee", &[("code", typed.as_str())])
        .await;
    assert_eq!(s, 303);
    assert_eq!(loc.unwrap(), format!("/s/{code}"));
    let (s, html, _) = anon.post_text("/doe-mee", &[("code", "ZZZZZZ")]).await;
    assert_eq!(s, 422);
    assert!(html.contains("Er is geen sessie met deze code"));
    // A perspective that is not on the list is refused.
    let (s, html, _) = anon
        .post_text(&format!("/s/{code}"), &[("perspective", "hacker")])
        .await;
    assert_eq!(s, 422);
    assert!(html.contains("Kies een perspectief"));

    let p1 = join(&app, &code, "uitvoering").await;
    let p2 = join(&app, &code, "inwoner").await;
    // Coming back after a reload: the cookie keeps the participant.
    let r = p1.get(&format!("/s/{code}")).await;
    assert_eq!(r.status(), 303);

    // Before any phase opens, participants wait; submitting is refused politely.
    let (_, html) = p1.get_text(&format!("/s/{code}/nu")).await;
    assert!(html.contains("Even wachten"));
    let (s, html, _) = p1
        .post_text(&format!("/s/{code}/inbreng"), &[("text", "Te vroeg")])
        .await;
    assert_eq!(s, 409);
    assert!(html.contains("Deze fase is gesloten"));

    // Inbreng.
    phase(&app, org, id, "inbreng", "open").await;
    let (s, html, _) = p1
        .post_text(&format!("/s/{code}/inbreng"), &[("text", "   ")])
        .await;
    assert_eq!(s, 422);
    assert!(html.contains("Schrijf een stelling"));
    let long = "x".repeat(141);
    let (s, html, _) = p1
        .post_text(&format!("/s/{code}/inbreng"), &[("text", long.as_str())])
        .await;
    assert_eq!(s, 422);
    assert!(html.contains("te lang"));
    assert!(
        html.contains("ze heeft 141 tekens, het maximum is 140"),
        "the refusal gives both numbers"
    );
    assert!(html.contains(&long), "the typed text is kept");
    // No maxlength: a browser would cut a pasted text silently; the server refuses
    // it with the numbers instead and the text stays in the field.
    assert!(
        !html.contains("maxlength"),
        "the statement field has no maxlength"
    );
    for _ in 0..2 {
        let (s, _, _) = p1
            .post_text(
                &format!("/s/{code}/inbreng"),
                &[("text", "Gegevens delen tussen loketten mag niet")],
            )
            .await;
        assert_eq!(s, 303);
    }
    let statements = db
        .store
        .sessie()
        .statements(scope(&db.store, org, id).await)
        .await
        .unwrap();
    assert_eq!(statements.len(), 3, "a double submit makes one statement");

    // Stemmen: opening it pauses inbreng. A statement still being typed is
    // accepted for a few seconds after (see participant.rs); after that, refused.
    phase(&app, org, id, "stemmen", "open").await;
    app.advance_clock(koers_core::sessie::participant::STATEMENT_GRACE_SECS + 1);
    let (s, _, _) = p1
        .post_text(&format!("/s/{code}/inbreng"), &[("text", "Nog eentje")])
        .await;
    assert_eq!(s, 409);
    let mut voted = vec![];
    while let Some(statement) = shown_statement(&p1, &code).await {
        let (s, _, loc) = p1
            .post_text(
                &format!("/s/{code}/stem"),
                &[("statement", statement.as_str()), ("vote", "agree")],
            )
            .await;
        assert_eq!(s, 303);
        assert_eq!(loc.unwrap(), format!("/s/{code}/nu"));
        voted.push(statement);
        assert!(voted.len() <= 3, "each statement is shown once");
    }
    assert_eq!(voted.len(), 3);
    let (_, html) = p1.get_text(&format!("/s/{code}/nu")).await;
    assert!(html.contains("Je hebt op alle stellingen gestemd"));
    // Changing a vote, twice the same: stored once, with the latest choice.
    for _ in 0..2 {
        let (s, _, _) = p1
            .post_text(
                &format!("/s/{code}/stem"),
                &[
                    ("statement", voted[0].as_str()),
                    ("vote", "disagree"),
                    ("back", &format!("/s/{code}/stemmen")),
                ],
            )
            .await;
        assert_eq!(s, 303);
    }
    let votes = db
        .store
        .sessie()
        .votes(scope(&db.store, org, id).await)
        .await
        .unwrap();
    assert_eq!(votes.len(), 3);
    let changed = votes
        .iter()
        .find(|v| v.statement_id.to_string() == voted[0])
        .unwrap();
    assert_eq!(
        VoteChoice::from_value(changed.vote),
        Some(VoteChoice::Disagree)
    );
    let (_, html) = p1.get_text(&format!("/s/{code}/stemmen")).await;
    assert!(html.contains("aria-pressed=\"true\""));
    // Bad votes: unknown value, a statement of nobody, a forged token.
    let (s, _, _) = p2
        .post_text(
            &format!("/s/{code}/stem"),
            &[("statement", voted[1].as_str()), ("vote", "misschien")],
        )
        .await;
    assert_eq!(s, 400);
    let (s, html, _) = p2
        .post_text(
            &format!("/s/{code}/stem"),
            &[("statement", "999999"), ("vote", "agree")],
        )
        .await;
    assert_eq!(s, 404);
    assert!(html.contains("Stelling niet gevonden"));
    let mut forger = TestApp::attach(&app);
    forger.fresh_browser();
    let token = forger.csrf().await;
    let r = forger
        .client
        .post(forger.url(&format!("/s/{code}/stem")))
        .header(
            "cookie",
            format!("koers_p{id}=vervalst-token; koers_csrf={token}"),
        )
        .form(&[
            ("csrf", token.as_str()),
            ("statement", voted[1].as_str()),
            ("vote", "agree"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("Deelname niet herkend"));
    assert_eq!(
        db.store
            .sessie()
            .votes(scope(&db.store, org, id).await)
            .await
            .unwrap()
            .len(),
        3,
        "nothing stored by bad votes"
    );
    let (s, _, _) = p2
        .post_text(
            &format!("/s/{code}/stem"),
            &[("statement", voted[1].as_str()), ("vote", "pass")],
        )
        .await;
    assert_eq!(s, 303);

    // The projector and results pages render with the numbers.
    let room = live(&app)
        .room(scope(&db.store, org, id).await)
        .await
        .unwrap();
    live(&app).recompute_now(&room).await;
    let (s, html) = app
        .get_text(&format!("/organisaties/{org}/sessies/{id}/projectie"))
        .await;
    assert_eq!(s, 200);
    // The projector is the room screen (crate::room), live through its own script.
    assert!(html.contains("data-koers-room"));
    assert!(html.contains(">4</span> stemmen"), "four votes counted");
    let (s, html) = app
        .get_text(&format!("/organisaties/{org}/sessies/{id}/projectie/live"))
        .await;
    assert_eq!(s, 200);
    // Two participants, one per perspective: below the anonymity threshold, so the
    // projector shows no figure per perspective, only why.
    assert!(!html.contains("<th scope=\"row\">uitvoering</th>"));
    assert!(html.contains("Cijfers per groep verschijnen vanaf 5 deelnemers"));

    // Prioriteren: over budget is refused, within budget saved.
    phase(&app, org, id, "prioriteren", "open").await;
    let (s, _, _) = p1
        .post_text(
            &format!("/s/{code}/stem"),
            &[("statement", voted[2].as_str()), ("vote", "agree")],
        )
        .await;
    assert_eq!(s, 409, "a vote on a closed phase");
    let (_, html) = p1.get_text(&format!("/s/{code}/nu")).await;
    let first = extract(&html, "name=\"dots_", "\"").unwrap();
    let field = format!("dots_{first}");
    let (s, html, _) = p1
        .post_text(&format!("/s/{code}/stippen"), &[(field.as_str(), "4")])
        .await;
    assert_eq!(s, 422);
    assert!(html.contains("meer stippen"));
    let (s, _, _) = p1
        .post_text(&format!("/s/{code}/stippen"), &[(field.as_str(), "3")])
        .await;
    assert_eq!(s, 303);
    assert_eq!(
        db.store
            .sessie()
            .dots(scope(&db.store, org, id).await)
            .await
            .unwrap()
            .len(),
        1
    );

    // Afronden: next steps from the facilitator reach the participants.
    phase(&app, org, id, "afronden", "open").await;
    let (s, _, _) = app
        .post_text(
            &format!("/organisaties/{org}/sessies/{id}/afspraken"),
            &[
                ("step_text", "Pilot met één contactpersoon"),
                ("owner", "Team Schuldhulp"),
            ],
        )
        .await;
    assert_eq!(s, 303);
    let step = db
        .store
        .sessie()
        .next_steps(scope(&db.store, org, id).await)
        .await
        .unwrap()[0]
        .id;
    let (s, _, _) = app
        .post_text(
            &format!("/organisaties/{org}/sessies/{id}/afspraken/{step}"),
            &[
                ("step_text", "Pilot met één contactpersoon in twee wijken"),
                ("owner", "Team Schuldhulp"),
            ],
        )
        .await;
    assert_eq!(s, 303);
    let (s, _, _) = app
        .post_text(
            &format!("/organisaties/{org}/sessies/{id}/afspraken/{step}"),
            &[("step_text", " "), ("owner", "")],
        )
        .await;
    assert_eq!(
        s, 422,
        "an emptied agreement is refused, the old text stays"
    );
    let (_, html) = p2.get_text(&format!("/s/{code}/nu")).await;
    assert!(html.contains("Pilot met één contactpersoon in twee wijken"));
    let (s, html) = app
        .get_text(&format!("/organisaties/{org}/sessies/{id}/resultaten"))
        .await;
    assert_eq!(s, 200);
    assert!(html.contains("Team Schuldhulp"));

    // An expired code: new people cannot join, existing participants keep going.
    app.advance_clock(15 * 86_400);
    let mut late = TestApp::attach(&app);
    late.fresh_browser();
    let (s, html) = late.get_text(&format!("/s/{code}")).await;
    assert_eq!(s, 410);
    assert!(html.contains("Code verlopen"));
    let (s, _, _) = late
        .post_text(&format!("/s/{code}"), &[("perspective", "beleid")])
        .await;
    assert_eq!(s, 410);
    assert_eq!(p2.get(&format!("/s/{code}/nu")).await.status(), 200);
}

#[tokio::test]
async fn pre_moderation_holds_statements_until_accepted() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "pre").await;
    let p = join(&app, &code, "beleid").await;
    phase(&app, org, id, "inbreng", "open").await;
    let (s, _, _) = p
        .post_text(
            &format!("/s/{code}/inbreng"),
            &[("text", "Wat een klote systeem is dit")],
        )
        .await;
    assert_eq!(s, 303);
    let (_, html) = p.get_text(&format!("/s/{code}/nu")).await;
    assert!(html.contains("wacht op de facilitator"));
    let (_, html) = app
        .get_text(&format!("/organisaties/{org}/sessies/{id}"))
        .await;
    assert!(
        html.contains("mogelijk grof taalgebruik"),
        "a hint, not a verdict"
    );
    let pending = db
        .store
        .sessie()
        .statements(scope(&db.store, org, id).await)
        .await
        .unwrap()
        .into_iter()
        .find(|s| !s.is_seed)
        .unwrap();
    assert_eq!(pending.status, koers_store::StatementStatus::Pending);
    let (s, _, _) = app
        .post_text(
            &format!(
                "/organisaties/{org}/sessies/{id}/stellingen/{}/moderatie",
                pending.id
            ),
            &[("status", "accepted")],
        )
        .await;
    assert_eq!(s, 303);
    let (_, html) = p.get_text(&format!("/s/{code}/nu")).await;
    assert!(html.contains("zichtbaar voor iedereen"));
}

#[tokio::test]
async fn a_vote_on_another_sessions_statement_is_refused() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "post").await;
    // A second session in the same organisation, with its own statement.
    let (s, _, loc) = app
        .post_text(
            &format!("/organisaties/{org}/sessies/nieuw"),
            &[
                ("title", "Andere opgave"),
                ("perspectives", "beleid"),
                ("seeds", "Stelling van de andere sessie"),
                ("moderation", "post"),
                ("max_chars", "140"),
                ("dots", "3"),
            ],
        )
        .await;
    assert_eq!(s, 303);
    let other: i64 = loc.unwrap().rsplit('/').next().unwrap().parse().unwrap();
    let foreign = db
        .store
        .sessie()
        .statements(scope(&db.store, org, other).await)
        .await
        .unwrap()[0]
        .id;
    let p = join(&app, &code, "beleid").await;
    phase(&app, org, id, "stemmen", "open").await;
    let (s, _, _) = p
        .post_text(
            &format!("/s/{code}/stem"),
            &[("statement", &foreign.to_string()), ("vote", "agree")],
        )
        .await;
    assert_eq!(s, 404);
    assert!(db
        .store
        .sessie()
        .votes(scope(&db.store, org, id).await)
        .await
        .unwrap()
        .is_empty());
    assert!(db
        .store
        .sessie()
        .votes(scope(&db.store, org, other).await)
        .await
        .unwrap()
        .is_empty());
}

/// Two instances on one PostgreSQL database: a vote through instance A shows on the
/// projector served by instance B.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_a_live_session_on_postgres() {
    let db = fresh_db(Backend::Postgres).await;
    let (a, org, id, code) = facilitator_with_session(&db, "post").await;
    let store_b = koers_store::Store::connect(&db.url).await.unwrap();
    let mut b = TestApp::start(store_b, test_config(), parts()).await;
    b.client = a.client.clone();
    b.base = b.base.clone();
    // The facilitator watches the projector on B (same login: sessions live in the database).
    let (s, html) = b
        .get_text(&format!("/organisaties/{org}/sessies/{id}/projectie/live"))
        .await;
    assert_eq!(s, 200);
    assert!(html.contains("data-koers-count=\"votes\">0</span>"));
    phase(&a, org, id, "stemmen", "open").await;
    let p = join(&a, &code, "inwoner").await;
    // B learns of the phase change through NOTIFY, and of the vote.
    let statement = shown_statement(&p, &code).await.unwrap();
    let (s, _, _) = p
        .post_text(
            &format!("/s/{code}/stem"),
            &[("statement", statement.as_str()), ("vote", "agree")],
        )
        .await;
    assert_eq!(s, 303);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let (_, html) = b
            .get_text(&format!("/organisaties/{org}/sessies/{id}/projectie/live"))
            .await;
        if html.contains("data-koers-count=\"votes\">1</span>") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "instance B never showed the vote"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // And B's participants see the phase A opened.
    let room_b = live(&b)
        .room(scope(&db.store, org, id).await)
        .await
        .unwrap();
    // The phase and the vote arrive as separate notifications; on a busy machine
    // the phase reload may land a moment after the vote was pulled.
    while !room_b
        .with_state(|s| s.session.phases.is_open(koers_core::sessie::Phase::Stemmen))
        .unwrap()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "instance B never saw the phase open"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    b.stop().await;
    a.stop().await;
}

/// Instance B catches up on everything other instances committed, however late a
/// transaction commits: a writer's batch that takes longer than a second, and a
/// participant whose id was handed out before later joins committed. The late
/// transaction here writes both, with an old vote time, on a connection of its own,
/// while participants join and vote through instance A before and after it commits.
#[tokio::test]
async fn a_late_commit_reaches_the_other_instance_on_postgres() {
    let db = fresh_db(Backend::Postgres).await;
    let (a, org, id, code) = facilitator_with_session(&db, "post").await;
    let store_b = koers_store::Store::connect(&db.url).await.unwrap();
    let b = TestApp::start(store_b, test_config(), parts()).await;
    let sc = scope(&db.store, org, id).await;
    phase(&a, org, id, "stemmen", "open").await;
    // B follows the session from the start, as its projector would.
    let room_b = live(&b).room(sc).await.unwrap();
    let statements = db.store.sessie().statements(sc).await.unwrap();
    let statement = statements[0].id.0;

    // The late writer takes its participant id now, and holds its commit.
    let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
    let mut late = pool.begin().await.unwrap();
    let late_participant: i64 = sqlx::query_scalar(
        "INSERT INTO session_participants (organisation_id, session_id, token_hash, perspective, joined_at)
         VALUES ($1, $2, 'late writer', 'beleid', 1800000000) RETURNING id",
    )
    .bind(org)
    .bind(id)
    .fetch_one(&mut *late)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO session_votes (organisation_id, session_id, statement_id, participant_id, vote, voted_at)
         VALUES ($1, $2, $3, $4, $5, 1799999900)",
    )
    .bind(org)
    .bind(id)
    .bind(statement)
    .bind(late_participant)
    .bind(VoteChoice::Agree.value())
    .execute(&mut *late)
    .await
    .unwrap();

    async fn join_and_vote(a: &TestApp, code: &str) {
        let p = join(a, code, "inwoner").await;
        let statement = shown_statement(&p, code).await.unwrap();
        let (s, _, _) = p
            .post_text(
                &format!("/s/{code}/stem"),
                &[("statement", statement.as_str()), ("vote", "disagree")],
            )
            .await;
        assert_eq!(s, 303);
    }
    // Votes and joins flow through A, and B catches up on them, for more than two
    // seconds before the late transaction commits ...
    for _ in 0..3 {
        join_and_vote(&a, &code).await;
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    }
    late.commit().await.unwrap();
    // ... and after.
    for _ in 0..2 {
        join_and_vote(&a, &code).await;
    }

    // 1 + 5 participants, 1 + 5 votes.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let seen = room_b
            .with_state(|s| (s.participants.len(), s.total_votes()))
            .unwrap();
        if seen == (6, 6) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "instance B holds (participants, votes) = {seen:?}, not (6, 6)"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        room_b.with_state(|s| s.vote_of(
            koers_core::ParticipantId(late_participant),
            koers_core::StatementId(statement)
        )),
        Some(Some(VoteChoice::Agree))
    );
    b.stop().await;
    a.stop().await;
}

/// A panic while a room's state is locked poisons the lock; the room must not
/// answer errors from then on. The next request gets a room reloaded from the
/// database, with everything acknowledged before.
#[tokio::test]
async fn a_room_recovers_from_a_poisoned_lock() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "post").await;
    phase(&app, org, id, "stemmen", "open").await;
    let p = join(&app, &code, "inwoner").await;
    let statement = shown_statement(&p, &code).await.unwrap();
    let (s, _, _) = p
        .post_text(
            &format!("/s/{code}/stem"),
            &[("statement", statement.as_str()), ("vote", "agree")],
        )
        .await;
    assert_eq!(s, 303);
    let sc = scope(&db.store, org, id).await;
    let broken = live(&app).room(sc).await.unwrap();
    broken.poison_for_test();
    assert!(broken.state.is_poisoned());

    // The participant carries on: the next statement, a vote on it, their votes.
    let (s, html) = p.get_text(&format!("/s/{code}/nu")).await;
    assert_eq!(s, 200, "{html}");
    let next = extract(&html, "name=\"statement\" value=\"", "\"").unwrap();
    assert_ne!(next, statement, "the reloaded room knows the first vote");
    let (s, _, _) = p
        .post_text(
            &format!("/s/{code}/stem"),
            &[("statement", next.as_str()), ("vote", "pass")],
        )
        .await;
    assert_eq!(s, 303);
    let room = live(&app).room(sc).await.unwrap();
    assert!(!std::sync::Arc::ptr_eq(&room, &broken));
    assert_eq!(room.with_state(|s| s.total_votes()), Some(2));
    // And the projector too.
    let (s, _) = app
        .get_text(&format!("/organisaties/{org}/sessies/{id}/projectie/live"))
        .await;
    assert_eq!(s, 200);
    app.stop().await;
}

/// The one anonymity rule on the projector and in the exports: with five
/// participants in one perspective and one in another, both show the large group
/// and nothing of the small one. (The results page has no per-group figures.)
#[tokio::test]
async fn a_group_below_the_threshold_gets_no_figure_anywhere() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "post").await;
    phase(&app, org, id, "stemmen", "open").await;
    let mut people = vec![];
    for _ in 0..5 {
        people.push(join(&app, &code, "uitvoering").await);
    }
    people.push(join(&app, &code, "inwoner").await);
    for p in &people {
        let statement = shown_statement(p, &code).await.unwrap();
        let (s, _, _) = p
            .post_text(
                &format!("/s/{code}/stem"),
                &[("statement", statement.as_str()), ("vote", "agree")],
            )
            .await;
        assert_eq!(s, 303);
    }
    let room = live(&app)
        .room(scope(&db.store, org, id).await)
        .await
        .unwrap();
    live(&app).recompute_now(&room).await;
    let (s, html) = app
        .get_text(&format!("/organisaties/{org}/sessies/{id}/projectie/live"))
        .await;
    assert_eq!(s, 200);
    assert!(
        html.contains("<th scope=\"row\">uitvoering</th><td class=\"koers-num\">5</td>"),
        "{html}"
    );
    assert!(!html.contains("<th scope=\"row\">inwoner</th>"));
    for file in ["resultaten.csv"] {
        let r = app
            .get(&format!("/organisaties/{org}/sessies/{id}/download/{file}"))
            .await;
        assert_eq!(r.status(), 200);
        let text = r.text().await.unwrap();
        assert!(
            text.contains("uitvoering"),
            "{file}: the group of five is shown"
        );
        assert!(
            !text.contains("inwoner"),
            "{file}: the group of one is left out"
        );
    }
    app.stop().await;
}

/// Polls until the hub has evicted the session's room, or fails after a while.
async fn wait_until_evicted(app: &TestApp, id: i64) {
    for _ in 0..200 {
        if !live(app).is_loaded(LiveSessionId(id)) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the idle room was not evicted");
}

/// A room nobody uses is evicted (its memory and timer freed), and the next
/// request reloads it from the database with every vote it had.
#[tokio::test]
async fn an_idle_room_is_evicted_and_reloads_with_its_votes() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "post").await;
    phase(&app, org, id, "stemmen", "open").await;
    let p = join(&app, &code, "inwoner").await;
    let statement = shown_statement(&p, &code).await.unwrap();
    let (s, _, _) = p
        .post_text(
            &format!("/s/{code}/stem"),
            &[("statement", statement.as_str()), ("vote", "agree")],
        )
        .await;
    assert_eq!(s, 303);
    let hub = live(&app);
    assert!(hub.is_loaded(LiveSessionId(id)));
    let loads = hub.loads();

    hub.set_idle_after(std::time::Duration::from_millis(200));
    wait_until_evicted(&app, id).await;

    // The participant carries on as if nothing happened.
    let (s, html) = p.get_text(&format!("/s/{code}/nu")).await;
    assert_eq!(s, 200, "{html}");
    let next = extract(&html, "name=\"statement\" value=\"", "\"").unwrap();
    assert_ne!(next, statement, "the reloaded room knows the first vote");
    assert_eq!(hub.loads(), loads + 1);
    let sc = scope(&db.store, org, id).await;
    let room = hub.room(sc).await.unwrap();
    assert_eq!(room.with_state(|s| s.total_votes()), Some(1));
    drop(room);

    // A browser following the events keeps the room, however long it is quiet.
    let events = p.get(&format!("/s/{code}/events")).await;
    assert_eq!(events.status(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    assert!(hub.is_loaded(LiveSessionId(id)), "followed rooms stay");
    drop(events);
    wait_until_evicted(&app, id).await;
    app.stop().await;
}

/// Many first requests at once (after a restart) load the room once.
#[tokio::test]
async fn concurrent_first_requests_load_a_room_once() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "post").await;
    phase(&app, org, id, "stemmen", "open").await;
    let p = join(&app, &code, "inwoner").await;
    let statement = shown_statement(&p, &code).await.unwrap();
    let (s, _, _) = p
        .post_text(
            &format!("/s/{code}/stem"),
            &[("statement", statement.as_str()), ("vote", "agree")],
        )
        .await;
    assert_eq!(s, 303);
    let sc = scope(&db.store, org, id).await;

    // A restart: a new server over the same database, nothing loaded yet.
    let restarted = TestApp::start(db.store.clone(), test_config(), parts()).await;
    let hub = live(&restarted);
    assert_eq!(hub.loads(), 0);
    let rooms = futures_util::future::join_all((0..20).map(|_| hub.room(sc))).await;
    assert_eq!(hub.loads(), 1, "one load for twenty requests");
    let first = rooms[0].as_ref().unwrap();
    for room in &rooms {
        assert!(std::sync::Arc::ptr_eq(room.as_ref().unwrap(), first));
    }
    assert_eq!(first.with_state(|s| s.total_votes()), Some(1));

    // And over HTTP, after an eviction.
    drop(rooms);
    hub.set_idle_after(std::time::Duration::from_millis(100));
    wait_until_evicted(&restarted, id).await;
    hub.set_idle_after(std::time::Duration::from_secs(600));
    let mut q = TestApp::attach(&restarted);
    q.client = p.client.clone();
    let now = format!("/s/{code}/nu");
    let pages = futures_util::future::join_all((0..10).map(|_| q.get(&now))).await;
    for page in pages {
        assert_eq!(page.status(), 200);
    }
    assert_eq!(hub.loads(), 2);
    restarted.stop().await;
    app.stop().await;
}
