//! Loaders for Pol.is export folders and perspective files: the only I/O in
//! the crate.
//!
//! Columns are found by their header names, not positions, because exports of
//! different Pol.is versions order them differently (`bg2050-volunteers` has no
//! `datetime` column). The `group-id` column of `participants-votes.csv` is the
//! reference answer and is deliberately never read here; only the evaluation
//! module looks at it.
//!
//! Files are streamed: rows are read one at a time through
//! [`csv::StreamReader`] (the `csv` crate underneath) and never collected, and
//! the file is never held as text either, so reading an export needs memory
//! for its votes and statements, not for its size on disk. The `parse_*_csv`
//! functions read a text already in memory through the same code.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::csv::{self, ReadError, Record};
use crate::error::LoadError;
use crate::model::{Statement, StatementId, Vote, VoteEvent, VoterId};

/// Where the votes of an export came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteSource {
    /// The time-ordered event log `votes.csv`.
    EventLog,
    /// The latest-vote matrix `participants-votes.csv` (no times: one tick).
    Matrix,
}

/// A Pol.is export folder, read.
#[derive(Debug, Clone)]
pub struct Export {
    pub votes: Vec<VoteEvent>,
    /// Statements from `comments.csv`, ordered by id.
    pub statements: Vec<Statement>,
    pub source: VoteSource,
}

/// Reads an export folder: `votes.csv` (or else `participants-votes.csv`) and,
/// when present, `comments.csv`.
pub fn load_export(dir: &Path) -> Result<Export, LoadError> {
    let votes_path = dir.join("votes.csv");
    let matrix_path = dir.join("participants-votes.csv");
    let (votes, source) = if votes_path.is_file() {
        check_header(
            &votes_path,
            &[
                &["comment-id", "tid"],
                &["voter-id", "pid", "participant"],
                &["vote"],
            ],
        )?;
        (
            read_votes_csv(open(&votes_path)?, &display(&votes_path))?,
            VoteSource::EventLog,
        )
    } else if matrix_path.is_file() {
        check_header(&matrix_path, &[&["participant"]])?;
        (
            read_participants_votes_csv(open(&matrix_path)?, &display(&matrix_path))?,
            VoteSource::Matrix,
        )
    } else {
        return Err(LoadError::NoVotes {
            dir: dir.to_path_buf(),
        });
    };
    let comments_path = dir.join("comments.csv");
    let statements = if comments_path.is_file() {
        check_header(&comments_path, &[&["comment-id", "tid"]])?;
        read_comments_csv(open(&comments_path)?, &display(&comments_path))?
    } else {
        Vec::new()
    };
    Ok(Export {
        votes,
        statements,
        source,
    })
}

/// Reads a perspective file: CSV with a header holding `participant` (or
/// `voter-id`) and `perspective`, e.g. `participant,perspective` / `17,beleid`.
pub fn load_perspectives(path: &Path) -> Result<BTreeMap<VoterId, String>, LoadError> {
    read_perspectives_csv(open(path)?, &display(path))
}

pub(crate) fn open(path: &Path) -> Result<File, LoadError> {
    File::open(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })
}

pub(crate) fn display(path: &Path) -> String {
    path.display().to_string()
}

/// Reads only the first line of `path` and checks that it names one of each group
/// of columns, so that a file of the wrong kind (or a huge file that is not a Pol.is
/// export) is refused before a single row is parsed.
pub(crate) fn check_header(path: &Path, required: &[&[&str]]) -> Result<(), LoadError> {
    use std::io::{BufRead, Read};
    let file = std::fs::File::open(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut first = Vec::new();
    std::io::BufReader::new(file)
        .take(64 * 1024)
        .read_until(b'\n', &mut first)
        .map_err(|source| LoadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    let text = String::from_utf8_lossy(&first);
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        // An empty file: the parser says so in its own words.
        return Ok(());
    }
    let names: Vec<String> = text
        .trim_start_matches('\u{feff}')
        .trim_end()
        .split(',')
        .map(|f| f.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    for group in required {
        if !group.iter().any(|g| names.iter().any(|n| n == g)) {
            return Err(LoadError::Malformed {
                file: display(path),
                line: 1,
                reason: format!("the header has no `{}` column", group.join("` or `")),
            });
        }
    }
    Ok(())
}

pub(crate) fn read_text(path: &Path) -> Result<String, LoadError> {
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..valid]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        LoadError::Malformed {
            file: display(path),
            line,
            reason: "the text is not valid UTF-8".into(),
        }
    })
}

/// A CSV file's header, so columns can be looked up by name. Its rows are read
/// one at a time from the [`Rows`] that [`Table::read`] returns with it.
pub(crate) struct Table {
    pub file: String,
    pub header: Vec<String>,
    pub header_line: usize,
}

/// The rows after a header, read one at a time from the source: neither the
/// rows nor the text they come from are ever held whole.
pub(crate) struct Rows<R> {
    reader: csv::StreamReader<R>,
}

