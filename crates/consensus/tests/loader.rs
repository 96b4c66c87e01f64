//! Reading exports: formats, errors that name file and line, fuzzing.

use koers_consensus::load::{
    parse_comments_csv, parse_participants_votes_csv, parse_perspectives_csv, parse_votes_csv,
    read_votes_csv,
};
use koers_consensus::{load_export, LoadError, Vote, VoteSource};
use proptest::prelude::*;

use crate::common::temp_dir;

const VOTES_HEADER: &str = "timestamp,datetime,comment-id,voter-id,vote\n";

#[test]
fn reads_the_vote_log() {
    let text = format!("{VOTES_HEADER}10,x,0,5,1\n11,\"Tue, 1\",1,5,-1\n12,y,0,6,0\n");
    let votes = parse_votes_csv(&text, "votes.csv").unwrap();
    assert_eq!(votes.len(), 3);
    assert_eq!(votes[1].vote, Vote::Disagree);
    assert_eq!(
        (votes[2].voter, votes[2].statement, votes[2].time),
        (6, 0, 12)
    );
}

#[test]
fn a_malformed_row_names_the_file_and_line() {
    let text = format!("{VOTES_HEADER}10,x,0,5,1\n11,x,1,5\n");
    let err = parse_votes_csv(&text, "some/votes.csv").unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with("some/votes.csv:3:"), "{msg}");
    assert!(matches!(err, LoadError::Malformed { line: 3, .. }));

    let text = format!("{VOTES_HEADER}10,x,zero,5,1\n");
    let msg = parse_votes_csv(&text, "votes.csv").unwrap_err().to_string();
    assert!(
        msg.contains("votes.csv:2") && msg.contains("comment id"),
        "{msg}"
    );
}

#[test]
fn the_line_counts_line_breaks_inside_quoted_fields() {
    let text = "timestamp,comment-id,moderated,comment-body\n1,0,1,\"two\nlines\"\n2,x,1,b\n";
    let msg = parse_comments_csv(text, "comments.csv")
        .unwrap_err()
        .to_string();
    assert!(msg.starts_with("comments.csv:4:"), "{msg}");
}

#[test]
fn an_unknown_vote_value_is_rejected() {
    let text = format!("{VOTES_HEADER}10,x,0,5,1\n11,x,1,5,2\n");
    let err = parse_votes_csv(&text, "votes.csv").unwrap_err();
    assert!(
        matches!(&err, LoadError::UnknownVote { line: 3, value, .. } if value == "2"),
        "{err}"
    );
    let matrix =
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n1,,0,1,1,0,1,yes\n";
    let err = parse_participants_votes_csv(matrix, "participants-votes.csv").unwrap_err();
    assert!(
        matches!(err, LoadError::UnknownVote { line: 2, .. }),
        "{err}"
    );
}

#[test]
fn the_matrix_is_read_and_its_group_id_never() {
    // The group-id column holds rubbish: a loader that read it would fail.
    let matrix = "participant,group-id,n-comments,n-votes,n-agree,n-disagree,3,7\n\
                  1,not-a-group,0,2,1,1,1,-1\n2,??,0,1,0,0,,0\n";
    let votes = parse_participants_votes_csv(matrix, "participants-votes.csv").unwrap();
    assert_eq!(votes.len(), 3);
    assert_eq!(
        (votes[2].voter, votes[2].statement, votes[2].vote),
        (2, 7, Vote::Pass)
    );
}

