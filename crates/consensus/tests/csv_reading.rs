//! The CSV layer under the loaders: quoting, line ends, a byte order mark,
//! ragged and blank rows, and the lines that errors name.

use std::borrow::Cow;

use koers_consensus::csv::{self, ReadError, Reader, StreamReader};
use koers_consensus::load::{parse_comments_csv, parse_votes_csv};
use koers_consensus::{load_export, LoadError, Vote};
use proptest::prelude::*;

use crate::common::temp_dir;

fn fields(text: &str) -> Vec<(usize, Vec<String>)> {
    csv::parse(text)
        .unwrap()
        .into_iter()
        .map(|r| (r.line, r.fields.into_iter().map(Cow::into_owned).collect()))
        .collect()
}

fn row(line: usize, fields: &[&str]) -> (usize, Vec<String>) {
    (line, fields.iter().map(|f| f.to_string()).collect())
}

#[test]
fn quoted_fields_keep_commas_quotes_and_line_breaks() {
    let text = "id,body\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n4,\"\"\n5,last\n";
    assert_eq!(
        fields(text),
        vec![
            row(1, &["id", "body"]),
            row(2, &["1", "a, b"]),
            row(3, &["2", "say \"hi\""]),
            row(4, &["3", "two\nlines"]),
            row(6, &["4", ""]),
            row(7, &["5", "last"]),
        ]
    );
}

#[test]
fn fields_borrow_from_the_text_unless_unquoting_changed_them() {
    let records = csv::parse("plain,\"quoted, as is\",\"with \"\"quotes\"\"\"\n").unwrap();
    let f = &records[0].fields;
    assert!(matches!(&f[0], Cow::Borrowed("plain")), "{f:?}");
    assert!(matches!(&f[1], Cow::Borrowed("quoted, as is")), "{f:?}");
    assert!(
        matches!(&f[2], Cow::Owned(s) if s == "with \"quotes\""),
        "{f:?}"
    );
}

#[test]
fn crlf_line_ends_are_dropped_but_kept_inside_quotes() {
    let text = "a,b\r\n1,\"x\r\ny\"\r\n2,z\r\n";
    assert_eq!(
        fields(text),
        vec![
            row(1, &["a", "b"]),
            row(2, &["1", "x\r\ny"]),
            row(4, &["2", "z"]),
        ]
    );
    // Without a final line end, and with LF and CRLF mixed.
    assert_eq!(
        fields("a\r\nb\nc"),
        vec![row(1, &["a"]), row(2, &["b"]), row(3, &["c"])]
    );
}

#[test]
fn errors_in_a_crlf_file_name_the_right_line() {
    let text = "timestamp,datetime,comment-id,voter-id,vote\r\n10,x,0,5,1\r\n11,x,1,5,7\r\n";
    let err = parse_votes_csv(text, "votes.csv").unwrap_err();
    assert!(
        matches!(&err, LoadError::UnknownVote { line: 3, value, .. } if value == "7"),
        "{err}"
    );
    let text =
        "timestamp,comment-id,moderated,comment-body\r\n1,0,1,\"two\r\nlines\"\r\n2,x,1,b\r\n";
    let msg = parse_comments_csv(text, "comments.csv")
        .unwrap_err()
        .to_string();
    assert!(msg.starts_with("comments.csv:4:"), "{msg}");
}

#[test]
fn a_utf8_byte_order_mark_is_not_part_of_the_first_field() {
    assert_eq!(
        fields("\u{feff}a,b\n1,2\n"),
        vec![row(1, &["a", "b"]), row(2, &["1", "2"])]
    );
    // Even when the first header is quoted, as spreadsheet programs write it.
    let text = "\u{feff}\"timestamp\",\"comment-id\",\"voter-id\",\"vote\"\r\n1,2,3,-1\r\n";
    let votes = parse_votes_csv(text, "votes.csv").unwrap();
    assert_eq!((votes[0].statement, votes[0].voter), (2, 3));
    assert_eq!(votes[0].vote, Vote::Disagree);
}

