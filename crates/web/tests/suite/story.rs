//! The backend-agnostic story: a fresh install is set up, an organisation created, a
//! colleague invited, and everything survives a restart. Runs on SQLite and on
//! PostgreSQL, each in a fresh database.

use crate::common::*;

async fn story(backend: Backend) {
    let db = fresh_db(backend).await;
    let app = TestApp::start(db.store.clone(), test_config(), vec![]).await;

    // First run: no admin, so the home page sends people to set-up.
    let r = app.get("/").await;
    assert_eq!(r.status(), 303, "{backend:?}");
    assert_eq!(r.headers()["location"], "/installatie");
    let (s, html) = app.get_text("/installatie").await;
    assert_eq!(s, 200);
    assert!(html.contains("Koers instellen"));

    // A wrong setup code is refused with the error next to the field and in a summary.
    let form = |code: &'static str| {
        vec![
            ("setup_code", code),
            ("display_name", "Anna Admin"),
            ("email", "anna@teststad.nl"),
            ("password", "een lang wachtwoord"),
            ("password_again", "een lang wachtwoord"),
        ]
    };
    let (s, html, _) = app.post_text("/installatie", &form("verkeerd")).await;
    assert_eq!(s, 422);
    assert!(html.contains("Er is een probleem"));
    assert!(html.contains("href=\"#setup_code\""));
    assert!(html.contains("id=\"setup_code-error\""));
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(
        html.contains("value=\"anna@teststad.nl\""),
        "typed input is kept"
    );

    let code: &'static str = Box::leak(app.state.setup_code().unwrap().into_boxed_str());
    let (s, _, loc) = app.post_text("/installatie", &form(code)).await;
    assert_eq!(s, 303);
    assert_eq!(loc.as_deref(), Some("/beheer"));
    assert!(app.state.setup_code().is_none(), "the setup code is spent");
    // Set-up cannot be repeated.
    assert_eq!(app.get("/installatie").await.status(), 303);

    // The admin creates an organisation; a bad form first.
    let (s, html, _) = app
        .post_text(
            "/beheer/organisaties",
            &[
                ("name", "x"),
                ("kind", "bedrijf"),
                ("size_class", "m"),
                ("country", "NL"),
            ],
        )
        .await;
    assert_eq!(s, 422);
    assert!(html.contains("minimaal 2 tekens"));
    assert!(html.contains("Kies het soort organisatie"));
    let (s, _, loc) = app
        .post_text(
            "/beheer/organisaties",
            &[
                ("name", "Gemeente Teststad"),
                ("kind", "gemeente"),
                ("size_class", "m"),
                ("country", "NL"),
            ],
        )
        .await;
    assert_eq!(s, 303);
    assert_eq!(loc.as_deref(), Some("/beheer?melding=org-created"));
    let (_, html) = app.get_text("/beheer?melding=org-created").await;
    assert!(html.contains("Gemeente Teststad"));
    assert!(html.contains("De organisatie is aangemaakt."));
    // Same name again: a conflict shown at the field, nothing created twice.
    let (s, html, _) = app
        .post_text(
            "/beheer/organisaties",
            &[
                ("name", "gemeente teststad"),
                ("kind", "gemeente"),
                ("size_class", "m"),
                ("country", "NL"),
            ],
        )
        .await;
    assert_eq!(s, 422);
    assert!(html.contains("bestaat al een organisatie"));
    let orgs = db.store.organisations().await.unwrap();
    assert_eq!(orgs.len(), 1);
    let org = &orgs[0];

    // Invite a facilitator.
    let (s, html, _) = app
        .post_text(
            &format!("/organisaties/{}/uitnodigingen", org.id),
            &[("role", "facilitator"), ("note", "voor Fatima")],
        )
        .await;
    assert_eq!(s, 201);
    let link = extract(&html, "readonly value=\"", "\"").unwrap();
    let path = link.trim_start_matches(&app.base).to_owned();
    assert!(path.starts_with("/uitnodiging/"), "{path}");

    // The invitee, in another browser, creates an account through the link.
    let mut invitee = clone_app(&app);
    invitee.fresh_browser();
    let (s, html) = invitee.get_text(&path).await;
    assert_eq!(s, 200);
    assert!(html.contains("Gemeente Teststad"));
    let (s, html, _) = invitee
        .post_text(
            &path,
            &[
                ("display_name", "Fatima"),
                ("email", "fatima@teststad.nl"),
                ("password", "kort"),
                ("password_again", "kort"),
            ],
        )
        .await;
    assert_eq!(s, 422);
    assert!(html.contains("minimaal 10 tekens"));
    let (s, _, loc) = invitee
        .post_text(
            &path,
            &[
                ("display_name", "Fatima"),
                ("email", "fatima@teststad.nl"),
                ("password", "zonnige dinsdag"),
                ("password_again", "zonnige dinsdag"),
            ],
        )
        .await;
    assert_eq!(s, 303);
    assert_eq!(
        loc.unwrap(),
        format!("/organisaties/{}?melding=joined", org.id)
    );
    let (s, html) = invitee.get_text(&format!("/organisaties/{}", org.id)).await;
    assert_eq!(s, 200);
    assert!(html.contains("Fatima"));
    assert!(html.contains("Facilitator"));
    // A facilitator cannot manage the organisation.
    assert_eq!(
        invitee
            .get(&format!("/organisaties/{}/gegevens", org.id))
            .await
            .status(),
        403
    );

    // The link is spent.
    let mut third = clone_app(&app);
    third.fresh_browser();
    let (s, html) = third.get_text(&path).await;
    assert_eq!(s, 404);
    assert!(html.contains("Uitnodiging niet geldig"));

    // Restart: a new server over the same database keeps the login session.
    let cookie_client = app.client.clone();
    app.stop().await;
    let store2 = koers_store::Store::connect(&db.url).await.unwrap();
    let mut app2 = TestApp::start(store2, test_config(), vec![]).await;
    app2.client = cookie_client;
    let (s, html) = app2.get_text("/beheer").await;
    assert_eq!(s, 200, "session survives a restart on {backend:?}");
    assert!(html.contains("Gemeente Teststad"));

    // Language switch is remembered.
    let r = app2.get("/taal/en?terug=/beheer").await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/beheer");
    let (_, html) = app2.get_text("/").await;
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("My organisations"));
    let admin = || async {
        db.store
            .user_by_email(&koers_core::Email::parse("anna@teststad.nl").unwrap())
            .await
            .unwrap()
            .unwrap()
    };
    assert_eq!(admin().await.locale, None, "the link sets the browser only");
    let (s, _, _) = app2.post_text("/account/taal", &[("locale", "en")]).await;
    assert_eq!(s, 303);
    assert_eq!(
        admin().await.locale.as_deref(),
        Some("en"),
        "preference stored with the account"
    );

    // Logging out ends the session in the database.
    let (s, _, _) = app2.post_text("/uitloggen", &[]).await;
    assert_eq!(s, 303);
    assert_eq!(
        app2.get("/beheer").await.status(),
        303,
        "logged out: sent to login"
    );
    app2.stop().await;
}

/// A handle on the same server with its own client.
fn clone_app(app: &TestApp) -> TestApp {
    TestApp::attach(app)
}

#[tokio::test]
async fn story_on_sqlite() {
    story(Backend::Sqlite).await;
}

#[tokio::test]
async fn story_on_postgres() {
    story(Backend::Postgres).await;
}
