//! CSV reading for Pol.is exports, done by the [`csv`] crate.
//!
//! Statement bodies in `comments.csv` contain quoted commas, quotes and line
//! breaks, so a line-based split is not enough; the `csv` crate does the
//! RFC 4180 parsing (quoting, CRLF or LF line ends, a UTF-8 BOM at the start).
//! This module adds what the loaders need on top of it:
//!
//! - each record remembers the 1-based line on which it starts, so that errors
//!   can point at the file and line a person would open;
//! - quoting mistakes are errors. The `csv` crate reads them leniently, which
//!   would silently turn a file with one unclosed quote into a single field
//!   holding the rest of the file.
//!
//! Two readers share that work. [`StreamReader`] reads from any
//! [`std::io::Read`] and holds only the record it is on, so that the loaders
//! need memory for the votes they parse, not for the file: an export of a
//! gigabyte is never held as text. It checks UTF-8 record by record and caps
//! the length of a record ([`MAX_RECORD_BYTES`]). [`Reader`] reads a text
//! already in memory and lends out fields that borrow from it whenever the
//! text holds them verbatim (every unquoted field, and quoted ones without a
//! doubled quote); [`parse`] collects its records.
//!
//! Rows may have any number of fields ([`::csv::ReaderBuilder::flexible`]):
//! the loaders compare each row with its header themselves, to name the line.

use std::borrow::Cow;
use std::io::{self, Read};

/// One CSV record: its fields and the 1-based line on which it starts.
/// From a [`Reader`], fields borrow from the text unless unquoting changed
/// them; a [`StreamReader`]'s are owned.
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
        let (start, line) = record_start(bytes, self.consumed, self.line, self.consumed == 0);
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

/// A UTF-8 byte order mark, as spreadsheet programs write at the start of a file.
const BOM: &[u8] = "\u{feff}".as_bytes();

/// Where the record after `at` (on line `line`) really starts, and its line.
/// The `csv` reader stamps a record with where the previous one ended, which
/// is before any blank lines it skips and, with CRLF, before the LF; this
/// skips the same bytes, and a byte order mark at the start of the file.
fn record_start(bytes: &[u8], mut at: usize, mut line: usize, file_start: bool) -> (usize, usize) {
    if file_start && bytes.get(at..).is_some_and(|rest| rest.starts_with(BOM)) {
        at += BOM.len();
    }
    while let Some(&b) = bytes.get(at) {
        match b {
            b'\n' => line += 1,
            b'\r' => {}
            _ => break,
        }
        at += 1;
    }
    (at, line)
}

/// The longest record [`StreamReader`] reads: far beyond any real row (a
/// statement text, or a `participants-votes.csv` row with a column for each
/// of thousands of statements), yet small enough that a file which is one
/// endless record, such as one whose quote is never closed, cannot take the
/// memory that streaming saves.
pub const MAX_RECORD_BYTES: usize = 16 << 20;

/// The error for a record past [`MAX_RECORD_BYTES`].
const TOO_LONG: &str = "a record longer than 16 MiB (is a quote never closed?)";

/// The `csv` reader's buffer: each read from the source asks for this much.
const READ_BUFFER: usize = 64 * 1024;

/// How many bytes of finished records [`Window`] keeps before it drops them:
/// dropping moves the bytes after them to the front, so doing it once per
/// this many bytes, not once per record, keeps the cost to a fraction of a
/// copy of the file.
const DROP_AFTER: usize = 4 * READ_BUFFER;

/// Why a [`StreamReader`] stopped.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The text is not valid CSV (or not UTF-8) at a line.
    #[error("line {}: {}", .0.line, .0.reason)]
    Csv(CsvError),
    /// The source could not be read.
    #[error(transparent)]
    Io(io::Error),
}

