//! The single `koers` binary.

mod consensus_cmd;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "koers", version, about = "Koers: meten, samen duiden, koers bepalen, koers bewaken")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the opinion-group engine on a Pol.is export folder
    Consensus(consensus_cmd::ConsensusArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Consensus(args) => consensus_cmd::run(args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fout / error: {e:#}");
            std::process::ExitCode::from(1)
        }
    }
}
