//! Scan results (issue 10): the differencing attack, closing, the peer benchmark
//! and its settings.
//!
//! The differencing attack: an attacker who sees the organisation's totals with
//! and without a small group could subtract one from the other and recover that
//! group's answers. Koers leaves a group below the threshold out of *every*
//! figure, so there is nothing to subtract. The test builds two worlds that differ
//! only in the answers of a group of four, and checks that the results page, the
//! report, the three exports (read back with calamine and the csv crate) and the
//! benchmark page are the same in both, and that the totals shown are those of
//! the visible groups alone.

use calamine::{open_workbook_from_rs, Data, Ods, Reader, Xlsx};
use koers_core::scan::{Answer, Answers, LikertAnswer, Model};
use koers_store::{
    BenchmarkSettings, FrozenModel, FrozenScore, ImportedResponse, NewPerspective, NewWave,
    OrgScope, Store, WaveId,
};
use koers_testkit::{fresh_db, seed_org, test_config, Backend, TestApp, TestDb};
use std::io::Cursor;
use std::sync::Arc;

const MODEL: &str = include_str!("../fixtures/results-test.toml");
const PASSWORD: &str = "een lang wachtwoord 42";
/// The small group's name: it may appear (as "te weinig antwoorden"), its figures
/// never.
const SMALL: &str = "Ketenpartners";
const SECRET: &str = "GEHEIM-ANTWOORD";

fn model() -> Model {
    Model::parse("results-test.toml", MODEL).expect("the test model parses")
}

/// Answers with every likert item at `v` (1–5), and an open answer.
fn answers(v: i64, text: Option<String>) -> String {
    let mut a = Answers::default();
    for q in ["visie-1", "visie-2", "mensen-1", "data-1"] {
        a.insert(q, Answer::Likert(LikertAnswer::Point(v)));
    }
    if let Some(t) = text {
        a.insert("open", Answer::Text(t));
    }
    serde_json::to_string(&a).unwrap()
}

async fn scope_of(
    store: &Store,
    user: &koers_store::User,
    org: koers_core::OrganisationId,
) -> OrgScope {
    store.authorise(user, org).await.unwrap().scope
}

/// Makes and opens a wave on the test model with these groups: (name,
/// rates_self, answers).
async fn seed_wave(
    store: &Store,
    scope: &OrgScope,
    title: &str,
    groups: &[(&str, bool, Vec<String>)],
) -> koers_store::Wave {
    let m = model();
    let perspectives: Vec<NewPerspective> = groups
        .iter()
        .map(|(name, rates_self, _)| NewPerspective {
            name: (*name).to_owned(),
            rates_self: *rates_self,
            weight: 1.0,
        })
        .collect();
    let scan = store.scan();
    let wave = scan
        .create_wave(
            scope,
            &NewWave {
                title,
                model_id: m.id(),
                model_version: m.version(),
                model_hash: m.hash(),
                model_source: MODEL,
                anonymous: true,
                perspectives: &perspectives,
                previous_wave: None,
                created_by: None,
                now: 1_800_000_000,
            },
        )
        .await
        .unwrap();
    assert!(scan.open_wave(wave.scope, 1_800_000_000).await.unwrap());
    let ps = scan.perspectives(wave.scope).await.unwrap();
    let mut rows = Vec::new();
    for (p, (_, _, list)) in ps.iter().zip(groups) {
        for a in list {
            rows.push(ImportedResponse {
                perspective_id: p.id,
                answers: a.clone(),
            });
        }
    }
    scan.import_responses(wave.scope, &rows).await.unwrap();
    scan.reload(wave.scope).await.unwrap()
}

/// Five peer organisations (same kind, size class and country as `seed_org`
/// makes), each with a closed wave whose every score is 20, 35, 50, 65, 80. Peer 0
/// (low) and peer 4 (top quartile) agree to be contacted.
async fn seed_peers(store: &Store, count: usize) {
    let m = model();
    for k in 0..count {
        let (org, user) = seed_org(
            store,
            &format!("Gemeente Peer {k}"),
            &format!("peer{k}@example.nl"),
            PASSWORD,
        )
        .await;
        let scope = scope_of(store, &user, org.id).await;
        let wave = seed_wave(
            store,
            &scope,
            "Peer",
            &[("Iedereen", true, (0..5).map(|_| answers(3, None)).collect())],
        )
        .await;
        let s = 20.0 + 15.0 * k as f64;
        let scores: Vec<FrozenScore> = ["", "data", "mensen", "visie"]
            .iter()
            .map(|d| FrozenScore {
                dimension_id: (*d).to_owned(),
                score: s,
            })
            .collect();
        assert!(store
            .scan()
            .close_and_freeze(
                wave.scope,
                FrozenModel {
                    id: m.id(),
                    version: m.version(),
                },
                &scores,
                1_800_000_000,
            )
            .await
            .unwrap());
        // Every peer may be chosen; two may also be contacted.
        let learn_from = k == 0 || k == 4;
        store
            .scan()
            .put_benchmark_settings(
                &scope,
                &BenchmarkSettings {
                    learn_from,
                    contact: if learn_from {
                        format!("Team Leren {k}, leren{k}@peer.example")
                    } else {
                        String::new()
                    },
                    listed: true,
                    peer_set: None,
                },
            )
            .await
            .unwrap();
    }
}