/// The source under a [`StreamReader`]'s `csv` reader. It keeps a copy of
/// the bytes it hands over, from the start of the record being read on,
/// because the `csv` crate hands out fields without the text around them:
/// the record's own text tells on which line it starts and shows the quoting
/// mistakes the `csv` crate lets pass. Bytes of earlier records are dropped.
struct Window<R> {
    source: R,
    /// The bytes handed over from offset `base` of the source on.
    bytes: Vec<u8>,
    base: usize,
    /// Offset in the source where the record being read starts.
    record_from: usize,
    /// Set when a read was refused because the record grew past
    /// [`MAX_RECORD_BYTES`], so that the error can say so.
    too_long: bool,
}

impl<R> Window<R> {
    /// `at`, an offset in the source, as an offset into `bytes`.
    fn offset(&self, at: usize) -> usize {
        at.saturating_sub(self.base)
    }
}

impl<R: Read> Read for Window<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let held = (self.base + self.bytes.len()).saturating_sub(self.record_from);
        if held > MAX_RECORD_BYTES {
            self.too_long = true;
            return Err(io::Error::other("record too long"));
        }
        // The `csv` crate drops a byte order mark only if its first read
        // holds all of it, and takes that read for the end of the file if
        // nothing follows the mark; so the first read holds one byte more,
        // when there is one. Later reads may be short.
        let wanted = if self.base + self.bytes.len() == 0 {
            (BOM.len() + 1).min(buf.len())
        } else {
            1
        };
        let mut n = 0;
        while n < wanted {
            match self.source.read(buf.get_mut(n..).unwrap_or_default())? {
                0 => break,
                k => n += k,
            }
        }
        self.bytes
            .extend_from_slice(buf.get(..n).unwrap_or_default());
        Ok(n)
    }
}

/// Reads the records of a file, or of any [`Read`], one at a time, holding
/// only the record it is on: memory does not grow with the file. The record
/// is one reused [`Record`] whose fields are owned strings, overwritten in
/// place, so a vote log costs next to no allocation per row.
///
/// The source needs no [`std::io::BufReader`]: the `csv` reader buffers.
pub struct StreamReader<R> {
    inner: ::csv::Reader<Window<R>>,
    raw: ::csv::ByteRecord,
    record: Record<'static>,
    /// Byte offset up to which the `csv` reader has consumed the source.
    consumed: usize,
    /// The line the `csv` reader is on at `consumed`.
    line: usize,
    /// Offset in the source of the next `"` at or after the last record's
    /// start, or how far the source has been searched for one without luck.
    quote_free_until: usize,
}

impl<R: Read> StreamReader<R> {
    /// A reader at the start of `source`.
    pub fn new(source: R) -> StreamReader<R> {
        let window = Window {
            source,
            bytes: Vec::new(),
            base: 0,
            record_from: 0,
            too_long: false,
        };
        let inner = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(READ_BUFFER)
            .from_reader(window);
        StreamReader {
            inner,
            raw: ::csv::ByteRecord::new(),
            record: Record {
                line: 1,
                fields: Vec::new(),
            },
            consumed: 0,
            line: 1,
            quote_free_until: 0,
        }
    }

