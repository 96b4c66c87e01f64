//! Helpers shared by the test modules.

use std::path::{Path, PathBuf};

use koers_consensus::{Vote, VoteEvent};

/// The Pol.is open data the repository ships in `data/polis` (CC BY 4.0; see its
/// README), so a clone of the repository alone passes.
pub fn polis_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/polis");
    assert!(
        dir.join("vtaiwan.uberx").is_dir(),
        "the Pol.is test data is missing: expected it at {} (it is part of the repository: data/polis)",
        dir.display()
    );
    dir
}

pub fn conversation(name: &str) -> PathBuf {
    polis_dir().join(name)
}

/// A fresh temporary folder for a test (removed by the caller when it wants).
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("koers-consensus-{}-{}", name, std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn vote(time: i64, voter: u64, statement: u64, v: i8) -> VoteEvent {
    VoteEvent {
        time,
        voter,
        statement,
        vote: match v {
            1 => Vote::Agree,
            -1 => Vote::Disagree,
            _ => Vote::Pass,
        },
    }
}

/// Two camps that disagree on everything, plus some noise, `n` per camp.
pub fn two_camps(n: u64, statements: u64) -> Vec<VoteEvent> {
    let mut out = Vec::new();
    let mut t = 0;
    for p in 0..2 * n {
        let camp = if p < n { 1 } else { -1 };
        for s in 0..statements {
            t += 1;
            // A little disagreement inside camps so not every row is equal.
            let flip = (p * 7 + s * 13) % 11 == 0;
            let v = if s % 2 == 0 { camp } else { -camp };
            out.push(vote(t, p, s, if flip { 0 } else { v }));
        }
    }
    out
}
