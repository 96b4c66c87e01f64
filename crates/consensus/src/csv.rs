//! CSV reading for Pol.is exports, done by the [`csv`] crate.
//!
//! Statement bodies in `comments.csv` contain quoted commas, quotes and line
//! breaks, so a line-based split is not enough; the `csv` crate does the
//! RFC 4180 parsing (quoting, CRLF or LF line ends, a UTF-8 BOM at the start).
//! This module adds what the loaders need on top of it:
//!
//! - each record remembers the 1-based line on which it starts, so that errors
//!   can point at the file and line a person would open;
//! - fields borrow from the text whenever the file holds them verbatim (every
//!   unquoted field, and quoted ones without a doubled quote), because the
//!   loaders read vote logs of millions of small fields;
//! - quoting mistakes are errors. The `csv` crate reads them leniently, which
//!   would silently turn a file with one unclosed quote into a single field
//!   holding the rest of the file.
//!
//! Rows may have any number of fields ([`::csv::ReaderBuilder::flexible`]):
//! the loaders compare each row with its header themselves, to name the line.

use std::borrow::Cow;

/// One CSV record: its fields and the 1-based line on which it starts.
/// Fields borrow from the text unless unquoting changed them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record<'a> {
    pub line: usize,
    pub fields: Vec<Cow<'a, str>>,
}

/// Why a text is not valid CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvError {
    pub line: usize,
    pub reason: &'static str,
}

/// Splits `text` into records. Blank lines make no record (the `csv` crate
/// skips them), but the lines after them keep their true numbers.
pub fn parse(text: &str) -> Result<Vec<Record<'_>>, CsvError> {
    let mut reader = Reader::new(text);
    let mut records = Vec::new();
    while let Some(record) = reader.next_record()? {
        records.push(record.clone());
    }
    Ok(records)
}

/// True for a record that holds nothing but white space.
pub fn is_blank(record: &Record) -> bool {
    record.fields.len() == 1 && record.fields[0].trim().is_empty()
}

/// Reads the records of a text one at a time, reusing one [`::csv::ByteRecord`]
/// and one [`Record`], so that reading a large vote log allocates next to
/// nothing per row.
pub struct Reader<'a> {
    text: &'a str,
    inner: ::csv::Reader<&'a [u8]>,
    raw: ::csv::ByteRecord,
    record: Record<'a>,
    /// Byte offset up to which the `csv` reader has consumed the text.
    consumed: usize,
    /// The line the `csv` reader is on at `consumed`.
    line: usize,
    /// Byte offset of the next `"` at or after the last record's start
    /// (`usize::MAX` for none), so that quote-free records are never scanned.
    next_quote: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `text`, which holds the whole file.
    pub fn new(text: &'a str) -> Reader<'a> {
        let inner = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        Reader {
            text,
            inner,
            raw: ::csv::ByteRecord::new(),
            record: Record {
                line: 1,
                fields: Vec::new(),
            },
            consumed: 0,
            line: 1,
            next_quote: 0,
        }
    }

    /// The next record, or `None` after the last. The record is overwritten
    /// by the next call; clone it to keep it.
    pub fn next_record(&mut self) -> Result<Option<&Record<'a>>, CsvError> {
        let bytes = self.text.as_bytes();
        // The `csv` reader stamps a record with where the previous one ended,
        // which is before any blank lines it skips and, with CRLF, before the
        // LF. Skip the same bytes here to find where the record really starts.
        let mut start = self.consumed;
        let mut line = self.line;
        if start == 0 && self.text.starts_with('\u{feff}') {
            start = '\u{feff}'.len_utf8();
        }
        while let Some(&b) = bytes.get(start) {
            match b {
                b'\n' => line += 1,
                b'\r' => {}
                _ => break,
            }
            start += 1;
        }
        let more = self
            .inner
            .read_byte_record(&mut self.raw)
            .map_err(|_| CsvError {
                // Reading from memory without UTF-8 checks cannot fail today;
                // should a later `csv` release find a reason, say where.
                line,
                reason: "the text cannot be read as CSV",
            })?;
        let position = self.inner.position();
        self.consumed = usize::try_from(position.byte()).unwrap_or(usize::MAX);
        self.line = usize::try_from(position.line()).unwrap_or(usize::MAX);
        if !more {
            return Ok(None);
        }
        let end = self.consumed.min(bytes.len()).max(start);
        if self.next_quote < start {
            // One search finds the next quote however many records lie
            // before it: a vote log without quotes is searched once.
            self.next_quote = bytes
                .get(start..)
                .and_then(|rest| memchr::memchr(b'"', rest))
                .map_or(usize::MAX, |at| start + at);
        }
        self.record.line = line;
        self.record.fields.clear();
        let fields = &mut self.record.fields;
        if self.next_quote < end {
            quoted_fields(self.text, start, end, line, &self.raw, fields)?;
        } else {
            plain_fields(self.text, start, end, &self.raw, fields);
        }
        Ok(Some(&self.record))
    }

    /// The record the last [`Reader::next_record`] returned.
    pub fn current(&self) -> &Record<'a> {
        &self.record
    }
}

