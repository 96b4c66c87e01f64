//! Read-only results links: made and revoked in the console, opened without a
//! login, closed by expiry and revocation, bound to their own session, and under
//! the same anonymity rule as the results page.

use crate::common::*;
use crate::sessie::{facilitator_with_session, join, phase, shown_statement};

/// Makes a results link in the console and returns its path (`/uitslag/…`).
async fn make_link(app: &TestApp, org: i64, id: i64, days: &str) -> String {
    let (s, html, _) = app
        .post_text(
            &format!("/organisaties/{org}/sessies/{id}/resultaatlinks"),
            &[("days", days)],
        )
        .await;
    assert_eq!(s, 201, "{html}");
    let link = extract(
        &html,
        "id=\"share-link\" type=\"text\" readonly value=\"",
        "\"",
    )
    .expect("the link is shown once");
    let path = link
        .split_once("/uitslag/")
        .map(|(_, t)| format!("/uitslag/{t}"))
        .unwrap();
    assert!(path.len() > "/uitslag/".len() + 40, "a long random token");
    path
}

/// A visitor with no account and no cookies.
fn stranger(app: &TestApp) -> TestApp {
    TestApp::attach(app)
}

async fn link_lifecycle(backend: Backend) {
    let db = fresh_db(backend).await;
    let (app, org, id, _code) = facilitator_with_session(&db, "post").await;
    let path = make_link(&app, org, id, "7").await;
    // The token itself is never stored, only its hash.
    let token = path.trim_start_matches("/uitslag/");
    let sc = scope(&db.store, org, id).await;
    let links = db.store.sessie().share_links(sc).await.unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].expires_at - links[0].created_at, 7 * 86_400);

    let visitor = stranger(&app);
    let (s, html) = visitor.get_text(&path).await;
    assert_eq!(s, 200, "{html}");
    assert!(html.contains("Eén loket voor schuldhulp"));
    assert!(html.contains("Inwoners moeten één vast contactpersoon hebben"));
    assert!(html.contains("Je bekijkt de resultaten via een gedeelde link"));
    // Nothing of the facilitator's: no console link, no downloads, no forms.
    assert!(!html.contains(&format!("/organisaties/{org}")), "{html}");
    assert!(!html.contains("download"), "{html}");
    assert!(!html.contains("<form method=\"post\" action=\"/organisaties"));
    let r = visitor.get(&path).await;
    assert_eq!(r.headers()["cache-control"], "no-store");
    // The token in the address never travels to another site.
    assert_eq!(r.headers()["referrer-policy"], "same-origin");

    // A wrong token and a token's near miss are unknown.
    let (s, _) = visitor.get_text("/uitslag/geen-echte-link").await;
    assert_eq!(s, 404);
    let mut near = token.to_owned();
    near.pop();
    let (s, _) = visitor.get_text(&format!("/uitslag/{near}")).await;
    assert_eq!(s, 404);
    let (s, _) = visitor
        .get_text(&format!("/uitslag/{}", "x".repeat(500)))
        .await;
    assert_eq!(s, 404);

    // The console lists it; a second link may exist beside it.
    let second = make_link(&app, org, id, "30").await;
    let (_, console) = app
        .get_text(&format!("/organisaties/{org}/sessies/{id}"))
        .await;
    assert_eq!(console.matches("/intrekken\"").count(), 2, "{console}");
    assert!(!console.contains(token), "the token is shown only once");

    // Revoked: gone at once, the other link still works.
    let first_id = db.store.sessie().share_links(sc).await.unwrap()[1].id;
    let (s, _, loc) = app
        .post_text(
            &format!("/organisaties/{org}/sessies/{id}/resultaatlinks/{first_id}/intrekken"),
            &[],
        )
        .await;
    assert_eq!(s, 303);
    assert!(loc.unwrap().contains("melding=share-revoked"));
    let (s, html) = visitor.get_text(&path).await;
    assert_eq!(s, 410);
    assert!(html.contains("ingetrokken"), "{html}");
    assert!(!html.contains("Inwoners moeten"), "{html}");
    let (s, _) = visitor.get_text(&second).await;
    assert_eq!(s, 200);
    // Revoking twice is as unknown as a link that does not exist.
    let (s, _, _) = app
        .post_text(
            &format!("/organisaties/{org}/sessies/{id}/resultaatlinks/{first_id}/intrekken"),
            &[],
        )
        .await;
    assert_eq!(s, 404);

    // The audit log says who made and revoked links.
    let (_, org_page) = app.get_text(&format!("/organisaties/{org}")).await;
    assert!(org_page.contains("Link naar de resultaten gemaakt"));
    assert!(org_page.contains("Link naar de resultaten ingetrokken"));

    // Expired: the 30-day link works on day 29 and not on day 30.
    app.advance_clock(29 * 86_400);
    let (s, _) = visitor.get_text(&second).await;
    assert_eq!(s, 200);
    app.advance_clock(86_400);
    let (s, html) = visitor.get_text(&second).await;
    assert_eq!(s, 410);
    assert!(html.contains("verlopen"), "{html}");

    app.stop().await;
}

