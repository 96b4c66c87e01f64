//! The participant's side: what someone typing a join code on a phone is told when
//! the code is wrong, and that harmless typing differences are forgiven.

use crate::common::*;
use crate::sessie::facilitator_with_session;

#[tokio::test]
async fn a_wrong_join_code_says_what_is_wrong() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, _org, _id, code) = facilitator_with_session(&db, "post").await;
    let mut anon = TestApp::attach(&app);
    anon.fresh_browser();

    for (typed, message) in [
        ("", "Vul de code in die je op het scherm ziet"),
        ("ABC-DE0", "Een code bevat geen O, 0, I, 1 of L"),
        ("abc-deo", "Een code bevat geen O, 0, I, 1 of L"),
        ("ABC-DE!", "Een code bevat alleen letters en cijfers"),
        ("ABC-DE", "Deze code is te kort. Een code heeft zes tekens"),
        (
            "ABC-DEFG",
            "Deze code is te lang. Een code heeft zes tekens",
        ),
        ("ZZZ-ZZZ", "Er is geen sessie met deze code"),
    ] {
        let (s, html, loc) = anon.post_text("/doe-mee", &[("code", typed)]).await;
        assert_eq!(s, 422, "{typed:?}");
        assert!(loc.is_none(), "{typed:?}");
        assert!(html.contains(message), "{typed:?}: {message}");
        // What was typed stays in the field, so one wrong character is one fix.
        if !typed.is_empty() {
            let kept = typed.replace('!', "&#33;");
            assert!(
                html.contains(&format!("value=\"{typed}\"")) || html.contains(&kept),
                "{typed:?} is kept in the field"
            );
        }
    }

    // Lower case, spaces and dashes (also an en dash from a chat app) are forgiven.
    let typed = format!(" {} \u{2013} {} ", &code[..3].to_lowercase(), &code[3..]);
    let (s, _, loc) = anon
        .post_text("/doe-mee", &[("code", typed.as_str())])
        .await;
    assert_eq!(s, 303);
    assert_eq!(loc.unwrap(), format!("/s/{code}"));
}

use crate::sessie::{facilitator_with_session_config, join, phase, shown_statement};

/// A platform administrator, so that the home page is the home page and not the
/// first-run setup.
async fn with_admin(db: &TestDb) {
    use koers_core::*;
    db.store
        .create_user(
            koers_store::NewUser {
                email: &Email::parse("admin@sessiestad.nl").unwrap(),
                display_name: &DisplayName::parse("Beheer").unwrap(),
                password_hash: "not a hash: this account never logs in",
                is_platform_admin: true,
            },
            1_800_000_000,
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn the_home_page_has_a_code_box_for_people_not_logged_in() {
    let db = fresh_db(Backend::Sqlite).await;
    with_admin(&db).await;
    let (app, _org, _id, code) = facilitator_with_session(&db, "post").await;
    let mut anon = TestApp::attach(&app);
    anon.fresh_browser();
    let (s, html) = anon.get_text("/").await;
    assert_eq!(s, 200);
    assert!(html.contains("Doe mee met een code"), "{html}");
    assert!(html.contains("action=\"/doe-mee\""));
    // The box's form is the code form: it leads to the session.
    let (s, _, loc) = anon.post_text("/doe-mee", &[("code", code.as_str())]).await;
    assert_eq!(s, 303);
    assert_eq!(loc.unwrap(), format!("/s/{code}"));
    // Logged in, the home page is about the user's organisations.
    let (s, html) = app.get_text("/").await;
    assert_eq!(s, 200);
    assert!(!html.contains("Doe mee met een code"));
}

#[tokio::test]
async fn participant_pages_show_no_login_link() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "post").await;
    let p = join(&app, &code, "beleid").await;
    phase(&app, org, id, "stemmen", "open").await;
    for path in [
        "/doe-mee".to_owned(),
        format!("/s/{code}/nu"),
        format!("/s/{code}/stemmen"),
        "/s/ZZZZZZ".to_owned(),
    ] {
        let (_, html) = p.get_text(&path).await;
        assert!(html.contains("koers-page-header"), "{path}");
        assert!(!html.contains("href=\"/inloggen\""), "{path}: {html}");
    }
    let mut anon = TestApp::attach(&app);
    anon.fresh_browser();
    let (s, html) = anon.get_text(&format!("/s/{code}")).await;
    assert_eq!(s, 200);
    assert!(!html.contains("href=\"/inloggen\""));
    // The display name is no longer asked for: nobody would ever see it.
    assert!(!html.contains("display_name"));
    // A logged-in user keeps their own header on the same page.
    let (_, html) = app.get_text(&format!("/s/{code}")).await;
    assert!(html.contains("action=\"/uitloggen\""));
}

