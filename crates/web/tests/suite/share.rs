//! Accounts' rough edges (issue 9): a beheerder's one-time password reset link,
//! invitations tied to an e-mail address, and times in the organisation's time
//! zone.

use crate::common::*;
use koers_core::{DisplayName, Email, Role};

const BEHEERDER: (&str, &str) = ("b@herstel.nl", "wachtwoord beheerder");
const MEMBER: (&str, &str) = ("lid@herstel.nl", "oud wachtwoord van het lid");
const NEW_PASSWORD: &str = "nieuw lang wachtwoord voor het lid";

async fn add_user(
    store: &koers_store::Store,
    email: &str,
    password: &str,
    admin: bool,
) -> koers_store::User {
    let hash = koers_web::auth::hash_password(password.into())
        .await
        .unwrap();
    store
        .create_user(
            koers_store::NewUser {
                email: &Email::parse(email).unwrap(),
                display_name: &DisplayName::parse(&format!("Naam {email}")).unwrap(),
                password_hash: &hash,
                is_platform_admin: admin,
            },
            1_800_000_000,
        )
        .await
        .unwrap()
}

/// An organisation with a beheerder (logged in on the returned app) and a member.
async fn org_with_member(db: &TestDb) -> (TestApp, i64, koers_store::User) {
    let (org, _) = seed_org(&db.store, "Gemeente Herstel", BEHEERDER.0, BEHEERDER.1).await;
    let member = add_user(&db.store, MEMBER.0, MEMBER.1, false).await;
    db.store
        .set_membership(org.id, member.id, Role::Lid, 1_800_000_000)
        .await
        .unwrap();
    let app = TestApp::start(db.store.clone(), test_config(), vec![]).await;
    assert_eq!(app.login(BEHEERDER.0, BEHEERDER.1).await.0, 303);
    (app, org.id.0, member)
}

/// Makes a reset link as the beheerder; returns its path.
async fn reset_link(app: &TestApp, org: i64, user: i64) -> String {
    let (s, html, _) = app
        .post_text(
            &format!("/organisaties/{org}/leden/{user}/wachtwoord-herstel"),
            &[],
        )
        .await;
    assert_eq!(s, 201, "{html}");
    let link = extract(
        &html,
        "id=\"reset-link\" type=\"text\" readonly value=\"",
        "\"",
    )
    .unwrap();
    let (_, token) = link.split_once("/wachtwoord-herstel/").unwrap();
    format!("/wachtwoord-herstel/{token}")
}

fn browser(app: &TestApp) -> TestApp {
    TestApp::attach(app)
}

