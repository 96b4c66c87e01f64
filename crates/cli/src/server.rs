//! Starting and stopping the server, the demo, and SQLite backup and restore.

use anyhow::{bail, Context};
use koers_store::{SqliteCheck, Store, StoreError, SQLITE_FILE};
use koers_web::config::{redact_url, Config, LogFormat};
use koers_web::AppState;
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn init_logging(config: &Config) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_new(&config.log.level).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stdout);
    // A second init (tests) is harmless; ignore it.
    let _ = match config.log.format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Opens the configured database and applies migrations, with messages that say
/// what to do when it fails.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    let url = &config.server.database_url;
    let result = if url.is_empty() {
        let dir = &config.server.data_dir;
        std::fs::create_dir_all(dir).with_context(|| {
            format!(
                "gegevensmap / data directory {} niet aan te maken / cannot be created",
                dir.display()
            )
        })?;
        Store::open_data_dir(dir).await
    } else {
        Store::connect(url).await
    };
    result.map_err(|e| match e {
        StoreError::Unreachable(msg) => anyhow::anyhow!(
            "database niet bereikbaar / unreachable ({}): {msg}",
            if url.is_empty() {
                config
                    .server
                    .data_dir
                    .join(SQLITE_FILE)
                    .display()
                    .to_string()
            } else {
                redact_url(url)
            }
        ),
        other => anyhow::Error::new(other),
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

async fn run_server(config: Config, store: Store, banner: impl FnOnce(&str)) -> anyhow::Result<()> {
    let state = AppState::new(store.clone(), config.clone(), koers::parts()).await?;
    let listener = tokio::net::TcpListener::bind(&config.server.listen)
        .await
        .with_context(|| {
            format!(
                "kan niet luisteren op / cannot listen on {}",
                config.server.listen
            )
        })?;
    let addr = listener.local_addr()?;
    let url = format!("http://{addr}");
    if let Some(code) = state.setup_code() {
        tracing::warn!("no administrator yet: open {url}/installatie and use setup code {code}");
        println!("Nog geen beheerder / no administrator yet: open {url}/installatie, instelcode / setup code: {code}");
        println!("(of / or: koers admin create-user --platform-admin --email … --name …)");
    }
    banner(&url);
    println!("Koers luistert op / listening on {url}");
    let _ = std::io::stdout().flush();
    tracing::info!(%addr, backend = store.backend_name(), "koers started");

    let checkpointer = {
        let store = store.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
            loop {
                tick.tick().await;
                if let Err(e) = store.checkpoint().await {
                    tracing::warn!("checkpoint failed: {e}");
                }
            }
        })
    };
    let purger = {
        let store = store.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
            loop {
                tick.tick().await;
                if let Err(e) = store
                    .purge_expired_login_sessions(koers_web::unix_now())
                    .await
                {
                    tracing::warn!("purging expired sessions failed: {e}");
                }
            }
        })
    };
    koers_web::serve(listener, state, shutdown_signal()).await?;
    purger.abort();
    checkpointer.abort();
    store.close().await;
    tracing::info!("koers stopped");
    Ok(())
}

pub async fn serve(config: Config) -> anyhow::Result<()> {
    init_logging(&config);
    let store = open_store(&config).await?;
    run_server(config, store, |_| {}).await
}

pub async fn demo(mut config: Config, dir_given: bool) -> anyhow::Result<()> {
    init_logging(&config);
    if dir_given {
        let db = config.server.data_dir.join(SQLITE_FILE);
        if db.exists() {
            bail!(
                "{} bevat al gegevens; de demo start alleen in een lege map / already holds data; the demo needs a fresh directory",
                config.server.data_dir.display()
            );
        }
    } else {
        config.server.data_dir = fresh_temp_dir()?;
    }
    let store = open_store(&config).await?;
    let hash = koers_web::auth::hash_password(koers_web::demo::DEMO_PASSWORD.to_owned()).await?;
    // The demo data is embedded in the binary, so the demo looks the same from any
    // working directory and from an installed binary.
    let (logins, reports) =
        koers_web::demo::seed(&store, &hash, koers_web::unix_now(), &koers::parts()).await?;
    let data_dir = config.server.data_dir.clone();
    run_server(config, store, move |url| {
        println!("Koers demo — Gemeente Voorbeeld");
        println!("Gegevens / data: {}", data_dir.display());
        println!(
            "Inloggen / log in at {url}/inloggen, wachtwoord / password: {}",
            koers_web::demo::DEMO_PASSWORD
        );
        for l in &logins {
            println!("  {:<28} {}", l.email, l.description);
        }
        for line in &reports {
            println!("{line}");
        }
    })
    .await
}

fn fresh_temp_dir() -> anyhow::Result<PathBuf> {
    let base = std::env::temp_dir();
    for attempt in 0..100u32 {
        let dir = base.join(format!(
            "koers-demo-{}-{}-{attempt}",
            std::process::id(),
            koers_web::unix_now()
        ));
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e).context("tijdelijke map / temporary directory"),
        }
    }
    bail!("geen tijdelijke map aan te maken / cannot create a temporary directory")
}

pub async fn backup(config: &Config, output: &Path) -> anyhow::Result<()> {
    if !config.server.database_url.is_empty()
        && !config.server.database_url.starts_with("sqlite://")
    {
        bail!("PostgreSQL: maak een backup met / back up with pg_dump (see docs/operations.md)");
    }
    if output.exists() {
        bail!(
            "{} bestaat al / already exists; kies een nieuwe naam / choose a new name",
            output.display()
        );
    }
    let store = open_store(config).await?;
    let r = store.backup_sqlite(output).await;
    store.close().await;
    r.with_context(|| format!("backup naar / to {}", output.display()))?;
    println!("Backup geschreven / written: {}", output.display());
    Ok(())
}

pub async fn restore(config: &Config, backup: &Path) -> anyhow::Result<()> {
    match koers_store::backend::check_sqlite_file(backup).await? {
        SqliteCheck::Absent => bail!(
            "{} bestaat niet of is leeg / does not exist or is empty",
            backup.display()
        ),
        SqliteCheck::Koers { schema_version }
            if schema_version > koers_store::latest_schema_version() =>
        {
            bail!("backup is van een nieuwere Koers / comes from a newer Koers (schema {schema_version})")
        }
        SqliteCheck::Koers { .. } => {}
    }
    let dir = &config.server.data_dir;
    std::fs::create_dir_all(dir)?;
    let target = dir.join(SQLITE_FILE);
    let tmp = dir.join(format!("{SQLITE_FILE}.restoring"));
    std::fs::copy(backup, &tmp)
        .with_context(|| format!("kopiëren naar / copying to {}", tmp.display()))?;
    std::fs::File::open(&tmp)?.sync_all()?;
    if target.exists() {
        // Keep the current database (and its WAL) aside rather than overwrite it.
        let stamp = koers_web::unix_now();
        let aside = dir.join(format!("{SQLITE_FILE}.before-restore-{stamp}"));
        std::fs::rename(&target, &aside)?;
        for suffix in ["-wal", "-shm"] {
            let side = dir.join(format!("{SQLITE_FILE}{suffix}"));
            if side.exists() {
                std::fs::rename(
                    &side,
                    dir.join(format!("{SQLITE_FILE}.before-restore-{stamp}{suffix}")),
                )?;
            }
        }
        println!(
            "Huidige database bewaard / current database kept as {}",
            aside.display()
        );
    }
    std::fs::rename(&tmp, &target)?;
    println!("Teruggezet / restored: {}", target.display());
    Ok(())
}
