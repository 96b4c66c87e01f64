//! The facilitator's console: words for phases that ended and a finished
//! session, the live console, edit and merge, the ballot, the session log and
//! the join window's confirmation.

use crate::common::*;
use crate::sessie::{facilitator_with_session, join, phase, shown_statement};
use koers_core::sessie::VoteChoice;
use koers_core::{ParticipantId, StatementId};
use koers_store::StatementStatus;

/// Opening the next phase pauses the one before; the console shows that earlier
/// phase as closed, and a session whose last phase closed reads "Afgerond".
#[tokio::test]
async fn ended_phases_read_closed_and_a_finished_session_reads_finished() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, _code) = facilitator_with_session(&db, "post").await;
    phase(&app, org, id, "inbreng", "open").await;
    phase(&app, org, id, "stemmen", "open").await;
    let (s, html) = app
        .get_text(&format!("/organisaties/{org}/sessies/{id}"))
        .await;
    assert_eq!(s, 200);
    assert!(!html.contains("Gepauzeerd"), "{html}");
    assert!(html.contains("Gesloten"), "{html}");
    // A phase shown closed offers to open it again, never to close it once more.
    assert!(!html.contains("id=\"phase-inbreng-close\""), "{html}");
    assert!(
        html.contains("id=\"phase-inbreng-open\" type=\"submit\" name=\"action\" value=\"open\" class=\"koers-button koers-button--secondary\">Opnieuw openen"),
        "{html}"
    );

    let (_, list) = app.get_text(&format!("/organisaties/{org}/sessies")).await;
    assert!(!list.contains("Afgerond"), "{list}");
    phase(&app, org, id, "prioriteren", "open").await;
    phase(&app, org, id, "afronden", "open").await;
    phase(&app, org, id, "afronden", "close").await;
    let (s, list) = app.get_text(&format!("/organisaties/{org}/sessies")).await;
    assert_eq!(s, 200);
    assert!(list.contains("Afgerond"), "{list}");
}

