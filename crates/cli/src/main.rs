//! The single `koers` binary: the server, the demo, administration from the command
//! line, backups, and the engines. `anyhow` lives here only; every error that reaches
//! the user is printed in Dutch and English with a non-zero exit code.

mod admin;
mod consensus_cmd;
#[cfg(feature = "loadtest")]
mod loadtest;
mod model_cmd;
mod scan_bench;
#[cfg(feature = "loadtest")]
mod scan_page_bench;
mod scan_synthetic;
mod server;
#[cfg(feature = "loadtest")]
mod soak;

use clap::{Args, Parser, Subcommand};
use koers_web::config::Config;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "koers",
    version,
    about = "Koers: meten, samen duiden, koers bepalen, koers bewaken",
    long_about = "Koers helpt publieke organisaties digitale transformatie te dragen van experiment naar blijvende verandering.\n\
                  Koers helps public organisations carry digital transformation from experiment to lasting change."
)]
struct Cli {
    /// Configuration file (TOML); see `koers default-config`. Also KOERS_CONFIG.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

/// Flags shared by the commands that open the database.
#[derive(Args, Debug, Clone, Default)]
pub struct StorageFlags {
    /// Data directory holding the embedded SQLite database [default: ./koers-data, or KOERS_DATA_DIR]
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// PostgreSQL URL (postgres://…); without it Koers uses SQLite in the data directory
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct ServeFlags {
    /// Address to listen on, HOST:PORT [default: 127.0.0.1:8080]; port 0 picks a free port
    #[arg(long, value_name = "HOST:PORT")]
    pub listen: Option<String>,
    /// Log format: text or json
    #[arg(long, value_name = "FORMAT")]
    pub log_format: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the Koers server
    Serve {
        #[command(flatten)]
        serve: ServeFlags,
        #[command(flatten)]
        storage: StorageFlags,
    },
    /// Run Koers on a fresh data directory filled with the demo data set
    Demo {
        #[command(flatten)]
        serve: ServeFlags,
        /// Fresh (empty or new) directory for the demo data [default: a new temporary directory]
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
    },
    /// Apply database migrations and exit
    Migrate {
        #[command(flatten)]
        storage: StorageFlags,
    },
    /// Print a documented example configuration file
    DefaultConfig,
    /// Create organisations and accounts, reset passwords
    Admin {
        #[command(flatten)]
        storage: StorageFlags,
        #[command(subcommand)]
        action: admin::AdminAction,
    },
    /// Write a consistent copy of the SQLite database to FILE (PostgreSQL: use pg_dump)
    Backup {
        #[command(flatten)]
        storage: StorageFlags,
        /// Where to write the backup; must not exist yet
        output: PathBuf,
    },
    /// Replace the SQLite database with a backup (stop Koers first); the current database is kept aside
    Restore {
        /// Data directory to restore into [default: ./koers-data, or KOERS_DATA_DIR]
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
        /// A backup made with `koers backup`
        backup: PathBuf,
    },
    /// Run the opinion-group engine on a Pol.is export folder
    Consensus(consensus_cmd::ConsensusArgs),
    /// Check, list and show Scan assessment models; print the model file schema
    Model {
        #[command(subcommand)]
        action: model_cmd::ModelAction,
    },
    /// Time Scan's scoring, aggregation and benchmark on synthetic data
    BenchScan(scan_bench::BenchArgs),
    /// Time the Scan results page over HTTP on a wave of 10,000 respondents
    #[cfg(feature = "loadtest")]
    BenchScanPage(scan_page_bench::PageBenchArgs),
    /// Simulate participants in a live session over real HTTP, and check every vote was stored
    #[cfg(feature = "loadtest")]
    Loadtest(loadtest::LoadtestArgs),
    /// Open, use and leave idle many sessions; report the server's memory before and after eviction
    #[cfg(feature = "loadtest")]
    Soak(soak::SoakArgs),
}

/// Builds the configuration: defaults → file → environment → flags.
pub fn load_config(
    file: Option<&PathBuf>,
    storage: &StorageFlags,
    serve: &ServeFlags,
) -> anyhow::Result<Config> {
    let file = file
        .cloned()
        .or_else(|| std::env::var_os("KOERS_CONFIG").map(PathBuf::from));
    let mut config = match file {
        Some(path) => Config::from_file(&path)?,
        None => Config::default(),
    };
    config.apply_env(std::env::vars())?;
    if let Some(d) = &storage.data_dir {
        config.server.data_dir = d.clone();
    }
    if let Some(u) = &storage.database_url {
        config.set("server.database_url", u)?;
    }
    if let Some(l) = &serve.listen {
        config.set("server.listen", l)?;
    }
    if let Some(f) = &serve.log_format {
        config.set("log.format", f)?;
    }
    config.validate()?;
    Ok(config)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Consensus(args) => consensus_cmd::run(args),
        Command::Model { action } => model_cmd::run(action),
        Command::BenchScan(args) => scan_bench::run(args),
        #[cfg(feature = "loadtest")]
        Command::BenchScanPage(args) => scan_page_bench::run(args),
        #[cfg(feature = "loadtest")]
        Command::Loadtest(args) => loadtest::run(args),
        #[cfg(feature = "loadtest")]
        Command::Soak(args) => soak::run(args),
        Command::DefaultConfig => {
            print!("{}", koers_web::config::DEFAULT_CONFIG_TOML);
            Ok(())
        }
        other => run_async(&cli, other),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("koers: fout / error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run_async(cli: &Cli, command: &Command) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        match command {
            Command::Serve { serve, storage } => {
                let config = load_config(cli.config.as_ref(), storage, serve)?;
                server::serve(config).await
            }
            Command::Demo { serve, data_dir } => {
                let storage = StorageFlags {
                    data_dir: data_dir.clone(),
                    database_url: None,
                };
                let mut config = load_config(cli.config.as_ref(), &storage, serve)?;
                config.server.database_url.clear();
                server::demo(config, data_dir.is_some()).await
            }
            Command::Migrate { storage } => {
                let config = load_config(cli.config.as_ref(), storage, &ServeFlags::default())?;
                let store = server::open_store(&config).await?;
                println!("Database bijgewerkt / migrated ({}).", store.backend_name());
                store.close().await;
                Ok(())
            }
            Command::Admin { storage, action } => {
                let config = load_config(cli.config.as_ref(), storage, &ServeFlags::default())?;
                let store = server::open_store(&config).await?;
                let r = admin::run(&store, action).await;
                store.close().await;
                r
            }
            Command::Backup { storage, output } => {
                let config = load_config(cli.config.as_ref(), storage, &ServeFlags::default())?;
                server::backup(&config, output).await
            }
            Command::Restore { data_dir, backup } => {
                let storage = StorageFlags {
                    data_dir: data_dir.clone(),
                    database_url: None,
                };
                let config = load_config(cli.config.as_ref(), &storage, &ServeFlags::default())?;
                server::restore(&config, backup).await
            }
            #[cfg(feature = "loadtest")]
            Command::Loadtest(_) | Command::Soak(_) | Command::BenchScanPage(_) => Ok(()),
            Command::Consensus(_)
            | Command::Model { .. }
            | Command::BenchScan(_)
            | Command::DefaultConfig => Ok(()),
        }
    })
}
