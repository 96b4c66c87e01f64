//! Results exports (CSV, ODS, XLSX), the Pol.is export format and the Pol.is
//! import. The spreadsheets are read back with a small zip reader and XML
//! parser written here, independent of the writers; the Pol.is files with the
//! consensus crate's own loader.

use crate::common::*;
use koers_consensus::{load_export, LoadError, Vote, VoteEvent};
use koers_core::sessie::{ModerationMode, Phase, PhaseState, VoteChoice};
use koers_core::{ParticipantId, StatementId};
use koers_store::{LiveSession, NewLiveSession, NewStatement, StatementStatus, Store, VoteRecord};
use koers_web::export::csv::{guard_formula, sheet_csv};
use koers_web::export::ods::workbook_ods;
use koers_web::export::polis::{polis_export, PolisIds};
use koers_web::export::xlsx::{column_name, workbook_xlsx};
use koers_web::export::zip::crc32;
use koers_web::export::{results_workbook, Cell, SessionData, Sheet};
use koers_web::i18n::Locale;
use koers_web::import::{
    import_polis, import_polis_conversation, polis_conversations, ImportError, POLIS_CONVERSATIONS,
    UNKNOWN_PERSPECTIVE,
};
use std::collections::{BTreeMap, BTreeSet};
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
        .create_live_session(NewLiveSession {
            organisation_id: org.id,
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
        })
        .await
        .unwrap();
    let mut participants = Vec::new();
    for (i, p) in ["beleid", "beleid", "inwoner"].iter().enumerate() {
        participants.push(
            store
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
            organisation_id: org.id,
            session_id: session.id,
            participant_id: participants[*p],
            statement_id: statements[s],
            vote: *v,
            at: NOW + 100 + i as i64,
        })
        .collect();
    assert!(store.record_votes(&votes).await.unwrap().iter().all(|w| *w));
    store
        .set_dots(
            &session,
            participants[0],
            &BTreeMap::from([(statements[PLAIN].0, 2), (statements[QUOTED].0, 1)]),
        )
        .await
        .unwrap();
    store
        .set_dots(
            &session,
            participants[2],
            &BTreeMap::from([(statements[PLAIN].0, 3)]),
        )
        .await
        .unwrap();
    store
        .add_next_step(
            &session,
            "Loket op afspraak proberen",
            "Team Dienstverlening",
            NOW + 500,
        )
        .await
        .unwrap();
    store
        .add_next_step(&session, "+ evalueren in juni", "", NOW + 501)
        .await
        .unwrap();
    Fixture {
        session,
        statements,
        participants,
    }
}

// ---- independent readers ------------------------------------------------------

/// Reads a zip archive of stored entries: checks signatures, sizes and
/// CRC-32s, returns the entries in directory order.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let u16_at = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]) as usize;
    let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap()) as usize;
    let eocd = bytes.len() - 22;
    assert_eq!(u32_at(eocd), 0x0605_4b50, "end of central directory record");
    let entries = u16_at(eocd + 10);
    let cd_size = u32_at(eocd + 12);
    let mut at = u32_at(eocd + 16);
    assert_eq!(
        at + cd_size,
        eocd,
        "central directory ends where the end record starts"
    );
    let mut out = Vec::new();
    for _ in 0..entries {
        assert_eq!(u32_at(at), 0x0201_4b50, "central directory header");
        assert_eq!(u16_at(at + 10), 0, "stored entry");
        let crc = u32_at(at + 16) as u32;
        let size = u32_at(at + 20);
        assert_eq!(size, u32_at(at + 24));
        let name_len = u16_at(at + 28);
        let extra = u16_at(at + 30);
        let comment = u16_at(at + 32);
        let local = u32_at(at + 42);
        let name = String::from_utf8(bytes[at + 46..at + 46 + name_len].to_vec()).unwrap();
        assert_eq!(u32_at(local), 0x0403_4b50, "local header of {name}");
        assert_eq!(u32_at(local + 14) as u32, crc);
        let local_name = u16_at(local + 26);
        let local_extra = u16_at(local + 28);
        assert_eq!(&bytes[local + 30..local + 30 + local_name], name.as_bytes());
        let start = local + 30 + local_name + local_extra;
        let data = bytes[start..start + size].to_vec();
        assert_eq!(crc32(&data), crc, "CRC of {name}");
        out.push((name, data));
        at += 46 + name_len + extra + comment;
    }
    out
}