/// The join window's second button says what it does: keep joining open while it
/// is open, open it again once it was closed (never "extend the code").
#[tokio::test]
async fn the_join_window_buttons_say_what_they_do() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, _code) = facilitator_with_session(&db, "post").await;
    let console = format!("/organisaties/{org}/sessies/{id}");
    let (_, html) = app.get_text(&console).await;
    assert!(html.contains("Meedoen sluiten"), "{html}");
    assert!(html.contains("Nog twee weken open houden"), "{html}");
    assert!(!html.contains("Meedoen weer openen"), "{html}");
    // Closing asks first: without the confirmation nothing changes.
    let (s, _, loc) = app
        .post_text(&format!("{console}/deelname"), &[("action", "close")])
        .await;
    assert_eq!(s, 303);
    assert_eq!(loc.unwrap(), format!("{console}/deelname/sluiten"));
    let (_, html) = app.get_text(&console).await;
    assert!(
        html.contains("Nog twee weken open houden"),
        "still open: {html}"
    );
    let (s, html) = app.get_text(&format!("{console}/deelname/sluiten")).await;
    assert_eq!(s, 200);
    assert!(html.contains("Ja, meedoen sluiten"), "{html}");
    assert!(html.contains("Er doet nog niemand mee."), "{html}");
    let (s, _, _) = app
        .post_text(
            &format!("{console}/deelname"),
            &[("action", "close"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(s, 303);
    let (_, html) = app.get_text(&console).await;
    assert!(
        html.contains("Meedoen weer openen (voor twee weken)"),
        "{html}"
    );
    assert!(!html.contains("Meedoen sluiten"), "{html}");
    assert!(!html.contains("verlengen"), "{html}");
}

/// The accepted statements of a session by text.
async fn statement_id(db: &TestDb, org: i64, id: i64, text: &str) -> StatementId {
    db.store
        .sessie()
        .statements(scope(&db.store, org, id).await)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.text == text)
        .unwrap_or_else(|| panic!("no statement {text}"))
        .id
}

async fn vote(p: &TestApp, code: &str, statement: StatementId, choice: &str) {
    let id = statement.0.to_string();
    let (s, _, _) = p
        .post_text(
            &format!("/s/{code}/stem"),
            &[("statement", id.as_str()), ("vote", choice)],
        )
        .await;
    assert_eq!(s, 303, "vote {choice} on {statement:?}");
}

const A: &str = "Inwoners moeten één vast contactpersoon hebben";
const B: &str = "De wachttijd is het grootste probleem";

async fn editing_keeps_the_authors_text(backend: Backend) {
    let db = fresh_db(backend).await;
    let (app, org, id, code) = facilitator_with_session(&db, "post").await;
    phase(&app, org, id, "inbreng", "open").await;
    let p = join(&app, &code, "uitvoering").await;
    let typo = "De wachtijd bij het loket is te lang";
    let (s, _, _) = p
        .post_text(&format!("/s/{code}/inbreng"), &[("text", typo)])
        .await;
    assert_eq!(s, 303);
    let st = statement_id(&db, org, id, typo).await;
    phase(&app, org, id, "stemmen", "open").await;
    vote(&p, &code, st, "agree").await;

    let edit = format!(
        "/organisaties/{org}/sessies/{id}/stellingen/{}/bewerken",
        st.0
    );
    let (s, html) = app.get_text(&edit).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("tikfout"),
        "the form says what an edit is for: {html}"
    );
    assert!(
        html.contains("blijven staan"),
        "and that votes stay: {html}"
    );
    // Bad input changes nothing.
    let (s, html, _) = app.post_text(&edit, &[("text", "   ")]).await;
    assert_eq!(s, 422, "{html}");
    let fixed = "De wachttijd bij het loket is te lang";
    let (s, _, _) = app.post_text(&edit, &[("text", fixed)]).await;
    assert_eq!(s, 303);

    let sc = scope(&db.store, org, id).await;
    let stored = db.store.sessie().statement(sc, st).await.unwrap();
    assert_eq!(stored.text, fixed);
    assert_eq!(stored.original_text.as_deref(), Some(typo));
    // A second edit keeps the author's text, not the first edit.
    let (s, _, _) = app
        .post_text(&edit, &[("text", "De wachttijd aan het loket is te lang")])
        .await;
    assert_eq!(s, 303);
    let stored = db.store.sessie().statement(sc, st).await.unwrap();
    assert_eq!(stored.original_text.as_deref(), Some(typo));
    // The vote stays, and the participant sees the edited text.
    let room = live(&app).room(sc).await.unwrap();
    assert_eq!(room.with_state(|s| s.tally().statement(st).agree), Some(1));
    let (_, mine) = p.get_text(&format!("/s/{code}/stemmen")).await;
    assert!(
        mine.contains("De wachttijd aan het loket is te lang"),
        "{mine}"
    );
    assert!(!mine.contains(typo), "{mine}");

    let (s, log) = app
        .get_text(&format!("/organisaties/{org}/sessies/{id}/logboek"))
        .await;
    assert_eq!(s, 200);
    assert!(log.contains("heeft een stelling aangepast"), "{log}");
    assert!(log.contains(typo), "the author's text is in the log: {log}");
    assert!(log.contains("heeft de fase Stemmen geopend"), "{log}");
    assert!(log.contains("heeft de sessie gemaakt"), "{log}");
    // Said in words, never by the stored action name or a message key.
    assert!(
        !log.contains(">edited") && !log.contains("session-log-"),
        "{log}"
    );
    app.stop().await;
}

#[tokio::test]
async fn editing_a_statement_keeps_the_authors_text_in_the_log_and_its_votes() {
    editing_keeps_the_authors_text(Backend::Sqlite).await;
}

#[tokio::test]
async fn editing_a_statement_keeps_the_authors_text_on_postgres() {
    editing_keeps_the_authors_text(Backend::Postgres).await;
}

