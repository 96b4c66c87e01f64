//! Results exports (CSV, ODS, XLSX), the Pol.is export format and the Pol.is
//! import. The spreadsheets are read back with independent readers (calamine
//! for ODS and XLSX, the `zip` crate for the containers, a small RFC 4180
//! reader here for CSV); the Pol.is files with the consensus crate's own
//! loader.
//!
//! The fixture's perspectives are tiny (2 beleid, 1 inwoner, 0 toezicht), far
//! below the anonymity rule's minimum group, so the exports must leave out
//! every per-perspective column and row: the tests check that they do.

use crate::common::*;
use calamine::{open_workbook_from_rs, Data, Ods, Range, Reader, Xlsx};
use koers_consensus::{load_export, LoadError, Vote, VoteEvent};
use koers_core::anonymity::AnonymityRule;
use koers_core::sessie::{ModerationMode, Phase, PhaseState, VoteChoice};
use koers_core::{OrganisationId, ParticipantId, StatementId};
use koers_sessie::export::polis::{minute, polis_export, polis_export_with, PolisIds};
use koers_sessie::export::{csv_style, results_workbook, SessionData};
use koers_sessie::import::{
    import_polis, import_polis_conversation, polis_conversations, polis_conversations_in,
    ImportError, POLIS_CONVERSATIONS, UNKNOWN_PERSPECTIVE,
};
use koers_store::{
    LiveSession, NewLiveSession, NewStatement, OrgScope, StatementStatus, Store, VoteRecord,
};
use koers_tables::csv::{guard_formula, sheet_csv, CsvStyle};
use koers_tables::ods::workbook_ods;
use koers_tables::xlsx::workbook_xlsx;
use koers_tables::{Cell, Sheet};
use koers_web::i18n::Locale;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

const NOW: i64 = 1_800_000_000;

// ---- a session with awkward text --------------------------------------------

const FORMULA: &str = "=HYPERLINK(\"http://evil.example\";\"klik\")";
const QUOTED: &str = "Eens; maar \"niet\" zo,\nop een nieuwe regel";
const PLAIN: &str = "Het loket is te ver weg";
const REJECTED: &str = "Iets ongepasts";
const PENDING: &str = "@iedereen lees dit";

struct Fixture {
    session: LiveSession,
    /// Statement ids by text.
    statements: BTreeMap<&'static str, StatementId>,
    participants: Vec<ParticipantId>,
}

/// Three participants (beleid, beleid, inwoner), five statements, votes,
/// dots and two next steps.
async fn fixture(store: &Store) -> Fixture {
    let (org, _) = seed_org(
        store,
        "Gemeente Export",
        "export@example.nl",
        "wachtwoord-123",
    )
    .await;
    let perspectives = vec![
        "beleid".to_owned(),
        "inwoner".to_owned(),
        "toezicht".to_owned(),
    ];
    let session = store
        .sessie()
        .create_live_session(
            &scope(store, org.id),
            NewLiveSession {
                title: "Loket & <dienstverlening>",
                description: "Waar lopen we tegenaan?",
                join_code: "EXPRT2",
                join_open_until: NOW + 3600,
                moderation: ModerationMode::Post,
                max_statement_chars: 140,
                dots_per_participant: 3,
                perspectives: &perspectives,
                read_only: false,
                attribution: "",
                created_by: None,
                now: NOW,
            },
        )
        .await
        .unwrap();
    let mut participants = Vec::new();
    for (i, p) in ["beleid", "beleid", "inwoner"].iter().enumerate() {
        participants.push(
            store
                .sessie()
                .join_session(&session, &format!("hash-{i}"), p, "", NOW + i as i64)
                .await
                .unwrap(),
        );
    }
    let mut statements = BTreeMap::new();
    for (i, (text, status)) in [
        (PLAIN, StatementStatus::Accepted),
        (FORMULA, StatementStatus::Accepted),
        (QUOTED, StatementStatus::Accepted),
        (REJECTED, StatementStatus::Rejected),
        (PENDING, StatementStatus::Pending),
    ]
    .into_iter()
    .enumerate()
    {
        let s = store
            .sessie()
            .add_statement(
                &session,
                NewStatement {
                    participant_id: (i > 0).then_some(participants[i % 3]),
                    is_seed: i == 0,
                    text,
                    status,
                    profanity_hint: false,
                    now: NOW + 10 + i as i64,
                    external_id: None,
                },
            )
            .await
            .unwrap();
        statements.insert(text, s.id);
    }
    use VoteChoice::*;
    let plan = [
        (0, PLAIN, Agree),
        (1, PLAIN, Agree),
        (2, PLAIN, Disagree),
        (0, FORMULA, Pass),
        (1, FORMULA, Disagree),
        (2, FORMULA, Agree),
        (0, QUOTED, Agree),
    ];
    let votes: Vec<VoteRecord> = plan
        .iter()
        .enumerate()
        .map(|(i, (p, s, v))| VoteRecord {
            scope: session.scope,
            participant_id: participants[*p],
            statement_id: statements[s],
            vote: *v,
            at: NOW + 100 + i as i64,
        })
        .collect();
    assert!(store
        .sessie()
        .record_votes(&votes)
        .await
        .unwrap()
        .iter()
        .all(|w| *w));
    store
        .sessie()
        .set_dots(
            &session,
            participants[0],
            &BTreeMap::from([(statements[PLAIN].0, 2), (statements[QUOTED].0, 1)]),
        )
        .await
        .unwrap();
    store
        .sessie()
        .set_dots(
            &session,
            participants[2],
            &BTreeMap::from([(statements[PLAIN].0, 3)]),
        )
        .await
        .unwrap();
    store
        .sessie()
        .add_next_step(
            &session,
            "Loket op afspraak proberen",
            "Team Dienstverlening",
            NOW + 500,
        )
        .await
        .unwrap();
    store
        .sessie()
        .add_next_step(&session, "+ evalueren in juni", "", NOW + 501)
        .await
        .unwrap();
    Fixture {
        session,
        statements,
        participants,
    }
}