#[tokio::test]
async fn a_statement_sent_just_after_inbreng_closed_is_kept() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "post").await;
    phase(&app, org, id, "inbreng", "open").await;
    let p = join(&app, &code, "beleid").await;
    // The facilitator moves on while the participant is still typing.
    phase(&app, org, id, "stemmen", "open").await;
    app.advance_clock(koers_core::sessie::participant::STATEMENT_GRACE_SECS);
    let (s, _, loc) = p
        .post_text(
            &format!("/s/{code}/inbreng"),
            &[("text", "Net op tijd verstuurd")],
        )
        .await;
    assert_eq!(s, 303, "within the grace window");
    assert_eq!(loc.unwrap(), format!("/s/{code}/nu"));
    let console = format!("/organisaties/{org}/sessies/{id}");
    assert!(app
        .get_text(&console)
        .await
        .1
        .contains("Net op tijd verstuurd"));

    // After it: refused, nothing stored, and the text is on the page to keep.
    app.advance_clock(1);
    let (s, html, loc) = p
        .post_text(
            &format!("/s/{code}/inbreng"),
            &[("text", "Net te laat <b>")],
        )
        .await;
    assert_eq!(s, 409);
    assert!(loc.is_none());
    assert!(html.contains("niet verstuurd"), "{html}");
    assert!(
        html.contains("Net te laat &#60;b&#62;</textarea>"),
        "{html}"
    );
    assert!(html.contains(&format!("href=\"/s/{code}/nu\"")));
    assert!(!app.get_text(&console).await.1.contains("Net te laat"));
}

#[tokio::test]
async fn a_confirmation_shows_once() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "post").await;
    phase(&app, org, id, "inbreng", "open").await;
    let p = join(&app, &code, "beleid").await;
    let (s, _, loc) = p
        .post_text(
            &format!("/s/{code}/inbreng"),
            &[("text", "Eén keer bedankt")],
        )
        .await;
    assert_eq!(s, 303);
    // The address carries no message that a reload would show again.
    assert_eq!(loc.unwrap(), format!("/s/{code}/nu"));
    let (_, html) = p.get_text(&format!("/s/{code}/nu")).await;
    assert!(html.contains("Je stelling is ontvangen"), "{html}");
    let (_, html) = p.get_text(&format!("/s/{code}/nu")).await;
    assert!(!html.contains("Je stelling is ontvangen"), "shown twice");
    // Nor does it follow the participant into the next phase.
    phase(&app, org, id, "stemmen", "open").await;
    let (_, html) = p.get_text(&format!("/s/{code}/nu")).await;
    assert!(!html.contains("Je stelling is ontvangen"));
}

