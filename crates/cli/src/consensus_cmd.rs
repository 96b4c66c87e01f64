//! `koers consensus`: run the opinion-group engine on a Pol.is export folder
//! and print the result as JSON (a stable contract) or as a readable report.
//! All the logic lives in `koers-consensus`; this module only parses flags,
//! calls it and prints.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use koers_consensus::{EngineConfig, GroupCount, Tick};

#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OutputFormat {
    /// The JSON contract (participants, statements, votes, groups, consensus,
    /// group_informed_consensus, bridging, coordinates, ...)
    #[default]
    Json,
    /// A readable report: groups, their representative statements, consensus, bridging
    Text,
}

#[derive(clap::Args, Debug)]
pub struct ConsensusArgs {
    /// A Pol.is export folder (votes.csv or participants-votes.csv, comments.csv)
    pub dir: PathBuf,
    /// Replay votes.csv in time order, updating from a warm start each tick, as
    /// Pol.is did while the conversation ran (closer to Pol.is's own groups)
    #[arg(long)]
    pub replay: bool,
    /// Length of a replay tick in seconds of conversation time
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub tick_seconds: u32,
    /// CSV with `participant,perspective` (e.g. beleid, uitvoering, toezicht,
    /// inwoner): adds per-perspective statistics and makes bridging statements
    /// need a majority in every perspective too
    #[arg(long, value_name = "FILE")]
    pub perspectives: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
    pub format: OutputFormat,
    /// Number of opinion groups: `auto` (2..5 by silhouette, as Pol.is) or a
    /// fixed number from 2 to 8
    #[arg(long, value_name = "auto|K", default_value = "auto", value_parser = parse_groups)]
    pub groups: GroupCount,
    /// Seed of the power iteration's start vectors (same seed, same output)
    #[arg(long)]
    pub seed: Option<u64>,
}

fn parse_groups(text: &str) -> Result<GroupCount, String> {
    if text.eq_ignore_ascii_case("auto") {
        return Ok(GroupCount::Auto);
    }
    match text.parse::<usize>() {
        Ok(k) if (2..=koers_consensus::engine::MAX_FIXED_GROUPS).contains(&k) => {
            Ok(GroupCount::Fixed(k))
        }
        _ => Err(format!(
            "expected `auto` or a number from 2 to {}",
            koers_consensus::engine::MAX_FIXED_GROUPS
        )),
    }
}

pub fn run(args: &ConsensusArgs) -> anyhow::Result<()> {
    let export = koers_consensus::load_export(&args.dir)?;
    let perspectives = match &args.perspectives {
        Some(path) => Some(koers_consensus::load_perspectives(path)?),
        None => None,
    };
    let mut config = EngineConfig {
        groups: args.groups,
        ..EngineConfig::default()
    };
    if let Some(seed) = args.seed {
        config.seed = seed;
    }
    let (engine, analysis) = if args.replay {
        let tick = Tick::Window {
            millis: i64::from(args.tick_seconds.max(1)) * 1000,
        };
        koers_consensus::replay(&export, &config, perspectives.as_ref(), tick)
    } else {
        koers_consensus::analyse(&export, &config, perspectives.as_ref())
    }
    .with_context(|| format!("cannot analyse {}", args.dir.display()))?;
    let left_out = engine.statements_left_out();
    if left_out > 0 {
        eprintln!(
            "waarschuwing / warning: {left_out} stellingen boven de {} zijn niet meegenomen / statements beyond the first {} were left out",
            koers_consensus::matrix::MAX_STATEMENTS,
            koers_consensus::matrix::MAX_STATEMENTS
        );
    }

    match print(args.format, &analysis, &export.statements) {
        // `koers consensus … | head` closes the pipe early: not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

fn print(
    format: OutputFormat,
    analysis: &koers_consensus::Analysis,
    statements: &[koers_consensus::Statement],
) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut out, analysis)?;
            writeln!(out)?;
        }
        OutputFormat::Text => {
            let report = koers_consensus::text::render(analysis, statements);
            out.write_all(report.as_bytes())?;
        }
    }
    out.flush()
}
