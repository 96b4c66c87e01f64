//! Limits are said out loud: a file of the wrong kind is refused from its first
//! line, before it is read whole, and statements beyond the engine's limit are
//! counted, not dropped without a word.

use crate::common::{temp_dir, vote};
use koers_consensus::{load_export, Engine, EngineConfig, LoadError};
use std::io::Write;

#[test]
fn a_votes_file_with_the_wrong_header_is_refused_from_its_first_line() {
    let dir = temp_dir("wrong-header");
    let mut f = std::fs::File::create(dir.join("votes.csv")).unwrap();
    writeln!(f, "this,is,not,a,polis,export").unwrap();
    // Plenty of text after it, and a byte that is not UTF-8: the refusal must come
    // from the header, not from reading (and failing on) the rest.
    for _ in 0..10_000 {
        writeln!(f, "1,2,3,4,5,6").unwrap();
    }
    f.write_all(&[0xff, b'\n']).unwrap();
    drop(f);
    match load_export(&dir).unwrap_err() {
        LoadError::Malformed { line, reason, .. } => {
            assert_eq!(line, 1);
            assert!(reason.contains("comment-id"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn statements_beyond_the_limit_are_counted() {
    let limit = koers_consensus::matrix::MAX_STATEMENTS as u64;
    let votes: Vec<_> = (0..limit + 3)
        .map(|s| vote(s as i64, s % 7, s, 1))
        .collect();
    let mut engine = Engine::new(EngineConfig::default()).unwrap();
    engine.add_votes(&votes);
    assert_eq!(engine.statements_left_out(), 3);
    let mut small = Engine::new(EngineConfig::default()).unwrap();
    small.add_votes(&votes[..10]);
    assert_eq!(small.statements_left_out(), 0);
}