/// The fields of a record without a single quote (nearly every row of a vote
/// log): they lie in `text[start..end]` one after the other, a comma apart.
fn plain_fields<'a>(
    text: &'a str,
    start: usize,
    end: usize,
    raw: &::csv::ByteRecord,
    fields: &mut Vec<Cow<'a, str>>,
) {
    // The fields and their commas must fill the record up to its line end;
    // if they ever do not, copy the fields rather than slice the text wrong.
    let fields_end = start + raw.as_slice().len() + raw.len().saturating_sub(1);
    let line_end = text.as_bytes().get(fields_end..end);
    if !line_end.is_some_and(|rest| rest.iter().all(|b| matches!(b, b'\r' | b'\n'))) {
        fields.extend(raw.iter().map(owned));
        return;
    }
    let mut at = start;
    for field in raw.iter() {
        let to = at + field.len();
        fields.push(text.get(at..to).map_or_else(|| owned(field), Cow::Borrowed));
        at = to + 1;
    }
}

/// The fields of a record that holds a quote, checking the quoting that the
/// `csv` crate lets pass.
fn quoted_fields<'a>(
    text: &'a str,
    start: usize,
    end: usize,
    line: usize,
    raw: &::csv::ByteRecord,
    fields: &mut Vec<Cow<'a, str>>,
) -> Result<(), CsvError> {
    let bytes = text.as_bytes();
    // Slicing with `get` throughout: a misjudged offset must not panic.
    let within = |from: usize, to: usize| bytes.get(from..to).unwrap_or_default();
    let line_at = |at: usize| line + within(start, at).iter().filter(|b| **b == b'\n').count();
    let mut at = start;
    for field in raw.iter() {
        if bytes.get(at) == Some(&b'"') {
            // A quoted field: find its closing quote, stepping over doubled
            // quotes, and insist that a delimiter or the line end follows.
            let mut doubled = false;
            let mut j = at + 1;
            let close = loop {
                match memchr::memchr(b'"', within(j, end)) {
                    None => {
                        return Err(CsvError {
                            line,
                            reason: "a quoted field that is never closed",
                        })
                    }
                    Some(q) if bytes.get(j + q + 1) == Some(&b'"') && j + q + 1 < end => {
                        doubled = true;
                        j += q + 2;
                    }
                    Some(q) => break j + q,
                }
            };
            let after = close + 1;
            if after < end && !matches!(bytes.get(after), Some(b',' | b'\r' | b'\n')) {
                return Err(CsvError {
                    line: line_at(after),
                    reason: "text after the closing quote of a field",
                });
            }
            fields.push(if doubled {
                owned(field)
            } else {
                slice(text, at + 1, close, field)
            });
            at = after + 1;
        } else {
            if let Some(q) = field.iter().position(|b| *b == b'"') {
                return Err(CsvError {
                    line: line_at(at + q),
                    reason: "a quote inside an unquoted field",
                });
            }
            fields.push(slice(text, at, at + field.len(), field));
            at += field.len() + 1;
        }
    }
    Ok(())
}

/// `text[from..to]` when that is the field the `csv` crate read, else a copy
/// of its bytes. The check keeps a misjudged offset from ever yielding a wrong
/// field; it costs a comparison of a few bytes.
fn slice<'a>(text: &'a str, from: usize, to: usize, field: &[u8]) -> Cow<'a, str> {
    match text.get(from..to) {
        Some(s) if s.as_bytes() == field => Cow::Borrowed(s),
        _ => owned(field),
    }
}

fn owned<'a>(field: &[u8]) -> Cow<'a, str> {
    // The fields come from a `str` split at ASCII bytes, so they are UTF-8.
    Cow::Owned(String::from_utf8_lossy(field).into_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn quoted_fields_with_commas_and_newlines() {
        let recs = parse("a,b\n1,\"x, \"\"y\"\"\nz\"\n2,w\n").unwrap();
        assert_eq!(recs.len(), 3);
        assert_eq!(recs[1].fields, vec!["1", "x, \"y\"\nz"]);
        assert_eq!(recs[2].line, 4);
    }

    #[test]
    fn crlf_and_missing_final_newline() {
        let recs = parse("a,b\r\n1,2").unwrap();
        assert_eq!(recs[1].fields, vec!["1", "2"]);
    }

    #[test]
    fn errors_for_stray_quotes() {
        assert_eq!(parse("a\nb\"c\n").unwrap_err().line, 2);
        assert_eq!(parse("a\n\"b\"c\n").unwrap_err().line, 2);
        assert_eq!(parse("\"a\"").unwrap()[0].fields, vec!["a"]);
        assert_eq!(parse("a,\n").unwrap()[0].fields, vec!["a", ""]);
        assert_eq!(parse(",").unwrap()[0].fields, vec!["", ""]);
    }

    #[test]
    fn unterminated_quote_is_an_error() {
        assert_eq!(parse("a\n\"abc").unwrap_err().line, 2);
    }
}
