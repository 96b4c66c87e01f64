//! A readable plain-text report of an analysis, for the command line.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::analysis::{Analysis, Direction};
use crate::model::{Statement, StatementId};

fn label(d: Direction) -> &'static str {
    match d {
        Direction::Agree => "agree",
        Direction::Disagree => "disagree",
    }
}

fn one_line(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// Renders groups with sizes and representative statements, consensus,
/// bridging statements and perspectives.
pub fn render(analysis: &Analysis, statements: &[Statement]) -> String {
    let texts: BTreeMap<StatementId, &str> =
        statements.iter().map(|s| (s.id, s.text.as_str())).collect();
    let text_of = |id: StatementId| one_line(texts.get(&id).copied().unwrap_or(""), 100);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} participants, {} statements, {} votes; {} in conversation, {} opinion groups",
        analysis.participants,
        analysis.statements,
        analysis.votes,
        analysis.in_conversation,
        analysis.groups.len()
    );
    for group in &analysis.groups {
        let _ = writeln!(
            out,
            "\nGroup {} ({} participants)",
            group.id,
            group.members.len()
        );
        for r in &group.representative {
            let _ = writeln!(
                out,
                "  #{:<5} {:<8} pa {:.2} pd {:.2} z {:>5.2}  {}",
                r.statement,
                label(r.direction),
                r.pa,
                r.pd,
                r.z,
                text_of(r.statement)
            );
        }
    }
    let _ = writeln!(out, "\nConsensus");
    if analysis.consensus.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    for c in &analysis.consensus {
        let _ = writeln!(
            out,
            "  #{:<5} {:<8} p {:.2} score {:.2}  {}",
            c.statement,
            label(c.direction),
            c.p,
            c.score,
            text_of(c.statement)
        );
    }
    let _ = writeln!(
        out,
        "\nBridging (a majority agrees in every group and perspective)"
    );
    if analysis.bridging.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    for b in analysis.bridging.iter().take(10) {
        let _ = writeln!(
            out,
            "  #{:<5} at least {:.0}% agree everywhere (lowest share {:.0}%)  {}",
            b.statement,
            100.0 * b.score,
            100.0 * b.min_agree_share,
            text_of(b.statement)
        );
    }
    for p in &analysis.perspectives {
        let _ = writeln!(
            out,
            "\nPerspective {} ({} participants)",
            p.perspective,
            p.members.len()
        );
        for r in &p.representative {
            let _ = writeln!(
                out,
                "  #{:<5} {:<8} pa {:.2} pd {:.2} z {:>5.2}  {}",
                r.statement,
                label(r.direction),
                r.pa,
                r.pd,
                r.z,
                text_of(r.statement)
            );
        }
    }
    out
}