async fn merge_counts(backend: Backend) {
    let db = fresh_db(backend).await;
    let (app, org, id, code) = facilitator_with_session(&db, "post").await;
    phase(&app, org, id, "stemmen", "open").await;
    let (a, b) = (
        statement_id(&db, org, id, A).await,
        statement_id(&db, org, id, B).await,
    );
    // p1 votes on both, p2 only on the duplicate B, p3 only on A.
    let p1 = join(&app, &code, "uitvoering").await;
    let p2 = join(&app, &code, "inwoner").await;
    let p3 = join(&app, &code, "beleid").await;
    vote(&p1, &code, a, "agree").await;
    vote(&p1, &code, b, "disagree").await;
    vote(&p2, &code, b, "agree").await;
    vote(&p3, &code, a, "disagree").await;
    let sc = scope(&db.store, org, id).await;
    let ids: Vec<ParticipantId> = db
        .store
        .sessie()
        .participants(sc)
        .await
        .unwrap()
        .iter()
        .map(|p| ParticipantId(p.id))
        .collect();
    // Dots the same way: p1 on both, p2 only on B.
    let session = db.store.sessie().reload(sc).await.unwrap();
    let dots = |pairs: &[(StatementId, u32)]| {
        pairs
            .iter()
            .map(|(s, n)| (s.0, *n))
            .collect::<std::collections::BTreeMap<i64, u32>>()
    };
    db.store
        .sessie()
        .set_dots(&session, ids[0], &dots(&[(a, 1), (b, 2)]))
        .await
        .unwrap();
    db.store
        .sessie()
        .set_dots(&session, ids[1], &dots(&[(b, 3)]))
        .await
        .unwrap();

    let into = a.0.to_string();
    let (s, _, _) = app
        .post_text(
            &format!(
                "/organisaties/{org}/sessies/{id}/stellingen/{}/samenvoegen",
                b.0
            ),
            &[("into", into.as_str())],
        )
        .await;
    assert_eq!(s, 303);

    let check = |room: &koers_sessie::live::Room| {
        let (t, p1_on_a, p2_on_a, p2_on_b, total) = room
            .with_state(|s| {
                (
                    s.tally().statement(a),
                    s.vote_of(ids[0], a),
                    s.vote_of(ids[1], a),
                    s.vote_of(ids[1], b),
                    s.total_votes(),
                )
            })
            .unwrap();
        // p1 keeps A's agree (B's disagree is dropped), p2's agree moved to A.
        assert_eq!((t.agree, t.disagree, t.pass), (2, 1, 0));
        assert_eq!(p1_on_a, Some(VoteChoice::Agree));
        assert_eq!(p2_on_a, Some(VoteChoice::Agree));
        assert_eq!(p2_on_b, None, "B's votes count nowhere");
        assert_eq!(total, 3, "one vote per participant on A, none on B");
    };
    let room = live(&app).room(sc).await.unwrap();
    check(&room);
    // Nothing destroyed: B's own votes are still stored as B's.
    let stored = db.store.sessie().votes(sc).await.unwrap();
    assert_eq!(stored.iter().filter(|v| v.statement_id == b.0).count(), 2);
    assert_eq!(stored.iter().filter(|v| v.statement_id == a.0).count(), 3);
    let merged = db.store.sessie().statement(sc, b).await.unwrap();
    assert_eq!(merged.status, StatementStatus::Merged);
    assert_eq!(merged.merged_into, Some(a));
    // Dots: p1 keeps 1 on A, p2's 3 on B move to A; B has none that count.
    let totals = db.store.sessie().dot_totals(sc).await.unwrap();
    assert_eq!(totals, vec![(a.0, 4)]);

    // A room loaded afresh from the database counts the same.
    room.poison_for_test();
    drop(room);
    let (s, _) = app
        .get_text(&format!("/organisaties/{org}/sessies/{id}"))
        .await;
    assert_eq!(s, 200);
    let room = live(&app).room(sc).await.unwrap();
    check(&room);

    // B is gone where participants and the projector look.
    assert_eq!(
        shown_statement(&p3, &code).await,
        None,
        "p3 is not offered B"
    );
    live(&app).recompute_now(&room).await;
    let (_, proj) = app
        .get_text(&format!("/organisaties/{org}/sessies/{id}/projectie/live"))
        .await;
    assert!(!proj.contains(B), "{proj}");
    let (_, log) = app
        .get_text(&format!("/organisaties/{org}/sessies/{id}/logboek"))
        .await;
    assert!(
        log.contains("heeft een dubbele stelling samengevoegd"),
        "{log}"
    );
    assert!(log.contains(B) && log.contains(A), "{log}");
    app.stop().await;
}