struct World {
    app: TestApp,
    org: i64,
    wave: i64,
    store: Store,
    _db: TestDb,
}

fn parts() -> Vec<Arc<dyn koers_web::part::Part>> {
    vec![Arc::new(koers_scan::Scan)]
}

/// The home organisation's wave: bestuur (5, rates itself, scores 100/75
/// alternating: mean 90), medewerkers (6, 25/50: mean 37.5), inwoners (8, all
/// 50, with open answers) and the small group of four, all at `small`.
async fn world(backend: Backend, small: i64, small_count: usize) -> World {
    let db = fresh_db(backend).await;
    let store = db.store.clone();
    let (org, user) = seed_org(&store, "Gemeente Thuis", "thuis@example.nl", PASSWORD).await;
    let scope = scope_of(&store, &user, org.id).await;
    let wave = seed_wave(
        &store,
        &scope,
        "Nulmeting",
        &[
            (
                "Bestuur",
                true,
                (0..5)
                    .map(|i| answers(if i % 2 == 0 { 5 } else { 4 }, None))
                    .collect(),
            ),
            (
                "Medewerkers",
                false,
                (0..6)
                    .map(|i| answers(if i % 2 == 0 { 2 } else { 3 }, None))
                    .collect(),
            ),
            (
                "Inwoners",
                false,
                (0..8)
                    .map(|i| answers(3, Some(format!("Open antwoord {i}"))))
                    .collect(),
            ),
            (
                SMALL,
                false,
                (0..small_count)
                    .map(|i| answers(small, Some(format!("{SECRET}-{small}-{i}"))))
                    .collect(),
            ),
        ],
    )
    .await;
    seed_peers(&store, 5).await;
    let app = TestApp::start(store.clone(), test_config(), parts()).await;
    let (status, _, _) = app.login("thuis@example.nl", PASSWORD).await;
    assert_eq!(status, 303);
    World {
        app,
        org: org.id.0,
        wave: wave.id.0,
        store,
        _db: db,
    }
}

/// A page with this browser's form tokens taken out (they differ per browser).
fn without_tokens(html: &str) -> String {
    let mut text = html.to_owned();
    for marker in ["name=\"koers-csrf\" content=\"", "name=\"csrf\" value=\""] {
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(i) = rest.find(marker) {
            let start = i + marker.len();
            out.push_str(&rest[..start]);
            out.push_str("TOKEN");
            let end = rest[start..].find('"').map_or(rest.len(), |j| start + j);
            rest = &rest[end..];
        }
        out.push_str(rest);
        text = out;
    }
    text
}

/// Every cell of every sheet, as calamine reads it.
fn cells<R: Reader<Cursor<Vec<u8>>>>(book: &mut R) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .expect("calamine reads the sheet");
        out.push(vec![format!("== {name}")]);
        for row in range.rows() {
            out.push(
                row.iter()
                    .map(|c| match c {
                        Data::Empty => String::new(),
                        other => other.to_string(),
                    })
                    .collect(),
            );
        }
    }
    out
}