#[tokio::test]
async fn a_results_link_opens_without_login_until_revoked_or_expired_on_sqlite() {
    link_lifecycle(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_results_link_opens_without_login_until_revoked_or_expired_on_postgres() {
    link_lifecycle(Backend::Postgres).await;
}

/// Bad input on the form changes nothing and says what is wrong.
#[tokio::test]
async fn an_expiry_that_is_not_offered_is_refused() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, _code) = facilitator_with_session(&db, "post").await;
    for bad in ["0", "10000", "abc", ""] {
        let (s, html, _) = app
            .post_text(
                &format!("/organisaties/{org}/sessies/{id}/resultaatlinks"),
                &[("days", bad)],
            )
            .await;
        assert_eq!(s, 422, "{bad:?}");
        assert!(html.contains("Kies hoe lang de link werkt."), "{html}");
    }
    let sc = scope(&db.store, org, id).await;
    assert!(db.store.sessie().share_links(sc).await.unwrap().is_empty());
    app.stop().await;
}

/// A link names one session: it shows that session and no other, and another
/// session's console cannot revoke it.
#[tokio::test]
async fn a_link_shows_its_own_session_only() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, _code) = facilitator_with_session(&db, "post").await;
    let (s, _, loc) = app
        .post_text(
            &format!("/organisaties/{org}/sessies/nieuw"),
            &[
                ("title", "Tweede sessie over groen"),
                ("perspectives", "beleid"),
                ("seeds", "Meer bomen in de wijk"),
                ("moderation", "post"),
                ("max_chars", "140"),
                ("dots", "3"),
            ],
        )
        .await;
    assert_eq!(s, 303);
    let other: i64 = loc.unwrap().rsplit('/').next().unwrap().parse().unwrap();
    let path = make_link(&app, org, id, "30").await;
    let (s, html) = stranger(&app).get_text(&path).await;
    assert_eq!(s, 200);
    assert!(!html.contains("Tweede sessie over groen"));
    assert!(!html.contains("Meer bomen in de wijk"));
    let sc = scope(&db.store, org, id).await;
    let link = db.store.sessie().share_links(sc).await.unwrap()[0].id;
    let (s, _, _) = app
        .post_text(
            &format!("/organisaties/{org}/sessies/{other}/resultaatlinks/{link}/intrekken"),
            &[],
        )
        .await;
    assert_eq!(s, 404);
    let (s, _) = stranger(&app).get_text(&path).await;
    assert_eq!(s, 200, "still open");
    app.stop().await;
}

