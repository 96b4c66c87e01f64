//! Waves, invitations, the answer form and the import, over real HTTP on port 0
//! (`koers-testkit`), on SQLite and PostgreSQL where the store matters.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

use koers_core::scan::{field_name, grid_field_name, GridColumn, Model, QuestionKind};
use koers_store::{Store, WaveId};
use koers_testkit::{extract, fresh_db, seed_org, test_config, Backend, TestApp, TestDb};
use koers_web::config::Config;
use std::path::PathBuf;
use std::sync::Arc;

const PASSWORD: &str = "een-lang-genoeg-wachtwoord";
const MODEL_SRC: &str = include_str!("../data/test-model.toml");

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

struct World {
    app: TestApp,
    db: TestDb,
    org: i64,
    _models: tempfile::TempDir,
    models_dir: PathBuf,
}

fn config_with(models_dir: &std::path::Path) -> Config {
    let mut c = test_config();
    c.scan.models_dir = models_dir.to_path_buf();
    c
}

async fn world(backend: Backend) -> World {
    let db = fresh_db(backend).await;
    let models = tempfile::tempdir().unwrap();
    std::fs::write(models.path().join("test-model.toml"), MODEL_SRC).unwrap();
    let (org, _) = seed_org(&db.store, "Gemeente Golf", "beheer@golf.example", PASSWORD).await;
    let app = TestApp::start(
        db.store.clone(),
        config_with(models.path()),
        vec![Arc::new(koers_scan::Scan)],
    )
    .await;
    let (status, _, _) = app.login("beheer@golf.example", PASSWORD).await;
    assert_eq!(status, 303);
    World {
        app,
        db,
        org: org.id.0,
        models_dir: models.path().to_path_buf(),
        _models: models,
    }
}