#[test]
fn an_export_written_on_windows_loads() {
    let dir = temp_dir("csv-windows");
    std::fs::write(
        dir.join("votes.csv"),
        "\u{feff}timestamp,datetime,comment-id,voter-id,vote\r\n1,\"Tue, 1\",0,5,1\r\n2,x,1,6,0\r\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("comments.csv"),
        "\u{feff}timestamp,comment-id,moderated,comment-body\r\n1,0,1,\"a, \"\"b\"\"\r\nc\"\r\n2,1,-1,d\r\n",
    )
    .unwrap();
    let export = load_export(&dir).unwrap();
    assert_eq!(export.votes.len(), 2);
    assert_eq!(export.statements[0].text, "a, \"b\"\r\nc");
    assert!(export.statements[1].moderated_out);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn ragged_rows_are_read_as_they_are_and_the_loaders_name_them() {
    assert_eq!(
        fields("a,b,c\n1\n1,2,3,4\n,\n"),
        vec![
            row(1, &["a", "b", "c"]),
            row(2, &["1"]),
            row(3, &["1", "2", "3", "4"]),
            row(4, &["", ""]),
        ]
    );
    let short = "timestamp,datetime,comment-id,voter-id,vote\n10,x,0,5,1\n\n11,x,1\n";
    let err = parse_votes_csv(short, "votes.csv").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("votes.csv:4: expected 5 fields as in the header, found 3"),
        "{err}"
    );
    let long = "timestamp,datetime,comment-id,voter-id,vote\n10,x,0,5,1,extra\n";
    let msg = parse_votes_csv(long, "votes.csv").unwrap_err().to_string();
    assert!(
        msg.contains("votes.csv:2:") && msg.contains("found 6"),
        "{msg}"
    );
}

#[test]
fn blank_lines_are_skipped_and_later_lines_keep_their_numbers() {
    assert_eq!(
        fields("\n\na\n\n\r\n\nb\n\n"),
        vec![row(3, &["a"]), row(7, &["b"])]
    );
    let text =
        "\n\ntimestamp,datetime,comment-id,voter-id,vote\n\n10,x,0,5,1\n   \n11,x,zero,5,1\n";
    let err = parse_votes_csv(text, "votes.csv").unwrap_err();
    assert!(matches!(err, LoadError::Malformed { line: 7, .. }), "{err}");
    // A line of spaces is still a record for the caller to judge.
    let records = csv::parse("a\n  \nb\n").unwrap();
    assert!(csv::is_blank(&records[1]));
    assert!(!csv::is_blank(&records[0]));
}

#[test]
fn quoting_mistakes_are_errors_on_their_line() {
    let cases: [(&str, usize, &str); 6] = [
        ("a\n\"b\nc\nd", 2, "never closed"),
        ("a\n\"b\"\"\n", 2, "never closed"),
        ("a\nb\"c\n", 2, "a quote inside an unquoted field"),
        ("a,b\n\"x\ny\",z\"\n", 3, "a quote inside an unquoted field"),
        ("a\n\"b\"c\n", 2, "text after the closing quote"),
        (
            "a\r\n\"two\r\nlines\" ,x\r\n",
            3,
            "text after the closing quote",
        ),
    ];
    for (text, line, reason) in cases {
        let err = csv::parse(text).unwrap_err();
        assert_eq!(err.line, line, "{text:?}: {err:?}");
        assert!(err.reason.contains(reason), "{text:?}: {err:?}");
    }
    let text = "timestamp,comment-id,moderated,comment-body\n1,0,1,ok\n2,1,1,\"never\nclosed\n";
    let msg = parse_comments_csv(text, "comments.csv")
        .unwrap_err()
        .to_string();
    assert!(
        msg.starts_with("comments.csv:3: a quoted field that is never closed"),
        "{msg}"
    );
}

#[test]
fn the_reader_hands_out_one_record_at_a_time() {
    let mut reader = Reader::new("a,b\n\"c\nd\",e\n");
    let first = reader.next_record().unwrap().unwrap().clone();
    assert_eq!((first.line, first.fields.len()), (1, 2));
    let second = reader.next_record().unwrap().unwrap();
    assert_eq!(second.line, 2);
    assert_eq!(second.fields, vec!["c\nd", "e"]);
    assert_eq!(reader.current().line, 2);
    assert!(reader.next_record().unwrap().is_none());
    assert!(reader.next_record().unwrap().is_none());
}

/// Writes fields the way RFC 4180 says: quoted when they need it (and
/// sometimes when they do not), quotes doubled.
fn encode(field: &str, quote_anyway: bool) -> String {
    if quote_anyway || field.contains([',', '"', '\n', '\r']) || field.is_empty() {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn well_formed_csv_reads_back_field_for_field(
        rows in prop::collection::vec(
            prop::collection::vec(("[a-zé ,\"\n\r]{0,8}", any::<bool>()), 1..6),
            0..60,
        ),
        crlf in any::<bool>(),
        bom in any::<bool>(),
        blank_every in 0usize..7,
    ) {
        let end = if crlf { "\r\n" } else { "\n" };
        let mut text = String::from(if bom { "\u{feff}" } else { "" });
        let mut expected = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            if blank_every > 0 && i % blank_every == 0 {
                text.push_str(end);
            }
            let line = 1 + text.matches('\n').count();
            let encoded: Vec<String> = r.iter().map(|(f, q)| encode(f, *q)).collect();
            text.push_str(&encoded.join(","));
            text.push_str(end);
            expected.push((line, r.iter().map(|(f, _)| f.clone()).collect::<Vec<_>>()));
        }
        prop_assert_eq!(fields(&text), expected);
    }
}