    /// The next record, or `None` after the last. The record is overwritten
    /// by the next call; clone it to keep it.
    pub fn next_record(&mut self) -> Result<Option<&Record<'static>>, ReadError> {
        let (from, from_line) = (self.consumed, self.line);
        let window = self.inner.get_mut();
        window.record_from = from;
        let done = from.saturating_sub(window.base);
        if done >= DROP_AFTER {
            window.bytes.drain(..done.min(window.bytes.len()));
            window.base = from;
        }
        let read = self.inner.read_byte_record(&mut self.raw);
        let window = self.inner.get_ref();
        // Offsets into the window's bytes from here on.
        let bytes = &window.bytes;
        let (start, line) = record_start(bytes, window.offset(from), from_line, from == 0);
        let more = read.map_err(|e| {
            let csv = |reason| ReadError::Csv(CsvError { line, reason });
            match e.into_kind() {
                _ if window.too_long => csv(TOO_LONG),
                ::csv::ErrorKind::Io(e) => ReadError::Io(e),
                // Without UTF-8 checks only the source can fail the `csv`
                // reader; should a later release find another reason, say
                // where rather than lose the line.
                _ => csv("the text cannot be read as CSV"),
            }
        })?;
        let position = self.inner.position();
        self.consumed = usize::try_from(position.byte()).unwrap_or(usize::MAX);
        self.line = usize::try_from(position.line()).unwrap_or(usize::MAX);
        if !more {
            return Ok(None);
        }
        let end = window.offset(self.consumed).min(bytes.len()).max(start);
        // The fields hold every byte of the record but its commas, quotes and
        // line end, all ASCII, so the record is UTF-8 when they are; and a
        // line break inside a field is one in the record too.
        let all = self.raw.as_slice();
        let all = std::str::from_utf8(all).map_err(|e| {
            let before = all.get(..e.valid_up_to()).unwrap_or_default();
            ReadError::Csv(CsvError {
                line: line + before.iter().filter(|b| **b == b'\n').count(),
                reason: "the text is not valid UTF-8",
            })
        })?;
        let (record_from, record_to) = (window.base + start, window.base + end);
        if self.quote_free_until < record_to {
            // One search covers all the bytes read so far, so a vote log
            // without quotes is searched once, not record by record.
            let from = self.quote_free_until.max(record_from);
            let rest = bytes.get(window.offset(from)..).unwrap_or_default();
            self.quote_free_until =
                memchr::memchr(b'"', rest).map_or(window.base + bytes.len(), |q| from + q);
        }
        if self.quote_free_until < record_to {
            check_quoting(bytes, start, end, line, &self.raw, |_, _| {}).map_err(ReadError::Csv)?;
        }
        // The fields are the `csv` reader's, copied into the strings of the
        // last record: no allocation unless a field outgrows its string.
        self.record.line = line;
        let fields = &mut self.record.fields;
        fields.truncate(self.raw.len());
        let mut at = 0;
        for (i, field) in self.raw.iter().enumerate() {
            // `as_slice` holds the fields one after the other, as the `csv`
            // crate documents; should that ever not be so, copy the field
            // rather than slice `all` wrong. Comparing where the two lie is
            // enough, and cheaper than comparing their bytes.
            let text = all
                .get(at..at + field.len())
                .filter(|text| std::ptr::eq(text.as_bytes(), field))
                .map_or_else(|| String::from_utf8_lossy(field), Cow::Borrowed);
            at += field.len();
            match fields.get_mut(i) {
                Some(slot) => {
                    let slot = slot.to_mut();
                    slot.clear();
                    slot.push_str(&text);
                }
                None => fields.push(Cow::Owned(text.into_owned())),
            }
        }
        Ok(Some(&self.record))
    }

    /// The record the last [`StreamReader::next_record`] returned.
    pub fn current(&self) -> &Record<'static> {
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
    check_quoting(text.as_bytes(), start, end, line, raw, |field, verbatim| {
        fields.push(match verbatim {
            Some((from, to)) => slice(text, from, to, field),
            None => owned(field),
        });
    })
}

/// Walks the fields of the record in `bytes[start..end]`, which holds a
/// quote, and checks the quoting that the `csv` crate lets pass. For each
/// field it calls `found` with the field as the `csv` crate read it and, when
/// `bytes` holds that field verbatim, where (`None` when unquoting changed it).
fn check_quoting(
    bytes: &[u8],
    start: usize,
    end: usize,
    line: usize,
    raw: &::csv::ByteRecord,
    mut found: impl FnMut(&[u8], Option<(usize, usize)>),
) -> Result<(), CsvError> {
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
            found(field, (!doubled).then_some((at + 1, close)));
            at = after + 1;
        } else {
            if let Some(q) = field.iter().position(|b| *b == b'"') {
                return Err(CsvError {
                    line: line_at(at + q),
                    reason: "a quote inside an unquoted field",
                });
            }
            found(field, Some((at, at + field.len())));
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