/// The organisation's scope, as a trusted tool (these tests) takes it.
#[allow(clippy::disallowed_methods)]
fn scope(store: &Store, org: OrganisationId) -> OrgScope {
    store.system_scope(org)
}

/// The anonymity rule of an organisation that kept the default (groups of 5).
const RULE: AnonymityRule = AnonymityRule::DEFAULT;

/// The fixture's perspectives, each far smaller than [`RULE`] allows figures for.
const SMALL_PERSPECTIVES: [&str; 3] = ["beleid", "inwoner", "toezicht"];

// ---- independent readers ------------------------------------------------------

/// A zip archive's entries in directory order, read with the `zip` crate
/// (which checks the CRC-32s as it reads).
pub(crate) fn unzip(bytes: &[u8]) -> Vec<(String, ::zip::CompressionMethod, Vec<u8>)> {
    let mut archive = ::zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            file.read_to_end(&mut data).unwrap();
            (file.name().unwrap().into_owned(), file.compression(), data)
        })
        .collect()
}

pub(crate) fn entry<'a>(
    entries: &'a [(String, ::zip::CompressionMethod, Vec<u8>)],
    name: &str,
) -> &'a str {
    let (_, _, data) = entries
        .iter()
        .find(|(n, _, _)| n == name)
        .unwrap_or_else(|| panic!("{name} is missing from the zip"));
    std::str::from_utf8(data).unwrap()
}

fn read_xlsx(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes)).expect("calamine opens the XLSX")
}

fn read_ods(bytes: Vec<u8>) -> Ods<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes)).expect("calamine opens the ODS")
}

/// A sheet's cells as rows from A1, padded to the widest row.
fn grid(range: &Range<Data>) -> Vec<Vec<Data>> {
    assert_eq!(range.start(), Some((0, 0)), "the sheet starts at A1");
    range.rows().map(<[Data]>::to_vec).collect()
}

fn float(cell: &Data) -> f64 {
    match cell {
        Data::Float(v) => *v,
        other => panic!("a number cell, not {other:?}"),
    }
}

fn string(cell: &Data) -> &str {
    match cell {
        Data::String(s) => s,
        other => panic!("a text cell, not {other:?}"),
    }
}

/// The statements sheet of a spreadsheet export, as calamine reads it: the
/// header, the whole-room columns and nothing per perspective.
fn check_statements_grid(rows: &[Vec<Data>]) {
    let header: Vec<&str> = rows[0].iter().map(string).collect();
    assert_eq!(
        header,
        [
            "Nr",
            "Stelling",
            "Status",
            "Eens",
            "Oneens",
            "Overgeslagen",
            "Totaal",
            "% eens",
            "Stippen"
        ],
        "no per-perspective column for groups below the threshold"
    );
    for p in SMALL_PERSPECTIVES {
        assert!(
            !header.iter().any(|h| h.contains(p)),
            "no column for {p}, a group below the threshold"
        );
    }
    assert_eq!(rows.len(), 6);

    let plain = rows
        .iter()
        .find(|r| r[1] == Data::String(PLAIN.into()))
        .unwrap();
    assert_eq!(
        float(&plain[0]),
        1.0,
        "numbered from 1: the Pol.is export's comment-id 0 plus one"
    );
    assert_eq!(string(&plain[2]), "geaccepteerd");
    assert_eq!(float(&plain[3]), 2.0);
    assert_eq!(float(&plain[4]), 1.0);
    assert_eq!(float(&plain[5]), 0.0);
    assert_eq!(float(&plain[6]), 3.0);
    assert_eq!(float(&plain[7]), 66.7);
    assert_eq!(float(&plain[8]), 5.0);
    assert_eq!(plain.len(), 9, "no cells beyond the whole-room figures");

    // Text is typed as a string, never evaluated, so no guard is needed; the
    // line break, the quotes and the markup characters survive.
    let formula = rows
        .iter()
        .find(|r| r[1] == Data::String(FORMULA.into()))
        .expect("the formula text is kept as text, unguarded");
    assert_eq!(
        formula[3..9].iter().map(float).collect::<Vec<_>>(),
        [1.0, 1.0, 1.0, 3.0, 33.3, 0.0]
    );
    let quoted = rows
        .iter()
        .find(|r| r[1] == Data::String(QUOTED.into()))
        .expect("the quoted text with a line break survives");
    assert_eq!(
        quoted[3..9].iter().map(float).collect::<Vec<_>>(),
        [1.0, 0.0, 0.0, 1.0, 100.0, 1.0]
    );
    let rejected = rows
        .iter()
        .find(|r| r[1] == Data::String(REJECTED.into()))
        .unwrap();
    assert_eq!(string(&rejected[2]), "afgewezen");
    let pending = rows
        .iter()
        .find(|r| r[1] == Data::String(PENDING.into()))
        .unwrap();
    assert_eq!(string(&pending[2]), "in afwachting");
    assert_eq!(
        pending[3..7].iter().map(float).collect::<Vec<_>>(),
        [0.0, 0.0, 0.0, 0.0]
    );
    assert_eq!(pending[7], Data::Empty, "no votes: no % agree");
}

