//! Every writer's output read back by a real reader: calamine for XLSX and
//! ODS, the csv crate for CSV, the zip crate for zip bundles. One binary, so
//! the crate links its tests once.
// Tests may unwrap, helpers included: a panic here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use calamine::{open_workbook_from_rs, Data, Ods, Reader, Xlsx};
use koers_tables::csv::{guard_formula, push_record, sheet_csv, CsvStyle};
use koers_tables::{number_text, ods, sheet_names, xlsx, zip, Cell, Sheet, TableError};
use proptest::prelude::*;
use std::io::{Cursor, Read};

/// Text a participant may well type, and that each format has to survive.
const AWKWARD: &[&str] = &[
    r#"Zeg "ja" of 'nee'"#,
    "een; twee; drie",
    "een, twee",
    "regel 1\nregel 2",
    "Loket & <dienstverlening>",
    r#"=HYPERLINK("https://evil.example","klik")"#,
    "+31 6 1234",
    "-2",
    "@SUM(A1)",
    "ë ĳ € 😀",
    "  twee spaties ervoor",
    "erna  ",
    "tab\tin het midden",
    "_x0041_ is geen A",
    "a   b",
];

fn awkward_sheets() -> Vec<Sheet> {
    let mut rows = vec![vec![
        Cell::text("Nr"),
        Cell::text("Stelling"),
        Cell::text("Eens"),
        Cell::text("% eens"),
    ]];
    for (i, text) in AWKWARD.iter().enumerate() {
        rows.push(vec![
            Cell::count(i64::try_from(i).unwrap()),
            Cell::text(*text),
            Cell::Int(-3),
            Cell::maybe(Some(66.7)),
        ]);
    }
    rows.push(vec![
        Cell::Empty,
        Cell::text("geen stemmen"),
        Cell::Int(0),
        Cell::maybe(None),
    ]);
    rows.push(vec![
        Cell::Int(9_007_199_254_740_992),
        Cell::Number(-0.5),
        Cell::Number(1e-7),
        Cell::Number(f64::NAN),
    ]);
    vec![
        Sheet {
            name: "Stellingen".into(),
            rows,
        },
        Sheet {
            name: "Perspectieven".into(),
            rows: vec![
                vec![Cell::text("Perspectief"), Cell::text("Deelnemers")],
                vec![Cell::text("inwoner"), Cell::Int(3)],
                // A short row after a long one.
                vec![Cell::text("Totaal")],
            ],
        },
        Sheet {
            name: "Leeg".into(),
            rows: vec![],
        },
    ]
}

// ---- Reading back ---------------------------------------------------------------

/// What a reader should find for a cell, given what the format can hold.
#[derive(Debug, Clone, PartialEq)]
enum Expect {
    Empty,
    Text(String),
    Number(f64),
}

fn expect(cell: &Cell, ods: bool) -> Expect {
    match cell {
        Cell::Empty => Expect::Empty,
        Cell::Int(n) => Expect::Number(*n as f64),
        Cell::Number(v) if v.is_finite() => Expect::Number(*v),
        Cell::Number(_) => Expect::Empty,
        // ODS drops carriage returns (a CRLF is one line break) and what XML
        // cannot hold; XLSX escapes both.
        Cell::Text(s) if ods => Expect::Text(
            s.chars()
                .filter(|c| *c != '\r' && (!c.is_control() || matches!(c, '\n' | '\t')))
                .collect(),
        ),
        Cell::Text(s) => Expect::Text(s.clone()),
    }
}

fn found(data: Option<&Data>) -> Expect {
    match data {
        None | Some(Data::Empty) => Expect::Empty,
        Some(Data::String(s)) => Expect::Text(s.clone()),
        Some(Data::Float(v)) => Expect::Number(*v),
        Some(Data::Int(n)) => Expect::Number(*n as f64),
        Some(other) => panic!("unexpected cell type {other:?}"),
    }
}