/// What every output of the wave says: the pages without tokens, the CSV as
/// records (csv crate), the spreadsheets as cells (calamine).
async fn outputs(w: &World) -> Vec<(String, String)> {
    let base = format!("/organisaties/{}/scans/{}", w.org, w.wave);
    let mut out = Vec::new();
    // The wave's own page is the live view while answers come in (its progress).
    let (status, html) = w.app.get_text(&base).await;
    assert_eq!(status, 200, "wave page");
    out.push(("golf".to_owned(), without_tokens(&html)));
    for page in ["resultaten", "rapport", "benchmark"] {
        let (status, html) = w.app.get_text(&format!("{base}/{page}")).await;
        assert_eq!(status, 200, "{page}");
        out.push((page.to_owned(), without_tokens(&html)));
    }
    for file in koers_scan::DOWNLOADS {
        let r = w.app.get(&format!("{base}/download/{file}")).await;
        assert_eq!(r.status(), 200, "{file}");
        let bytes = r.bytes().await.unwrap().to_vec();
        let text = if file.ends_with(".xlsx") {
            let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("XLSX");
            format!("{:?}", cells(&mut book))
        } else if file.ends_with(".ods") {
            let mut book: Ods<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("ODS");
            format!("{:?}", cells(&mut book))
        } else {
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(b';')
                .has_headers(false)
                .flexible(true)
                .from_reader(Cursor::new(bytes.clone()));
            let records: Vec<Vec<String>> = reader
                .records()
                .map(|r| r.unwrap().iter().map(str::to_owned).collect())
                .collect();
            // The CSV must also be byte-identical, not just read back the same.
            format!("{records:?}\n{}", String::from_utf8(bytes).unwrap())
        };
        out.push(((*file).to_owned(), text));
    }
    out
}

#[tokio::test]
async fn differencing_attack_recovers_nothing_of_a_small_group() {
    // The two worlds differ only in the small group: four who answer 1, or three
    // who answer 5. Neither its answers nor its size may show anywhere.
    let low = world(Backend::Sqlite, 1, 4).await;
    let high = world(Backend::Sqlite, 5, 3).await;
    let a = outputs(&low).await;
    let b = outputs(&high).await;
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert_eq!(x, y, "{name} depends on the small group's answers");
        assert!(
            !x.contains(SECRET),
            "{name} shows the small group's free text"
        );
    }

    // The totals shown are those of the visible groups alone: organisation score
    // (90 + 37.5 + 50) / 3 = 59.2, not (… + the small group) / 4; 19 respondents,
    // not 23.
    let (_, html) = low
        .app
        .get_text(&format!(
            "/organisaties/{}/scans/{}/resultaten",
            low.org, low.wave
        ))
        .await;
    assert!(
        html.contains("<dd>19</dd>"),
        "respondents of the visible groups only"
    );
    assert!(html.contains("<strong class=\"koers-scan-score\">59,2</strong>"));
    assert!(html.contains(SMALL), "the small group is named");
    assert!(html.contains("te weinig antwoorden"));
    assert!(!html.contains("n = 4"), "no count of the small group");
    // The free text of a group of eight is shown; of the group of four never.
    assert!(html.contains("Open antwoord 3"));
    // The gap between bestuur and medewerkers is named as real, in words.
    assert!(html.contains("een echt verschil in beeld"));

    let csv = &a.iter().find(|(n, _)| n == "resultaten.csv").unwrap().1;
    assert!(csv.contains("\"59,2\""), "overall in the CSV: {csv}");
    assert!(!csv.contains("44,4"), "a total with the small group in it");
    assert!(
        !csv.contains(&format!("{SMALL}: ")),
        "no column of the small group"
    );

    // The benchmark compares the visible-only score; peers are never named, except
    // the one that opted in and is in the top quartile.
    let bench = &a.iter().find(|(n, _)| n == "benchmark").unwrap().1;
    assert!(
        bench.contains("Gemeente Peer 4"),
        "learn-from lists the opted-in top peer"
    );
    assert!(bench.contains("Team Leren 4"));
    for k in 0..4 {
        assert!(
            !bench.contains(&format!("Gemeente Peer {k}")),
            "peer {k} is named on the benchmark"
        );
    }
    assert!(bench.contains("mediaan"));

    for w in [low, high] {
        w.app.stop().await;
    }
}

#[tokio::test]
async fn closing_freezes_only_shown_figures_sqlite() {
    closing_freezes_only_shown_figures(Backend::Sqlite).await;
}

#[tokio::test]
async fn closing_freezes_only_shown_figures_postgres() {
    closing_freezes_only_shown_figures(Backend::Postgres).await;
}