#[tokio::test]
async fn merging_moves_only_b_voters_to_a_and_keeps_a_for_who_voted_on_both() {
    merge_counts(Backend::Sqlite).await;
}

#[tokio::test]
async fn merging_counts_the_same_on_postgres() {
    merge_counts(Backend::Postgres).await;
}

/// Refused: into itself, into another session's statement, into a merged
/// statement, a chain, a merged statement again, no choice; each changes nothing.
#[tokio::test]
async fn merges_that_make_no_sense_are_refused_and_change_nothing() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, _code) = facilitator_with_session(&db, "post").await;
    let console = format!("/organisaties/{org}/sessies/{id}");
    let (a, b) = (
        statement_id(&db, org, id, A).await,
        statement_id(&db, org, id, B).await,
    );
    for text in ["Derde stelling", "Vierde stelling"] {
        let (s, _, _) = app
            .post_text(&format!("{console}/stellingen"), &[("text", text)])
            .await;
        assert_eq!(s, 303);
    }
    let c = statement_id(&db, org, id, "Derde stelling").await;
    let d = statement_id(&db, org, id, "Vierde stelling").await;
    // Another session of the same organisation, with its own statement.
    let (s, _, loc) = app
        .post_text(
            &format!("/organisaties/{org}/sessies/nieuw"),
            &[
                ("title", "Een andere sessie"),
                ("perspectives", "beleid"),
                ("seeds", "Stelling van elders"),
                ("moderation", "post"),
                ("max_chars", "140"),
                ("dots", "3"),
            ],
        )
        .await;
    assert_eq!(s, 303);
    let other: i64 = loc.unwrap().rsplit('/').next().unwrap().parse().unwrap();
    let foreign = statement_id(&db, org, other, "Stelling van elders").await;

    let merge = |from: StatementId, into: String| {
        let app = &app;
        let path = format!("{console}/stellingen/{}/samenvoegen", from.0);
        async move { app.post_text(&path, &[("into", into.as_str())]).await }
    };
    let sc = scope(&db.store, org, id).await;
    let statuses = || async {
        db.store
            .sessie()
            .statements(sc)
            .await
            .unwrap()
            .into_iter()
            .map(|s| (s.id, s.status, s.merged_into))
            .collect::<Vec<_>>()
    };
    let before = statuses().await;
    for (from, into, says) in [
        (a, a.0.to_string(), "niet met zichzelf"),
        (a, foreign.0.to_string(), "hoort niet bij deze sessie"),
        (a, "999999".to_string(), "hoort niet bij deze sessie"),
        (a, "".to_string(), "Kies de stelling die hetzelfde zegt"),
    ] {
        let (s, html, _) = merge(from, into).await;
        assert_eq!(s, 422, "{says}: {html}");
        assert!(html.contains(says), "{says}: {html}");
    }
    assert_eq!(statuses().await, before, "refusals change nothing");

    // C into A works; then B into C (merged) and A into D (A has a duplicate:
    // a chain) are refused, and so is C again.
    let (s, _, _) = merge(c, a.0.to_string()).await;
    assert_eq!(s, 303);
    let after = statuses().await;
    for (from, into, says) in [
        (b, c.0.to_string(), "zelf al samengevoegd"),
        (
            a,
            d.0.to_string(),
            "andere stellingen met deze samengevoegd",
        ),
        (c, d.0.to_string(), "al samengevoegd"),
    ] {
        let (s, html, _) = merge(from, into).await;
        assert_eq!(s, 422, "{says}: {html}");
        assert!(html.contains(says), "{says}: {html}");
    }
    assert_eq!(statuses().await, after, "refusals change nothing");
    app.stop().await;
}

