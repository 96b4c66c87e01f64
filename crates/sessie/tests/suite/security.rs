//! Abuse of Sessie's inputs: statements that show as nothing or turn the page
//! around, formulas in downloads, crafted return paths and path ids.

use crate::common::*;
use crate::sessie::{facilitator_with_session, join, phase};

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
