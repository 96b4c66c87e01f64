//! E-mail (issue 10): with `[mail]` configured, a beheerder's invitation tied to an
//! address and a member's password-reset link go out over SMTP to a sink the test
//! starts, and the link in the mail works; with the mail server down the change is
//! still stored and the page says the mail failed and shows the link; without
//! `[mail]` nothing is sent and the link is shown as before. Mails are read back
//! with `mail-parser` (in the testkit's sink), not with the code that wrote them.

use crate::common::*;
use koers_core::{DisplayName, Email, Role};

const BEHEERDER: (&str, &str) = ("b@post.nl", "wachtwoord beheerder");
const MEMBER: (&str, &str) = ("lid@post.nl", "oud wachtwoord van het lid");
const NEW_PASSWORD: &str = "nieuw lang wachtwoord voor het lid";
const NEWCOMER: &str = "nieuw@post.nl";

async fn add_user(store: &koers_store::Store, email: &str, password: &str, admin: bool) -> i64 {
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
        .id
        .0
}

/// An installed Koers with an organisation, its beheerder and a member; the
/// server started with `config`, the beheerder logged in. Returns (app, org, member).
async fn setup(db: &TestDb, config: koers_web::config::Config) -> (TestApp, i64, i64) {
    let (org, _) = seed_org(&db.store, "Gemeente Post", BEHEERDER.0, BEHEERDER.1).await;
    let member = add_user(&db.store, MEMBER.0, MEMBER.1, false).await;
    db.store
        .set_membership(org.id, koers_core::UserId(member), Role::Lid, 1_800_000_000)
        .await
        .unwrap();
    add_user(
        &db.store,
        "platform@post.nl",
        "wachtwoord van het platform",
        true,
    )
    .await;
    let app = TestApp::start(db.store.clone(), config, vec![]).await;
    assert_eq!(app.login(BEHEERDER.0, BEHEERDER.1).await.0, 303);
    (app, org.id.0, member)
}

async fn invite(app: &TestApp, org: i64, email: &str) -> (u16, String) {
    let (s, html, _) = app
        .post_text(
            &format!("/organisaties/{org}/uitnodigingen"),
            &[("role", "lid"), ("note", ""), ("email", email)],
        )
        .await;
    (s, html)
}

async fn reset(app: &TestApp, org: i64, member: i64) -> (u16, String) {
    let (s, html, _) = app
        .post_text(
            &format!("/organisaties/{org}/leden/{member}/wachtwoord-herstel"),
            &[],
        )
        .await;
    (s, html)
}

/// The link shown on a created page, as a path.
fn shown_link(html: &str, id: &str) -> Option<String> {
    extract(
        html,
        &format!("id=\"{id}\" type=\"text\" readonly value=\""),
        "\"",
    )
    .map(|l| path_of(&l))
}

/// `http://host:port/path` → `/path`.
fn path_of(link: &str) -> String {
    let rest = link.split_once("://").unwrap().1;
    format!("/{}", rest.split_once('/').unwrap().1)
}

fn join_fields(email: &'static str) -> [(&'static str, &'static str); 4] {
    [
        ("display_name", "Nieuw Lid"),
        ("email", email),
        ("password", "een goed lang wachtwoord"),
        ("password_again", "een goed lang wachtwoord"),
    ]
}

async fn invitation_count(db: &TestDb, org: i64) -> usize {
    // Tests are trusted tools, like the CLI.
    #[allow(clippy::disallowed_methods)]
    let scope = db.store.system_scope(koers_core::OrganisationId(org));
    db.store.invitations(&scope).await.unwrap().len()
}

