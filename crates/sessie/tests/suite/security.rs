//! Abuse of Sessie's inputs: statements that show as nothing or turn the page
//! around, formulas in downloads, crafted return paths and path ids.

use crate::common::*;
use crate::exports::{entry, unzip};
use crate::sessie::{facilitator_with_session, join, phase, shown_statement};

#[tokio::test]
async fn invisible_statements_are_refused_and_rtl_text_is_isolated() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "post").await;
    phase(&app, org, id, "inbreng", "open").await;
    let p = join(&app, &code, "inwoner").await;
    for text in [
        "\u{200B}\u{200B}\u{200B}",
        "\u{3164}",
        "\u{2800}\u{2800}",
        "\u{FEFF} \u{2060}",
        "\u{202E}\u{200F}",
    ] {
        let (s, html, _) = p
            .post_text(&format!("/s/{code}/inbreng"), &[("text", text)])
            .await;
        assert_eq!(s, 422, "{text:?}");
        assert!(html.contains("Schrijf een stelling"), "{text:?}");
    }
    let (s, _, _) = p
        .post_text(
            &format!("/s/{code}/inbreng"),
            &[("text", "\u{202E}Wachttijden zijn te lang")],
        )
        .await;
    assert_eq!(s, 303);
    let (_, html) = app
        .get_text(&format!("/organisaties/{org}/sessies/{id}"))
        .await;
    assert!(
        html.contains("<bdi>\u{202E}Wachttijden zijn te lang</bdi>"),
        "the facilitator sees the statement isolated"
    );
    let (_, html) = p.get_text(&format!("/s/{code}/nu")).await;
    assert!(html.contains("<bdi>\u{202E}Wachttijden zijn te lang</bdi>"));
}

#[tokio::test]
async fn polis_comments_download_is_formula_guarded_and_the_zip_is_verbatim() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "post").await;
    phase(&app, org, id, "inbreng", "open").await;
    let p = join(&app, &code, "inwoner").await;
    let formula = "=HYPERLINK(\"http://evil.example\";\"klik\")";
    for text in [formula, "@SUM(A1:A9) telt op", "+31 is ons landnummer"] {
        let (s, _, _) = p
            .post_text(&format!("/s/{code}/inbreng"), &[("text", text)])
            .await;
        assert_eq!(s, 303, "{text}");
    }
    let base = format!("/organisaties/{org}/sessies/{id}/download");
    let r = app.get(&format!("{base}/comments.csv")).await;
    assert_eq!(r.status(), 200);
    let csv = r.text().await.unwrap();
    let bodies: Vec<String> = csv
        .lines()
        .skip(1)
        .map(|l| l.rsplit_once(",").unwrap().1.trim_matches('"').to_owned())
        .collect();
    for body in &bodies {
        assert!(
            !body.starts_with(['=', '+', '-', '@']),
            "a spreadsheet would run {body:?}"
        );
    }
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(csv.contains("'@SUM(A1:A9) telt op"));
    assert!(csv.contains("'+31 is ons landnummer"));
    // The zip is for Pol.is tools: the text exactly as written.
    let r = app.get(&format!("{base}/polis.zip")).await;
    assert_eq!(r.status(), 200);
    let entries = unzip(&r.bytes().await.unwrap());
    let comments = entry(&entries, "comments.csv");
    assert!(
        comments.contains(",\"=HYPERLINK(\"\"http://evil.example\"\""),
        "{comments}"
    );
    assert!(comments.contains(",@SUM(A1:A9) telt op"));
    assert!(!comments.contains("'="));
    // And the results page says what the zip is for.
    let (_, html) = app
        .get_text(&format!("/organisaties/{org}/sessies/{id}/resultaten"))
        .await;
    assert!(html.contains("Pol.is-gereedschap"));
}

#[tokio::test]
async fn unparseable_session_ids_get_the_friendly_404() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, _) = facilitator_with_session(&db, "post").await;
    for path in [
        format!("/organisaties/{org}/sessies/9223372036854775808"),
        format!("/organisaties/{org}/sessies/abc/resultaten"),
        format!("/organisaties/{org}/sessies/{id}x/download/polis.zip"),
        "/organisaties/9223372036854775808/sessies".to_owned(),
    ] {
        let (s, html) = app.get_text(&path).await;
        assert_eq!(s, 404, "{path}");
        assert!(html.contains("Pagina niet gevonden"), "{path}: {html}");
    }
    let (s, html, _) = app
        .post_text(
            &format!("/organisaties/{org}/sessies/{id}/stellingen/99999999999999999999/moderatie"),
            &[("status", "accepted")],
        )
        .await;
    assert_eq!(s, 404);
    assert!(html.contains("Pagina niet gevonden"));
}

#[tokio::test]
async fn the_vote_forms_back_goes_only_to_local_paths() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "post").await;
    phase(&app, org, id, "stemmen", "open").await;
    let p = join(&app, &code, "inwoner").await;
    let statement = shown_statement(&p, &code).await.unwrap();
    let mut hostile: Vec<String> = (0u8..=0x1f)
        .chain([0x7f])
        .map(|b| format!("/{}/evil.example", char::from(b)))
        .collect();
    hostile.extend(
        [
            "//evil.example",
            "/\\evil.example",
            "/%09/evil.example",
            "https://evil.example",
        ]
        .map(String::from),
    );
    for back in &hostile {
        let (s, _, loc) = p
            .post_text(
                &format!("/s/{code}/stem"),
                &[
                    ("statement", statement.as_str()),
                    ("vote", "agree"),
                    ("back", back.as_str()),
                ],
            )
            .await;
        assert_eq!((s, loc.as_deref()), (303, Some("/")), "back={back:?}");
    }
    let mine = format!("/s/{code}/stemmen");
    let (_, _, loc) = p
        .post_text(
            &format!("/s/{code}/stem"),
            &[
                ("statement", statement.as_str()),
                ("vote", "pass"),
                ("back", mine.as_str()),
            ],
        )
        .await;
    assert_eq!(loc.as_deref(), Some(mine.as_str()));
}
