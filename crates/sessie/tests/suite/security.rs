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

/// Submits a statement: status, page and redirect.
async fn submit(p: &TestApp, code: &str, text: String) -> (u16, String, Option<String>) {
    p.post_text(&format!("/s/{code}/inbreng"), &[("text", text.as_str())])
        .await
}

/// A participant who floods the room with statements is stopped with a polite
/// page in their language; nothing of the flood past the limit is stored, the
/// others carry on, and a minute later they may write again.
#[tokio::test]
async fn statements_per_participant_are_limited() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, id, code) = facilitator_with_session(&db, "post").await;
    phase(&app, org, id, "inbreng", "open").await;
    let flooder = join(&app, &code, "inwoner").await;
    let other = join(&app, &code, "beleid").await;
    for i in 0..10 {
        let (s, _, _) = submit(
            &flooder,
            &code,
            format!("Stelling nummer {i} van de stortvloed"),
        )
        .await;
        assert_eq!(s, 303, "statement {i}");
    }
    let (s, html, _) = submit(&flooder, &code, "Nog eentje erbij".into()).await;
    assert_eq!(s, 429);
    assert!(html.contains("Even rustig aan"), "{html}");
    assert!(html.contains("niet opgeslagen"), "{html}");
    let (s, _, _) = submit(&other, &code, "Een stelling van iemand anders".into()).await;
    assert_eq!(s, 303, "others are not held back");
    app.advance_clock(61);
    let (s, _, _) = submit(&flooder, &code, "Na een minuut weer welkom".into()).await;
    assert_eq!(s, 303);
    let sc = scope(&db.store, org, id).await;
    let texts: Vec<String> = db
        .store
        .sessie()
        .statements(sc)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.text)
        .collect();
    assert!(!texts.iter().any(|t| t == "Nog eentje erbij"));
    assert!(texts.iter().any(|t| t == "Na een minuut weer welkom"));
    app.stop().await;
}

/// A join from `client` (behind the trusted proxy 127.0.0.1) with a fresh browser.
async fn join_from(app: &TestApp, code: &str, client: &str) -> u16 {
    let mut p = TestApp::attach(app);
    p.fresh_browser();
    let token = p.csrf().await;
    p.client
        .post(p.url(&format!("/s/{code}")))
        .header("x-forwarded-for", client)
        .form(&[
            ("csrf", token.as_str()),
            ("perspective", "inwoner"),
            ("display_name", ""),
        ])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// One client with many addresses cannot add participants to a session without
/// end: joins count per session too. Another session is not held back.
#[tokio::test]
async fn joins_per_session_are_limited() {
    let db = fresh_db(Backend::Sqlite).await;
    let mut config = test_config();
    config.server.trusted_proxies = vec!["127.0.0.1".into()];
    config.security.joins_per_session_per_minute = 3;
    let (app, org, _, code) =
        crate::sessie::facilitator_with_session_config(&db, "post", config).await;
    for i in 1..=3 {
        assert_eq!(join_from(&app, &code, &format!("192.0.2.{i}")).await, 303);
    }
    assert_eq!(join_from(&app, &code, "192.0.2.99").await, 429);

    let (s, _, loc) = app
        .post_text(
            &format!("/organisaties/{org}/sessies/nieuw"),
            &[
                ("title", "Een tweede sessie"),
                ("description", ""),
                ("perspectives", "inwoner"),
                ("seeds", "Een stelling"),
                ("moderation", "post"),
                ("max_chars", "140"),
                ("dots", "3"),
            ],
        )
        .await;
    assert_eq!(s, 303);
    let second: i64 = loc.unwrap().rsplit('/').next().unwrap().parse().unwrap();
    let second_code = db
        .store
        .sessie()
        .live_session(
            &db.store.system_scope(koers_core::OrganisationId(org)),
            koers_core::LiveSessionId(second),
        )
        .await
        .unwrap()
        .join_code;
    assert_eq!(join_from(&app, &second_code, "192.0.2.99").await, 303);
    app.advance_clock(61);
    assert_eq!(join_from(&app, &code, "192.0.2.99").await, 303);
    app.stop().await;
}

/// Event streams held open at once are limited per client address (IPv6 per
/// /64); other clients still get theirs, and a closed stream gives its place back.
#[tokio::test]
async fn event_streams_per_address_are_limited() {
    let db = fresh_db(Backend::Sqlite).await;
    let mut config = test_config();
    config.server.trusted_proxies = vec!["127.0.0.1".into()];
    config.security.event_streams_per_address = 2;
    let (app, _, _, code) =
        crate::sessie::facilitator_with_session_config(&db, "post", config).await;
    let path = app.url(&format!("/s/{code}/events"));
    let open = |client: &'static str| {
        let req = app.client.get(&path).header("x-forwarded-for", client);
        async move { req.send().await.unwrap() }
    };
    let first = open("2001:db8:5:6::1").await;
    let second = open("2001:db8:5:6::2").await;
    assert_eq!(first.status(), 200);
    assert_eq!(second.status(), 200);
    let refused = open("2001:db8:5:6::3").await;
    assert_eq!(refused.status(), 429, "the same /64 is over its limit");
    assert_eq!(
        open("2001:db8:5:7::1").await.status(),
        200,
        "another client"
    );
    assert_eq!(open("198.51.100.1").await.status(), 200, "another client");

    drop(first);
    let hub = &app
        .state
        .part_state::<koers_sessie::SessieState>()
        .unwrap()
        .streams;
    let addr: std::net::IpAddr = "2001:db8:5:6::1".parse().unwrap();
    for _ in 0..200 {
        if hub.open_from(addr) < 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(
        open("2001:db8:5:6::4").await.status(),
        200,
        "a place came free"
    );
    drop(second);
    app.stop().await;
}

/// The join-code space cannot be walked: codes that lead nowhere count per client
/// address (on `/s/{code}` and the `/doe-mee` form alike), past the limit the
/// answer is 429, and a code that works is never held back by the count, nor is
/// another address.
#[tokio::test]
async fn walking_the_code_space_is_stopped() {
    let db = fresh_db(Backend::Sqlite).await;
    let mut config = test_config();
    config.server.trusted_proxies = vec!["127.0.0.1".into()];
    config.security.unknown_codes_per_address_per_minute = 3;
    let (app, _, _, code) =
        crate::sessie::facilitator_with_session_config(&db, "post", config).await;
    let get = |path: String, client: &'static str| {
        let app = &app;
        async move {
            app.client
                .get(app.url(&path))
                .header("x-forwarded-for", client)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // A good code, many times: never counted.
    for _ in 0..5 {
        assert_eq!(get(format!("/s/{code}"), "192.0.2.1").await, 200);
    }
    assert_eq!(get("/s/ZZZZ99".into(), "192.0.2.1").await, 404);
    assert_eq!(get("/s/ZZZZ98".into(), "192.0.2.1").await, 404);
    // A malformed code counts too, on the form.
    let token = app.csrf().await;
    let status = app
        .client
        .post(app.url("/doe-mee"))
        .header("x-forwarded-for", "192.0.2.1")
        .form(&[("csrf", token.as_str()), ("code", "0000")])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16();
    assert_eq!(status, 422);
    assert_eq!(get("/s/ZZZZ97".into(), "192.0.2.1").await, 429);
    // The good code still opens; another address is not affected.
    assert_eq!(get(format!("/s/{code}"), "192.0.2.1").await, 200);
    assert_eq!(get("/s/ZZZZ96".into(), "192.0.2.2").await, 404);
    app.stop().await;
}
