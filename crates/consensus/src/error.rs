//! Typed errors: one for reading exports, one for analysing a conversation.

use std::path::PathBuf;

/// Why an export could not be read. Every data error names the file and the
/// line a person should open.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}:{line}: {reason}")]
    Malformed {
        file: String,
        line: usize,
        reason: String,
    },
    #[error("{file}:{line}: unknown vote value {value:?} (expected 1 = agree, -1 = disagree or 0 = pass)")]
    UnknownVote {
        file: String,
        line: usize,
        value: String,
    },
    #[error("{dir}: no votes.csv and no participants-votes.csv, so there are no votes to read")]
    NoVotes { dir: PathBuf },
}

/// Why a conversation cannot be analysed (yet).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnalysisError {
    #[error("the conversation has no votes yet, so there is nothing to group")]
    Empty,
    #[error("only one participant has voted; opinion groups need at least two participants")]
    OneParticipant,
    #[error("every vote is a pass, so there are no opinions to group")]
    AllPass,
    #[error("every voted statement is moderated out, so there are no opinions to group")]
    AllModerated,
    #[error("a fixed number of groups must be between 2 and 8, not {0}")]
    BadGroupCount(usize),
}
