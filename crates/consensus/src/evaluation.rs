//! Comparing the engine with Pol.is's own answer. The engine never calls this
//! module: it reads the reference `group-id` column that the loaders skip.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::LoadError;
use crate::load::{display, open, read_text, Table};
use crate::model::VoterId;

/// Pol.is's group per clustered participant, from `participants-votes.csv`.
pub fn reference_groups(dir: &Path) -> Result<BTreeMap<VoterId, u64>, LoadError> {
    let path = dir.join("participants-votes.csv");
    let (table, mut rows) = Table::read(open(&path)?, &display(&path))?;
    let c_voter = table.require(&["participant"])?;
    let c_group = table.require(&["group-id"])?;
    let mut out = BTreeMap::new();
    while let Some(row) = rows.next(&table)? {
        if row.fields[c_group].trim().is_empty() {
            continue;
        }
        let voter = table.id(row, c_voter, "participant id")?;
        out.insert(voter, table.id(row, c_group, "group id")?);
    }
    Ok(out)
}

/// A value from `summary.csv` (key in the first column, value in the second).
pub fn summary_value(dir: &Path, key: &str) -> Result<Option<String>, LoadError> {
    let path = dir.join("summary.csv");
    let text = read_text(&path)?;
    let records = crate::csv::parse(&text).map_err(|e| LoadError::Malformed {
        file: display(&path),
        line: e.line,
        reason: e.reason.into(),
    })?;
    Ok(records
        .into_iter()
        .find(|r| r.fields.first().is_some_and(|k| k == key))
        .and_then(|r| r.fields.get(1).map(|v| v.to_string())))
}

/// Adjusted Rand index of two labellings of the same items (Hubert & Arabie).
/// 1 means identical partitions; about 0 means chance agreement.
pub fn adjusted_rand_index(a: &[u64], b: &[u64]) -> f64 {
    let n = a.len().min(b.len());
    if n < 2 {
        return 1.0;
    }
    let mut table: BTreeMap<(u64, u64), u64> = BTreeMap::new();
    let mut rows: BTreeMap<u64, u64> = BTreeMap::new();
    let mut cols: BTreeMap<u64, u64> = BTreeMap::new();
    for i in 0..n {
        *table.entry((a[i], b[i])).or_default() += 1;
        *rows.entry(a[i]).or_default() += 1;
        *cols.entry(b[i]).or_default() += 1;
    }
    let c2 = |x: u64| (x * x.saturating_sub(1)) as f64 / 2.0;
    let index: f64 = table.values().map(|&x| c2(x)).sum();
    let sa: f64 = rows.values().map(|&x| c2(x)).sum();
    let sb: f64 = cols.values().map(|&x| c2(x)).sum();
    let expected = sa * sb / c2(n as u64);
    let max = (sa + sb) / 2.0;
    if (max - expected).abs() < f64::EPSILON {
        return 1.0;
    }
    (index - expected) / (max - expected)
}

/// Agreement of the engine's groups with Pol.is's on one conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    /// Adjusted Rand index over participants clustered by both.
    pub ari: f64,
    /// Participants clustered by both.
    pub both: usize,
    /// Participants clustered by Pol.is.
    pub reference: usize,
    /// Participants clustered by the engine.
    pub ours: usize,
    /// `both / reference`: how much of Pol.is's clustered set we cluster too.
    pub coverage: f64,
}

pub fn agreement(ours: &BTreeMap<VoterId, u32>, reference: &BTreeMap<VoterId, u64>) -> Agreement {
    let mut a = Vec::new();
    let mut b = Vec::new();
    for (v, g) in reference {
        if let Some(o) = ours.get(v) {
            a.push(u64::from(*o));
            b.push(*g);
        }
    }
    Agreement {
        ari: adjusted_rand_index(&a, &b),
        both: a.len(),
        reference: reference.len(),
        ours: ours.len(),
        coverage: if reference.is_empty() {
            0.0
        } else {
            a.len() as f64 / reference.len() as f64
        },
    }
}
