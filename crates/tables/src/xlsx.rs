//! Office Open XML workbooks (XLSX, ECMA-376), for those on Excel, written
//! with `rust_xlsxwriter` (no optional features).
//!
//! Numbers are number cells, text is string cells: text is never parsed, so
//! a participant's `=HYPERLINK(…)` stays the text it is and is never run as
//! a formula. The header row is bold; the first two columns get a width to
//! read them by (the number, then the statement or step).

use crate::{sheet_names, Cell, Sheet, TableError};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

pub const MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Excel's limit on one cell's text, in UTF-16 code units; longer text is cut
/// there rather than the whole file refused.
const MAX_CELL_UNITS: usize = 32_767;

/// The sheets as an `.xlsx` file. Sheet names are cleaned as
/// [`crate::sheet_names`] says. More rows or columns than Excel holds
/// (1,048,576 × 16,384) is [`TableError::TooLarge`].
pub fn workbook_xlsx(sheets: &[Sheet]) -> Result<Vec<u8>, TableError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    for (sheet, name) in sheets.iter().zip(sheet_names(sheets)) {
        let ws = book.add_worksheet();
        ws.set_name(name).map_err(error)?;
        ws.set_column_width(0, 10).map_err(error)?;
        ws.set_column_width(1, 60).map_err(error)?;
        write_sheet(ws, sheet, &bold)?;
    }
    book.save_to_buffer().map_err(error)
}

fn write_sheet(ws: &mut Worksheet, sheet: &Sheet, bold: &Format) -> Result<(), TableError> {
    for (r, row) in sheet.rows.iter().enumerate() {
        let r = u32::try_from(r).map_err(|_| TableError::TooLarge)?;
        let format = (r == 0).then_some(bold);
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).map_err(|_| TableError::TooLarge)?;
            let written = match (cell, format) {
                (Cell::Empty, _) => continue,
                // Excel holds every number as a double; counts and ids stay
                // exact up to 2^53.
                (Cell::Int(n), None) => ws.write_number(r, c, *n as f64),
                (Cell::Int(n), Some(f)) => ws.write_number_with_format(r, c, *n as f64, f),
                // NaN and infinities have no cell form; left empty as in CSV
                // and ODS.
                (Cell::Number(v), _) if !v.is_finite() => continue,
                (Cell::Number(v), None) => ws.write_number(r, c, *v),
                (Cell::Number(v), Some(f)) => ws.write_number_with_format(r, c, *v, f),
                (Cell::Text(s), None) => ws.write_string(r, c, cut(s)),
                (Cell::Text(s), Some(f)) => ws.write_string_with_format(r, c, cut(s), f),
            };
            written.map_err(error)?;
        }
    }
    Ok(())
}

/// Text cut to what one Excel cell holds, on a character boundary.
fn cut(s: &str) -> &str {
    let mut units = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > MAX_CELL_UNITS {
            return &s[..i];
        }
    }
    s
}

fn error(e: XlsxError) -> TableError {
    match e {
        XlsxError::RowColumnLimitError => TableError::TooLarge,
        e => TableError::Write(e.to_string()),
    }
}