#[tokio::test]
async fn every_participant_error_page_leads_back() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "post").await;
    let p = join(&app, &code, "beleid").await;
    let back_to_session = format!("href=\"/s/{code}/nu\"");

    // Unknown code: back to the code form.
    let (s, html) = p.get_text("/s/ZZZZZZ").await;
    assert_eq!(s, 404);
    assert!(html.contains("href=\"/doe-mee\""), "{html}");
    // A closed phase: back to the session.
    let (s, html, _) = p
        .post_text(
            &format!("/s/{code}/stem"),
            &[("statement", "1"), ("vote", "agree")],
        )
        .await;
    assert_eq!(s, 409);
    assert!(html.contains(&back_to_session), "{html}");
    let (s, html, _) = p
        .post_text(&format!("/s/{code}/stippen"), &[("dots_1", "1")])
        .await;
    assert_eq!(s, 409);
    assert!(html.contains(&back_to_session));
    // A statement of nobody's: back to the session.
    phase(&app, org, id, "stemmen", "open").await;
    let (s, html, _) = p
        .post_text(
            &format!("/s/{code}/stem"),
            &[("statement", "999999"), ("vote", "agree")],
        )
        .await;
    assert_eq!(s, 404);
    assert!(html.contains(&back_to_session));
    // Not (or no longer) recognised: back to the join page.
    let mut stranger = TestApp::attach(&app);
    stranger.fresh_browser();
    let (s, html, _) = stranger
        .post_text(
            &format!("/s/{code}/stem"),
            &[("statement", "1"), ("vote", "agree")],
        )
        .await;
    assert_eq!(s, 403);
    assert!(html.contains(&format!("href=\"/s/{code}\"")), "{html}");
    // Joining closed (an expired code): back to the code form, as there is no
    // session page to go to.
    let (s, _, _) = app
        .post_text(
            &format!("/organisaties/{org}/sessies/{id}/deelname"),
            &[("action", "close"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(s, 303);
    let (s, html) = stranger.get_text(&format!("/s/{code}")).await;
    assert_eq!(s, 410, "{html}");
    assert!(html.contains("href=\"/doe-mee\""));
    // None of these offers only the home page.
    assert!(!html.contains("Naar de startpagina"));
}

#[tokio::test]
async fn dots_go_up_and_down_with_buttons_without_javascript() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "post").await;
    let p = join(&app, &code, "beleid").await;
    phase(&app, org, id, "stemmen", "open").await;
    // Votes, so that the shortlist has statements.
    while let Some(st) = shown_statement(&p, &code).await {
        let (s, _, _) = p
            .post_text(
                &format!("/s/{code}/stem"),
                &[("statement", st.as_str()), ("vote", "agree")],
            )
            .await;
        assert_eq!(s, 303);
    }
    phase(&app, org, id, "prioriteren", "open").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let html = loop {
        let (_, html) = p.get_text(&format!("/s/{code}/nu")).await;
        if html.contains("name=\"stap\"") {
            break html;
        }
        assert!(std::time::Instant::now() < deadline, "no shortlist: {html}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(html.contains("Je hebt nog 3 stippen."), "{html}");
    let first = extract(&html, "name=\"dots_", "\"").unwrap();
    let field = format!("dots_{first}");
    let plus = format!("plus_{first}");
    let minus = format!("min_{first}");
    let dots = |html: &str| extract(html, &format!("name=\"{field}\" value=\""), "\"").unwrap();
    // Each "+" is a submit of the form that is stored at once.
    let mut value = "0".to_owned();
    for n in 1..=3 {
        let (s, _, loc) = p
            .post_text(
                &format!("/s/{code}/stippen"),
                &[(field.as_str(), value.as_str()), ("stap", plus.as_str())],
            )
            .await;
        assert_eq!(s, 303);
        assert_eq!(loc.unwrap(), format!("/s/{code}/nu#dot-{first}"));
        let (_, html) = p.get_text(&format!("/s/{code}/nu")).await;
        value = dots(&html);
        assert_eq!(value, n.to_string());
    }
    let (_, html) = p.get_text(&format!("/s/{code}/nu")).await;
    assert!(html.contains("Je hebt geen stippen meer over."));
    // A fourth "+" is refused and changes nothing.
    let (s, html, _) = p
        .post_text(
            &format!("/s/{code}/stippen"),
            &[(field.as_str(), "3"), ("stap", plus.as_str())],
        )
        .await;
    assert_eq!(s, 422);
    assert!(html.contains("Haal eerst ergens een stip weg"));
    assert_eq!(dots(&html), "3");
    // "−" gives one back.
    let (s, _, _) = p
        .post_text(
            &format!("/s/{code}/stippen"),
            &[(field.as_str(), "3"), ("stap", minus.as_str())],
        )
        .await;
    assert_eq!(s, 303);
    let (_, html) = p.get_text(&format!("/s/{code}/nu")).await;
    assert_eq!(dots(&html), "2");
    assert!(html.contains("Je hebt nog 1 stip."));
    let stored = db
        .store
        .sessie()
        .dots(scope(&db.store, org, id).await)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
}

/// Eight participants in two camps of four on the session's statements; whether
/// the first is told their opinion group, under a threshold of `min`.
async fn told_their_group(min: u32) -> String {
    let db = fresh_db(Backend::Sqlite).await;
    let mut config = test_config();
    config.privacy.min_group_size = min;
    config.privacy.min_group_size_free_text = min.max(8);
    let (app, org, id, code) = facilitator_with_session_config(&db, "post", config).await;
    phase(&app, org, id, "stemmen", "open").await;
    let mut people = vec![];
    for i in 0..8 {
        let p = join(&app, &code, ["beleid", "uitvoering", "inwoner"][i % 3]).await;
        let vote = if i % 2 == 0 { "agree" } else { "disagree" };
        while let Some(st) = shown_statement(&p, &code).await {
            let (s, _, _) = p
                .post_text(
                    &format!("/s/{code}/stem"),
                    &[("statement", st.as_str()), ("vote", vote)],
                )
                .await;
            assert_eq!(s, 303);
        }
        people.push(p);
    }
    let room = live(&app)
        .room(scope(&db.store, org, id).await)
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let grouped: usize = room
            .snapshot()
            .analysis
            .as_ref()
            .map_or(0, |a| a.groups.iter().map(|g| g.members.len()).sum());
        if grouped == 8 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no groups");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let sizes: Vec<usize> = room
        .snapshot()
        .analysis
        .as_ref()
        .unwrap()
        .groups
        .iter()
        .map(|g| g.members.len())
        .collect();
    assert_eq!(sizes, [4, 4], "two camps of four");
    people[0].get_text(&format!("/s/{code}/nu")).await.1
}

#[tokio::test]
async fn you_are_here_only_once_the_group_is_large_enough() {
    // Groups of four, shown from three: the participant sees their group.
    let html = told_their_group(3).await;
    assert!(html.contains("Jij zit in Groep "), "{html}");
    assert!(html.contains("4 deelnemers stemmen ongeveer zoals jij"));
    // Shown from five: nothing, not even that there is a group.
    let html = told_their_group(5).await;
    assert!(!html.contains("Jij zit in"), "{html}");
    assert!(!html.contains("koers-you-are-here"));
}

#[tokio::test]
async fn a_participants_own_statement_is_not_their_first_card() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "post").await;
    phase(&app, org, id, "inbreng", "open").await;
    let author = join(&app, &code, "beleid").await;
    let other = join(&app, &code, "inwoner").await;
    let (s, _, _) = author
        .post_text(
            &format!("/s/{code}/inbreng"),
            &[("text", "Mijn eigen stelling")],
        )
        .await;
    assert_eq!(s, 303);
    // Statements added after it, so that by id alone it would not come last.
    for seed in ["Een latere stelling", "Nog een latere stelling"] {
        let (s, _, _) = app
            .post_text(
                &format!("/organisaties/{org}/sessies/{id}/stellingen"),
                &[("text", seed)],
            )
            .await;
        assert_eq!(s, 303);
    }
    phase(&app, org, id, "stemmen", "open").await;
    let room = live(&app)
        .room(scope(&db.store, org, id).await)
        .await
        .unwrap();
    let own = room
        .with_state(|s| {
            s.accepted()
                .find(|st| st.text == "Mijn eigen stelling")
                .map(|st| st.id.0.to_string())
        })
        .flatten()
        .unwrap();
    let mut seen = vec![];
    while let Some(st) = shown_statement(&author, &code).await {
        seen.push(st.clone());
        author
            .post_text(
                &format!("/s/{code}/stem"),
                &[("statement", st.as_str()), ("vote", "agree")],
            )
            .await;
    }
    // The author gets it only after everything else, but does get it.
    assert_eq!(seen.len(), 5);
    assert_eq!(seen.last(), Some(&own), "{seen:?}");
    // Others are asked about it as about any statement.
    let mut theirs = vec![];
    while let Some(st) = shown_statement(&other, &code).await {
        theirs.push(st.clone());
        other
            .post_text(
                &format!("/s/{code}/stem"),
                &[("statement", st.as_str()), ("vote", "agree")],
            )
            .await;
    }
    assert!(theirs.contains(&own));
}

