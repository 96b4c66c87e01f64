//! CSV, in two flavours.
//!
//! [`sheet_csv`] is for spreadsheets, as the user's Excel or LibreOffice opens
//! it with a double click:
//!
//! - UTF-8 with a byte-order mark: without it Excel reads UTF-8 as
//!   Windows-1252 and mangles "ë" and "€".
//! - [`CsvStyle::DUTCH`]: `;` between fields and a decimal comma, because a
//!   Dutch Windows has `,` as its decimal separator and therefore `;` as its
//!   list separator; a comma-separated file lands in one column there.
//!   [`CsvStyle::ENGLISH`]: `,` and a decimal point.
//! - RFC 4180 quoting: a field holding the separator, a quote or a line break
//!   is quoted, quotes doubled; lines end in CRLF.
//! - Formula injection: a text cell beginning with `=`, `+`, `-`, `@`, a tab
//!   or a carriage return would be run as a formula by a spreadsheet, so it
//!   gets a leading apostrophe (OWASP's advice, [`guard_formula`]). A
//!   participant's statement is untrusted input. Numeric cells are ours and
//!   never prefixed, so `-3` stays a number.
//!
//! [`push_record`] is for tools (the Pol.is export): plain RFC 4180 records
//! ending in LF, text verbatim, no BOM and no formula guard, so that a round
//! trip is exact.
//!
//! Quoting is the `csv` crate's (`QuoteStyle::Necessary`), which quotes
//! exactly the fields that hold the delimiter, a quote, CR or LF. One
//! difference from a naive writer: a record that is a single empty field
//! (or no field at all) is written as `""`, so that readers do not skip it
//! as a blank line.

use crate::{number_text, Cell, Sheet};
use std::borrow::Cow;

/// The field separator and decimal mark of a CSV file. The constants are the
/// two the interface offers; this crate knows no locale type, so callers map
/// theirs onto these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvStyle {
    /// An ASCII byte, e.g. `b';'`.
    pub delimiter: u8,
    /// `0,5` rather than `0.5`.
    pub decimal_comma: bool,
}

impl CsvStyle {
    /// As a Dutch Excel or LibreOffice reads it: `;` and a decimal comma.
    pub const DUTCH: CsvStyle = CsvStyle {
        delimiter: b';',
        decimal_comma: true,
    };
    /// As an English Excel or LibreOffice reads it: `,` and a decimal point.
    pub const ENGLISH: CsvStyle = CsvStyle {
        delimiter: b',',
        decimal_comma: false,
    };
}

/// The byte-order mark that makes Excel read the file as UTF-8.
const BOM: &str = "\u{feff}";

fn writer<W: std::io::Write>(
    out: W,
    delimiter: u8,
    terminator: ::csv::Terminator,
) -> ::csv::Writer<W> {
    ::csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(terminator)
        .quote_style(::csv::QuoteStyle::Necessary)
        .double_quote(true)
        // Rows may differ in length (a header wider than a short row); the
        // csv crate would refuse that otherwise.
        .flexible(true)
        .from_writer(out)
}

/// A sheet as CSV bytes (BOM included), for a spreadsheet. Serve as
/// `text/csv; charset=utf-8`.
pub fn sheet_csv(sheet: &Sheet, style: CsvStyle) -> Vec<u8> {
    let mut out = BOM.as_bytes().to_vec();
    // Writing into memory cannot fail: the csv crate's errors are I/O errors
    // and ragged rows, which `flexible` allows. Should one occur anyway, the
    // rows written so far are still returned rather than a panic.
    let _ = write_sheet(&mut out, sheet, style);
    out
}

fn write_sheet(out: &mut Vec<u8>, sheet: &Sheet, style: CsvStyle) -> ::csv::Result<()> {
    let mut w = writer(out, style.delimiter, ::csv::Terminator::CRLF);
    for row in &sheet.rows {
        let fields: Vec<Cow<'_, str>> = row.iter().map(|c| field(c, style)).collect();
        w.write_record(fields.iter().map(|f| f.as_bytes()))?;
    }
    w.flush()?;
    Ok(())
}

/// One cell's text in a spreadsheet CSV.
fn field(cell: &Cell, style: CsvStyle) -> Cow<'_, str> {
    match cell {
        Cell::Empty => Cow::Borrowed(""),
        Cell::Int(n) => Cow::Owned(n.to_string()),
        Cell::Number(v) => match number_text(*v) {
            Some(t) if style.decimal_comma => Cow::Owned(t.replace('.', ",")),
            Some(t) => Cow::Owned(t),
            None => Cow::Borrowed(""),
        },
        Cell::Text(s) => guard_formula(s),
    }
}

/// Prefixes text that a spreadsheet would take for a formula with an
/// apostrophe, which spreadsheets show as nothing but which makes the rest
/// plain text.
pub fn guard_formula(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Appends one record to `out`: the fields verbatim (RFC 4180 quoting where
/// needed, no formula guard), separated by `delimiter` and ended by `\n`.
/// For files read by tools rather than people, such as the Pol.is export.
pub fn push_record<I, F>(out: &mut String, fields: I, delimiter: u8)
where
    I: IntoIterator<Item = F>,
    F: AsRef<str>,
{
    let mut bytes = Vec::new();
    {
        let mut w = writer(&mut bytes, delimiter, ::csv::Terminator::Any(b'\n'));
        // As in `sheet_csv`: writing into memory cannot fail.
        let fields: Vec<F> = fields.into_iter().collect();
        let _ = w
            .write_record(fields.iter().map(|f| f.as_ref().as_bytes()))
            .and_then(|()| w.flush().map_err(::csv::Error::from));
    }
    // UTF-8 fields joined by an ASCII delimiter are UTF-8; a non-ASCII
    // delimiter byte is the caller's mistake and shows as U+FFFD.
    out.push_str(&String::from_utf8_lossy(&bytes));
}
