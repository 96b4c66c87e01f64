//! Cold analysis and replay of an export.
//!
//! Pol.is's groups are path dependent: it updates every few seconds as votes
//! arrive, warm-starting each update from the last. Replay imitates that by
//! feeding the vote log in time order, one tick at a time, and updating the
//! groups after each tick.

use std::collections::BTreeMap;

use crate::analysis::Analysis;
use crate::engine::{Engine, EngineConfig};
use crate::error::AnalysisError;
use crate::load::Export;
use crate::model::{VoteEvent, VoterId};

/// How votes are cut into ticks during a replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tick {
    /// A tick holds the votes of a window of this many milliseconds, starting
    /// at the first vote after the previous tick.
    Window { millis: i64 },
    /// A tick holds this many votes (ties in time are kept together).
    Votes(usize),
}

impl Default for Tick {
    /// Five minutes of conversation time. Pol.is's update times are not in
    /// the export; on the Pol.is data this window gives Pol.is's number of
    /// groups on the four clean conversations, where one-minute ticks ended
    /// on 5 groups for 15-per-hour-seattle (docs/consensus.md).
    fn default() -> Self {
        Tick::Window { millis: 300_000 }
    }
}

fn engine_for(
    export: &Export,
    config: &EngineConfig,
    perspectives: Option<&BTreeMap<VoterId, String>>,
) -> Result<Engine, AnalysisError> {
    let mut engine = Engine::new(config.clone())?;
    engine.set_statements(&export.statements);
    if let Some(p) = perspectives {
        engine.set_perspectives(p.clone());
    }
    Ok(engine)
}

/// Analyses an export from scratch: all votes at once, one cold update.
pub fn analyse(
    export: &Export,
    config: &EngineConfig,
    perspectives: Option<&BTreeMap<VoterId, String>>,
) -> Result<(Engine, Analysis), AnalysisError> {
    let mut engine = engine_for(export, config, perspectives)?;
    engine.add_votes(&export.votes);
    let analysis = engine.update()?;
    Ok((engine, analysis))
}

/// Splits votes into ticks in time order (ties in time ordered by voter,
/// statement and vote, so every run cuts the same ticks). Inside a tick the
/// engine applies the votes in Pol.is's (statement, participant) order.
pub fn ticks(votes: &[VoteEvent], tick: Tick) -> Vec<Vec<VoteEvent>> {
    let mut sorted = votes.to_vec();
    sorted.sort_unstable();
    let mut out: Vec<Vec<VoteEvent>> = Vec::new();
    let mut current: Vec<VoteEvent> = Vec::new();
    let mut start = i64::MIN;
    for v in sorted {
        let close = match tick {
            Tick::Window { millis } => {
                !current.is_empty() && v.time >= start.saturating_add(millis.max(1))
            }
            Tick::Votes(n) => {
                current.len() >= n.max(1) && current.last().is_some_and(|l| l.time != v.time)
            }
        };
        if close {
            out.push(std::mem::take(&mut current));
        }
        if current.is_empty() {
            start = v.time;
        }
        current.push(v);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Replays the vote log tick by tick with warm-started updates and reports
/// the final state. Ticks at which the conversation cannot be analysed yet
/// (one participant, all passes) are skipped.
pub fn replay(
    export: &Export,
    config: &EngineConfig,
    perspectives: Option<&BTreeMap<VoterId, String>>,
    tick: Tick,
) -> Result<(Engine, Analysis), AnalysisError> {
    let mut engine = engine_for(export, config, perspectives)?;
    for batch in ticks(&export.votes, tick) {
        engine.add_votes(&batch);
        match engine.update_groups() {
            Ok(_) => {}
            Err(AnalysisError::BadGroupCount(k)) => return Err(AnalysisError::BadGroupCount(k)),
            Err(_) => continue,
        }
    }
    let analysis = engine.report()?;
    Ok((engine, analysis))
}