async fn closing_freezes_only_shown_figures(backend: Backend) {
    let w = world(backend, 1, 4).await;
    let scan = w.store.scan();
    let (status, _, location) = w
        .app
        .post_text(
            &format!("/organisaties/{}/scans/{}/sluiten", w.org, w.wave),
            &[],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.unwrap().ends_with("melding=scan-closed"));
    let org = w
        .store
        .organisation(koers_core::OrganisationId(w.org))
        .await
        .unwrap();
    let user = w
        .store
        .user_by_email(&koers_core::Email::parse("thuis@example.nl").unwrap())
        .await
        .unwrap()
        .unwrap();
    let scope = scope_of(&w.store, &user, org.id).await;
    let wave = scan.wave(&scope, WaveId(w.wave)).await.unwrap();
    assert_eq!(wave.status, koers_store::WaveStatus::Closed);
    let frozen = scan.frozen_scores(wave.scope).await.unwrap();
    let get = |d: &str| frozen.iter().find(|s| s.dimension_id == d).map(|s| s.score);
    // Every dimension: (90 + 37.5 + 50) / 3 from the visible groups alone.
    let expected = (90.0 + 37.5 + 50.0) / 3.0;
    for d in ["", "visie", "mensen", "data"] {
        let s = get(d).unwrap_or_else(|| panic!("{d} frozen"));
        assert!((s - expected).abs() < 1e-9, "{d}: {s}");
    }
    assert_eq!(frozen.len(), 4);
    // Closed: no more answers, and closing again changes nothing.
    let ps = scan.perspectives(wave.scope).await.unwrap();
    assert!(scan
        .import_responses(
            wave.scope,
            &[ImportedResponse {
                perspective_id: ps[0].id,
                answers: answers(1, None),
            }]
        )
        .await
        .is_err());
    let (_, _, location) = w
        .app
        .post_text(
            &format!("/organisaties/{}/scans/{}/sluiten", w.org, w.wave),
            &[],
        )
        .await;
    assert!(location.unwrap().ends_with("melding=scan-close-not-open"));
    assert_eq!(scan.frozen_scores(wave.scope).await.unwrap().len(), 4);

    // A wave whose only group is below the threshold freezes nothing, and so never
    // enters a benchmark.
    let tiny = seed_wave(
        &w.store,
        &scope,
        "Te klein",
        &[("Iedereen", true, (0..4).map(|_| answers(5, None)).collect())],
    )
    .await;
    let (status, _, _) = w
        .app
        .post_text(
            &format!("/organisaties/{}/scans/{}/sluiten", w.org, tiny.id.0),
            &[],
        )
        .await;
    assert_eq!(status, 303);
    assert!(scan.frozen_scores(tiny.scope).await.unwrap().is_empty());
    assert_eq!(
        scan.reload(tiny.scope).await.unwrap().status,
        koers_store::WaveStatus::Closed
    );
    w.app.stop().await;
}

#[tokio::test]
async fn benchmark_needs_five_peers_and_names_none_but_opted_in_sqlite() {
    benchmark_needs_five_peers_and_names_none_but_opted_in(Backend::Sqlite).await;
}

#[tokio::test]
async fn benchmark_needs_five_peers_and_names_none_but_opted_in_postgres() {
    benchmark_needs_five_peers_and_names_none_but_opted_in(Backend::Postgres).await;
}