impl<R: Read> Rows<R> {
    /// The next row that is not blank, checked to have as many fields as the
    /// header; `None` after the last.
    pub(crate) fn next(&mut self, table: &Table) -> Result<Option<&Record<'static>>, LoadError> {
        loop {
            let Some(row) = self
                .reader
                .next_record()
                .map_err(|e| read_error(e, &table.file))?
            else {
                return Ok(None);
            };
            if csv::is_blank(row) {
                continue;
            }
            if row.fields.len() != table.header.len() {
                return Err(table.malformed(
                    row.line,
                    format!(
                        "expected {} fields as in the header, found {}",
                        table.header.len(),
                        row.fields.len()
                    ),
                ));
            }
            // Not `row` itself: returning it from inside the loop would keep
            // the reader borrowed for the turns that skip blank rows, which
            // the borrow checker refuses. `current` is the same record.
            return Ok(Some(self.reader.current()));
        }
    }
}

/// A reading error as a [`LoadError`] naming `file`, which the reader's
/// callers name by its path.
fn read_error(e: ReadError, file: &str) -> LoadError {
    match e {
        ReadError::Csv(e) => LoadError::Malformed {
            file: file.to_string(),
            line: e.line,
            reason: e.reason.to_string(),
        },
        ReadError::Io(source) => LoadError::Io {
            path: PathBuf::from(file),
            source,
        },
    }
}

impl Table {
    /// Reads the header (the first row that is not blank) of `source`.
    pub(crate) fn read<R: Read>(source: R, file: &str) -> Result<(Table, Rows<R>), LoadError> {
        let mut reader = csv::StreamReader::new(source);
        let first = loop {
            match reader.next_record().map_err(|e| read_error(e, file))? {
                None => {
                    return Err(LoadError::Malformed {
                        file: file.to_string(),
                        line: 1,
                        reason: "the file is empty: a header row is expected".into(),
                    })
                }
                Some(r) if csv::is_blank(r) => {}
                Some(r) => break r,
            }
        };
        // The `csv` crate has already dropped a UTF-8 byte order mark.
        let header: Vec<String> = first.fields.iter().map(|h| h.trim().to_string()).collect();
        let table = Table {
            file: file.to_string(),
            header,
            header_line: first.line,
        };
        Ok((table, Rows { reader }))
    }

    pub(crate) fn column(&self, names: &[&str]) -> Option<usize> {
        self.header
            .iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
    }

    pub(crate) fn require(&self, names: &[&str]) -> Result<usize, LoadError> {
        self.column(names).ok_or_else(|| LoadError::Malformed {
            file: self.file.clone(),
            line: self.header_line,
            reason: format!("the header has no {:?} column", names[0]),
        })
    }

    pub(crate) fn malformed(&self, line: usize, reason: String) -> LoadError {
        LoadError::Malformed {
            file: self.file.clone(),
            line,
            reason,
        }
    }

    pub(crate) fn id(&self, row: &Record, col: usize, what: &str) -> Result<u64, LoadError> {
        let text = row.fields[col].trim();
        text.parse::<u64>().map_err(|_| {
            self.malformed(
                row.line,
                format!("{what} {text:?} is not a non-negative integer"),
            )
        })
    }
}

/// Parses `votes.csv` held in memory (see [`read_votes_csv`]).
pub fn parse_votes_csv(text: &str, file: &str) -> Result<Vec<VoteEvent>, LoadError> {
    read_votes_csv(text.as_bytes(), file)
}

/// Reads `votes.csv` from `source` row by row; `file` names it in errors.
/// Rows keep their file order in the result; the engine puts them in
/// Pol.is's order itself.
pub fn read_votes_csv<R: Read>(source: R, file: &str) -> Result<Vec<VoteEvent>, LoadError> {
    let (table, mut rows) = Table::read(source, file)?;
    let c_statement = table.require(&["comment-id", "tid"])?;
    let c_voter = table.require(&["voter-id", "pid", "participant"])?;
    let c_vote = table.require(&["vote"])?;
    let c_time = table.column(&["timestamp"]);
    let mut votes = Vec::new();
    while let Some(row) = rows.next(&table)? {
        let time = match c_time {
            Some(c) => {
                let t = row.fields[c].trim();
                t.parse::<i64>().map_err(|_| {
                    table.malformed(row.line, format!("timestamp {t:?} is not an integer"))
                })?
            }
            None => 0,
        };
        let raw = &row.fields[c_vote];
        let vote = Vote::parse(raw).ok_or_else(|| LoadError::UnknownVote {
            file: file.to_string(),
            line: row.line,
            value: raw.to_string(),
        })?;
        votes.push(VoteEvent {
            time,
            voter: table.id(row, c_voter, "voter id")?,
            statement: table.id(row, c_statement, "comment id")?,
            vote,
        });
    }
    Ok(votes)
}

/// The columns of `participants-votes.csv` that describe the participant, not
/// a statement. `group-id` is among them and is skipped, never read.
const MATRIX_META: [&str; 6] = [
    "participant",
    "group-id",
    "n-comments",
    "n-votes",
    "n-agree",
    "n-disagree",
];

/// Parses the matrix `participants-votes.csv` held in memory (see
/// [`read_participants_votes_csv`]).
pub fn parse_participants_votes_csv(text: &str, file: &str) -> Result<Vec<VoteEvent>, LoadError> {
    read_participants_votes_csv(text.as_bytes(), file)
}