#[tokio::test]
async fn the_next_card_stays_the_same_until_it_is_answered() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "post").await;
    phase(&app, org, id, "inbreng", "open").await;
    let p = join(&app, &code, "beleid").await;
    let others = [
        join(&app, &code, "inwoner").await,
        join(&app, &code, "uitvoering").await,
    ];
    phase(&app, org, id, "stemmen", "open").await;
    let card = shown_statement(&p, &code).await.unwrap();
    // The room moves on: others vote, the engine weighs the statements...
    for o in &others {
        while let Some(st) = shown_statement(o, &code).await {
            o.post_text(
                &format!("/s/{code}/stem"),
                &[("statement", st.as_str()), ("vote", "disagree")],
            )
            .await;
        }
    }
    let room = live(&app)
        .room(scope(&db.store, org, id).await)
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while room.with_state(|s| s.priorities.is_empty()).unwrap() {
        assert!(std::time::Instant::now() < deadline, "no routing weights");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // ...and a new statement arrives, which routing puts first (no weight yet).
    let (s, _, _) = app
        .post_text(
            &format!("/organisaties/{org}/sessies/{id}/stellingen"),
            &[("text", "Een nieuwe stelling tijdens het stemmen")],
        )
        .await;
    assert_eq!(s, 303);
    // "Mijn stemmen" and a reload show the same card.
    let (s, _) = p.get_text(&format!("/s/{code}/stemmen")).await;
    assert_eq!(s, 200);
    assert_eq!(shown_statement(&p, &code).await.unwrap(), card);
    assert_eq!(shown_statement(&p, &code).await.unwrap(), card);
    // Answering it (skipping is an answer too) brings the next one.
    p.post_text(
        &format!("/s/{code}/stem"),
        &[("statement", card.as_str()), ("vote", "pass")],
    )
    .await;
    let next = shown_statement(&p, &code).await.unwrap();
    assert_ne!(next, card);
}