/// Makes a wave through the form and returns its id.
async fn new_wave(w: &World, anonymous: bool) -> i64 {
    let (status, body, location) = w
        .app
        .post_text(
            &format!("/organisaties/{}/scans/nieuw", w.org),
            &[
                ("title", "Nulmeting"),
                ("model", "testmodel@1.0.0"),
                ("perspectives", "Leiding; zelf\nMedewerkers; 2"),
                ("anonymous", if anonymous { "ja" } else { "nee" }),
                ("previous", ""),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let location = location.unwrap();
    let id = extract(&location, "/scans/", "?").unwrap();
    id.parse().unwrap()
}

async fn open(w: &World, wave: i64) {
    let (status, _, _) = w
        .app
        .post_text(&format!("/organisaties/{}/scans/{wave}/openen", w.org), &[])
        .await;
    assert_eq!(status, 303);
}

/// Invites and returns the personal links' paths, in order.
async fn invite(w: &World, wave: i64, lines: &str) -> Vec<String> {
    let (status, body, _) = w
        .app
        .post_text(
            &format!("/organisaties/{}/scans/{wave}/uitnodigingen", w.org),
            &[("invitees", lines)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    links_in(&body)
}

fn links_in(body: &str) -> Vec<String> {
    body.split("value=\"http://")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter_map(|s| s.find("/scan/").map(|i| s[i..].to_owned()))
        .collect()
}

fn model() -> Model {
    Model::parse("test-model.toml", MODEL_SRC).unwrap()
}

/// Valid answers for one page's questions, as form fields.
fn answers_for(model: &Model, dimension: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for q in model.questions_of(dimension) {
        match &q.kind {
            QuestionKind::Checklist { options } => {
                out.push((field_name(q, Some(&options[0].id)), "1".into()))
            }
            QuestionKind::Grid { rows } => out.push((
                grid_field_name(q, &rows[0].id, GridColumn::Implemented),
                "1".into(),
            )),
            QuestionKind::Adoption { rows } => {
                for r in rows {
                    out.push((field_name(q, Some(&r.id)), "3".into()));
                }
            }
            QuestionKind::Tristate { rows } => {
                for r in rows {
                    out.push((field_name(q, Some(&r.id)), "deels".into()));
                }
            }
            QuestionKind::SingleChoice { options } => {
                out.push((field_name(q, None), options[1].id.clone()))
            }
            QuestionKind::Likert { scale, .. } => {
                out.push((field_name(q, None), scale.points[3].id.clone()))
            }
            QuestionKind::GatedLevel { levels } => {
                out.push((field_name(q, Some(&levels[0].criteria[0].id)), "1".into()))
            }
            QuestionKind::Text => out.push((field_name(q, None), "geheim-antwoord-42".into())),
        }
    }
    out
}

async fn post_step(
    app: &TestApp,
    path: &str,
    step: usize,
    action: &str,
    fields: &[(String, String)],
) -> (u16, String, Option<String>) {
    let step = step.to_string();
    let mut all: Vec<(&str, &str)> = vec![("stap", step.as_str()), ("actie", action)];
    all.extend(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    app.post_text(path, &all).await
}

/// Answers the whole form at `path` and sends it.
async fn answer_all(app: &TestApp, path: &str) -> (u16, String) {
    let m = model();
    let dims: Vec<String> = m.dimensions.iter().map(|d| d.id.clone()).collect();
    for (i, d) in dims.iter().enumerate() {
        let last = i + 1 == dims.len();
        let (status, body, location) = post_step(
            app,
            path,
            i + 1,
            if last { "versturen" } else { "volgende" },
            &answers_for(&m, d),
        )
        .await;
        if last || (status == 200 && body.contains("Bedankt")) {
            return (status, body);
        }
        assert_eq!(status, 303, "{body}");
        assert!(location.unwrap().ends_with(&format!("?stap={}", i + 2)));
    }
    unreachable!()
}

async fn count(store: &Store, sql: &str, wave: i64) -> i64 {
    match store.backend() {
        koers_store::Backend::Sqlite(p) => sqlx::query_scalar(sql)
            .bind(wave)
            .fetch_one(p)
            .await
            .unwrap(),
        koers_store::Backend::Postgres(p) => sqlx::query_scalar(sql)
            .bind(wave)
            .fetch_one(p)
            .await
            .unwrap(),
    }
}

async fn responses(store: &Store, wave: i64) -> i64 {
    count(
        store,
        "SELECT COUNT(*) FROM scan_responses WHERE wave_id = $1",
        wave,
    )
    .await
}

async fn respondent_journey(backend: Backend) {
    let w = world(backend).await;
    let wave = new_wave(&w, true).await;
    let (status, page) = w
        .app
        .get_text(&format!("/organisaties/{}/scans/{wave}", w.org))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("In voorbereiding"), "{page}");

    let links = invite(
        &w,
        wave,
        "Leiding; Anna de Vries\nMedewerkers; bob@golf.example\nmedewerkers; Cor",
    )
    .await;
    assert_eq!(links.len(), 3);

    // Not open yet: a friendly page, no form, no login link.
    let mut r = TestApp::attach(&w.app);
    r.fresh_browser();
    let (status, body) = r.get_text(&links[0]).await;
    assert_eq!(status, 200);
    assert!(body.contains("Nog niet open"), "{body}");
    assert!(!body.contains("href=\"/inloggen"));

    open(&w, wave).await;
    let (status, body) = r.get_text(&links[0]).await;
    assert_eq!(status, 200);
    assert!(body.contains("Stap 1 van 2"), "{body}");
    // Anonymous: the first page says what is stored and what is not.
    assert!(body.contains("Deze vragenlijst is anoniem"));
    // Leiding rates itself: the self wording.
    assert!(body.contains("Onze organisatie heeft een duidelijke digitale visie."));
    assert!(!body.contains("href=\"/inloggen"));

    // Save and resume.
    let m = model();
    let page1 = answers_for(&m, "strategie");
    let (status, body, _) = post_step(&r, &links[0], 1, "opslaan", &page1).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Opgeslagen"));
    let resume = extract(
        &body,
        "id=\"resume-link\" type=\"text\" readonly value=\"",
        "\"",
    )
    .expect("the resume link is shown");
    assert!(
        resume.ends_with(&format!("{}?stap=1", links[0])),
        "{resume}"
    );
    let mut later = TestApp::attach(&w.app);
    later.fresh_browser();
    let path = &resume[resume.find("/scan/").unwrap()..];
    let (status, body) = later.get_text(path).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("value=\"4\" checked"),
        "the saved likert answer is back: {body}"
    );
    // Without a step in the link: the first page with nothing answered yet.
    let (_, body) = later.get_text(&links[0]).await;
    assert!(body.contains("Stap 2 van 2"), "{body}");

    // The others' wording for a perspective that rates someone else.
    let mut bob = TestApp::attach(&w.app);
    bob.fresh_browser();
    let (_, body) = bob.get_text(&links[1]).await;
    assert!(body.contains("Deze leider heeft een duidelijke digitale visie."));

    // A required question left empty stops "Volgende", with the error summary.
    let (status, body, _) = post_step(&later, &links[0], 1, "volgende", &[]).await;
    assert_eq!(status, 422);
    assert!(body.contains("Beantwoord deze vraag."));

    // Answer everything and send, twice: the same thanks page, one response.
    let (status, body) = answer_all(&later, &links[0]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Bedankt"));
    let (status, body) = answer_all(&later, &links[0]).await;
    assert_eq!(status, 200);
    assert!(body.contains("Bedankt"));
    let (status, body) = later.get_text(&links[0]).await;
    assert_eq!(status, 200);
    assert!(body.contains("Bedankt"));
    assert_eq!(responses(&w.db.store, wave).await, 1);

    // Anonymous: the response carries no invitation, the draft is gone.
    assert_eq!(
        count(
            &w.db.store,
            "SELECT COUNT(*) FROM scan_responses WHERE wave_id = $1 AND invitation_id IS NOT NULL",
            wave
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &w.db.store,
            "SELECT COUNT(*) FROM scan_drafts WHERE wave_id = $1",
            wave
        )
        .await,
        0
    );

    // A tampered token: the friendly page.
    let mut tampered = links[1].clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    for path in [
        tampered.as_str(),
        "/scan/x",
        "/scan/open/niets",
        "/scan/open/niets/ook",
    ] {
        let (status, body) = r.get_text(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(body.contains("Deze link werkt niet"), "{path}: {body}");
        assert!(!body.contains("href=\"/inloggen"));
    }

    // Progress never shows a count per perspective below the threshold.
    let (_, page) = w
        .app
        .get_text(&format!("/organisaties/{}/scans/{wave}", w.org))
        .await;
    assert!(page.contains("nog te weinig antwoorden"));
    // Nor a total with that perspective in it (total minus the visible groups
    // would give its size).
    assert!(
        page.contains("Er zijn 0 antwoorden binnen in de perspectieven met genoeg antwoorden."),
        "{page}"
    );

    // Reminders: only those who have not answered, never answers.
    let (status, page, _) = w
        .app
        .post_text(
            &format!("/organisaties/{}/scans/{wave}/herinneringen", w.org),
            &[],
        )
        .await;
    assert_eq!(status, 200, "{page}");
    let pending = extract(&page, "id=\"herinneren\"", "</section>").unwrap();
    assert!(pending.contains("bob@golf.example"));
    assert!(pending.contains("Cor"));
    assert!(!pending.contains("Anna de Vries"));
    assert!(!page.contains("geheim-antwoord-42"));
    assert!(page.contains("E-mail is op deze Koers niet ingesteld"));
    let renewed = links_in(&page);
    assert_eq!(renewed.len(), 2, "a new link for each non-respondent");
    // The old link of a reminded invitee no longer works; the new one does.
    assert_eq!(bob.get_text(&links[1]).await.0, 404);
    assert_eq!(bob.get_text(&renewed[0]).await.0, 200);

    // Closed: a friendly page.
    let scope = w.db.store.system_scope(koers_core::OrganisationId(w.org));
    let wv = w.db.store.scan().wave(&scope, WaveId(wave)).await.unwrap();
    assert!(w.db.store.scan().close_wave(wv.scope, 1).await.unwrap());
    let (status, body) = bob.get_text(&renewed[0]).await;
    assert_eq!(status, 410);
    assert!(body.contains("Gesloten"));
    let (status, body, _) = post_step(&bob, &renewed[0], 2, "versturen", &[]).await;
    assert_eq!(status, 410, "{body}");
    // The respondent who answered still gets the thanks page.
    assert_eq!(later.get_text(&links[0]).await.0, 200);
    assert_eq!(responses(&w.db.store, wave).await, 1);
    w.app.stop().await;
}

#[tokio::test]
async fn a_respondent_answers_with_save_and_resume_on_sqlite() {
    respondent_journey(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_respondent_answers_with_save_and_resume_on_postgres() {
    respondent_journey(Backend::Postgres).await;
}

#[tokio::test]
async fn a_named_wave_links_the_response_and_the_open_link_works() {
    let w = world(Backend::Sqlite).await;
    let wave = new_wave(&w, false).await;
    open(&w, wave).await;
    let links = invite(&w, wave, "Leiding; Anna").await;
    let mut r = TestApp::attach(&w.app);
    r.fresh_browser();
    let (status, _) = answer_all(&r, &links[0]).await;
    assert_eq!(status, 200);
    assert_eq!(
        count(
            &w.db.store,
            "SELECT COUNT(*) FROM scan_responses WHERE wave_id = $1 AND invitation_id IS NOT NULL",
            wave
        )
        .await,
        1
    );

    // The open link: choose a perspective, get a resume key, answer once.
    let (status, page, _) = w
        .app
        .post_text(
            &format!("/organisaties/{}/scans/{wave}/open-link", w.org),
            &[("action", "maken")],
        )
        .await;
    assert_eq!(status, 200);
    let open_path = extract(
        &page,
        "id=\"open-link-url\" type=\"text\" readonly value=\"",
        "\"",
    )
    .map(|u| u[u.find("/scan/open/").unwrap()..].to_owned())
    .expect("the open link is shown once");
    let mut o = TestApp::attach(&w.app);
    o.fresh_browser();
    let (status, body) = o.get_text(&open_path).await;
    assert_eq!(status, 200);
    assert!(body.contains("Voor welke groep antwoordt u?"));
    let (status, _, _) = o.post_text(&open_path, &[("perspective", "999999")]).await;
    assert_eq!(status, 422);
    let pid = extract(&body, "name=\"perspective\" value=\"", "\"").unwrap();
    let (status, _, location) = o.post_text(&open_path, &[("perspective", &pid)]).await;
    assert_eq!(status, 303);
    let keyed = location.unwrap();
    let (status, body) = answer_all(&o, &keyed).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = answer_all(&o, &keyed).await;
    assert_eq!(status, 200);
    assert!(body.contains("Bedankt"));
    assert_eq!(responses(&w.db.store, wave).await, 2);
    // Open-link responses never name an invitation.
    assert_eq!(
        count(
            &w.db.store,
            "SELECT COUNT(*) FROM scan_responses WHERE wave_id = $1 AND invitation_id IS NULL",
            wave
        )
        .await,
        1
    );

    // Revoked: the friendly page.
    let (status, _, _) = w
        .app
        .post_text(
            &format!("/organisaties/{}/scans/{wave}/open-link", w.org),
            &[("action", "intrekken")],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(o.get_text(&open_path).await.0, 404);
    w.app.stop().await;
}

#[tokio::test]
async fn the_new_wave_form_lists_every_problem() {
    let w = world(Backend::Sqlite).await;
    let (status, body, _) = w
        .app
        .post_text(
            &format!("/organisaties/{}/scans/nieuw", w.org),
            &[
                ("title", ""),
                ("model", "bestaat-niet@1"),
                ("perspectives", "A\na"),
                ("anonymous", "misschien"),
                ("previous", "12345"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    for text in [
        "Geef de golf een naam",
        "Kies een model.",
        "Twee perspectieven hebben dezelfde naam.",
        "Kies of de golf anoniem is.",
        "Kies een golf van deze organisatie",
    ] {
        assert!(body.contains(text), "{text}");
    }
    let scope = w.db.store.system_scope(koers_core::OrganisationId(w.org));
    assert!(w.db.store.scan().waves(&scope).await.unwrap().is_empty());
    // Bad invitation lines: every one listed, nothing made.
    let wave = new_wave(&w, true).await;
    let (status, body, _) = w
        .app
        .post_text(
            &format!("/organisaties/{}/scans/{wave}/uitnodigingen", w.org),
            &[(
                "invitees",
                "Leiding; Anna\ngeen puntkomma\nBestuur; Piet\nMedewerkers; x@",
            )],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("Regel 2"));
    assert!(body.contains("Regel 3"));
    assert!(body.contains("Regel 4"));
    assert_eq!(
        count(
            &w.db.store,
            "SELECT COUNT(*) FROM scan_invitations WHERE wave_id = $1",
            wave
        )
        .await,
        0
    );
    w.app.stop().await;
}

/// Uploads a file to the import and returns the mapping page.
async fn upload(w: &World, wave: i64, name: &str, bytes: Vec<u8>) -> (u16, String) {
    let csrf = w.app.csrf().await;
    let form = reqwest::multipart::Form::new().text("csrf", csrf).part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
    );
    let r = w
        .app
        .client
        .post(
            w.app
                .url(&format!("/organisaties/{}/scans/{wave}/import", w.org)),
        )
        .multipart(form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// The mapping as the page pre-filled it, as form fields.
fn prefilled(page: &str) -> Vec<(String, String)> {
    let mut out = vec![(
        "upload".to_owned(),
        extract(page, "name=\"upload\" value=\"", "\"").unwrap(),
    )];
    for part in page
        .split("<select class=\"koers-select scan-map\" id=\"")
        .skip(1)
    {
        let name = part.split('"').next().unwrap().to_owned();
        let select = part.split("</select>").next().unwrap();
        let value = select
            .split("<option value=\"")
            .skip(1)
            .find(|o| o.contains("\" selected"))
            .and_then(|o| o.split('"').next())
            .unwrap_or("")
            .to_owned();
        out.push((name, value));
    }
    out
}

async fn import(w: &World, wave: i64, fields: &[(String, String)]) -> (u16, String) {
    let f: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (s, b, _) = w
        .app
        .post_text(&format!("/organisaties/{}/scans/{wave}/import", w.org), &f)
        .await;
    (s, b)
}

async fn import_flow(backend: Backend) {
    let w = world(backend).await;
    let wave = new_wave(&w, true).await;
    open(&w, wave).await;

    // Bad rows: every one listed with its line, nothing stored.
    let bad = std::fs::read(data("import-bad.csv")).unwrap();
    let (status, page) = upload(&w, wave, "import-bad.csv", bad).await;
    assert_eq!(status, 200, "{page}");
    let (status, report) = import(&w, wave, &prefilled(&page)).await;
    assert_eq!(status, 422, "{report}");
    assert!(report.contains("3 regels kloppen niet"), "{report}");
    for line in [
        "<td class=\"koers-num\">3</td>",
        "<td class=\"koers-num\">4</td>",
        "<td class=\"koers-num\">6</td>",
    ] {
        assert!(report.contains(line), "{line}: {report}");
    }
    assert!(!report.contains("<td class=\"koers-num\">2</td>"));
    assert!(!report.contains("<td class=\"koers-num\">5</td>"));
    assert!(report.contains("Onbekenden&#34; bestaat niet"), "{report}");
    assert_eq!(responses(&w.db.store, wave).await, 0);

    // Each tool's shape maps and imports whole.
    let mut total = 0;
    for (file, rows, map_by_hand) in [
        ("limesurvey.csv", 3, false),
        ("microsoft-forms.xlsx", 2, true),
        ("qualtrics.csv", 2, true),
    ] {
        let bytes = std::fs::read(data(file)).unwrap();
        let (status, page) = upload(&w, wave, file, bytes).await;
        assert_eq!(status, 200, "{file}: {page}");
        let mut fields = prefilled(&page);
        if map_by_hand {
            // Headers are question texts: the beheerder picks the fields.
            fields = hand_mapping(file, &page);
        }
        let (status, done) = import(&w, wave, &fields).await;
        assert_eq!(status, 200, "{file}: {done}");
        total += rows;
        assert_eq!(responses(&w.db.store, wave).await, total, "{file}");
    }
    w.app.stop().await;
}

/// The mapping a beheerder would choose for the text-headed exports.
fn hand_mapping(file: &str, page: &str) -> Vec<(String, String)> {
    let upload = extract(page, "name=\"upload\" value=\"", "\"").unwrap();
    let targets: &[&str] = match file {
        // Microsoft Forms: Id, Start time, Completion time, Email, Name, then the
        // questions in order.
        "microsoft-forms.xlsx" => &[
            "",
            "",
            "",
            "",
            "",
            "@perspectief",
            "visie",
            "budget:meerjarig",
            "rol",
        ],
        // Qualtrics: two header rows are not supported; the export is the
        // "numeric values, one header row" shape: ResponseId, Q1 (group), Q2…
        "qualtrics.csv" => &[
            "",
            "@perspectief",
            "visie",
            "technologie:cloud",
            "groen:hergebruik",
        ],
        _ => &[],
    };
    let mut out = vec![("upload".to_owned(), upload)];
    for (i, t) in targets.iter().enumerate() {
        out.push((format!("col-{i}"), (*t).to_owned()));
    }
    out
}

#[tokio::test]
async fn import_is_all_or_nothing_on_sqlite() {
    import_flow(Backend::Sqlite).await;
}

#[tokio::test]
async fn import_is_all_or_nothing_on_postgres() {
    import_flow(Backend::Postgres).await;
}

#[test]
fn csv_encodings_and_separators_are_detected() {
    use koers_scan::import::{read_table, Table};
    let expect = |t: Table| {
        assert_eq!(t.headers, vec!["perspectief", "visie", "toelichting"]);
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].1[2], "café");
        assert_eq!(t.rows[0].0, 2);
    };
    expect(read_table("perspectief;visie;toelichting\nLeiding;4;café\n".as_bytes()).unwrap());
    expect(
        read_table("\u{feff}perspectief,visie,toelichting\r\nLeiding,4,café\r\n".as_bytes())
            .unwrap(),
    );
    expect(read_table("perspectief\tvisie\ttoelichting\nLeiding\t4\tcafé\n".as_bytes()).unwrap());
    // Windows-1252: é is one byte, 0xE9.
    expect(read_table(b"perspectief;visie;toelichting\nLeiding;4;caf\xe9\n").unwrap());
    // A quoted separator does not count.
    let t = read_table(b"\"a;b\",c\n1,2\n").unwrap();
    assert_eq!(t.headers, vec!["a;b", "c"]);
    assert!(read_table(b"").is_err());
}

#[tokio::test]
async fn a_model_file_changed_under_an_open_wave_is_refused() {
    let w = world(Backend::Sqlite).await;
    let wave = new_wave(&w, true).await;
    let config = config_with(&w.models_dir);
    // Changed while the wave is only in preparation: fine.
    let changed = MODEL_SRC.replace(
        "title = { nl = \"Testmodel\"",
        "title = { nl = \"Testmodel (gewijzigd)\"",
    );
    std::fs::write(w.models_dir.join("test-model.toml"), &changed).unwrap();
    let parts: Vec<Arc<dyn koers_web::part::Part>> = vec![Arc::new(koers_scan::Scan)];
    assert!(
        koers_web::AppState::new(w.db.store.clone(), config.clone(), parts.clone())
            .await
            .is_ok()
    );
    // Back as it was, the wave opened, then changed: refused, naming file and wave.
    std::fs::write(w.models_dir.join("test-model.toml"), MODEL_SRC).unwrap();
    open(&w, wave).await;
    std::fs::write(w.models_dir.join("test-model.toml"), &changed).unwrap();
    let e = match koers_web::AppState::new(w.db.store.clone(), config.clone(), parts.clone()).await
    {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a changed model under an open wave must refuse the start"),
    };
    assert!(e.contains("test-model.toml"), "{e}");
    assert!(e.contains(&format!("golf {wave}")), "{e}");
    assert!(e.contains("nieuwe versie"), "{e}");
    // A new version is the way out.
    let bumped = changed.replace("version = \"1.0.0\"", "version = \"1.1.0\"");
    std::fs::write(w.models_dir.join("test-model.toml"), &bumped).unwrap();
    assert!(koers_web::AppState::new(w.db.store.clone(), config, parts)
        .await
        .is_ok());
    // A model file that does not parse names its file.
    std::fs::write(w.models_dir.join("kapot.toml"), "[model]\nid = 3\n").unwrap();
    let e = koers_scan::waves::load_models(&w.models_dir)
        .err()
        .expect("refused")
        .to_string();
    assert!(e.contains("kapot.toml"), "{e}");
    w.app.stop().await;
}

#[tokio::test]
async fn invitations_and_reminders_are_mailed_when_mail_is_set_up() {
    let db = fresh_db(Backend::Sqlite).await;
    let models = tempfile::tempdir().unwrap();
    std::fs::write(models.path().join("test-model.toml"), MODEL_SRC).unwrap();
    let (org, _) = seed_org(&db.store, "Gemeente Post", "beheer@post.example", PASSWORD).await;
    let (app, sink) = TestApp::start_with_mail(
        db.store.clone(),
        config_with(models.path()),
        vec![Arc::new(koers_scan::Scan)],
    )
    .await;
    assert_eq!(app.login("beheer@post.example", PASSWORD).await.0, 303);
    let w = World {
        app,
        db,
        org: org.id.0,
        models_dir: models.path().to_path_buf(),
        _models: models,
    };
    let wave = new_wave(&w, true).await;
    open(&w, wave).await;
    let (status, page, _) = w
        .app
        .post_text(
            &format!("/organisaties/{}/scans/{wave}/uitnodigingen", w.org),
            &[("invitees", "Medewerkers; dirk@post.example\nLeiding; Els")],
        )
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("per e-mail verstuurd"));
    assert!(!page.contains("E-mail is op deze Koers niet ingesteld"));
    let mails = sink.messages_to("dirk@post.example");
    assert_eq!(mails.len(), 1);
    let links = links_in(&page);
    assert!(mails[0].text.contains(&links[0]), "{}", mails[0].text);
    assert!(mails[0].subject.contains("Nulmeting"));
    // Els has no address: her link is only on the page.
    assert_eq!(sink.messages().len(), 1);

    let (status, page, _) = w
        .app
        .post_text(
            &format!("/organisaties/{}/scans/{wave}/herinneringen", w.org),
            &[],
        )
        .await;
    assert_eq!(status, 200);
    let mails = sink.messages_to("dirk@post.example");
    assert_eq!(mails.len(), 2);
    let renewed = links_in(&page);
    assert!(mails[1].text.contains(&renewed[0]));
    assert!(mails[1].subject.contains("Herinnering"));
    w.app.stop().await;
}

#[tokio::test]
async fn an_upload_larger_than_a_form_is_read_and_a_huge_one_refused() {
    let w = world(Backend::Sqlite).await;
    let wave = new_wave(&w, true).await;
    open(&w, wave).await;
    // Well past the test server's 64 KiB form limit: the import has its own.
    let mut csv = String::from("perspectief;visie;toelichting\n");
    for i in 0..4000 {
        csv.push_str(&format!(
            "{};{};toelichting nummer {i}\n",
            if i % 2 == 0 { "Leiding" } else { "Medewerkers" },
            1 + i % 5
        ));
    }
    assert!(csv.len() > 100 * 1024);
    let (status, page) = upload(&w, wave, "groot.csv", csv.into_bytes()).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("4000 regels gelezen"), "{page}");
    let (status, done) = import(&w, wave, &prefilled(&page)).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(responses(&w.db.store, wave).await, 4000);

    // Beyond 10 MB: refused with a page, nothing read.
    let huge = vec![b'x'; 11 * 1024 * 1024];
    let csrf = w.app.csrf().await;
    let form = reqwest::multipart::Form::new().text("csrf", csrf).part(
        "file",
        reqwest::multipart::Part::bytes(huge).file_name("huge.csv"),
    );
    let r = w
        .app
        .client
        .post(
            w.app
                .url(&format!("/organisaties/{}/scans/{wave}/import", w.org)),
        )
        .multipart(form)
        .send()
        .await;
    // The server may stop reading early; when it answers, it says why.
    if let Ok(r) = r {
        let status = r.status().as_u16();
        let body = r.text().await.unwrap_or_default();
        assert!(status == 422 || status == 413, "{status}");
        if status == 422 {
            assert!(body.contains("te groot"), "{body}");
        }
    }
    assert_eq!(responses(&w.db.store, wave).await, 4000);
    w.app.stop().await;
}