/// Reads the matrix `participants-votes.csv` from `source` row by row into
/// vote events (all at time 0, since the matrix has no times); `file` names
/// it in errors.
pub fn read_participants_votes_csv<R: Read>(
    source: R,
    file: &str,
) -> Result<Vec<VoteEvent>, LoadError> {
    let (table, mut rows) = Table::read(source, file)?;
    let c_voter = table.require(&["participant"])?;
    let mut statement_cols = Vec::new();
    for (i, h) in table.header.iter().enumerate() {
        if MATRIX_META.iter().any(|m| h.eq_ignore_ascii_case(m)) {
            continue;
        }
        let id = h.parse::<u64>().map_err(|_| {
            table.malformed(
                table.header_line,
                format!("column {h:?} is neither a known column nor a comment id"),
            )
        })?;
        statement_cols.push((i, id));
    }
    let mut votes = Vec::new();
    while let Some(row) = rows.next(&table)? {
        let voter = table.id(row, c_voter, "participant id")?;
        for &(col, statement) in &statement_cols {
            let raw = &row.fields[col];
            if raw.trim().is_empty() {
                continue;
            }
            let vote = Vote::parse(raw).ok_or_else(|| LoadError::UnknownVote {
                file: file.to_string(),
                line: row.line,
                value: raw.to_string(),
            })?;
            votes.push(VoteEvent {
                time: 0,
                voter,
                statement,
                vote,
            });
        }
    }
    Ok(votes)
}

fn parse_flag(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "" | "false" | "0" | "f" | "no" => Some(false),
        "true" | "1" | "t" | "yes" => Some(true),
        _ => None,
    }
}

/// Parses `comments.csv` held in memory (see [`read_comments_csv`]).
pub fn parse_comments_csv(text: &str, file: &str) -> Result<Vec<Statement>, LoadError> {
    read_comments_csv(text.as_bytes(), file)
}

/// Reads `comments.csv` from `source` row by row: ids, moderation, meta flag
/// and text; `file` names it in errors.
pub fn read_comments_csv<R: Read>(source: R, file: &str) -> Result<Vec<Statement>, LoadError> {
    let (table, mut rows) = Table::read(source, file)?;
    let c_id = table.require(&["comment-id", "tid"])?;
    let c_mod = table.column(&["moderated"]);
    let c_meta = table.column(&["is-meta"]);
    let c_body = table.column(&["comment-body", "txt"]);
    let mut by_id = BTreeMap::new();
    while let Some(row) = rows.next(&table)? {
        let id = table.id(row, c_id, "comment id")?;
        let moderated_out = match c_mod {
            Some(c) => {
                let m = row.fields[c].trim();
                match m {
                    "" | "0" | "1" => false,
                    "-1" => true,
                    _ => {
                        return Err(
                            table.malformed(row.line, format!("moderated {m:?} is not -1, 0 or 1"))
                        )
                    }
                }
            }
            None => false,
        };
        let is_meta = match c_meta {
            Some(c) => parse_flag(&row.fields[c]).ok_or_else(|| {
                table.malformed(
                    row.line,
                    format!("is-meta {:?} is not true or false", row.fields[c]),
                )
            })?,
            None => false,
        };
        let text = c_body
            .map(|c| row.fields[c].to_string())
            .unwrap_or_default();
        by_id.insert(
            id,
            Statement {
                id,
                text,
                moderated_out,
                is_meta,
            },
        );
    }
    Ok(by_id.into_values().collect())
}

/// Parses a perspective file held in memory (see [`load_perspectives`]).
pub fn parse_perspectives_csv(
    text: &str,
    file: &str,
) -> Result<BTreeMap<VoterId, String>, LoadError> {
    read_perspectives_csv(text.as_bytes(), file)
}

/// Reads a perspective file from `source` row by row (see
/// [`load_perspectives`]); `file` names it in errors.
pub fn read_perspectives_csv<R: Read>(
    source: R,
    file: &str,
) -> Result<BTreeMap<VoterId, String>, LoadError> {
    let (table, mut rows) = Table::read(source, file)?;
    let c_voter = table.require(&["participant", "voter-id", "pid"])?;
    let c_persp = table.require(&["perspective"])?;
    let mut map = BTreeMap::new();
    while let Some(row) = rows.next(&table)? {
        let voter = table.id(row, c_voter, "participant id")?;
        let perspective = row.fields[c_persp].trim();
        if perspective.is_empty() {
            continue;
        }
        if let Some(previous) = map.insert(voter, perspective.to_string()) {
            if previous != perspective {
                return Err(table.malformed(
                    row.line,
                    format!("participant {voter} already has perspective {previous:?}"),
                ));
            }
        }
    }
    Ok(map)
}

/// Ids of statements as known from votes and comments together.
pub fn statement_ids(export: &Export) -> Vec<StatementId> {
    let mut ids: Vec<StatementId> = export
        .statements
        .iter()
        .map(|s| s.id)
        .chain(export.votes.iter().map(|v| v.statement))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}