/// The other three sheets: no row for a perspective below the threshold, the
/// steps as text, and the whole room's counts.
fn check_other_grids(persp: &[Vec<Data>], steps: &[Vec<Data>], session: &[Vec<Data>]) {
    assert_eq!(
        persp[0].iter().map(string).collect::<Vec<_>>(),
        [
            "Perspectief",
            "Deelnemers",
            "Deelnemers die stemden",
            "Stemmen",
            "Ingediende stellingen"
        ]
    );
    for p in SMALL_PERSPECTIVES {
        assert!(
            !persp.iter().any(|r| r[0] == Data::String(p.into())),
            "no row for {p}, a group below the threshold"
        );
    }
    assert_eq!(persp.len(), 2, "the header and the total only");
    assert_eq!(string(&persp[1][0]), "Totaal");
    assert_eq!(
        persp[1][1..].iter().map(float).collect::<Vec<_>>(),
        [0.0; 4],
        "the total adds up only what is listed"
    );

    assert_eq!(string(&steps[1][1]), "Loket op afspraak proberen");
    assert_eq!(string(&steps[1][2]), "Team Dienstverlening");
    assert_eq!(string(&steps[1][3]), "2027-01-15");
    assert_eq!(
        string(&steps[2][1]),
        "+ evalueren in juni",
        "typed as text: no guard"
    );

    let item = |name: &str| -> &Data {
        &session
            .iter()
            .find(|r| r[0] == Data::String(name.into()))
            .unwrap_or_else(|| panic!("no {name} row"))[1]
    };
    assert_eq!(string(item("Titel")), "Loket & <dienstverlening>");
    assert_eq!(float(item("Deelnemers")), 3.0);
    assert_eq!(float(item("Deelnemers die stemden")), 3.0);
    assert_eq!(float(item("Geaccepteerde stellingen")), 3.0);
    assert_eq!(float(item("Stemmen")), 7.0);
    assert_eq!(float(item("Stippen")), 6.0);
}

/// RFC 4180 reader with a chosen separator, for checking our CSV. Records
/// end in CRLF or LF; line breaks inside quotes are kept as they are.
fn read_csv(text: &str, sep: char) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else if c == '"' {
            assert!(field.is_empty(), "a quote inside an unquoted field");
            quoted = true;
        } else if c == sep {
            row.push(std::mem::take(&mut field));
        } else if c == '\r' || c == '\n' {
            if c == '\r' {
                assert_eq!(chars.next(), Some('\n'), "CR without LF");
            }
            row.push(std::mem::take(&mut field));
            rows.push(std::mem::take(&mut row));
        } else {
            field.push(c);
        }
    }
    assert!(
        !quoted && field.is_empty() && row.is_empty(),
        "the file ends in a line end"
    );
    rows
}

fn row_for<'a>(rows: &'a [Vec<String>], column: usize, value: &str) -> &'a Vec<String> {
    rows.iter()
        .find(|r| r[column] == value)
        .unwrap_or_else(|| panic!("no row with {value:?}"))
}

// ---- CSV ----------------------------------------------------------------------

#[test]
fn formula_guard_prefixes_what_a_spreadsheet_would_run() {
    for risky in ["=1+1", "+31 6", "-2", "@SUM(A1)", "\tx", "\rx"] {
        assert_eq!(guard_formula(risky), format!("'{risky}"));
    }
    for safe in ["Gewoon tekst", "1+1=2", " =niet aan het begin", ""] {
        assert_eq!(guard_formula(safe), safe);
    }
    // Our own numbers are never text, so a negative number stays a number.
    let sheet = Sheet {
        name: "x".into(),
        rows: vec![vec![
            Cell::Int(-3),
            Cell::Number(-0.5),
            Cell::Text("-3".into()),
            Cell::Empty,
        ]],
    };
    assert_eq!(csv_style(Locale::Nl), CsvStyle::DUTCH);
    assert_eq!(csv_style(Locale::En), CsvStyle::ENGLISH);
    let csv = String::from_utf8(sheet_csv(&sheet, csv_style(Locale::Nl))).unwrap();
    assert_eq!(csv, "\u{feff}-3;-0,5;'-3;\r\n");
    let csv = String::from_utf8(sheet_csv(&sheet, csv_style(Locale::En))).unwrap();
    assert_eq!(csv, "\u{feff}-3,-0.5,'-3,\r\n");
}

