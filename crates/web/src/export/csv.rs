//! CSV for spreadsheets, as the user's Excel or LibreOffice opens it with a
//! double click.
//!
//! - UTF-8 with a byte-order mark: without it Excel reads UTF-8 as Windows-1252
//!   and mangles "ë" and "€".
//! - Dutch (`nl`): `;` between fields and a decimal comma, because a Dutch
//!   Windows has `,` as its decimal separator and therefore `;` as its list
//!   separator; a comma-separated file lands in one column there.
//!   English (`en`): `,` and a decimal point.
//! - RFC 4180 quoting: a field holding the separator, a quote or a line break
//!   is quoted, quotes doubled; lines end in CRLF.
//! - Formula injection: a text cell beginning with `=`, `+`, `-`, `@`, a tab
//!   or a carriage return would be run as a formula by a spreadsheet, so it
//!   gets a leading apostrophe (OWASP's advice). A participant's statement is
//!   untrusted input. Numeric cells are ours and never prefixed.

use super::{number_text, Cell, Sheet};
use crate::i18n::Locale;

/// The field separator and decimal mark for a locale.
pub fn separators(locale: Locale) -> (char, char) {
    match locale {
        Locale::Nl => (';', ','),
        Locale::En => (',', '.'),
    }
}

/// A sheet as CSV bytes (BOM included). Serve as
/// `text/csv; charset=utf-8`.
pub fn sheet_csv(sheet: &Sheet, locale: Locale) -> Vec<u8> {
    let (sep, decimal) = separators(locale);
    let mut out = String::from("\u{feff}");
    for row in &sheet.rows {
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                out.push(sep);
            }
            match cell {
                Cell::Empty => {}
                Cell::Int(n) => out.push_str(&n.to_string()),
                Cell::Number(v) => {
                    if let Some(text) = number_text(*v) {
                        out.push_str(&text.replace('.', &decimal.to_string()));
                    }
                }
                Cell::Text(s) => push_field(&mut out, &guard_formula(s), sep),
            }
        }
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// Prefixes text that a spreadsheet would take for a formula.
pub fn guard_formula(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Appends one field, quoted when it must be.
pub fn push_field(out: &mut String, field: &str, sep: char) {
    if field.contains([sep, '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}