#[test]
fn falls_back_to_the_matrix_when_there_is_no_vote_log() {
    let dir = temp_dir("matrix-fallback");
    std::fs::write(
        dir.join("participants-votes.csv"),
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n0,,0,2,1,1,1,-1\n",
    )
    .unwrap();
    let export = load_export(&dir).unwrap();
    assert_eq!(export.source, VoteSource::Matrix);
    assert_eq!(export.votes.len(), 2);
    assert!(export.statements.is_empty());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_folder_without_votes_says_so() {
    let dir = temp_dir("no-votes");
    let err = load_export(&dir).unwrap_err();
    assert!(matches!(err, LoadError::NoVotes { .. }));
    assert!(err.to_string().contains("no votes.csv"));
    std::fs::write(dir.join("votes.csv"), "").unwrap();
    let msg = load_export(&dir).unwrap_err().to_string();
    assert!(
        msg.contains("votes.csv:1") && msg.contains("empty"),
        "{msg}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn reads_comments_in_both_export_layouts() {
    let old = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n\
               1,d,4,0,1,0,-1,\"gone, \"\"really\"\"\"\n2,d,2,0,1,0,1,kept\n";
    let s = parse_comments_csv(old, "comments.csv").unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!(s[0].id, 2);
    assert!(s[1].moderated_out);
    assert_eq!(s[1].text, "gone, \"really\"");
    let new = "timestamp,comment-id,author-id,agrees,disagrees,moderated,is-meta,is-seed,group-informed-consensus,comment-body\n\
               1,9,0,1,0,0,true,false,0.5,meta\n";
    let s = parse_comments_csv(new, "comments.csv").unwrap();
    assert!(s[0].is_meta && !s[0].moderated_out);
}

#[test]
fn reads_perspectives() {
    let text = "participant,perspective\n1,beleid\n2,inwoner\n3,\n";
    let map = parse_perspectives_csv(text, "p.csv").unwrap();
    assert_eq!(map.len(), 2);
    assert_eq!(map[&2], "inwoner");
    let clash = "participant,perspective\n1,beleid\n1,toezicht\n";
    let msg = parse_perspectives_csv(clash, "p.csv")
        .unwrap_err()
        .to_string();
    assert!(msg.starts_with("p.csv:3:"), "{msg}");
}

#[test]
fn files_are_streamed_and_a_byte_that_is_not_utf8_is_named_by_its_line() {
    // The bad byte lies far past the first read of the file, and in
    // comments.csv inside a quoted text that spans lines.
    let dir = temp_dir("utf8-line");
    let mut votes = VOTES_HEADER.as_bytes().to_vec();
    for i in 0..20_000 {
        votes.extend_from_slice(format!("{i},x,{},{},1\n", i % 7, i % 50).as_bytes());
    }
    std::fs::write(dir.join("votes.csv"), &votes).unwrap();
    std::fs::write(
        dir.join("comments.csv"),
        b"timestamp,comment-id,moderated,comment-body\n1,0,1,\"two\nli\xffnes\"\n",
    )
    .unwrap();
    let msg = load_export(&dir).unwrap_err().to_string();
    assert!(
        msg.ends_with("comments.csv:3: the text is not valid UTF-8"),
        "{msg}"
    );
    votes.extend_from_slice(b"1,x,0,\xe9,1\n2,x,0,5,1\n");
    std::fs::write(dir.join("votes.csv"), &votes).unwrap();
    let err = load_export(&dir).unwrap_err();
    assert!(
        matches!(&err, LoadError::Malformed { line: 20_002, reason, .. } if reason == "the text is not valid UTF-8"),
        "{err}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_record_that_never_ends_is_refused_not_held() {
    // A valid header, then a quote that is never closed: the rest of the
    // file would be one field. The reader stops at its record limit rather
    // than hold the file.
    let dir = temp_dir("endless-record");
    let mut votes = format!("{VOTES_HEADER}10,x,0,5,1\n11,\"").into_bytes();
    let line = b"some text that goes on and on\n";
    while votes.len() <= koers_consensus::csv::MAX_RECORD_BYTES + line.len() * 10_000 {
        votes.extend_from_slice(line);
    }
    std::fs::write(dir.join("votes.csv"), &votes).unwrap();
    let err = load_export(&dir).unwrap_err();
    assert!(
        matches!(&err, LoadError::Malformed { line: 3, reason, .. } if reason.contains("16 MiB")),
        "{err}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// A source that fails once it has handed over its bytes.
struct Failing(&'static [u8]);

impl std::io::Read for Failing {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.0.is_empty() {
            return Err(std::io::Error::other("the disk went away"));
        }
        let n = self.0.len().min(buf.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

#[test]
fn a_read_that_fails_midway_is_an_io_error_naming_the_file() {
    let err = read_votes_csv(
        Failing(b"timestamp,comment-id,voter-id,vote\n1,2,"),
        "x/votes.csv",
    )
    .unwrap_err();
    match &err {
        LoadError::Io { path, source } => {
            assert_eq!(path, std::path::Path::new("x/votes.csv"));
            assert_eq!(source.to_string(), "the disk went away");
        }
        other => panic!("{other:?}"),
    }
}

fn csv_field() -> impl Strategy<Value = String> {
    prop_oneof![
        "-?[0-9]{1,3}",
        "[a-z ,\"\n]{0,6}",
        Just(String::new()),
        Just("1".to_string()),
        Just("-1".to_string()),
    ]
}

fn csv_text(header: &'static str) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::collection::vec(csv_field(), 0..9), 0..8).prop_map(move |rows| {
        let mut s = header.to_string();
        for r in rows {
            s.push_str(&r.join(","));
            s.push('\n');
        }
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn loaders_never_panic_on_arbitrary_text(text in "\\PC{0,200}") {
        let _ = parse_votes_csv(&text, "votes.csv");
        let _ = parse_participants_votes_csv(&text, "participants-votes.csv");
        let _ = parse_comments_csv(&text, "comments.csv");
        let _ = parse_perspectives_csv(&text, "p.csv");
    }

    #[test]
    fn loaders_never_panic_on_near_valid_csv(
        votes in csv_text("timestamp,datetime,comment-id,voter-id,vote\n"),
        matrix in csv_text("participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n"),
        comments in csv_text("timestamp,comment-id,moderated,is-meta,comment-body\n"),
    ) {
        if let Ok(v) = parse_votes_csv(&votes, "votes.csv") {
            prop_assert!(v.iter().all(|e| [-1, 0, 1].contains(&e.vote.value())));
        }
        let _ = parse_participants_votes_csv(&matrix, "participants-votes.csv");
        let _ = parse_comments_csv(&comments, "comments.csv");
    }

    #[test]
    fn errors_point_at_a_line_of_the_file(text in csv_text("timestamp,datetime,comment-id,voter-id,vote\n")) {
        let lines = text.lines().count().max(1);
        match parse_votes_csv(&text, "votes.csv") {
            Err(LoadError::Malformed { line, .. }) | Err(LoadError::UnknownVote { line, .. }) => {
                prop_assert!(line >= 1 && line <= lines + 1, "line {} of {}", line, lines);
            }
            _ => {}
        }
    }
}