#[tokio::test]
async fn results_csv_is_dutch_excel_csv_with_quoting_and_formula_guard() {
    let db = fresh_db(Backend::Sqlite).await;
    let f = fixture(&db.store).await;
    let data = SessionData::load(&db.store, &f.session).await.unwrap();
    let sheets = results_workbook(&data, Locale::Nl, &RULE);
    assert_eq!(
        sheets.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        ["Stellingen", "Perspectieven", "Volgende stappen", "Sessie"]
    );
    let nl = csv_style(Locale::Nl);

    let bytes = sheet_csv(&sheets[0], nl);
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM for Excel");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(text.ends_with("\r\n") && !text.replace("\r\n", "").contains('\r'));
    assert!(text.contains(&format!("\"{}\"", QUOTED.replace('"', "\"\""))));
    let rows = read_csv(text, ';');
    assert_eq!(
        rows[0],
        [
            "Nr",
            "Stelling",
            "Status",
            "Eens",
            "Oneens",
            "Overgeslagen",
            "Totaal",
            "% eens",
            "Stippen"
        ],
        "no per-perspective column for groups below the threshold"
    );
    for p in SMALL_PERSPECTIVES {
        assert!(
            !rows[0].iter().any(|h| h.contains(p)),
            "no column for {p}, a group below the threshold"
        );
    }
    assert_eq!(rows.len(), 6);
    assert!(
        rows.iter().all(|r| r.len() == 9),
        "no per-perspective cells in any row"
    );
    // Statements are numbered from 1 (the Pol.is export's comment-id + 1).
    let plain = row_for(&rows, 1, PLAIN);
    assert_eq!(
        plain,
        &["1", PLAIN, "geaccepteerd", "2", "1", "0", "3", "66,7", "5"]
    );
    let formula = row_for(&rows, 1, &format!("'{FORMULA}"));
    assert_eq!(formula[3..9], ["1", "1", "1", "3", "33,3", "0"]);
    // beleid (a pass and a disagree) and inwoner (an agree) are groups of 2
    // and 1: nothing of how they voted is in the file.
    assert_eq!(formula.len(), 9);
    let quoted = row_for(&rows, 1, QUOTED);
    assert_eq!(quoted[3..9], ["1", "0", "0", "1", "100", "1"]);
    assert_eq!(row_for(&rows, 1, REJECTED)[2], "afgewezen");
    let pending = row_for(&rows, 1, &format!("'{PENDING}"));
    assert_eq!(pending[2..8], ["in afwachting", "0", "0", "0", "0", ""]);

    let persp = read_csv(
        std::str::from_utf8(&sheet_csv(&sheets[1], nl)[3..]).unwrap(),
        ';',
    );
    assert_eq!(
        persp[0],
        [
            "Perspectief",
            "Deelnemers",
            "Deelnemers die stemden",
            "Stemmen",
            "Ingediende stellingen"
        ]
    );
    for p in SMALL_PERSPECTIVES {
        assert!(
            !persp.iter().any(|r| r[0] == p),
            "no row for {p}, a group below the threshold"
        );
    }
    // The total adds up only the listed perspectives, so nothing left out
    // can be recovered by subtracting; the room's totals are on "Sessie".
    assert_eq!(persp.len(), 2);
    assert_eq!(persp[1], ["Totaal", "0", "0", "0", "0"]);

    let steps = read_csv(
        std::str::from_utf8(&sheet_csv(&sheets[2], nl)[3..]).unwrap(),
        ';',
    );
    assert_eq!(
        steps[0],
        ["Nr", "Volgende stap", "Eigenaar", "Toegevoegd op"]
    );
    assert_eq!(
        steps[1],
        [
            "1",
            "Loket op afspraak proberen",
            "Team Dienstverlening",
            "2027-01-15"
        ]
    );
    assert_eq!(steps[2][1], "'+ evalueren in juni");

    let session: BTreeMap<String, String> = read_csv(
        std::str::from_utf8(&sheet_csv(&sheets[3], nl)[3..]).unwrap(),
        ';',
    )
    .into_iter()
    .map(|r| (r[0].clone(), r[1].clone()))
    .collect();
    assert_eq!(session["Titel"], "Loket & <dienstverlening>");
    assert_eq!(session["Deelnemers"], "3");
    assert_eq!(session["Deelnemers die stemden"], "3");
    assert_eq!(session["Geaccepteerde stellingen"], "3");
    assert_eq!(session["Stemmen"], "7");
    assert_eq!(session["Stippen"], "6");

    // English: comma-separated, decimal point, English headers.
    let en = results_workbook(&data, Locale::En, &RULE);
    let rows = read_csv(
        std::str::from_utf8(&sheet_csv(&en[0], csv_style(Locale::En))[3..]).unwrap(),
        ',',
    );
    assert_eq!(rows[0][..3], ["No.", "Statement", "Status"]);
    assert_eq!(
        rows[0].len(),
        9,
        "no per-perspective column in English either"
    );
    assert_eq!(row_for(&rows, 1, PLAIN)[7], "66.7");
    assert_eq!(row_for(&rows, 1, QUOTED)[1], QUOTED);
}

// ---- ODS and XLSX ---------------------------------------------------------------

#[tokio::test]
async fn ods_is_a_valid_package_with_numeric_cells() {
    let db = fresh_db(Backend::Sqlite).await;
    let f = fixture(&db.store).await;
    let data = SessionData::load(&db.store, &f.session).await.unwrap();
    let bytes = workbook_ods(&results_workbook(&data, Locale::Nl, &RULE)).unwrap();

    // The mimetype entry first and stored, so its text sits at offset 38.
    assert_eq!(&bytes[30..38], b"mimetype");
    assert_eq!(
        &bytes[38..38 + 46],
        b"application/vnd.oasis.opendocument.spreadsheet"
    );
    let entries = unzip(&bytes);
    assert_eq!(entries[0].0, "mimetype");
    assert_eq!(entries[0].1, ::zip::CompressionMethod::Stored);
    let manifest = entry(&entries, "META-INF/manifest.xml");
    for part in ["/", "content.xml", "styles.xml", "meta.xml"] {
        assert!(
            manifest.contains(&format!("manifest:full-path=\"{part}\"")),
            "manifest lists {part}"
        );
    }

    let mut book = read_ods(bytes);
    assert_eq!(
        book.sheet_names(),
        ["Stellingen", "Perspectieven", "Volgende stappen", "Sessie"]
    );
    let rows = grid(&book.worksheet_range("Stellingen").unwrap());
    check_statements_grid(&rows);
    check_other_grids(
        &grid(&book.worksheet_range("Perspectieven").unwrap()),
        &grid(&book.worksheet_range("Volgende stappen").unwrap()),
        &grid(&book.worksheet_range("Sessie").unwrap()),
    );
}

