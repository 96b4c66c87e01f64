//! The table model and the spreadsheet writers every part shares (CSV, ODS, XLSX).

pub mod csv;
pub mod ods;
pub mod xlsx;
mod xml;
pub mod zip;

/// Why an export could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// Beyond what a zip without zip64 holds (4 GiB, 65,535 entries): not a
    /// session anyone runs, but refused rather than written corrupt.
    #[error("de export is te groot voor een zip-bestand / the export is too large for a zip file")]
    TooLarge,
}

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
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub fn count(n: impl Into<i64>) -> Cell {
        Cell::Int(n.into())
    }

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

/// A number as text, shortest form that reads back the same, with a point;
/// `None` for NaN and infinities, which no format can hold as a number.
pub fn number_text(v: f64) -> Option<String> {
    v.is_finite().then(|| format!("{v}"))
}