/// The shared page follows the one anonymity rule: a perspective of one
/// participant shows nothing, one of five shows its figures. Pending and
/// rejected statements never appear, nor do display names.
#[tokio::test]
async fn the_shared_page_keeps_small_groups_and_unaccepted_statements_out() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "pre").await;
    phase(&app, org, id, "inbreng", "open").await;
    // The one participant of "inwoner" gives a display name; it never shows.
    let mut author = TestApp::attach(&app);
    author.fresh_browser();
    author.get_text(&format!("/s/{code}")).await;
    let (s, _, _) = author
        .post_text(
            &format!("/s/{code}"),
            &[
                ("perspective", "inwoner"),
                ("display_name", "Pietje Zichtbaar"),
            ],
        )
        .await;
    assert_eq!(s, 303);
    for text in [
        "Een stelling die nog wacht",
        "Een stelling die wordt afgewezen",
    ] {
        let (s, _, _) = author
            .post_text(&format!("/s/{code}/inbreng"), &[("text", text)])
            .await;
        assert_eq!(s, 303);
    }
    let sc = scope(&db.store, org, id).await;
    let rejected = db
        .store
        .sessie()
        .statements(sc)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.text == "Een stelling die wordt afgewezen")
        .unwrap()
        .id;
    let (s, _, _) = app
        .post_text(
            &format!("/organisaties/{org}/sessies/{id}/stellingen/{rejected}/moderatie"),
            &[("status", "rejected")],
        )
        .await;
    assert_eq!(s, 303);
    phase(&app, org, id, "stemmen", "open").await;
    let mut people = vec![author];
    for _ in 0..5 {
        people.push(join(&app, &code, "uitvoering").await);
    }
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
    let room = live(&app).room(sc).await.unwrap();
    live(&app).recompute_now(&room).await;
    let path = make_link(&app, org, id, "30").await;
    let (s, html) = stranger(&app).get_text(&path).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("<th scope=\"row\">uitvoering</th><td class=\"koers-num\">5</td>"),
        "the group of five is shown: {html}"
    );
    assert!(
        !html.contains(">inwoner<"),
        "the group of one is not: {html}"
    );
    assert!(!html.contains("Pietje Zichtbaar"));
    assert!(!html.contains("Een stelling die nog wacht"));
    assert!(!html.contains("Een stelling die wordt afgewezen"));
    app.stop().await;
}

/// Descriptions (Pol.is imports bring Markdown) show as a safe subset of
/// Markdown on every page that shows them: no script, no `javascript:` link.
#[tokio::test]
async fn descriptions_render_safe_markdown() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, _id, _code) = facilitator_with_session(&db, "post").await;
    let description = "Wat vinden we van **groen** in de wijk?\n\n[Achtergrond](https://example.org/groen) en [klik](javascript:alert(1))\n\n<script>alert(2)</script>";
    let (s, _, loc) = app
        .post_text(
            &format!("/organisaties/{org}/sessies/nieuw"),
            &[
                ("title", "Groen in de wijk"),
                ("description", description),
                ("perspectives", "beleid"),
                ("seeds", ""),
                ("moderation", "post"),
                ("max_chars", "140"),
                ("dots", "3"),
            ],
        )
        .await;
    assert_eq!(s, 303);
    let id: i64 = loc.unwrap().rsplit('/').next().unwrap().parse().unwrap();
    let code = db
        .store
        .sessie()
        .live_session(
            &db.store.system_scope(koers_core::OrganisationId(org)),
            koers_core::LiveSessionId(id),
        )
        .await
        .unwrap()
        .join_code;
    let share = make_link(&app, org, id, "30").await;
    for (who, path) in [
        (&app, format!("/organisaties/{org}/sessies/{id}")),
        (&app, format!("/organisaties/{org}/sessies/{id}/resultaten")),
        (&stranger(&app), format!("/s/{code}")),
        (&stranger(&app), share),
    ] {
        let (s, html) = who.get_text(&path).await;
        assert_eq!(s, 200, "{path}");
        assert!(html.contains("<strong>groen</strong>"), "{path}: {html}");
        assert!(
            html.contains("<a class=\"koers-link\" href=\"https://example.org/groen\" rel=\"nofollow noopener\">Achtergrond</a>"),
            "{path}: {html}"
        );
        assert!(!html.contains("javascript:"), "{path}: {html}");
        assert!(!html.contains("<script>alert"), "{path}: {html}");
        assert!(html.contains("&lt;script&gt;alert(2)"), "{path}: {html}");
    }
    app.stop().await;
}