async fn ballot_edits(backend: Backend) {
    let db = fresh_db(backend).await;
    let (app, org, id, code) = facilitator_with_session(&db, "post").await;
    let console = format!("/organisaties/{org}/sessies/{id}");
    phase(&app, org, id, "stemmen", "open").await;
    // Twelve statements: the computed shortlist holds ten of them.
    for n in 3..=12 {
        let text = format!("Stelling nummer {n}");
        let (s, _, _) = app
            .post_text(&format!("{console}/stellingen"), &[("text", text.as_str())])
            .await;
        assert_eq!(s, 303);
    }
    let p = join(&app, &code, "uitvoering").await;
    let sc = scope(&db.store, org, id).await;
    let room = live(&app).room(sc).await.unwrap();
    live(&app).recompute_now(&room).await;
    let computed = room.snapshot().shortlist.clone();
    assert_eq!(computed.len(), 10);
    let all: Vec<_> = db.store.sessie().statements(sc).await.unwrap();
    let off = all.iter().find(|s| !computed.contains(&s.id)).unwrap();
    let on = all.iter().find(|s| computed.contains(&s.id)).unwrap();
    let (s, html) = app.get_text(&console).await;
    assert_eq!(s, 200);
    assert!(html.contains("Lijst voor prioriteren"), "{html}");

    let edit = |st: StatementId, e: &'static str| {
        let app = &app;
        let path = format!("{console}/stemlijst/{}", st.0);
        async move { app.post_text(&path, &[("edit", e)]).await.0 }
    };
    assert_eq!(edit(on.id, "removed").await, 303);
    assert_eq!(edit(off.id, "added").await, 303);
    assert_eq!(edit(off.id, "nonsense").await, 400);

    phase(&app, org, id, "prioriteren", "open").await;
    let (_, page) = p.get_text(&format!("/s/{code}/nu")).await;
    assert!(page.contains(&off.text), "added is on the dot page: {page}");
    assert!(
        !page.contains(&format!(">{}<", on.text)),
        "removed is not: {page}"
    );
    let session = db.store.sessie().reload(sc).await.unwrap();
    assert!(session.ballot_frozen_at.is_some());
    // Fixed: no more edits, and a new analysis does not move it.
    let (s, html, _) = app
        .post_text(
            &format!("{console}/stemlijst/{}", on.id.0),
            &[("edit", "added")],
        )
        .await;
    assert_eq!(s, 422, "{html}");
    assert!(html.contains("ligt al vast"), "{html}");
    live(&app).recompute_now(&room).await;
    let (_, page) = p.get_text(&format!("/s/{code}/nu")).await;
    assert!(page.contains(&off.text), "{page}");
    // The server holds the ballot too: a crafted form with a dot on the statement
    // taken off it is refused whole, and nothing is stored.
    let (s, html, _) = p
        .post_text(
            &format!("/s/{code}/stippen"),
            &[
                (format!("dots_{}", off.id.0).as_str(), "1"),
                (format!("dots_{}", on.id.0).as_str(), "1"),
            ],
        )
        .await;
    assert_eq!(s, 422, "{html}");
    assert!(
        html.contains("alleen stippen zetten op de stellingen in de lijst"),
        "{html}"
    );
    assert!(db.store.sessie().dots(sc).await.unwrap().is_empty());
    let (s, _, _) = p
        .post_text(
            &format!("/s/{code}/stippen"),
            &[(format!("dots_{}", off.id.0).as_str(), "1")],
        )
        .await;
    assert_eq!(s, 303, "a dot on the ballot is stored");
    assert_eq!(db.store.sessie().dots(sc).await.unwrap().len(), 1);

    let (_, log) = app.get_text(&format!("{console}/logboek")).await;
    assert!(log.contains("op de lijst voor prioriteren gezet"), "{log}");
    assert!(
        log.contains("van de lijst voor prioriteren gehaald"),
        "{log}"
    );
    assert!(log.contains("ligt vast, met 10 stellingen"), "{log}");
    // Added during stemmen: a statement, not a seed statement.
    assert!(log.contains("heeft een stelling toegevoegd"), "{log}");
    assert!(!log.contains("startstelling"), "{log}");
    app.stop().await;
}