fn entry<'a>(entries: &'a [(String, Vec<u8>)], name: &str) -> &'a str {
    let (_, data) = entries
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} is missing from the zip"));
    std::str::from_utf8(data).unwrap()
}

/// An XML element, as far as these tests need one.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: BTreeMap<String, String>,
    children: Vec<Node>,
}

#[derive(Debug)]
enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    fn elements<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter_map(move |c| match c {
            Node::Element(e) if e.name == name => Some(e),
            _ => None,
        })
    }

    fn find(&self, name: &str) -> &Element {
        self.descendants(name)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no <{name}> in <{}>", self.name))
    }

    fn descendants<'a>(&'a self, name: &str) -> Vec<&'a Element> {
        let mut out = Vec::new();
        for c in &self.children {
            if let Node::Element(e) = c {
                if e.name == name {
                    out.push(e);
                }
                out.extend(e.descendants(name));
            }
        }
        out
    }

    fn text(&self) -> String {
        let mut s = String::new();
        for c in &self.children {
            match c {
                Node::Text(t) => s.push_str(t),
                Node::Element(e) if e.name == "text:line-break" => s.push('\n'),
                Node::Element(e) if e.name == "text:s" => {
                    let n: usize = e.attrs.get("text:c").map_or(1, |c| c.parse().unwrap());
                    s.push_str(&" ".repeat(n));
                }
                Node::Element(e) => s.push_str(&e.text()),
            }
        }
        s
    }
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let end = rest[i..].find(';').expect("an entity ends with ;") + i;
        let name = &rest[i + 1..end];
        let c = match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            n if n.starts_with("#x") => {
                char::from_u32(u32::from_str_radix(&n[2..], 16).unwrap()).unwrap()
            }
            n if n.starts_with('#') => char::from_u32(n[1..].parse().unwrap()).unwrap(),
            n => panic!("unknown entity &{n};"),
        };
        out.push(c);
        rest = &rest[end + 1..];
    }
    assert!(!rest.contains(['<']), "a raw < in text");
    out.push_str(rest);
    out
}