async fn benchmark_needs_five_peers_and_names_none_but_opted_in(backend: Backend) {
    let db = fresh_db(backend).await;
    let store = db.store.clone();
    let (org, user) = seed_org(&store, "Gemeente Thuis", "thuis@example.nl", PASSWORD).await;
    let scope = scope_of(&store, &user, org.id).await;
    let wave = seed_wave(
        &store,
        &scope,
        "Meting",
        &[("Iedereen", true, (0..6).map(|_| answers(4, None)).collect())],
    )
    .await;
    seed_peers(&store, 4).await;
    let app = TestApp::start(store.clone(), test_config(), parts()).await;
    app.login("thuis@example.nl", PASSWORD).await;
    let path = format!("/organisaties/{}/scans/{}/benchmark", org.id.0, wave.id.0);
    let (status, html) = app.get_text(&path).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("minstens 5 vergelijkbare organisaties"),
        "{html}"
    );
    assert!(!html.contains("mediaan"));
    assert!(!html.contains("Gemeente Peer"));

    // A fifth peer of another kind does not count when matching…
    let (other, other_user) =
        seed_org(&store, "Provincie Anders", "anders@example.nl", PASSWORD).await;
    let mut o = other.clone();
    o.kind = koers_core::OrganisationKind::Provincie;
    store
        .update_organisation(
            other.id,
            koers_store::NewOrganisation {
                name: &koers_core::OrganisationName::parse(&o.name).unwrap(),
                kind: o.kind,
                size_class: o.size_class,
                country: o.country,
            },
        )
        .await
        .unwrap();
    let other_scope = scope_of(&store, &other_user, other.id).await;
    let ow = seed_wave(
        &store,
        &other_scope,
        "Ander",
        &[("Iedereen", true, (0..5).map(|_| answers(2, None)).collect())],
    )
    .await;
    let m = model();
    store
        .scan()
        .close_and_freeze(
            ow.scope,
            FrozenModel {
                id: m.id(),
                version: m.version(),
            },
            &[FrozenScore {
                dimension_id: String::new(),
                score: 10.0,
            }],
            1_800_000_000,
        )
        .await
        .unwrap();
    let (_, html) = app.get_text(&path).await;
    assert!(
        !html.contains("mediaan"),
        "a provincie is no peer of a gemeente"
    );

    // …nor can it be chosen, nor is its name offered, until it agrees to be chosen.
    let settings = format!("/organisaties/{}/scans/instellingen", org.id.0);
    let (_, page) = app.get_text(&settings).await;
    assert!(page.contains("Gemeente Peer 0"), "{page}");
    assert!(
        !page.contains("Provincie Anders"),
        "an organisation that did not agree to be chosen is not named"
    );
    let mut fields: Vec<(String, String)> = vec![("peers".into(), "chosen".into())];
    for o in store.organisations().await.unwrap() {
        if o.id != org.id {
            fields.push((format!("peer-{}", o.id.0), "1".into()));
        }
    }
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let before = store.scan().benchmark_settings(&scope).await.unwrap();
    let (status, _, _) = app.post_text(&settings, &borrowed).await;
    assert_eq!(status, 422, "the provincie may not be chosen yet");
    assert_eq!(
        store.scan().benchmark_settings(&scope).await.unwrap(),
        before
    );

    // Chosen once it agreed, it counts: four peers and the provincie are five.
    let listed = BenchmarkSettings {
        listed: true,
        ..BenchmarkSettings::default()
    };
    store
        .scan()
        .put_benchmark_settings(&other_scope, &listed)
        .await
        .unwrap();
    let (status, _, location) = app.post_text(&settings, &borrowed).await;
    assert_eq!(status, 303);
    assert!(location.unwrap().contains("melding=scan-settings-saved"));
    let (_, html) = app.get_text(&path).await;
    assert!(
        html.contains("mediaan"),
        "five chosen peers show a benchmark"
    );
    assert!(!html.contains("Provincie Anders"));
    for k in 0..4 {
        assert!(
            !html.contains(&format!("Gemeente Peer {k}")),
            "peer {k} named"
        );
    }
    // Peer 0 opted in but is in the bottom quartile; nobody else opted in.
    assert!(!html.contains("Team Leren"));

    // Withdrawing takes the provincie out of every chosen set at once: four are
    // too few again.
    store
        .scan()
        .put_benchmark_settings(&other_scope, &BenchmarkSettings::default())
        .await
        .unwrap();
    let (_, html) = app.get_text(&path).await;
    assert!(
        !html.contains("mediaan"),
        "a withdrawn peer no longer counts"
    );
    app.stop().await;
}

#[tokio::test]
async fn settings_refuse_bad_input_and_change_nothing_sqlite() {
    settings_refuse_bad_input_and_change_nothing(Backend::Sqlite).await;
}

#[tokio::test]
async fn settings_refuse_bad_input_and_change_nothing_postgres() {
    settings_refuse_bad_input_and_change_nothing(Backend::Postgres).await;
}

async fn settings_refuse_bad_input_and_change_nothing(backend: Backend) {
    let db = fresh_db(backend).await;
    let store = db.store.clone();
    let (org, user) = seed_org(&store, "Gemeente Thuis", "thuis@example.nl", PASSWORD).await;
    let scope = scope_of(&store, &user, org.id).await;
    let app = TestApp::start(store.clone(), test_config(), parts()).await;
    app.login("thuis@example.nl", PASSWORD).await;
    let path = format!("/organisaties/{}/scans/instellingen", org.id.0);
    let (status, html) = app.get_text(&path).await;
    assert_eq!(status, 200);
    assert!(html.contains("Instellingen voor vergelijken"));
    // Learn-from without a contact line, and a chosen set of one (unknown) org.
    let (status, html, _) = app
        .post_text(
            &path,
            &[
                ("peers", "chosen"),
                ("peer-999", "1"),
                ("learn_from", "1"),
                ("contact", ""),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Vul een contactregel in"));
    assert!(html.contains("bestaat niet (meer)"));
    assert_eq!(
        store.scan().benchmark_settings(&scope).await.unwrap(),
        BenchmarkSettings::default()
    );
    let (status, _, _) = app
        .post_text(
            &path,
            &[
                ("peers", "match"),
                ("learn_from", "1"),
                ("contact", "Team I, i@thuis.nl"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let s = store.scan().benchmark_settings(&scope).await.unwrap();
    assert!(s.learn_from);
    assert_eq!(s.contact, "Team I, i@thuis.nl");
    assert_eq!(s.peer_set, None);
    app.stop().await;
}