#[tokio::test]
async fn shortlist_add_and_remove_are_honoured_by_the_dot_page() {
    ballot_edits(Backend::Sqlite).await;
}

#[tokio::test]
async fn shortlist_add_and_remove_are_honoured_on_postgres() {
    ballot_edits(Backend::Postgres).await;
}

/// The console's event stream tells of a new statement at once, and the live
/// part then shows it in the queue with its profanity hint.
#[tokio::test]
async fn the_console_event_stream_sends_a_new_statement() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "pre").await;
    phase(&app, org, id, "inbreng", "open").await;
    let p = join(&app, &code, "uitvoering").await;
    let console = format!("/organisaties/{org}/sessies/{id}");
    let mut events = app.get(&format!("{console}/console/events")).await;
    assert_eq!(events.status(), 200);
    let (_, before) = app.get_text(&format!("{console}/console/live")).await;
    assert!(
        before.contains("Er wachten geen stellingen op je."),
        "{before}"
    );

    let text = "Dat kloteformulier moet weg";
    let (s, _, _) = p
        .post_text(&format!("/s/{code}/inbreng"), &[("text", text)])
        .await;
    assert_eq!(s, 303);
    let mut seen = String::new();
    while !seen.contains("event: statements") {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), events.chunk())
            .await
            .expect("an event within ten seconds")
            .unwrap()
            .expect("the stream stays open");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    let (s, live_part) = app.get_text(&format!("{console}/console/live")).await;
    assert_eq!(s, 200);
    assert!(live_part.contains(text), "{live_part}");
    assert!(
        live_part.contains("Er wacht 1 stelling op je."),
        "{live_part}"
    );
    assert!(
        live_part.contains("mogelijk grof taalgebruik"),
        "{live_part}"
    );
    assert!(live_part.contains("1 deelnemer<"), "{live_part}");
    // Participants per perspective go through the anonymity rule: one
    // participant in "uitvoering" is not shown as such.
    assert!(
        !live_part.contains("<th scope=\"row\"><bdi>uitvoering</bdi></th>"),
        "{live_part}"
    );
    assert!(
        live_part.contains("Cijfers per groep verschijnen vanaf 5 deelnemers."),
        "{live_part}"
    );
    drop(events);
    app.stop().await;
}

/// The console's participants per perspective: a perspective appears once it
/// has as many participants as the anonymity rule asks, never before.
#[tokio::test]
async fn the_console_shows_a_perspective_only_from_the_threshold() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "post").await;
    let mut people = vec![];
    for _ in 0..5 {
        people.push(join(&app, &code, "uitvoering").await);
    }
    people.push(join(&app, &code, "inwoner").await);
    let room = live(&app)
        .room(scope(&db.store, org, id).await)
        .await
        .unwrap();
    live(&app).recompute_now(&room).await;
    let (s, html) = app
        .get_text(&format!("/organisaties/{org}/sessies/{id}/console/live"))
        .await;
    assert_eq!(s, 200);
    assert!(
        html.contains("<th scope=\"row\"><bdi>uitvoering</bdi></th><td class=\"koers-num\">5</td>"),
        "{html}"
    );
    assert!(!html.contains("<bdi>inwoner</bdi>"), "{html}");
    assert!(html.contains("6 deelnemers"), "{html}");
    app.stop().await;
}
