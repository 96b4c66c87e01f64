//! A small RFC 4180 reader, just enough for Pol.is exports.
//!
//! Statement bodies in `comments.csv` contain quoted commas and line breaks, so
//! a line-based split is not enough. Each record remembers the line it starts
//! on so that errors can point at the file and line a person would open.

/// One CSV record: its fields and the 1-based line on which it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// Why a text is not valid CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvError {
    pub line: usize,
    pub reason: &'static str,
}

/// Splits `text` into records. A trailing newline does not make an empty
/// record; a blank line in the middle does (callers skip it).
pub fn parse(text: &str) -> Result<Vec<Record>, CsvError> {
    let mut records = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut line = 1usize;
    let mut record_line = 1usize;
    let mut in_quotes = false;
    // A field that was quoted may only be followed by a separator or line end.
    let mut after_quote = false;
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        any = true;
        if in_quotes {
            match c {
                '"' => {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        field.push('"');
                    } else {
                        in_quotes = false;
                        after_quote = true;
                    }
                }
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            ',' => {
                fields.push(std::mem::take(&mut field));
                after_quote = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                fields.push(std::mem::take(&mut field));
                records.push(Record {
                    line: record_line,
                    fields: std::mem::take(&mut fields),
                });
                line += 1;
                record_line = line;
                after_quote = false;
                any = false;
            }
            '"' => {
                if !field.is_empty() || after_quote {
                    return Err(CsvError {
                        line,
                        reason: "a quote inside an unquoted field",
                    });
                }
                in_quotes = true;
            }
            _ => {
                if after_quote {
                    return Err(CsvError {
                        line,
                        reason: "text after the closing quote of a field",
                    });
                }
                field.push(c);
            }
        }
    }
    if in_quotes {
        return Err(CsvError {
            line: record_line,
            reason: "a quoted field that is never closed",
        });
    }
    if any {
        fields.push(field);
        records.push(Record {
            line: record_line,
            fields,
        });
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
    fn unterminated_quote_is_an_error() {
        assert_eq!(parse("a\n\"abc").unwrap_err().line, 2);
    }
}