async fn mailed_invitation_and_reset(backend: Backend) {
    let db = fresh_db(backend).await;
    let (addr, sink) = SmtpSink::start().await;
    let (app, org, member) = setup(&db, with_mail(test_config(), addr)).await;
    assert!(app.state.mailer().is_some());

    // The invitation goes to the address it is tied to, and the page says so.
    let (s, html) = invite(&app, org, " Nieuw@Post.nl ").await;
    assert_eq!(s, 201, "{html}");
    assert!(
        html.contains("Verstuurd per e-mail naar nieuw@post.nl"),
        "{html}"
    );
    assert!(
        shown_link(&html, "invite-link").is_none(),
        "a mailed link is not shown"
    );
    let mails = sink.messages();
    assert_eq!(mails.len(), 1);
    let m = &mails[0];
    assert_eq!(m.envelope_to, vec![NEWCOMER.to_owned()]);
    assert_eq!(m.to, vec![NEWCOMER.to_owned()]);
    assert_eq!(m.envelope_from, "koers@koers.test");
    assert_eq!(m.from, "koers@koers.test");
    assert_eq!(
        m.subject,
        "Uitnodiging voor Gemeente Post in Koers / Invitation to Gemeente Post in Koers"
    );
    assert!(m.message_id.as_deref().unwrap().ends_with("@koers.test"));
    assert!(m.has_date);
    assert_eq!(m.content_type, "text/plain");
    assert_eq!(m.html_parts, 0);
    // Dutch first, then English, each with its own role name.
    let nl = m.text.find("nodigt je uit voor Gemeente Post").unwrap();
    let en = m.text.find("invites you to Gemeente Post").unwrap();
    assert!(nl < en, "{}", m.text);
    assert!(m.text.contains("met de rol Lid"), "{}", m.text);
    assert!(m.text.contains("with the role Member"), "{}", m.text);
    assert!(!m.raw.windows(5).any(|w| w == b"<img "), "no tracking");
    // The link in the mail works, for that address.
    let link = m.first_link().unwrap();
    assert!(link.starts_with(&app.base), "{link}");
    let newcomer = TestApp::attach(&app);
    let path = path_of(&link);
    assert_eq!(newcomer.get_text(&path).await.0, 200);
    let (s, _, loc) = newcomer.post_text(&path, &join_fields(NEWCOMER)).await;
    assert_eq!(s, 303);
    assert!(loc.unwrap().contains("melding=joined"));

    // An invitation for whoever holds the link is not mailed: the link is shown.
    let (s, html) = invite(&app, org, "").await;
    assert_eq!(s, 201);
    assert!(shown_link(&html, "invite-link").is_some(), "{html}");
    assert!(!html.contains("Verstuurd per e-mail"));
    assert_eq!(sink.messages().len(), 1);

    // The reset link goes to the member, not to the beheerder's screen.
    let (s, html) = reset(&app, org, member).await;
    assert_eq!(s, 201, "{html}");
    assert!(
        html.contains("Verstuurd per e-mail naar lid@post.nl"),
        "{html}"
    );
    assert!(shown_link(&html, "reset-link").is_none(), "{html}");
    let mails = sink.messages_to(MEMBER.0);
    assert_eq!(mails.len(), 1);
    let m = &mails[0];
    assert_eq!(
        m.subject,
        "Nieuw wachtwoord kiezen voor Koers / Choose a new password for Koers"
    );
    assert!(m
        .text
        .contains("Koers-account lid@post.nl bij Gemeente Post"));
    assert!(m
        .text
        .contains("Koers account lid@post.nl at Gemeente Post"));
    let path = path_of(&m.first_link().unwrap());
    let laptop = TestApp::attach(&app);
    let (s, page) = laptop.get_text(&path).await;
    assert_eq!(s, 200, "{page}");
    let (s, _, _) = laptop
        .post_text(
            &path,
            &[("password", NEW_PASSWORD), ("password_again", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(s, 303);
    assert_eq!(
        TestApp::attach(&app).login(MEMBER.0, NEW_PASSWORD).await.0,
        303
    );
    assert_eq!(TestApp::attach(&app).login(MEMBER.0, MEMBER.1).await.0, 422);
    app.stop().await;
}

#[tokio::test]
async fn an_invitation_and_a_reset_are_mailed_and_their_links_work_on_sqlite() {
    mailed_invitation_and_reset(Backend::Sqlite).await;
}

#[tokio::test]
async fn an_invitation_and_a_reset_are_mailed_and_their_links_work_on_postgres() {
    mailed_invitation_and_reset(Backend::Postgres).await;
}

/// With the mail server down (or refusing), the invitation and the reset are
/// stored all the same; the page says the mail failed and shows the link, which works.
async fn mail_server_failing(backend: Backend, mode: Option<SinkMode>) {
    let db = fresh_db(backend).await;
    let (addr, _sink) = match mode {
        Some(mode) => {
            let (addr, sink) = SmtpSink::start_with(mode).await;
            (addr, Some(sink))
        }
        None => (dead_smtp_addr().await, None),
    };
    let (app, org, member) = setup(&db, with_mail(test_config(), addr)).await;

    let (s, html) = invite(&app, org, NEWCOMER).await;
    assert_eq!(s, 201, "{html}");
    assert!(
        html.contains("De e-mail kon niet worden verstuurd; kopieer de link"),
        "{html}"
    );
    assert!(!html.contains("Verstuurd per e-mail"));
    assert_eq!(
        invitation_count(&db, org).await,
        1,
        "the invitation is stored"
    );
    let path = shown_link(&html, "invite-link").expect("the link to copy");
    let (s, _, loc) = TestApp::attach(&app)
        .post_text(&path, &join_fields(NEWCOMER))
        .await;
    assert_eq!(s, 303);
    assert!(loc.unwrap().contains("melding=joined"));

    let (s, html) = reset(&app, org, member).await;
    assert_eq!(s, 201, "{html}");
    assert!(
        html.contains("De e-mail kon niet worden verstuurd"),
        "{html}"
    );
    let path = shown_link(&html, "reset-link").expect("the link to copy");
    let (s, _, _) = TestApp::attach(&app)
        .post_text(
            &path,
            &[("password", NEW_PASSWORD), ("password_again", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(s, 303, "the reset stored despite the failed mail works");
    assert_eq!(
        TestApp::attach(&app).login(MEMBER.0, NEW_PASSWORD).await.0,
        303
    );
    // The organisation's audit log has both.
    let (_, page) = app.get_text(&format!("/organisaties/{org}")).await;
    assert!(
        page.contains("Herstellink voor wachtwoord gemaakt"),
        "{page}"
    );
    app.stop().await;
}

#[tokio::test]
async fn with_the_mail_server_down_the_change_stands_and_the_page_says_so_on_sqlite() {
    mail_server_failing(Backend::Sqlite, None).await;
}

#[tokio::test]
async fn with_the_mail_server_down_the_change_stands_and_the_page_says_so_on_postgres() {
    mail_server_failing(Backend::Postgres, None).await;
}

#[tokio::test]
async fn a_mail_server_refusing_the_recipient_is_a_failed_mail() {
    mail_server_failing(Backend::Sqlite, Some(SinkMode::RefuseRecipients)).await;
}

#[tokio::test]
async fn without_mail_settings_nothing_is_sent_and_links_are_shown() {
    let db = fresh_db(Backend::Sqlite).await;
    // A sink runs, but the configuration does not name it.
    let (_, sink) = SmtpSink::start().await;
    let (app, org, member) = setup(&db, test_config()).await;
    assert!(app.state.mailer().is_none());
    let (s, html) = invite(&app, org, NEWCOMER).await;
    assert_eq!(s, 201);
    assert!(shown_link(&html, "invite-link").is_some(), "{html}");
    assert!(!html.contains("e-mail kon niet"));
    assert!(!html.contains("Verstuurd per e-mail"));
    let (s, html) = reset(&app, org, member).await;
    assert_eq!(s, 201);
    assert!(shown_link(&html, "reset-link").is_some(), "{html}");
    assert!(sink.messages().is_empty());
    app.stop().await;
}

#[tokio::test]
async fn an_english_speaking_beheerder_sends_the_same_mail_dutch_first() {
    let db = fresh_db(Backend::Sqlite).await;
    let (addr, sink) = SmtpSink::start().await;
    let (app, org, _) = setup(&db, with_mail(test_config(), addr)).await;
    assert_eq!(app.get("/taal/en?terug=/").await.status().as_u16(), 303);
    let (s, html) = invite(&app, org, NEWCOMER).await;
    assert_eq!(s, 201);
    assert!(html.contains("Sent by e-mail to nieuw@post.nl"), "{html}");
    let m = &sink.messages()[0];
    assert!(m.subject.starts_with("Uitnodiging voor"));
    let nl = m.text.find("Neem de uitnodiging aan").unwrap();
    let en = m.text.find("Accept the invitation").unwrap();
    assert!(nl < en);
    app.stop().await;
}

#[tokio::test]
async fn the_mailer_sends_utf8_and_logs_in_when_asked() {
    use koers_web::mail::{Mail, Mailer};
    let (addr, sink) = SmtpSink::start().await;
    let mut config = with_mail(test_config(), addr);
    config.mail.user = "koers".into();
    config.mail.password = "geheim".into();
    config.validate().unwrap();
    let mailer = Mailer::from_config(&config.mail).unwrap().unwrap();
    mailer
        .send(Mail {
            to: Email::parse("lid@post.nl").unwrap(),
            subject: "Überprüfung — café ☕".into(),
            text: "Regel één\n.begint met een punt\nHéél veel tekst ✓\n".into(),
        })
        .await
        .unwrap();
    let m = &sink.messages()[0];
    assert_eq!(m.auth_user.as_deref(), Some("koers"));
    assert_eq!(m.subject, "Überprüfung — café ☕");
    assert!(m.text.contains("Regel één"), "{}", m.text);
    assert!(m.text.contains("\n.begint met een punt"), "{}", m.text);
    assert!(m.text.contains("Héél veel tekst ✓"), "{}", m.text);
}

#[test]
fn mail_settings_come_from_the_file_and_the_environment() {
    use koers_web::config::Config;
    let c = Config::from_toml(
        "koers.toml",
        "[mail]\nsmtp_url = \"smtp://mail.post.nl:587?tls=opportunistic\"\nfrom = \"Koers <koers@post.nl>\"\nuser = \"koers\"\npassword = \"geheim\"\n",
    )
    .unwrap();
    assert_eq!(c.mail.smtp_url, "smtp://mail.post.nl:587?tls=opportunistic");
    assert!(
        !format!("{c:?}").contains("geheim"),
        "the password stays out of logs"
    );
    // A password over a connection that may stay unencrypted is refused.
    let err = c.validate().unwrap_err().to_string();
    assert!(err.contains("mail.smtp_url"), "{err}");
    let err = Config::from_toml("koers.toml", "[mail]\nsmtp_uri = \"smtp://x.nl\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("smtp_uri"), "{err}");

    let mut c = Config::default();
    c.apply_env([
        (
            "KOERS_MAIL__SMTP_URL".to_owned(),
            "smtp://127.0.0.1:2525".to_owned(),
        ),
        ("KOERS_MAIL__FROM".to_owned(), "koers@post.nl".to_owned()),
        ("KOERS_MAIL__TIMEOUT_SECS".to_owned(), "3".to_owned()),
    ])
    .unwrap();
    c.validate().unwrap();
    assert_eq!(c.mail.timeout_secs, 3);
    // A sender that is no address stops the start, naming the setting.
    c.set("mail.from", "Koers").unwrap();
    let err = c.validate().unwrap_err().to_string();
    assert!(err.contains("mail.from"), "{err}");
    c.set("mail.from", "koers@post.nl").unwrap();
    c.set("mail.smtp_url", "smtp://127.0.0.1:2525?tls=sometimes")
        .unwrap();
    let err = c.validate().unwrap_err().to_string();
    assert!(err.contains("mail.smtp_url"), "{err}");
    // The documented example parses and validates (mail off by default).
    let example = Config::from_toml("example", koers_web::config::DEFAULT_CONFIG_TOML).unwrap();
    example.validate().unwrap();
    assert!(example.mail.smtp_url.is_empty());
}

#[tokio::test]
async fn koers_names_itself_after_its_public_address_in_ehlo() {
    use koers_web::mail::{Mail, MailOutcome};
    let db = fresh_db(Backend::Sqlite).await;
    let (addr, sink) = SmtpSink::start().await;
    let mut config = with_mail(test_config(), addr);
    config.server.public_url = "https://koers.gemeente.test".into();
    let app = TestApp::start(db.store.clone(), config, vec![]).await;
    let mail = Mail {
        to: Email::parse("lid@post.nl").unwrap(),
        subject: "Test".into(),
        text: "Hallo\n".into(),
    };
    assert_eq!(app.state.send_mail(mail).await, MailOutcome::Sent);
    assert_eq!(sink.messages()[0].hello, "koers.gemeente.test");
    app.stop().await;
}