#[tokio::test]
async fn xlsx_is_a_valid_package_with_numeric_cells() {
    let db = fresh_db(Backend::Sqlite).await;
    let f = fixture(&db.store).await;
    let data = SessionData::load(&db.store, &f.session).await.unwrap();
    let bytes = workbook_xlsx(&results_workbook(&data, Locale::Nl, &RULE)).unwrap();
    let entries = unzip(&bytes);
    let types = entry(&entries, "[Content_Types].xml");
    for i in 1..=4 {
        assert!(types.contains(&format!("PartName=\"/xl/worksheets/sheet{i}.xml\"")));
    }
    assert!(entry(&entries, "_rels/.rels").contains("Target=\"xl/workbook.xml\""));
    assert!(
        entry(&entries, "xl/styles.xml").contains("<b/>"),
        "a bold font for the header"
    );

    let mut book = read_xlsx(bytes);
    assert_eq!(
        book.sheet_names(),
        ["Stellingen", "Perspectieven", "Volgende stappen", "Sessie"]
    );
    let rows = grid(&book.worksheet_range("Stellingen").unwrap());
    check_statements_grid(&rows);
    check_other_grids(
        &grid(&book.worksheet_range("Perspectieven").unwrap()),
        &grid(&book.worksheet_range("Volgende stappen").unwrap()),
        &grid(&book.worksheet_range("Sessie").unwrap()),
    );
}

// ---- Pol.is format ------------------------------------------------------------

#[tokio::test]
async fn polis_export_numbers_participants_in_a_shuffled_order_never_join_order() {
    let db = fresh_db(Backend::Sqlite).await;
    let f = fixture(&db.store).await;
    let data = SessionData::load(&db.store, &f.session).await.unwrap();
    let mut orders = BTreeSet::new();
    for seed in 0..100 {
        let ids = PolisIds::for_export(&data, seed);
        let order: Vec<u64> = f
            .participants
            .iter()
            .map(|p| ids.participant(p.0).unwrap())
            .collect();
        assert_ne!(order, [0, 1, 2], "seed {seed} gave the joining order");
        orders.insert(order);
    }
    assert!(
        orders.len() > 1,
        "the order depends on the seed: {orders:?}"
    );
    // Statements keep their numbers.
    assert_eq!(
        PolisIds::for_export(&data, 3).statement(f.statements[QUOTED].0),
        PolisIds::new(&data).statement(f.statements[QUOTED].0)
    );
    // The export itself: every vote time is a whole minute.
    let files = polis_export(&data, "", &RULE);
    for row in read_csv(&files.votes, ',').iter().skip(1) {
        let ms: i64 = row[0].parse().unwrap();
        assert_eq!(ms % 60_000, 0, "{row:?}");
        assert!(row[1].contains(":00 UTC"), "{row:?}");
    }
}

#[tokio::test]
async fn polis_export_round_trips_through_load_export() {
    let db = fresh_db(Backend::Sqlite).await;
    let f = fixture(&db.store).await;
    let data = SessionData::load(&db.store, &f.session).await.unwrap();
    let ids = PolisIds::for_export(&data, 7);
    let files = polis_export_with(&data, "https://koers.example/sessies/1", &ids, &RULE);
    let dir = tempfile::tempdir().unwrap();
    files.write_to(dir.path()).unwrap();
    let export = load_export(dir.path()).unwrap();

    let mut expected: Vec<VoteEvent> = data
        .votes
        .iter()
        .map(|v| VoteEvent {
            // Rounded down to the minute.
            time: minute(v.voted_at) * 1000,
            voter: ids.participant(v.participant_id).unwrap(),
            statement: ids.statement(v.statement_id).unwrap(),
            vote: match v.vote {
                1 => Vote::Agree,
                -1 => Vote::Disagree,
                _ => Vote::Pass,
            },
        })
        .collect();
    let mut got = export.votes.clone();
    expected.sort();
    got.sort();
    assert_eq!(got, expected);
    assert_eq!(got.len(), 7);

    let statements: Vec<(u64, String, bool)> = export
        .statements
        .iter()
        .map(|s| (s.id, s.text.clone(), s.moderated_out))
        .collect();
    assert_eq!(
        statements,
        [
            (0, PLAIN.to_owned(), false),
            (1, FORMULA.to_owned(), false),
            (2, QUOTED.to_owned(), false),
            (3, REJECTED.to_owned(), true),
            (4, PENDING.to_owned(), false),
        ]
    );
    // Participants are numbered 0..3, in a shuffled order.
    let mut numbers: Vec<u64> = f
        .participants
        .iter()
        .map(|p| ids.participant(p.0).unwrap())
        .collect();
    numbers.sort_unstable();
    assert_eq!(numbers, [0, 1, 2]);
    assert_eq!(ids.statement(f.statements[QUOTED].0), Some(2));

    // The matrix says the same as the log.
    let matrix = koers_consensus::load::parse_participants_votes_csv(
        &files.participants_votes,
        "participants-votes.csv",
    )
    .unwrap();
    let mut from_matrix: Vec<(u64, u64, Vote)> = matrix
        .iter()
        .map(|v| (v.voter, v.statement, v.vote))
        .collect();
    let mut from_log: Vec<(u64, u64, Vote)> =
        got.iter().map(|v| (v.voter, v.statement, v.vote)).collect();
    from_matrix.sort();
    from_log.sort();
    assert_eq!(from_matrix, from_log);
    let pv = read_csv(&files.participants_votes, ',');
    assert_eq!(
        pv[0],
        [
            "participant",
            "group-id",
            "n-comments",
            "n-votes",
            "n-agree",
            "n-disagree",
            "0",
            "1",
            "2",
            "3",
            "4"
        ]
    );
    let first_joined = ids.participant(f.participants[0].0).unwrap().to_string();
    let row = pv.iter().find(|r| r[0] == first_joined).unwrap();
    assert_eq!(row[1..], ["", "1", "3", "2", "0", "1", "0", "1", "", ""]);

    let comments = read_csv(&files.comments, ',');
    assert_eq!(
        comments[0],
        [
            "timestamp",
            "datetime",
            "comment-id",
            "author-id",
            "agrees",
            "disagrees",
            "moderated",
            "comment-body"
        ]
    );
    let first = &comments[1];
    // Times are rounded down to the minute.
    assert_eq!(first[0], "1800000000000");
    assert_eq!(first[1], "Fri Jan 15 08:00:00 UTC 2027");
    assert_eq!(
        first[3..7],
        ["", "2", "1", "1"],
        "seed: no author; 2 agree, 1 disagree"
    );
    assert_eq!(comments[4][6], "-1");
    assert_eq!(comments[5][6], "0");

    let summary: BTreeMap<String, String> = read_csv(&files.summary, ',')
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    assert_eq!(summary["topic"], "Loket & <dienstverlening>");
    assert_eq!(summary["url"], "https://koers.example/sessies/1");
    assert_eq!(summary["voters"], "3");
    assert_eq!(summary["commenters"], "3");
    assert_eq!(summary["comments"], "5");
    assert_eq!(summary["groups"], "0");
    assert_eq!(
        summary["conversation-description"],
        "Waar lopen we tegenaan?"
    );

    // The zip holds the same four files.
    let entries = unzip(&files.zip().unwrap());
    let names: BTreeSet<&str> = entries.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(
        names,
        BTreeSet::from([
            "votes.csv",
            "comments.csv",
            "participants-votes.csv",
            "summary.csv"
        ])
    );
    assert_eq!(entry(&entries, "votes.csv"), files.votes);
    assert_eq!(entry(&entries, "comments.csv"), files.comments);
    assert_eq!(
        entry(&entries, "participants-votes.csv"),
        files.participants_votes
    );
    assert_eq!(entry(&entries, "summary.csv"), files.summary);
}