/// A strict little XML parser: one root, matching tags, quoted attributes,
/// known entities only. Panics on anything not well-formed.
fn parse_xml(text: &str) -> Element {
    let mut s = text;
    if s.starts_with("<?xml") {
        s = &s[s.find("?>").unwrap() + 2..];
    }
    let mut stack: Vec<Element> = vec![Element::default()];
    while !s.is_empty() {
        if let Some(rest) = s.strip_prefix("</") {
            let end = rest.find('>').unwrap();
            let name = rest[..end].trim();
            let done = stack.pop().unwrap();
            assert_eq!(done.name, name, "mismatched end tag");
            stack.last_mut().unwrap().children.push(Node::Element(done));
            s = &rest[end + 1..];
        } else if let Some(rest) = s.strip_prefix('<') {
            let end = rest.find('>').unwrap();
            let mut inner = &rest[..end];
            let empty = inner.ends_with('/');
            if empty {
                inner = &inner[..inner.len() - 1];
            }
            let name_end = inner
                .find(|c: char| c.is_whitespace())
                .unwrap_or(inner.len());
            let mut e = Element {
                name: inner[..name_end].to_owned(),
                ..Element::default()
            };
            assert!(!e.name.is_empty());
            let mut a = inner[name_end..].trim();
            while !a.is_empty() {
                let eq = a.find('=').unwrap();
                let key = a[..eq].trim().to_owned();
                let q = a[eq + 1..].chars().next().unwrap();
                assert!(q == '"' || q == '\'', "attribute {key} is not quoted");
                let vstart = eq + 2;
                let vend = a[vstart..].find(q).unwrap() + vstart;
                let value = &a[vstart..vend];
                assert!(!value.contains('<'));
                assert!(
                    e.attrs.insert(key, unescape(value)).is_none(),
                    "duplicate attribute"
                );
                a = a[vend + 1..].trim_start();
            }
            if empty {
                stack.last_mut().unwrap().children.push(Node::Element(e));
            } else {
                stack.push(e);
            }
            s = &rest[end + 1..];
        } else {
            let end = s.find('<').unwrap_or(s.len());
            let t = unescape(&s[..end]);
            if stack.len() == 1 {
                assert!(t.trim().is_empty(), "text outside the root");
            } else {
                stack.last_mut().unwrap().children.push(Node::Text(t));
            }
            s = &s[end..];
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    let mut doc = stack.pop().unwrap();
    assert_eq!(doc.children.len(), 1, "exactly one root element");
    match doc.children.pop().unwrap() {
        Node::Element(e) => e,
        Node::Text(_) => unreachable!(),
    }
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
    let csv = String::from_utf8(sheet_csv(&sheet, Locale::Nl)).unwrap();
    assert_eq!(csv, "\u{feff}-3;-0,5;'-3;\r\n");
    let csv = String::from_utf8(sheet_csv(&sheet, Locale::En)).unwrap();
    assert_eq!(csv, "\u{feff}-3,-0.5,'-3,\r\n");
}

#[tokio::test]
async fn results_csv_is_dutch_excel_csv_with_quoting_and_formula_guard() {
    let db = fresh_db(Backend::Sqlite).await;
    let f = fixture(&db.store).await;
    let data = SessionData::load(&db.store, &f.session).await.unwrap();
    let sheets = results_workbook(&data, Locale::Nl);
    assert_eq!(
        sheets.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        ["Stellingen", "Perspectieven", "Volgende stappen", "Sessie"]
    );

    let bytes = sheet_csv(&sheets[0], Locale::Nl);
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
            "Stippen",
            "% eens beleid",
            "% eens inwoner",
            "% eens toezicht"
        ]
    );
    assert_eq!(rows.len(), 6);
    // Statements are numbered 0.. as in the Pol.is export.
    let plain = row_for(&rows, 1, PLAIN);
    assert_eq!(
        plain,
        &[
            "0",
            PLAIN,
            "geaccepteerd",
            "2",
            "1",
            "0",
            "3",
            "66,7",
            "5",
            "100",
            "0",
            ""
        ]
    );
    let formula = row_for(&rows, 1, &format!("'{FORMULA}"));
    assert_eq!(formula[3..9], ["1", "1", "1", "3", "33,3", "0"]);
    // beleid: a pass and a disagree; inwoner agrees.
    assert_eq!(formula[9..], ["0", "100", ""]);
    let quoted = row_for(&rows, 1, QUOTED);
    assert_eq!(quoted[3..9], ["1", "0", "0", "1", "100", "1"]);
    assert_eq!(row_for(&rows, 1, REJECTED)[2], "afgewezen");
    let pending = row_for(&rows, 1, &format!("'{PENDING}"));
    assert_eq!(pending[2..8], ["in afwachting", "0", "0", "0", "0", ""]);

    let persp = read_csv(
        std::str::from_utf8(&sheet_csv(&sheets[1], Locale::Nl)[3..]).unwrap(),
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
    assert_eq!(persp[1], ["beleid", "2", "2", "5", "3"]);
    assert_eq!(persp[2], ["inwoner", "1", "1", "2", "1"]);
    assert_eq!(persp[3], ["toezicht", "0", "0", "0", "0"]);
    assert_eq!(persp[4], ["Totaal", "3", "3", "7", "4"]);

    let steps = read_csv(
        std::str::from_utf8(&sheet_csv(&sheets[2], Locale::Nl)[3..]).unwrap(),
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

    // English: comma-separated, decimal point, English headers.
    let en = results_workbook(&data, Locale::En);
    let rows = read_csv(
        std::str::from_utf8(&sheet_csv(&en[0], Locale::En)[3..]).unwrap(),
        ',',
    );
    assert_eq!(rows[0][..3], ["No.", "Statement", "Status"]);
    assert_eq!(row_for(&rows, 1, PLAIN)[7], "66.7");
    assert_eq!(row_for(&rows, 1, QUOTED)[1], QUOTED);
}

// ---- ODS and XLSX ---------------------------------------------------------------

#[tokio::test]
async fn ods_is_a_valid_package_with_numeric_cells() {
    let db = fresh_db(Backend::Sqlite).await;
    let f = fixture(&db.store).await;
    let data = SessionData::load(&db.store, &f.session).await.unwrap();
    let bytes = workbook_ods(&results_workbook(&data, Locale::Nl)).unwrap();

    // The mimetype entry first and stored, so its text sits at offset 38.
    assert_eq!(&bytes[30..38], b"mimetype");
    assert_eq!(
        &bytes[38..38 + 46],
        b"application/vnd.oasis.opendocument.spreadsheet"
    );
    let entries = unzip(&bytes);
    assert_eq!(entries[0].0, "mimetype");
    for (name, data) in &entries {
        if name.ends_with(".xml") {
            parse_xml(std::str::from_utf8(data).unwrap());
        }
    }
    let manifest = parse_xml(entry(&entries, "META-INF/manifest.xml"));
    let parts: BTreeSet<String> = manifest
        .descendants("manifest:file-entry")
        .iter()
        .map(|e| e.attrs["manifest:full-path"].clone())
        .collect();
    for part in ["/", "content.xml", "styles.xml", "meta.xml"] {
        assert!(parts.contains(part), "manifest lists {part}");
    }

    let content = parse_xml(entry(&entries, "content.xml"));
    let tables = content.descendants("table:table");
    assert_eq!(
        tables
            .iter()
            .map(|t| t.attrs["table:name"].as_str())
            .collect::<Vec<_>>(),
        ["Stellingen", "Perspectieven", "Volgende stappen", "Sessie"]
    );
    let rows: Vec<Vec<&Element>> = tables[0]
        .elements("table:table-row")
        .map(|r| r.elements("table:table-cell").collect())
        .collect();
    assert_eq!(rows[0][1].text(), "Stelling");
    let plain = rows.iter().find(|r| r[1].text() == PLAIN).unwrap();
    let float = |c: &Element| -> f64 {
        assert_eq!(c.attrs["office:value-type"], "float");
        c.attrs["office:value"].parse().unwrap()
    };
    assert_eq!(float(plain[0]), 0.0);
    assert_eq!(float(plain[3]), 2.0);
    assert_eq!(float(plain[6]), 3.0);
    assert_eq!(float(plain[7]), 66.7);
    assert_eq!(float(plain[8]), 5.0);
    assert!(
        plain[11].attrs.is_empty(),
        "no votes from toezicht: an empty cell"
    );
    // Text is typed as a string, never evaluated, so no guard is needed; the
    // line break and the markup characters survive.
    let quoted = rows.iter().find(|r| r[1].text() == QUOTED).unwrap();
    assert_eq!(quoted[1].attrs["office:value-type"], "string");
    assert!(rows.iter().any(|r| r[1].text() == FORMULA));
    let session = tables[3];
    assert!(session
        .elements("table:table-row")
        .any(|r| r.text() == format!("Titel{}", "Loket & <dienstverlening>")));
}

#[tokio::test]
async fn xlsx_is_a_valid_package_with_numeric_cells() {
    let db = fresh_db(Backend::Sqlite).await;
    let f = fixture(&db.store).await;
    let data = SessionData::load(&db.store, &f.session).await.unwrap();
    let bytes = workbook_xlsx(&results_workbook(&data, Locale::Nl)).unwrap();
    let entries = unzip(&bytes);
    for (name, data) in &entries {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            parse_xml(std::str::from_utf8(data).unwrap());
        }
    }
    let types = parse_xml(entry(&entries, "[Content_Types].xml"));
    let overrides: BTreeSet<String> = types
        .elements("Override")
        .map(|o| o.attrs["PartName"].clone())
        .collect();
    for i in 1..=4 {
        assert!(overrides.contains(&format!("/xl/worksheets/sheet{i}.xml")));
    }
    let rels = parse_xml(entry(&entries, "_rels/.rels"));
    assert_eq!(rels.find("Relationship").attrs["Target"], "xl/workbook.xml");
    let workbook = parse_xml(entry(&entries, "xl/workbook.xml"));
    let names: Vec<String> = workbook
        .descendants("sheet")
        .iter()
        .map(|s| s.attrs["name"].clone())
        .collect();
    assert_eq!(
        names,
        ["Stellingen", "Perspectieven", "Volgende stappen", "Sessie"]
    );

    let sheet = parse_xml(entry(&entries, "xl/worksheets/sheet1.xml"));
    let cells: BTreeMap<String, &Element> = sheet
        .descendants("c")
        .into_iter()
        .map(|c| (c.attrs["r"].clone(), c))
        .collect();
    let text = |r: &str| {
        let c = cells[r];
        assert_eq!(c.attrs["t"], "inlineStr");
        c.find("t").text()
    };
    let number = |r: &str| -> f64 {
        let c = cells[r];
        assert!(!c.attrs.contains_key("t"), "{r} is a number cell");
        c.find("v").text().parse().unwrap()
    };
    assert_eq!(text("B1"), "Stelling");
    assert_eq!(cells["A1"].attrs["s"], "1", "bold header");
    let row = (2..=6).find(|r| text(&format!("B{r}")) == PLAIN).unwrap();
    assert_eq!(number(&format!("D{row}")), 2.0);
    assert_eq!(number(&format!("H{row}")), 66.7);
    assert_eq!(number(&format!("I{row}")), 5.0);
    assert!(
        !cells.contains_key(&format!("L{row}")),
        "no votes from toezicht"
    );
    assert!((2..=6).any(|r| text(&format!("B{r}")) == QUOTED));
    assert_eq!(column_name(0), "A");
    assert_eq!(column_name(25), "Z");
    assert_eq!(column_name(26), "AA");
    assert_eq!(column_name(701), "ZZ");
    assert_eq!(column_name(702), "AAA");
}

// ---- Pol.is format ------------------------------------------------------------

#[tokio::test]
async fn polis_export_round_trips_through_load_export() {
    let db = fresh_db(Backend::Sqlite).await;
    let f = fixture(&db.store).await;
    let data = SessionData::load(&db.store, &f.session).await.unwrap();
    let files = polis_export(&data, "https://koers.example/sessies/1");
    let dir = tempfile::tempdir().unwrap();
    files.write_to(dir.path()).unwrap();
    let export = load_export(dir.path()).unwrap();

    let ids = PolisIds::new(&data);
    let mut expected: Vec<VoteEvent> = data
        .votes
        .iter()
        .map(|v| VoteEvent {
            time: v.voted_at * 1000,
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
    // Participants are numbered 0.. in joining order.
    assert_eq!(ids.participant(f.participants[0].0), Some(0));
    assert_eq!(ids.participant(f.participants[2].0), Some(2));
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
    assert_eq!(pv[1], ["0", "", "1", "3", "2", "0", "1", "0", "1", "", ""]);

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
    assert_eq!(first[0], "1800000010000");
    assert_eq!(first[1], "Fri Jan 15 08:00:10 UTC 2027");
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
    let names: BTreeSet<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
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
    let available = polis_conversations(&data_dir);
    assert_eq!(available.len(), 8, "all eight conversations are found");
    let seattle = available
        .iter()
        .find(|a| a.conversation.folder == "15-per-hour-seattle")
        .unwrap();
    let session = import_polis_conversation(&db.store, org.id, seattle, NOW)
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
    let counts = db.store.session_counts(session.id).await.unwrap();
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
    let sheets = results_workbook(&data, Locale::Nl);
    assert!(matches!(&sheets[0].rows[0][9], Cell::Text(h) if h == "Groepsconsensus"));
    let files = polis_export(&data, "https://pol.is/2demo");
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
    let ods = unzip(&workbook_ods(&sheets).unwrap());
    parse_xml(entry(&ods, "content.xml"));
    let xlsx = unzip(&workbook_xlsx(&sheets).unwrap());
    parse_xml(entry(&xlsx, "xl/worksheets/sheet1.xml"));
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
    let err = import_polis(&db.store, org.id, dir.path(), "Kapot", "bron", NOW)
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
    let err = import_polis(&db.store, org.id, dir.path(), "Kapot", "bron", NOW)
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
    let err = import_polis(&db.store, org.id, dir.path(), "Kapot", "bron", NOW)
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
    let err = import_polis(&db.store, org.id, dir.path(), "Kapot", "bron", NOW)
        .await
        .unwrap_err();
    assert!(matches!(&err, ImportError::NoStatements { .. }), "{err:?}");

    // An empty folder.
    let empty = tempfile::tempdir().unwrap();
    let err = import_polis(&db.store, org.id, empty.path(), "Kapot", "bron", NOW)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ImportError::Load(LoadError::NoVotes { .. })),
        "{err:?}"
    );

    assert!(
        db.store.live_sessions(org.id).await.unwrap().is_empty(),
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
    for available in polis_conversations(&polis_data_dir()) {
        let session = import_polis_conversation(&db.store, org.id, &available, NOW)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", available.conversation.folder));
        let matrix = matrix_of(&available.dir.join("participants-votes.csv"));
        let counts = db.store.session_counts(session.id).await.unwrap();
        assert_eq!(
            counts.votes as usize,
            matrix.len(),
            "{}",
            available.conversation.folder
        );
        assert_eq!(session.attribution, available.conversation.attribution());
    }
    assert_eq!(db.store.live_sessions(org.id).await.unwrap().len(), 8);
}
