//! Anonymity in the room (issue 9 §6): participants are told they take part
//! anonymously, so a perspective with one participant gets no figure anywhere a
//! session's figures go: the projector (page, live fragment, event streams), the
//! results page, and every download. Once the perspective reaches the threshold
//! of the one rule in `koers-core`, it does appear. The spreadsheets are read
//! back with calamine and the zip with the `zip` crate, not with our writers.

use crate::common::*;
use crate::sessie::{facilitator_with_session, join, phase, shown_statement};
use calamine::{open_workbook_from_rs, Data, Ods, Reader, Xlsx};
use koers_core::LiveSessionId;
use std::io::{Cursor, Read};

/// The lone perspective's name; it appears nowhere else in the session's texts.
const LONE: &str = "ketenpartner";
/// A perspective with enough participants from the start.
const LARGE: &str = "uitvoering";

/// Every text of every sheet of a spreadsheet, as calamine reads it.
fn sheet_texts<R: Reader<Cursor<Vec<u8>>>>(book: &mut R) -> String {
    let mut out = String::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .expect("calamine reads the sheet");
        for row in range.rows() {
            for cell in row {
                if let Data::String(s) = cell {
                    out.push_str(s);
                    out.push('\n');
                }
            }
        }
    }
    out
}

/// Every file of a zip, as text.
fn zip_texts(bytes: Vec<u8>) -> String {
    let mut archive = ::zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut out = String::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        f.read_to_string(&mut out).unwrap();
    }
    out
}

/// What one download holds, as text an independent reader made of it.
async fn download_text(app: &TestApp, org: i64, id: i64, file: &str) -> String {
    let r = app
        .get(&format!("/organisaties/{org}/sessies/{id}/download/{file}"))
        .await;
    assert_eq!(r.status(), 200, "{file}");
    let bytes = r.bytes().await.unwrap().to_vec();
    if file.ends_with(".xlsx") {
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("XLSX");
        sheet_texts(&mut book)
    } else if file.ends_with(".ods") {
        let mut book: Ods<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("ODS");
        sheet_texts(&mut book)
    } else if file.ends_with(".zip") {
        zip_texts(bytes)
    } else {
        String::from_utf8(bytes).expect("CSV is UTF-8")
    }
}

/// What an event stream sends in its first moments (the first events, or
/// whatever arrives within a second).
async fn events_text(client: &TestApp, path: &str) -> String {
    let mut r = client.get(path).await;
    assert_eq!(r.status(), 200, "{path}");
    let mut out = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_millis(1200);
    while let Ok(Ok(Some(chunk))) = tokio::time::timeout_at(deadline, r.chunk()).await {
        out.push_str(&String::from_utf8_lossy(&chunk));
    }
    out
}

/// Everything of the session that leaves the facilitator's console: the
/// projector, the results page, both event streams and every download.
async fn everything(
    app: &TestApp,
    participant: &TestApp,
    org: i64,
    id: i64,
    code: &str,
) -> Vec<(String, String)> {
    let mut seen = vec![];
    for page in ["projectie", "projectie/live", "resultaten"] {
        let (s, html) = app
            .get_text(&format!("/organisaties/{org}/sessies/{id}/{page}"))
            .await;
        assert_eq!(s, 200, "{page}");
        seen.push((page.to_owned(), html));
    }
    seen.push((
        "projector events".to_owned(),
        events_text(
            app,
            &format!("/organisaties/{org}/sessies/{id}/projectie/events"),
        )
        .await,
    ));
    seen.push((
        "participant events".to_owned(),
        events_text(participant, &format!("/s/{code}/events")).await,
    ));
    // The room screen, through its projector link on a browser without login,
    // in every view the facilitator can choose.
    let (s, html, _) = app
        .post_text(
            &format!("/organisaties/{org}/sessies/{id}/scherm/link"),
            &[],
        )
        .await;
    assert_eq!(s, 200);
    let link = extract(
        &html,
        "id=\"room-link\" type=\"text\" readonly value=\"",
        "\"",
    )
    .unwrap();
    let token = link.rsplit("/scherm/").next().unwrap().to_owned();
    let mut pc = TestApp::attach(app);
    pc.fresh_browser();
    for page in ["", "/live"] {
        let (s, html) = pc.get_text(&format!("/scherm/{token}{page}")).await;
        assert_eq!(s, 200, "room screen{page}");
        seen.push((format!("room screen{page}"), html));
    }
    seen.push((
        "room screen events".to_owned(),
        events_text(&pc, &format!("/scherm/{token}/events")).await,
    ));
    seen.push((
        "console events".to_owned(),
        events_text(
            app,
            &format!("/organisaties/{org}/sessies/{id}/console/events"),
        )
        .await,
    ));
    for page in ["nu", "stemmen"] {
        let (_, html) = participant.get_text(&format!("/s/{code}/{page}")).await;
        seen.push((format!("participant {page}"), html));
    }
    for file in koers_sessie::DOWNLOADS {
        seen.push(((*file).to_owned(), download_text(app, org, id, file).await));
    }
    seen
}