// ---- Pol.is import --------------------------------------------------------------

fn polis_data_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/polis");
    assert!(
        dir.join("15-per-hour-seattle/votes.csv").is_file(),
        "the real Pol.is data is expected at {} (the repository ships it in data/polis)",
        dir.display()
    );
    dir
}

/// (voter, comment) → vote from `participants-votes.csv`, read with a plain
/// CSV reader; `group-id` and the other participant columns are skipped.
fn matrix_of(path: &Path) -> BTreeMap<(i64, i64), i16> {
    let text = std::fs::read_to_string(path).unwrap();
    let records = koers_consensus::csv::parse(&text).unwrap();
    let header = &records[0].fields;
    let mut m = BTreeMap::new();
    for r in &records[1..] {
        if r.fields.iter().all(|f| f.is_empty()) {
            continue;
        }
        let voter: i64 = r.fields[0].parse().unwrap();
        // Comment columns are the numeric ones (bg2050 adds an `xid` column).
        for (h, v) in header.iter().zip(&r.fields).skip(1) {
            if let (Ok(comment), false) = (h.parse::<i64>(), v.is_empty()) {
                m.insert((voter, comment), v.parse().unwrap());
            }
        }
    }
    m
}

async fn import_real_conversation(backend: Backend) {
    let db = fresh_db(backend).await;
    let (org, _) = seed_org(
        &db.store,
        "Gemeente Import",
        "import@example.nl",
        "wachtwoord-123",
    )
    .await;
    let data_dir = polis_data_dir();
    let available = polis_conversations_in(&data_dir);
    assert_eq!(available.len(), 8, "all eight conversations are found");
    let seattle = available
        .iter()
        .find(|a| a.conversation.folder == "15-per-hour-seattle")
        .unwrap();
    let scope = scope(&db.store, org.id);
    let session = import_polis_conversation(&db.store, &scope, seattle, NOW)
        .await
        .unwrap();

    assert!(session.read_only);
    assert_eq!(session.phases.states(), [PhaseState::Closed; 4]);
    assert_eq!(session.phases.current(), None::<Phase>);
    assert_eq!(session.title, seattle.conversation.title);
    assert!(session
        .attribution
        .contains("https://compdemocracy.org/case-studies/2014-seattle-15-per-hour"));
    assert!(session.attribution.contains("CC BY 4.0"));
    assert!(session
        .description
        .starts_with("How do you think the new minimum wage law"));
    assert_eq!(session.perspectives, [UNKNOWN_PERSPECTIVE]);
    assert_eq!(session.join_code.len(), 6);

    // Counts against the CSVs themselves.
    let dir = data_dir.join("15-per-hour-seattle");
    let matrix = matrix_of(&dir.join("participants-votes.csv"));
    let comments_text = std::fs::read_to_string(dir.join("comments.csv")).unwrap();
    let comments = koers_consensus::csv::parse(&comments_text).unwrap();
    let moderated_col = comments[0]
        .fields
        .iter()
        .position(|h| h == "moderated")
        .unwrap();
    let rows: Vec<_> = comments[1..].iter().collect();
    let rejected = rows
        .iter()
        .filter(|r| r.fields[moderated_col] == "-1")
        .count();

    let data = SessionData::load(&db.store, &session).await.unwrap();
    let voters: BTreeSet<i64> = matrix.keys().map(|(v, _)| *v).collect();
    assert_eq!(data.participants.len(), voters.len());
    assert_eq!(data.participants.len(), 339);
    assert!(data
        .participants
        .iter()
        .all(|p| p.perspective == UNKNOWN_PERSPECTIVE));
    assert_eq!(data.statements.len(), rows.len());
    assert_eq!(data.statements.len(), 54);
    assert_eq!(
        data.statements
            .iter()
            .filter(|s| s.status == StatementStatus::Rejected)
            .count(),
        rejected
    );
    assert_eq!(data.votes.len(), matrix.len());
    let counts = db
        .store
        .sessie()
        .session_counts(session.scope)
        .await
        .unwrap();
    assert_eq!(counts.votes as usize, matrix.len());

    // Every stored vote is the participant's latest, under the Pol.is ids.
    let ext_p: BTreeMap<i64, i64> = data
        .participants
        .iter()
        .map(|p| (p.id, p.external_id.unwrap()))
        .collect();
    let ext_s: BTreeMap<i64, i64> = data
        .statements
        .iter()
        .map(|s| (s.id.0, s.external_id.unwrap()))
        .collect();
    let stored: BTreeMap<(i64, i64), i16> = data
        .votes
        .iter()
        .map(|v| ((ext_p[&v.participant_id], ext_s[&v.statement_id]), v.vote))
        .collect();
    assert_eq!(stored, matrix);
    // Times are Pol.is's milliseconds as seconds: 2014 for this one.
    assert!(data
        .votes
        .iter()
        .all(|v| (1_400_000_000..1_600_000_000).contains(&v.voted_at)));

    // Export it back in the Pol.is format: the original ids come back, and
    // the matrix is the original's.
    let mut data = data;
    data.analyse().unwrap();
    let groups = data.group_ids();
    assert!(
        (2..=5).contains(&groups.len()),
        "the engine finds groups: {groups:?}"
    );
    let sheets = results_workbook(&data, Locale::Nl, &RULE);
    assert!(matches!(&sheets[0].rows[0][9], Cell::Text(h) if h == "Groepsconsensus"));
    let files = polis_export(&data, "https://pol.is/2demo", &RULE);
    let out = tempfile::tempdir().unwrap();
    files.write_to(out.path()).unwrap();
    assert_eq!(
        matrix_of(&out.path().join("participants-votes.csv")),
        matrix
    );
    let reloaded = load_export(out.path()).unwrap();
    let original = load_export(&dir).unwrap();
    assert_eq!(
        reloaded
            .statements
            .iter()
            .map(|s| (s.id, &s.text, s.moderated_out))
            .collect::<Vec<_>>(),
        original
            .statements
            .iter()
            .map(|s| (s.id, &s.text, s.moderated_out))
            .collect::<Vec<_>>()
    );
    // The spreadsheets of a real conversation are well-formed too.
    let names = ["Stellingen", "Perspectieven", "Volgende stappen", "Sessie"];
    let mut ods = read_ods(workbook_ods(&sheets).unwrap());
    assert_eq!(ods.sheet_names(), names);
    let ods_rows = grid(&ods.worksheet_range("Stellingen").unwrap());
    let mut xlsx = read_xlsx(workbook_xlsx(&sheets).unwrap());
    assert_eq!(xlsx.sheet_names(), names);
    let xlsx_rows = grid(&xlsx.worksheet_range("Stellingen").unwrap());
    for rows in [&ods_rows, &xlsx_rows] {
        assert_eq!(rows.len(), 55, "a header and the 54 statements");
        assert_eq!(rows[0][9], Data::String("Groepsconsensus".into()));
        // Every statement's vote total, as a number, adds up to the votes.
        let total: f64 = rows[1..].iter().map(|r| float(&r[6])).sum();
        assert_eq!(total, matrix.len() as f64);
    }
    assert_eq!(ods_rows, xlsx_rows, "both formats hold the same cells");
}

