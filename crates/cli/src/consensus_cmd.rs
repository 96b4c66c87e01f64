//! `koers consensus`: run the opinion-group engine on a Pol.is export folder.
//! Owned by the consensus work (issue 3); wired into `main.rs`.

use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct ConsensusArgs {
    /// A Pol.is export folder (votes.csv or participants-votes.csv, comments.csv)
    pub dir: PathBuf,
}

pub fn run(args: &ConsensusArgs) -> anyhow::Result<()> {
    anyhow::bail!("koers consensus is not built yet ({})", args.dir.display())
}