async fn reset_once(backend: Backend) {
    let db = fresh_db(backend).await;
    let (app, org, member) = org_with_member(&db).await;
    // Installed (else the login page leads to the first-run set-up).
    add_user(
        &db.store,
        "platform@herstel.nl",
        "wachtwoord van het platform",
        true,
    )
    .await;
    // The member is logged in on a phone.
    let phone = browser(&app);
    assert_eq!(phone.login(MEMBER.0, MEMBER.1).await.0, 303);
    assert_eq!(phone.get_text("/account").await.0, 200);

    let path = reset_link(&app, org, member.id.0).await;
    // Until the reset is done, the old password and the session keep working.
    assert_eq!(phone.get_text("/account").await.0, 200);
    assert_eq!(browser(&app).login(MEMBER.0, MEMBER.1).await.0, 303);

    let laptop = browser(&app);
    let (s, html) = laptop.get_text(&path).await;
    assert_eq!(s, 200, "{html}");
    assert!(html.contains(MEMBER.0), "the page names the account");
    // The same password policy as everywhere: too short, and two that differ.
    let (s, html, _) = laptop
        .post_text(&path, &[("password", "kort"), ("password_again", "kort")])
        .await;
    assert_eq!(s, 422);
    assert!(html.contains("aria-invalid=\"true\""), "{html}");
    let (s, _, _) = laptop
        .post_text(
            &path,
            &[
                ("password", NEW_PASSWORD),
                ("password_again", "iets anders"),
            ],
        )
        .await;
    assert_eq!(s, 422);
    let (s, _, _) = laptop
        .post_text(
            &path,
            &[
                ("password", "lid@herstel.nl 2027"),
                ("password_again", "lid@herstel.nl 2027"),
            ],
        )
        .await;
    assert_eq!(s, 422, "a password with the address in it is refused");
    // Refused attempts changed nothing.
    assert_eq!(phone.get_text("/account").await.0, 200);

    let (s, _, loc) = laptop
        .post_text(
            &path,
            &[("password", NEW_PASSWORD), ("password_again", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(s, 303);
    assert_eq!(loc.unwrap(), "/inloggen?melding=password-reset");
    let (_, login) = laptop.get_text("/inloggen?melding=password-reset").await;
    assert!(login.contains("Je nieuwe wachtwoord is opgeslagen"));
    // Every session of the account has ended; only the new password works.
    assert_eq!(phone.get_text("/account").await.0, 303);
    assert_eq!(
        browser(&app).login(MEMBER.0, MEMBER.1).await.0,
        422,
        "the old password"
    );
    assert_eq!(browser(&app).login(MEMBER.0, NEW_PASSWORD).await.0, 303);
    // Once only.
    let (s, html, _) = browser(&app)
        .post_text(
            &path,
            &[
                ("password", "nog een ander wachtwoord"),
                ("password_again", "nog een ander wachtwoord"),
            ],
        )
        .await;
    assert_eq!(s, 410, "{html}");
    assert_eq!(browser(&app).get_text(&path).await.0, 410);
    assert_eq!(browser(&app).login(MEMBER.0, NEW_PASSWORD).await.0, 303);

    // The organisation's audit log has both steps.
    let (_, page) = app.get_text(&format!("/organisaties/{org}")).await;
    assert!(
        page.contains("Herstellink voor wachtwoord gemaakt"),
        "{page}"
    );
    assert!(
        page.contains("Wachtwoord hersteld met een herstellink"),
        "{page}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_once_and_ends_every_session_on_sqlite() {
    reset_once(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_once_and_ends_every_session_on_postgres() {
    reset_once(Backend::Postgres).await;
}

#[tokio::test]
async fn a_reset_link_expires_after_a_day() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, member) = org_with_member(&db).await;
    let path = reset_link(&app, org, member.id.0).await;
    app.advance_clock(24 * 3600 - 1);
    assert_eq!(browser(&app).get_text(&path).await.0, 200);
    app.advance_clock(1);
    let (s, html) = browser(&app).get_text(&path).await;
    assert_eq!(s, 410);
    assert!(html.contains("verlopen"), "{html}");
    let (s, _, _) = browser(&app)
        .post_text(
            &path,
            &[("password", NEW_PASSWORD), ("password_again", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(s, 410);
    assert_eq!(browser(&app).login(MEMBER.0, MEMBER.1).await.0, 303);
    // A wrong token is unknown.
    assert_eq!(
        browser(&app)
            .get_text("/wachtwoord-herstel/geen-echte-link")
            .await
            .0,
        404
    );
    app.stop().await;
}

/// Only a beheerder of the member's own organisation, and only for an account
/// that reaches nothing beyond it.
#[tokio::test]
async fn a_reset_stays_within_the_organisation() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, member) = org_with_member(&db).await;
    let (other, _) = seed_org(
        &db.store,
        "Gemeente Elders",
        "b@elders.nl",
        "wachtwoord elders",
    )
    .await;
    let elders = browser(&app);
    assert_eq!(
        elders.login("b@elders.nl", "wachtwoord elders").await.0,
        303
    );
    // Another organisation's beheerder: not through A's page, nor through their own.
    let (s, _, _) = elders
        .post_text(
            &format!("/organisaties/{org}/leden/{}/wachtwoord-herstel", member.id),
            &[],
        )
        .await;
    assert_eq!(s, 404);
    let (s, _, _) = elders
        .post_text(
            &format!(
                "/organisaties/{}/leden/{}/wachtwoord-herstel",
                other.id, member.id
            ),
            &[],
        )
        .await;
    assert_eq!(s, 404);
    // A member (not a beheerder) of the organisation cannot either.
    let phone = browser(&app);
    assert_eq!(phone.login(MEMBER.0, MEMBER.1).await.0, 303);
    let (s, _, _) = phone
        .post_text(
            &format!("/organisaties/{org}/leden/{}/wachtwoord-herstel", member.id),
            &[],
        )
        .await;
    assert_eq!(s, 403);

    // An account that is also a member elsewhere, and a platform administrator.
    let both = add_user(&db.store, "beide@herstel.nl", "wachtwoord van beide", false).await;
    let admin = add_user(&db.store, "admin@herstel.nl", "wachtwoord van admin", true).await;
    for (user, org_id) in [(&both, org), (&both, other.id.0), (&admin, org)] {
        db.store
            .set_membership(
                koers_core::OrganisationId(org_id),
                user.id,
                Role::Lid,
                1_800_000_000,
            )
            .await
            .unwrap();
    }
    let (s, html, _) = app
        .post_text(
            &format!("/organisaties/{org}/leden/{}/wachtwoord-herstel", both.id),
            &[],
        )
        .await;
    assert_eq!(s, 422);
    assert!(
        html.contains("hoort ook bij een andere organisatie"),
        "{html}"
    );
    let (s, html, _) = app
        .post_text(
            &format!("/organisaties/{org}/leden/{}/wachtwoord-herstel", admin.id),
            &[],
        )
        .await;
    assert_eq!(s, 422);
    assert!(html.contains("platformbeheerder"), "{html}");
    app.stop().await;
}

/// Makes an invitation as the beheerder; returns the created page and the link's path.
async fn invite(app: &TestApp, org: i64, email: &str) -> (u16, String, Option<String>) {
    let (s, html, _) = app
        .post_text(
            &format!("/organisaties/{org}/uitnodigingen"),
            &[("role", "lid"), ("note", ""), ("email", email)],
        )
        .await;
    let path = extract(
        &html,
        "id=\"invite-link\" type=\"text\" readonly value=\"",
        "\"",
    )
    .map(|l| format!("/uitnodiging/{}", l.split_once("/uitnodiging/").unwrap().1));
    (s, html, path)
}

#[tokio::test]
async fn an_invitation_tied_to_an_address_is_accepted_by_that_address_only() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, _member) = org_with_member(&db).await;
    // A malformed address is refused and nothing is made.
    let (s, html, _) = invite(&app, org, "geen-adres").await;
    assert_eq!(s, 422, "{html}");
    // Tests are trusted tools, like the CLI.
    #[allow(clippy::disallowed_methods)]
    let scope = db.store.system_scope(koers_core::OrganisationId(org));
    assert!(db.store.invitations(&scope).await.unwrap().is_empty());

    let (s, html, path) = invite(&app, org, " Nieuw@Herstel.nl ").await;
    assert_eq!(s, 201);
    let path = path.unwrap();
    // The copy button is there for scripts; the field is selectable without.
    assert!(html.contains("data-koers-copy=\"invite-link\""), "{html}");
    assert!(html.contains("nieuw@herstel.nl"), "{html}");
    let (_, page) = app.get_text(&format!("/organisaties/{org}")).await;
    assert!(page.contains("<td>nieuw@herstel.nl</td>"), "{page}");

    // A newcomer with another address is told, and nothing is created.
    let newcomer = browser(&app);
    let (s, html) = newcomer.get_text(&path).await;
    assert_eq!(s, 200);
    assert!(html.contains("Deze uitnodiging is alleen voor"), "{html}");
    let fields = |email: &'static str| {
        [
            ("display_name", "Nieuw Lid"),
            ("email", email),
            ("password", "een goed lang wachtwoord"),
            ("password_again", "een goed lang wachtwoord"),
        ]
    };
    let (s, html, _) = newcomer.post_text(&path, &fields("ander@herstel.nl")).await;
    assert_eq!(s, 422);
    assert!(
        html.contains("Deze uitnodiging is voor een ander e-mailadres"),
        "{html}"
    );
    assert!(db
        .store
        .user_by_email(&Email::parse("ander@herstel.nl").unwrap())
        .await
        .unwrap()
        .is_none());
    // A logged-in account with another address cannot take it either.
    let (s, html, _) = app.post_text(&path, &[]).await;
    assert_eq!(s, 403, "{html}");
    assert!(
        html.contains("ander e-mailadres dan dat van je account"),
        "{html}"
    );
    // The invited address can.
    let (s, _, loc) = newcomer.post_text(&path, &fields("NIEUW@herstel.nl")).await;
    assert_eq!(s, 303);
    assert!(loc.unwrap().contains("melding=joined"));

    // An invitation without an address is for whoever holds the link.
    let (s, _, path) = invite(&app, org, "").await;
    assert_eq!(s, 201);
    let (s, _, _) = browser(&app)
        .post_text(&path.unwrap(), &fields("iemand@elders.nl"))
        .await;
    assert_eq!(s, 303);
    app.stop().await;
}

/// Times on pages are Dutch local time: CEST (+2) in summer, CET (+1) in winter,
/// and the zone is configurable; "UTC" never appears.
#[test]
fn times_are_shown_in_the_configured_time_zone() {
    use koers_web::i18n::{Locale, Tr};
    let tr = Tr::new(Locale::Nl);
    // 2026-07-01 10:30 UTC is 12:30 in Amsterdam (summer time).
    assert_eq!(tr.date_time(1_782_901_800), "1-7-2026 12:30");
    // 2026-01-15 23:30 UTC is already 16 January, 00:30, in Amsterdam (winter time).
    assert_eq!(tr.date_time(1_768_519_800), "16-1-2026 00:30");
    assert_eq!(tr.date(1_768_519_800), "16-1-2026");
    let en = Tr::new(Locale::En);
    assert_eq!(en.date_time(1_782_901_800), "1 Jul 2026 12:30");
    // Another zone from the config.
    let mut config = test_config();
    config.set("general.time_zone", "America/New_York").unwrap();
    let ny = Tr::new(Locale::Nl).with_time_zone(config.time_zone().unwrap());
    assert_eq!(ny.date_time(1_782_901_800), "1-7-2026 06:30");
    // A misspelt zone stops the start, naming the setting.
    config.set("general.time_zone", "Europe/Amsterdm").unwrap();
    let err = config.validate().unwrap_err().to_string();
    assert!(err.contains("general.time_zone"), "{err}");
}

/// The organisation page's audit log shows local time, not UTC.
#[tokio::test]
async fn the_audit_log_shows_local_time() {
    let db = fresh_db(Backend::Sqlite).await;
    let (app, org, _member) = org_with_member(&db).await;
    // The test clock: 2027-01-15 08:00 UTC, 09:00 in Amsterdam.
    let (s, _, _) = invite(&app, org, "").await;
    assert_eq!(s, 201);
    let (_, page) = app.get_text(&format!("/organisaties/{org}")).await;
    assert!(page.contains("15-1-2027 09:00"), "{page}");
    assert!(!page.contains("UTC"), "{page}");
    app.stop().await;
}
