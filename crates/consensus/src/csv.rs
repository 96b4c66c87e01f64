//! A small RFC 4180 reader, just enough for Pol.is exports.
//!
//! Statement bodies in `comments.csv` contain quoted commas and line breaks, so
//! a line-based split is not enough. Each record remembers the line it starts
//! on so that errors can point at the file and line a person would open.

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

/// Splits `text` into records. A trailing newline does not make an empty
/// record; a blank line in the middle does (callers skip it).
///
/// Works on bytes: every delimiter is ASCII, so slicing at them keeps UTF-8
/// intact, and unquoted fields (nearly all of a vote log) are copied whole.
pub fn parse(text: &str) -> Result<Vec<Record<'_>>, CsvError> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut records = Vec::new();
    let mut fields: Vec<Cow<'_, str>> = Vec::new();
    let mut line = 1usize;
    let mut record_line = 1usize;
    let mut i = 0usize;
    if n == 0 {
        return Ok(records);
    }
    loop {
        // At the start of a field.
        let field: Cow<'_, str> = if i < n && bytes[i] == b'"' {
            let mut value = String::new();
            let mut escaped = false;
            let first = i + 1;
            let mut start = i + 1;
            let mut j = i + 1;
            loop {
                if j >= n {
                    return Err(CsvError {
                        line: record_line,
                        reason: "a quoted field that is never closed",
                    });
                }
                match bytes[j] {
                    b'"' => {
                        if j + 1 < n && bytes[j + 1] == b'"' {
                            value.push_str(&text[start..j]);
                            value.push('"');
                            escaped = true;
                            j += 2;
                            start = j;
                        } else {
                            if escaped {
                                value.push_str(&text[start..j]);
                            }
                            j += 1;
                            break;
                        }
                    }
                    b'\n' => {
                        line += 1;
                        j += 1;
                    }
                    _ => j += 1,
                }
            }
            if j < n && !matches!(bytes[j], b',' | b'\n' | b'\r') {
                return Err(CsvError {
                    line,
                    reason: "text after the closing quote of a field",
                });
            }
            let end_quote = j - 1;
            i = j;
            if escaped {
                Cow::Owned(value)
            } else {
                Cow::Borrowed(&text[first..end_quote])
            }
        } else {
            let start = i;
            while i < n && !matches!(bytes[i], b',' | b'\n' | b'"') {
                i += 1;
            }
            if i < n && bytes[i] == b'"' {
                return Err(CsvError {
                    line,
                    reason: "a quote inside an unquoted field",
                });
            }
            let mut end = i;
            if end > start && bytes[end - 1] == b'\r' && (i >= n || bytes[i] == b'\n') {
                end -= 1;
            }
            Cow::Borrowed(&text[start..end])
        };
        fields.push(field);
        if i < n && bytes[i] == b'\r' && i + 1 < n && bytes[i + 1] == b'\n' {
            i += 1;
        }
        if i >= n {
            records.push(Record {
                line: record_line,
                fields: std::mem::take(&mut fields),
            });
            break;
        }
        match bytes[i] {
            b',' => i += 1,
            b'\n' => {
                records.push(Record {
                    line: record_line,
                    fields: std::mem::take(&mut fields),
                });
                line += 1;
                record_line = line;
                i += 1;
                if i >= n {
                    break;
                }
            }
            // A lone carriage return after a quoted field: treat as text end.
            _ => i += 1,
        }
    }
    Ok(records)
}

/// True for a record that holds nothing (a blank line).
pub fn is_blank(record: &Record) -> bool {
    record.fields.len() == 1 && record.fields[0].trim().is_empty()
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
