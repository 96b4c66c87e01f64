//! The table model and the file writers that every part of Koers shares: a
//! [`Sheet`] of [`Cell`]s, written as CSV ([`csv`]), OpenDocument ([`ods`]) or
//! Office Open XML ([`xlsx`]) spreadsheets, and a zip bundle of files
//! ([`zip::zip_files`]) for exports that are several files at once.
//!
//! ```text
//! let sheets: Vec<Sheet> = ...;                    // built by the part that exports
//! csv::sheet_csv(&sheets[0], CsvStyle::DUTCH)      // text/csv; charset=utf-8
//! ods::workbook_ods(&sheets)?                      // ods::MIME
//! xlsx::workbook_xlsx(&sheets)?                    // xlsx::MIME
//! zip::zip_files(&[("votes.csv", bytes)])?         // application/zip
//! ```
//!
//! # What this crate must not depend on
//!
//! It is a leaf that any part may use, so it knows nothing about them: no
//! dependency on `koers-web`, `koers-store` or any other Koers part (which is
//! why the CSV style is a plain [`csv::CsvStyle`] and not the web layer's
//! locale), and none on an I/O runtime or web stack (tokio, axum, hyper,
//! sqlx, reqwest, askama). Everything here is pure: values in, bytes out,
//! nothing read from or written to disk or network.
//!
//! The writers use well-kept crates where one exists: `csv` for quoting,
//! `rust_xlsxwriter` for XLSX, `zip` for the containers. ODS has no lean,
//! maintained writer, so its XML is ours (see [`ods`]).

pub mod csv;
pub mod ods;
pub mod xlsx;
mod xml;
pub mod zip;

/// A spreadsheet cell. Numbers stay numbers in every format, so a
/// spreadsheet can sort and sum them.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    Number(f64),
}

impl Cell {
    /// A text cell.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// A whole-number cell (a count, an id).
    pub fn count(n: impl Into<i64>) -> Cell {
        Cell::Int(n.into())
    }

    /// A number, or an empty cell where there is none (e.g. a percentage of
    /// zero votes).
    pub fn maybe(n: Option<f64>) -> Cell {
        n.map_or(Cell::Empty, Cell::Number)
    }
}

/// A named table; the first row is the header.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
}

/// Why a file could not be written. The message is Dutch and English, as
/// the interface shows it to either.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    /// Beyond what the format holds (e.g. more than 1,048,576 rows or 16,384
    /// columns in XLSX): not a session anyone runs, but refused rather than
    /// written corrupt.
    #[error("de export is te groot voor dit bestandsformaat / the export is too large for this file format")]
    TooLarge,
    /// The underlying writer failed; its own message, for the log.
    #[error("de export kon niet worden geschreven / the export could not be written: {0}")]
    Write(String),
}

/// A number as text, shortest form that reads back the same, with a point;
/// `None` for NaN and infinities, which no format can hold as a number.
/// Rust's `Display` for `f64` never uses an exponent, which spreadsheets in
/// some locales would misread.
pub fn number_text(v: f64) -> Option<String> {
    v.is_finite().then(|| format!("{v}"))
}

/// The longest sheet name Excel accepts, in UTF-16 code units.
const MAX_SHEET_NAME: usize = 31;

/// Sheet names every spreadsheet program accepts, one per sheet and in order:
/// at most 31 UTF-16 code units, none of `[]:*?/\`, no leading or trailing
/// apostrophe, not empty, not `History`, and unique ignoring case (Excel refuses a file
/// otherwise; LibreOffice refuses such names when typed). A name that is
/// empty after cleaning, or taken, becomes `Blad1`, `Blad2`, … by position.
///
/// Both [`xlsx`] and [`ods`] use these, so a workbook has the same sheet
/// names in either format.
pub fn sheet_names(sheets: &[Sheet]) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(sheets.len());
    // "History" is reserved by English Excel (its change-tracking sheet).
    let taken = |names: &[String], n: &str| {
        let n = n.to_lowercase();
        n == "history" || names.iter().any(|o| o.to_lowercase() == n)
    };
    for (i, sheet) in sheets.iter().enumerate() {
        let mut clean = String::new();
        let mut units = 0;
        for c in sheet
            .name
            .chars()
            .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
            // Control characters are not allowed in XML, and a name is no
            // place for a line break anyway.
            .filter(|c| !c.is_control())
        {
            units += c.len_utf16();
            if units > MAX_SHEET_NAME {
                break;
            }
            clean.push(c);
        }
        let clean = clean.trim_matches('\'');
        let name = if clean.trim().is_empty() || taken(&names, clean) {
            // A fallback may itself be taken ("Blad2" as a real name);
            // counting on from the position always ends.
            (i + 1..)
                .map(|n| format!("Blad{n}"))
                .find(|n| !taken(&names, n))
                .unwrap_or_default()
        } else {
            clean.to_owned()
        };
        names.push(name);
    }
    names
}