#[tokio::test]
async fn importing_a_real_polis_conversation_on_sqlite() {
    import_real_conversation(Backend::Sqlite).await;
}

#[tokio::test]
async fn importing_a_real_polis_conversation_on_postgres() {
    import_real_conversation(Backend::Postgres).await;
}

#[test]
fn every_conversation_has_its_attribution() {
    for c in POLIS_CONVERSATIONS {
        let a = c.attribution();
        assert!(a.contains("CC BY 4.0") && a.contains("The Computational Democracy Project"));
        if let Some(url) = c.case_study {
            assert!(a.contains(url));
        }
    }
}

/// Copies the Seattle conversation into a temp dir so a test can break it.
fn broken_copy(file: &str, edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let src = polis_data_dir().join("15-per-hour-seattle");
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "votes.csv",
        "comments.csv",
        "participants-votes.csv",
        "summary.csv",
    ] {
        let text = std::fs::read_to_string(src.join(name)).unwrap();
        let text = if name == file { edit(&text) } else { text };
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

async fn refused(backend: Backend) {
    let db = fresh_db(backend).await;
    let (org, _) = seed_org(
        &db.store,
        "Gemeente Kapot",
        "kapot@example.nl",
        "wachtwoord-123",
    )
    .await;
    let scope = scope(&db.store, org.id);

    // Line 5 of votes.csv gets a vote that is not a vote.
    let dir = broken_copy("votes.csv", |t| {
        t.lines()
            .enumerate()
            .map(|(i, l)| {
                if i == 4 {
                    l.rsplit_once(',').unwrap().0.to_owned() + ",misschien"
                } else {
                    l.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    let err = import_polis(&db.store, &scope, dir.path(), "Kapot", "bron", NOW)
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            ImportError::Load(LoadError::UnknownVote { line: 5, .. })
        ),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains("votes.csv:5"), "{message}");

    // A row with a field too few.
    let dir = broken_copy("comments.csv", |t| {
        t.replacen("\n1403067224363,", "\n1403067224363", 1)
    });
    let err = import_polis(&db.store, &scope, dir.path(), "Kapot", "bron", NOW)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ImportError::Load(LoadError::Malformed { .. })),
        "{err:?}"
    );
    assert!(err.to_string().contains("comments.csv:3"), "{err}");

    // A vote on a statement comments.csv does not know.
    let dir = broken_copy("votes.csv", |t| {
        format!("{}\n1403054214999,x,999,0,1\n", t.trim_end())
    });
    let err = import_polis(&db.store, &scope, dir.path(), "Kapot", "bron", NOW)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ImportError::UnknownStatement { statement: 999, .. }),
        "{err:?}"
    );

    // No comments at all.
    let dir = broken_copy("comments.csv", |t| {
        t.lines().next().unwrap().to_owned() + "\n"
    });
    let err = import_polis(&db.store, &scope, dir.path(), "Kapot", "bron", NOW)
        .await
        .unwrap_err();
    assert!(matches!(&err, ImportError::NoStatements { .. }), "{err:?}");

    // An empty folder.
    let empty = tempfile::tempdir().unwrap();
    let err = import_polis(&db.store, &scope, empty.path(), "Kapot", "bron", NOW)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ImportError::Load(LoadError::NoVotes { .. })),
        "{err:?}"
    );

    assert!(
        db.store
            .sessie()
            .live_sessions(&scope)
            .await
            .unwrap()
            .is_empty(),
        "nothing left behind"
    );
}