#[test]
fn records_across_the_csv_readers_buffer_come_out_whole() {
    // The csv crate reads through a buffer of a few KiB; a long text makes
    // records straddle its edges, where offsets into the text are easiest to
    // get wrong.
    let mut text = String::from("id,body,n\n");
    let mut expected = vec![row(1, &["id", "body", "n"])];
    let mut line = 2;
    for i in 0..5_000usize {
        let body = match i % 4 {
            0 => format!("plain {i}"),
            1 => format!("comma, {i}"),
            2 => format!("quote \"{i}\""),
            _ => format!("line\nbreak {i}"),
        };
        text.push_str(&format!("{i},{},{}\n", encode(&body, i % 3 == 0), i * 7));
        expected.push((line, vec![i.to_string(), body.clone(), (i * 7).to_string()]));
        line += 1 + body.matches('\n').count();
    }
    assert!(text.len() > 100_000);
    assert_eq!(fields(&text), expected);
}

/// A source that hands over at most `chunk` bytes per read, as a pipe or a
/// slow disk may, so that records and UTF-8 characters straddle reads.
struct Trickle<'a> {
    bytes: &'a [u8],
    chunk: usize,
}

impl std::io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.chunk.min(buf.len()).min(self.bytes.len());
        buf[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        Ok(n)
    }
}

/// Every record (line and fields), or the first error (line and reason).
type Outcome = Result<Vec<(usize, Vec<String>)>, (usize, String)>;

/// What the streaming reader reads in `text` handed over `chunk` bytes at a
/// time.
fn streamed(text: &str, chunk: usize) -> Outcome {
    let mut reader = StreamReader::new(Trickle {
        bytes: text.as_bytes(),
        chunk,
    });
    let mut out = Vec::new();
    loop {
        match reader.next_record() {
            Ok(Some(r)) => out.push((r.line, r.fields.iter().map(|f| f.to_string()).collect())),
            Ok(None) => return Ok(out),
            Err(ReadError::Csv(e)) => return Err((e.line, e.reason.to_string())),
            Err(ReadError::Io(e)) => panic!("{e}"),
        }
    }
}

/// The same from the reader over a text in memory.
fn in_memory(text: &str) -> Outcome {
    csv::parse(text)
        .map(|records| {
            records
                .into_iter()
                .map(|r| (r.line, r.fields.into_iter().map(Cow::into_owned).collect()))
                .collect()
        })
        .map_err(|e| (e.line, e.reason.to_string()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_streaming_reader_reads_as_the_reader_in_memory_does(
        text in "[a-zé ,\"\n\r\u{feff}]{0,120}",
        chunk in 1usize..9,
    ) {
        prop_assert_eq!(streamed(&text, chunk), in_memory(&text));
    }
}

#[test]
fn a_byte_order_mark_split_across_reads_is_still_dropped() {
    // The `csv` crate drops the mark only when its first read holds all of
    // it and something after it; a source that hands over a byte at a time
    // must not turn the mark into text, nor the file into an empty one.
    for text in [
        "\u{feff}é",
        "\u{feff}a,b\n1,2\n",
        "\u{feff}",
        "\u{feff}\"q\",x\n",
    ] {
        assert_eq!(streamed(text, 1), in_memory(text), "{text:?}");
    }
    assert_eq!(streamed("\u{feff}é", 1), Ok(vec![row(1, &["é"])]));
}

#[test]
fn the_streaming_reader_reads_long_texts_as_the_reader_in_memory_does() {
    // Long enough that the reader drops the bytes of finished records many
    // times, with multi-line quoted fields and two-byte characters across
    // the edges of its reads.
    let mut text = String::from("\u{feff}id,body\r\n");
    for i in 0..40_000usize {
        let body = match i % 5 {
            0 => format!("plain {i}"),
            1 => format!("\"comma, é {i}\""),
            2 => format!("\"quote \"\"{i}\"\"\""),
            3 => format!("\"line\r\nbreak é{i}\""),
            _ => String::new(),
        };
        text.push_str(&format!("{i},{body}\r\n"));
        if i % 997 == 0 {
            text.push_str("\r\n");
        }
    }
    assert!(text.len() > 500_000);
    let expected = in_memory(&text).unwrap();
    assert_eq!(streamed(&text, usize::MAX), Ok(expected.clone()));
    assert_eq!(streamed(&text, 4093), Ok(expected));
}

#[test]
fn the_streaming_reader_names_the_line_of_a_byte_that_is_not_utf8() {
    let text = b"a,b\n1,\"two\nli\xffnes\"\n";
    let mut reader = StreamReader::new(&text[..]);
    assert!(reader.next_record().unwrap().is_some());
    match reader.next_record() {
        Err(ReadError::Csv(e)) => {
            assert_eq!((e.line, e.reason), (3, "the text is not valid UTF-8"));
        }
        other => panic!("{other:?}"),
    }
}