/// Checks that a workbook read back holds exactly the sheets: names, and at
/// every position the same value of the same type, and nothing else.
fn check_workbook<R: Reader<Cursor<Vec<u8>>>>(book: &mut R, sheets: &[Sheet], ods: bool)
where
    R::Error: std::fmt::Debug,
{
    assert_eq!(book.sheet_names(), sheet_names(sheets));
    for (sheet, name) in sheets.iter().zip(sheet_names(sheets)) {
        let range = book.worksheet_range(&name).unwrap();
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let at = (u32::try_from(r).unwrap(), u32::try_from(c).unwrap());
                let want = expect(cell, ods);
                let got = found(range.get_value(at));
                // An empty text cell may read back as no cell at all.
                if want == Expect::Text(String::new()) && got == Expect::Empty {
                    continue;
                }
                assert_eq!(got, want, "sheet {name:?}, row {r}, column {c}");
            }
        }
        // used_cells counts from the range's first cell, not from A1.
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, data) in range.used_cells() {
            let (r, c) = (r + r0 as usize, c + c0 as usize);
            let cell = sheet.rows.get(r).and_then(|row| row.get(c));
            assert!(
                cell.is_some_and(|cell| expect(cell, ods) != Expect::Empty),
                "sheet {name:?}: a stray {data:?} at row {r}, column {c}"
            );
        }
    }
}

fn read_xlsx(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes)).unwrap()
}

fn read_ods(bytes: Vec<u8>) -> Ods<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes)).unwrap()
}