#[tokio::test]
async fn a_malformed_polis_export_is_refused_and_leaves_nothing_on_sqlite() {
    refused(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_malformed_polis_export_is_refused_and_leaves_nothing_on_postgres() {
    refused(Backend::Postgres).await;
}

/// The demo imports all eight; each must go in whole, with its attribution.
#[tokio::test]
async fn every_real_polis_conversation_imports() {
    let db = fresh_db(Backend::Sqlite).await;
    let (org, _) = seed_org(
        &db.store,
        "Gemeente Alles",
        "alles@example.nl",
        "wachtwoord-123",
    )
    .await;
    let scope = scope(&db.store, org.id);
    let on_disk = polis_conversations_in(&polis_data_dir());
    // The copy embedded in the binary is the same eight conversations.
    assert_eq!(
        polis_conversations()
            .iter()
            .map(|a| a.conversation.folder)
            .collect::<Vec<_>>(),
        on_disk
            .iter()
            .map(|a| a.conversation.folder)
            .collect::<Vec<_>>()
    );
    for available in on_disk {
        let session = import_polis_conversation(&db.store, &scope, &available, NOW)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", available.conversation.folder));
        let matrix = matrix_of(&available.dir().join("participants-votes.csv"));
        let counts = db
            .store
            .sessie()
            .session_counts(session.scope)
            .await
            .unwrap();
        assert_eq!(
            counts.votes as usize,
            matrix.len(),
            "{}",
            available.conversation.folder
        );
        assert_eq!(session.attribution, available.conversation.attribution());
    }
    assert_eq!(
        db.store.sessie().live_sessions(&scope).await.unwrap().len(),
        8
    );
}

// ---- display names at close ----------------------------------------------------

async fn display_names_are_cleared_when_the_session_closes(backend: Backend) {
    let db = fresh_db(backend).await;
    let f = fixture(&db.store).await;
    let sessie = db.store.sessie();
    sessie
        .join_session(&f.session, "hash-named", "beleid", "Anna", NOW + 20)
        .await
        .unwrap();
    let names = |rows: Vec<koers_store::ParticipantRow>| -> Vec<String> {
        rows.into_iter()
            .map(|p| p.display_name)
            .filter(|n| !n.is_empty())
            .collect()
    };
    let open = koers_core::sessie::Phases::from_states([
        PhaseState::Closed,
        PhaseState::Closed,
        PhaseState::Closed,
        PhaseState::Open,
    ]);
    sessie
        .set_phases(f.session.scope, open, NOW + 30)
        .await
        .unwrap();
    assert_eq!(
        names(sessie.participants(f.session.scope).await.unwrap()),
        ["Anna"],
        "kept while the session runs"
    );
    let done = koers_core::sessie::Phases::from_states([PhaseState::Closed; 4]);
    sessie
        .set_phases(f.session.scope, done, NOW + 40)
        .await
        .unwrap();
    assert!(
        names(sessie.participants(f.session.scope).await.unwrap()).is_empty(),
        "no display name is stored once the session is closed"
    );
    // The votes and participants themselves stay.
    let data = SessionData::load(&db.store, &f.session).await.unwrap();
    assert_eq!(data.participants.len(), 4);
    assert_eq!(data.votes.len(), 7);
}

#[tokio::test]
async fn display_names_are_cleared_when_the_session_closes_on_sqlite() {
    display_names_are_cleared_when_the_session_closes(Backend::Sqlite).await;
}

#[tokio::test]
async fn display_names_are_cleared_when_the_session_closes_on_postgres() {
    display_names_are_cleared_when_the_session_closes(Backend::Postgres).await;
}