/// Every participant votes on every statement: agree for the large group,
/// disagree for the lone one, so their figures would differ if shown.
async fn vote_all(p: &TestApp, code: &str, vote: &str) {
    while let Some(statement) = shown_statement(p, code).await {
        let (s, _, _) = p
            .post_text(
                &format!("/s/{code}/stem"),
                &[("statement", statement.as_str()), ("vote", vote)],
            )
            .await;
        assert_eq!(s, 303);
    }
}

#[tokio::test]
async fn one_participant_in_a_perspective_shows_nowhere_until_the_threshold() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, _, _) = facilitator_with_session(&db, "post").await;
    // A session of our own whose perspective names appear in no other text.
    let (s, _, loc) = app
        .post_text(
            &format!("/organisaties/{org}/sessies/nieuw"),
            &[
                ("title", "Samen de wachttijd omlaag"),
                ("description", "Wat helpt het meest?"),
                ("perspectives", &format!("beleid\n{LARGE}\n{LONE}")),
                (
                    "seeds",
                    "Eén loket\nMinder formulieren\nVaste contactpersoon",
                ),
                ("moderation", "post"),
                ("max_chars", "140"),
                ("dots", "3"),
            ],
        )
        .await;
    assert_eq!(s, 303);
    let id: i64 = loc.unwrap().rsplit('/').next().unwrap().parse().unwrap();
    let session = db
        .store
        .sessie()
        .live_session(
            &db.store.system_scope(koers_core::OrganisationId(org)),
            LiveSessionId(id),
        )
        .await
        .unwrap();
    let code = session.join_code.clone();
    phase(&app, org, id, "stemmen", "open").await;

    let mut large = vec![];
    for _ in 0..5 {
        large.push(join(&app, &code, LARGE).await);
    }
    let lone = join(&app, &code, LONE).await;
    for p in &large {
        vote_all(p, &code, "agree").await;
    }
    vote_all(&lone, &code, "disagree").await;
    let room = live(&app).room(session.scope).await.unwrap();
    live(&app).recompute_now(&room).await;

    let before = everything(&app, &lone, org, id, &code).await;
    // The session's settings name the perspectives it offers (the spreadsheets'
    // summary sheet): a setting, not a figure about anyone.
    let declared = format!("beleid, {LARGE}, {LONE}");
    for (what, text) in &before {
        let text = text.replace(&declared, "");
        assert!(
            !text.contains(LONE),
            "{what} names the perspective of one participant:\n{text}"
        );
    }
    // An opinion group is named beside its members' votes only when it is
    // large enough: every group-id in participants-votes.csv has five rows.
    let pv = &before
        .iter()
        .find(|(w, _)| w == "participants-votes.csv")
        .unwrap()
        .1;
    let mut per_group: std::collections::BTreeMap<&str, usize> = Default::default();
    for line in pv.lines().skip(1) {
        let group = line.split(',').nth(1).unwrap_or("");
        if !group.is_empty() {
            *per_group.entry(group).or_default() += 1;
        }
    }
    assert!(per_group.values().all(|n| *n >= 5), "{per_group:?}\n{pv}");
    // The rule is not simply hiding everything: the large group is there.
    for what in [
        "projectie/live",
        "resultaten",
        "resultaten.csv",
        "resultaten.xlsx",
        "resultaten.ods",
    ] {
        let text = &before.iter().find(|(w, _)| w == what).unwrap().1;
        assert!(text.contains(LARGE), "{what} shows the group of five");
    }

    // Four more join the lone perspective: five, the threshold.
    let mut more = vec![];
    for _ in 0..4 {
        more.push(join(&app, &code, LONE).await);
    }
    for p in &more {
        vote_all(p, &code, "disagree").await;
    }
    live(&app).recompute_now(&room).await;
    let after = everything(&app, &lone, org, id, &code).await;
    for what in [
        "projectie/live",
        "resultaten",
        "resultaten.csv",
        "resultaten.xlsx",
        "resultaten.ods",
    ] {
        let text = &after.iter().find(|(w, _)| w == what).unwrap().1;
        assert!(
            text.contains(LONE),
            "{what} shows the perspective once it has five"
        );
    }
    app.stop().await;
}