fn unzip(bytes: &[u8]) -> Vec<(String, ::zip::CompressionMethod, Vec<u8>)> {
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

fn read_csv(bytes: &[u8], delimiter: u8) -> Vec<Vec<String>> {
    ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

// ---- XLSX -----------------------------------------------------------------------

#[test]
fn xlsx_reads_back_with_numbers_as_numbers_and_text_as_text() {
    let sheets = awkward_sheets();
    let bytes = xlsx::workbook_xlsx(&sheets).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"));
    let mut book = read_xlsx(bytes);
    check_workbook(&mut book, &sheets, false);
    assert_eq!(book.sheet_names(), ["Stellingen", "Perspectieven", "Leeg"]);
}

#[test]
fn xlsx_never_turns_text_into_a_formula() {
    let sheets = awkward_sheets();
    let mut book = read_xlsx(xlsx::workbook_xlsx(&sheets).unwrap());
    let range = book.worksheet_range("Stellingen").unwrap();
    let row = 1 + AWKWARD
        .iter()
        .position(|t| t.starts_with("=HYPERLINK"))
        .unwrap();
    assert_eq!(
        range.get_value((u32::try_from(row).unwrap(), 1)),
        Some(&Data::String(AWKWARD[row - 1].to_owned()))
    );
    let formulas = book.worksheet_formula("Stellingen").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no cell holds a formula"
    );
}

#[test]
fn xlsx_refuses_more_rows_or_columns_than_excel_holds() {
    let mut rows = vec![Vec::new(); 1_048_576];
    rows.push(vec![Cell::Int(1)]);
    let tall = Sheet {
        name: "Hoog".into(),
        rows,
    };
    assert_eq!(xlsx::workbook_xlsx(&[tall]), Err(TableError::TooLarge));

    let mut row = vec![Cell::Empty; 16_384];
    row.push(Cell::text("te ver"));
    let wide = Sheet {
        name: "Breed".into(),
        rows: vec![row],
    };
    assert_eq!(xlsx::workbook_xlsx(&[wide]), Err(TableError::TooLarge));
}

#[test]
fn xlsx_cuts_text_longer_than_a_cell_holds() {
    // 'ĳ' is one UTF-16 unit, '😀' two: the cut must not split the pair.
    let long = format!("{}😀😀", "ĳ".repeat(32_766));
    let sheets = [Sheet {
        name: "Lang".into(),
        rows: vec![vec![Cell::Text(long.clone())]],
    }];
    let mut book = read_xlsx(xlsx::workbook_xlsx(&sheets).unwrap());
    let range = book.worksheet_range("Lang").unwrap();
    let Some(Data::String(got)) = range.get_value((0, 0)) else {
        panic!("no text cell");
    };
    assert_eq!(got.encode_utf16().count(), 32_766);
    assert!(long.starts_with(got.as_str()));
}

// ---- ODS ------------------------------------------------------------------------

#[test]
fn ods_reads_back_with_numbers_as_numbers_and_text_as_text() {
    let sheets = awkward_sheets();
    let mut book = read_ods(ods::workbook_ods(&sheets).unwrap());
    check_workbook(&mut book, &sheets, true);
    let range = book.worksheet_range("Stellingen").unwrap();
    let row = 1 + AWKWARD
        .iter()
        .position(|t| t.starts_with("=HYPERLINK"))
        .unwrap();
    assert_eq!(
        range.get_value((u32::try_from(row).unwrap(), 1)),
        Some(&Data::String(AWKWARD[row - 1].to_owned()))
    );
    let formulas = book.worksheet_formula("Stellingen").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
}

#[test]
fn ods_package_has_its_mimetype_first_and_stored() {
    let bytes = ods::workbook_ods(&awkward_sheets()).unwrap();
    // The fixed offsets a file sniffer relies on: the first local header's
    // name at 30, no extra field, the stored media type right after it.
    assert_eq!(&bytes[..4], b"PK\x03\x04");
    assert_eq!(&bytes[8..10], &[0, 0], "stored");
    assert_eq!(&bytes[26..28], &[8, 0], "name length");
    assert_eq!(&bytes[28..30], &[0, 0], "no extra field");
    assert_eq!(&bytes[30..38], b"mimetype");
    assert_eq!(&bytes[38..38 + ods::MIME.len()], ods::MIME.as_bytes());

    let entries = unzip(&bytes);
    let names: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(
        names,
        [
            "mimetype",
            "META-INF/manifest.xml",
            "meta.xml",
            "styles.xml",
            "content.xml"
        ]
    );
    assert_eq!(entries[0].1, ::zip::CompressionMethod::Stored);
    assert_eq!(entries[0].2, ods::MIME.as_bytes());
    for (name, method, _) in &entries[1..] {
        assert_eq!(*method, ::zip::CompressionMethod::Deflated, "{name}");
    }
    let manifest = String::from_utf8(entries[1].2.clone()).unwrap();
    for part in ["content.xml", "styles.xml", "meta.xml"] {
        assert!(manifest.contains(&format!(r#"manifest:full-path="{part}""#)));
    }
}

#[test]
fn ods_keeps_spaces_that_odf_would_collapse() {
    let content = |text: &str| {
        let bytes = ods::workbook_ods(&[Sheet {
            name: "x".into(),
            rows: vec![vec![Cell::text(text)]],
        }])
        .unwrap();
        let entries = unzip(&bytes);
        String::from_utf8(entries[4].2.clone()).unwrap()
    };
    // A space at the start, after a line break, and in a run, each needs
    // <text:s>; a single space between words does not.
    assert!(content(" a").contains("<text:p><text:s/>a</text:p>"));
    assert!(content("a\n  b").contains("a<text:line-break/><text:s text:c=\"2\"/>b"));
    assert!(content("a   b").contains("a <text:s text:c=\"2\"/>b"));
    assert!(content("a b").contains("<text:p>a b</text:p>"));
    assert!(content("a\r\nb").contains("a<text:line-break/>b"));
}

#[test]
fn xlsx_and_ods_give_the_same_clean_sheet_names() {
    let names = [
        "Stellingen",
        "a[b]c:d*e?f/g\\h",
        "Een naam die veel langer is dan eenendertig tekens",
        "stellingen",
        "'tussen aanhalingstekens'",
        "",
        "History",
        "Blad8",
        "ë€😀",
    ];
    let sheets: Vec<Sheet> = names
        .iter()
        .map(|n| Sheet {
            name: (*n).into(),
            rows: vec![vec![Cell::text(*n)]],
        })
        .collect();
    let clean = sheet_names(&sheets);
    assert_eq!(
        clean,
        [
            "Stellingen",
            "abcdefgh",
            "Een naam die veel langer is dan",
            "Blad4",
            "tussen aanhalingstekens",
            "Blad6",
            "Blad7",
            "Blad8",
            "ë€😀",
        ]
    );
    let mut book = read_xlsx(xlsx::workbook_xlsx(&sheets).unwrap());
    check_workbook(&mut book, &sheets, false);
    let mut book = read_ods(ods::workbook_ods(&sheets).unwrap());
    check_workbook(&mut book, &sheets, true);

    // A fallback that is taken moves on.
    let sheets: Vec<Sheet> = ["Blad2", ""]
        .iter()
        .map(|n| Sheet {
            name: (*n).into(),
            rows: vec![],
        })
        .collect();
    assert_eq!(sheet_names(&sheets), ["Blad2", "Blad3"]);
}

// ---- CSV ------------------------------------------------------------------------

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
    let csv = String::from_utf8(sheet_csv(&sheet, CsvStyle::DUTCH)).unwrap();
    assert_eq!(csv, "\u{feff}-3;-0,5;'-3;\r\n");
    let csv = String::from_utf8(sheet_csv(&sheet, CsvStyle::ENGLISH)).unwrap();
    assert_eq!(csv, "\u{feff}-3,-0.5,'-3,\r\n");
}

#[test]
fn dutch_csv_reads_back_with_semicolons_decimal_commas_and_guards() {
    let sheets = awkward_sheets();
    let bytes = sheet_csv(&sheets[0], CsvStyle::DUTCH);
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .expect("UTF-8 BOM for Excel");
    let text = std::str::from_utf8(body).unwrap();
    assert!(text.ends_with("\r\n"));
    // Quoted: the field with a quote (doubled), the one with semicolons;
    // the one with only a comma needs no quotes in a semicolon file.
    assert!(text.contains(r#";"Zeg ""ja"" of 'nee'";"#));
    assert!(text.contains(r#";"een; twee; drie";"#));
    assert!(text.contains(";een, twee;"));
    assert!(text.contains("\"regel 1\nregel 2\""));

    let rows = read_csv(body, b';');
    assert_eq!(rows.len(), sheets[0].rows.len());
    assert_eq!(rows[0], ["Nr", "Stelling", "Eens", "% eens"]);
    for (i, want) in AWKWARD.iter().enumerate() {
        let row = &rows[i + 1];
        assert_eq!(row[0], i.to_string());
        assert_eq!(row[1], guard_formula(want));
        assert_eq!(row[2], "-3");
        assert_eq!(row[3], "66,7");
    }
    let hyperlink = rows.iter().find(|r| r[1].contains("HYPERLINK")).unwrap();
    assert!(hyperlink[1].starts_with("'="));
    assert_eq!(rows[rows.len() - 2], ["", "geen stemmen", "0", ""]);
    assert_eq!(
        rows[rows.len() - 1],
        ["9007199254740992", "-0,5", "0,0000001", ""]
    );
}

#[test]
fn english_csv_reads_back_with_commas_and_decimal_points() {
    let sheets = awkward_sheets();
    let bytes = sheet_csv(&sheets[0], CsvStyle::ENGLISH);
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap();
    let text = std::str::from_utf8(body).unwrap();
    assert!(text.contains(r#","een, twee","#));
    assert!(text.contains(",een; twee; drie,"));
    let rows = read_csv(body, b',');
    assert_eq!(rows[1][3], "66.7");
    assert_eq!(
        rows[rows.len() - 1],
        ["9007199254740992", "-0.5", "0.0000001", ""]
    );
    for (i, want) in AWKWARD.iter().enumerate() {
        assert_eq!(rows[i + 1][1], guard_formula(want));
    }
    // A short row stays short.
    let rows = read_csv(
        sheet_csv(&sheets[1], CsvStyle::ENGLISH)
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap(),
        b',',
    );
    assert_eq!(rows[2], ["Totaal"]);
}

#[test]
fn plain_records_are_verbatim_comma_csv_with_lf() {
    let mut out = String::new();
    push_record(&mut out, ["comment-id", "comment-body"], b',');
    push_record(&mut out, ["1", r#"=1+1, "zei" ze"#], b',');
    push_record(&mut out, ["2", "regel 1\r\nregel 2"], b',');
    push_record(&mut out, [""; 0], b',');
    assert_eq!(
        out,
        "comment-id,comment-body\n1,\"=1+1, \"\"zei\"\" ze\"\n2,\"regel 1\r\nregel 2\"\n\"\"\n"
    );
    let rows = read_csv(out.as_bytes(), b',');
    assert_eq!(rows[1], ["1", r#"=1+1, "zei" ze"#]);
    assert_eq!(rows[2], ["2", "regel 1\r\nregel 2"]);
    assert_eq!(rows[3], [""]);
}

#[test]
fn number_text_is_the_shortest_exact_form_without_exponent() {
    assert_eq!(number_text(66.7).as_deref(), Some("66.7"));
    assert_eq!(number_text(1e21).as_deref(), Some("1000000000000000000000"));
    assert_eq!(number_text(-0.0001).as_deref(), Some("-0.0001"));
    assert_eq!(number_text(f64::NAN), None);
    assert_eq!(number_text(f64::INFINITY), None);
}

// ---- Zip bundles ----------------------------------------------------------------

#[test]
fn zip_files_reads_back_in_order_and_deflated() {
    let big = "0,1,2,-1\n".repeat(1000);
    let entries: [(&str, &[u8]); 3] = [
        ("votes.csv", big.as_bytes()),
        ("comments.csv", "comment-id,comment-body\n".as_bytes()),
        ("map/ë€.txt", b""),
    ];
    let bytes = zip::zip_files(&entries).unwrap();
    assert!(bytes.len() < big.len() / 10, "deflate did its work");
    let read = unzip(&bytes);
    assert_eq!(read.len(), 3);
    for ((name, data), (got_name, method, got)) in entries.iter().zip(&read) {
        assert_eq!(got_name, name);
        assert_eq!(got, data);
        assert_eq!(*method, ::zip::CompressionMethod::Deflated);
    }
    // The same input gives the same bytes: no clock in the archive.
    assert_eq!(zip::zip_files(&entries).unwrap(), bytes);
    assert!(unzip(&zip::zip_files(&[]).unwrap()).is_empty());
}

#[test]
fn errors_say_it_in_dutch_and_english() {
    assert_eq!(
        TableError::TooLarge.to_string(),
        "de export is te groot voor dit bestandsformaat / the export is too large for this file format"
    );
    assert!(TableError::Write("x".into())
        .to_string()
        .starts_with("de export kon niet worden geschreven / the export could not be written: x"));
}

// ---- Random sheets --------------------------------------------------------------

fn any_cell() -> impl Strategy<Value = Cell> {
    prop_oneof![
        Just(Cell::Empty),
        // Printable ASCII plus what needs care: line breaks, tabs, runs of
        // spaces, markup characters, non-ASCII letters and an astral symbol.
        "[ -~\n\tëĳ€😀<>&\"']{0,12}".prop_map(Cell::Text),
        (-(1i64 << 53)..(1i64 << 53)).prop_map(Cell::Int),
        any::<f64>().prop_map(Cell::Number),
    ]
}

fn any_sheet() -> impl Strategy<Value = Sheet> {
    (
        "[A-Za-z0-9 ë]{1,12}",
        prop::collection::vec(prop::collection::vec(any_cell(), 0..5), 0..6),
    )
        .prop_map(|(name, rows)| Sheet { name, rows })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn random_sheets_round_trip_through_xlsx_and_ods(
        sheets in prop::collection::vec(any_sheet(), 1..4)
    ) {
        let mut book = read_xlsx(xlsx::workbook_xlsx(&sheets).unwrap());
        check_workbook(&mut book, &sheets, false);
        let mut book = read_ods(ods::workbook_ods(&sheets).unwrap());
        check_workbook(&mut book, &sheets, true);
    }

    #[test]
    fn random_sheets_round_trip_through_csv(sheet in any_sheet(), dutch in any::<bool>()) {
        let style = if dutch { CsvStyle::DUTCH } else { CsvStyle::ENGLISH };
        let bytes = sheet_csv(&sheet, style);
        let rows = read_csv(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap(), style.delimiter);
        // A row of nothing but one empty field reads back as one empty field.
        prop_assert_eq!(rows.len(), sheet.rows.len());
        for (row, got) in sheet.rows.iter().zip(&rows) {
            let want: Vec<String> = row
                .iter()
                .map(|cell| match cell {
                    Cell::Empty => String::new(),
                    Cell::Int(n) => n.to_string(),
                    Cell::Number(v) => {
                        let t = number_text(*v).unwrap_or_default();
                        if dutch { t.replace('.', ",") } else { t }
                    }
                    Cell::Text(s) => guard_formula(s).into_owned(),
                })
                .collect();
            if want.is_empty() {
                prop_assert_eq!(got, &[String::new()]);
            } else {
                prop_assert_eq!(got, &want);
            }
        }
    }
}
