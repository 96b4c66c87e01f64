//! The facilitator's console: words for phases that ended and a finished session.

use crate::common::*;
use crate::sessie::{facilitator_with_session, phase};

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
    let (s, _, _) = app
        .post_text(&format!("{console}/deelname"), &[("action", "close")])
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
