//! `koers soak`: many sessions opened, used and left idle, with the server's memory
//! read before, while and after their rooms are evicted.
//!
//! One `koers serve` on a fresh database. Every session gets its participants
//! (joining over HTTP, each voting once on every statement), a few sessions at a
//! time; then the load stops. The server's resident memory is read at the start,
//! once every session has been used, and after the idle time has passed and the
//! server has logged the eviction of every room. Afterwards every session is asked
//! for again: each must load back from the database with all its votes.

use anyhow::{anyhow, bail, Context};
use clap::Args;
use koers_core::sessie::{ModerationMode, Phase, PhaseAction, Phases};
use koers_core::{
    Country, DisplayName, Email, OrganisationKind, OrganisationName, Role, SizeClass,
};
use koers_store::{NewLiveSession, NewOrganisation, NewStatement, NewUser, StatementStatus, Store};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::loadtest::{cookies_from, sqlx_admin, tempfile_dir, PERSPECTIVES};

#[derive(Args, Debug, Clone)]
pub struct SoakArgs {
    /// Sessions opened and used
    #[arg(long, default_value_t = 100)]
    pub sessions: usize,
    /// Participants per session (each votes once on every statement)
    #[arg(long, default_value_t = 30)]
    pub participants: usize,
    /// Statements per session
    #[arg(long, default_value_t = 20)]
    pub statements: usize,
    /// Seconds a room may stay idle on the server before it is evicted
    #[arg(long, default_value_t = 15)]
    pub idle_secs: u64,
    /// Use PostgreSQL (an administrative URL; a fresh database is created and dropped)
    #[arg(long, value_name = "URL")]
    pub postgres: Option<String>,
}

/// Resident memory now (VmRSS), in MB.
fn rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

pub fn run(args: &SoakArgs) -> anyhow::Result<()> {
    if args.sessions == 0 || args.participants == 0 || args.statements == 0 {
        bail!(
            "--sessions, --participants en --statements moeten groter dan 0 zijn / must be above 0"
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let dir = tempfile_dir()?;
        let (db_url, pg_name) = match &args.postgres {
            Some(admin) => {
                let name = format!("koers_soak_{}", std::process::id());
                sqlx_admin(admin, &format!("CREATE DATABASE {name}"))
                    .await
                    .context("creating the soak database")?;
                let base = admin
                    .rsplit_once('/')
                    .map(|(b, _)| b.to_owned())
                    .ok_or_else(|| anyhow!("bad URL"))?;
                (format!("{base}/{name}"), Some(name))
            }
            None => (dir.join("koers.db").to_string_lossy().into_owned(), None),
        };
        let result = soak(args, &dir, &db_url).await;
        if let (Some(admin), Some(name)) = (&args.postgres, pg_name) {
            let _ = sqlx_admin(
                admin,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            )
            .await;
        }
        let _ = std::fs::remove_dir_all(&dir);
        result
    })
}

async fn soak(args: &SoakArgs, dir: &std::path::Path, db_url: &str) -> anyhow::Result<()> {
    // ---- sessions, straight into the database, voting open
    let store = Store::connect(db_url).await?;
    let now = koers_web::unix_now();
    let org = store
        .create_organisation(
            NewOrganisation {
                name: &OrganisationName::parse("Gemeente Duurtest").map_err(|e| anyhow!("{e}"))?,
                kind: OrganisationKind::Gemeente,
                size_class: SizeClass::UpTo1000,
                country: Country::Nederland,
            },
            now,
        )
        .await?;
    let hash = koers_web::auth::hash_password("soak-wachtwoord".to_owned()).await?;
    let user = store
        .create_user(
            NewUser {
                email: &Email::parse("facilitator@duurtest.nl").map_err(|e| anyhow!("{e}"))?,
                display_name: &DisplayName::parse("Facilitator").map_err(|e| anyhow!("{e}"))?,
                password_hash: &hash,
                is_platform_admin: false,
            },
            now,
        )
        .await?;
    store
        .set_membership(org.id, user.id, Role::Facilitator, now)
        .await?;
    let perspectives: Vec<String> = PERSPECTIVES.iter().map(|p| (*p).to_owned()).collect();
    // The soak tool is a trusted tool on its own database.
    #[allow(clippy::disallowed_methods)]
    let scope = store.system_scope(org.id);
    let voting = Phases::default()
        .apply(Phase::Inbreng, PhaseAction::Open)
        .and_then(|p| p.apply(Phase::Stemmen, PhaseAction::Open))
        .map_err(|e| anyhow!("{e}"))?;
    let mut sessions = vec![];
    for n in 0..args.sessions {
        let code = join_code(n);
        let session = store
            .sessie()
            .create_live_session(
                &scope,
                NewLiveSession {
                    title: &format!("Duurtest {n}"),
                    description: "",
                    join_code: &code,
                    join_open_until: now + 86_400,
                    moderation: ModerationMode::Post,
                    max_statement_chars: 140,
                    dots_per_participant: 3,
                    perspectives: &perspectives,
                    read_only: false,
                    attribution: "",
                    created_by: Some(user.id),
                    now,
                },
            )
            .await?;
        let mut ids = vec![];
        for i in 0..args.statements {
            let st = store
                .sessie()
                .add_statement(
                    &session,
                    NewStatement {
                        participant_id: None,
                        is_seed: true,
                        text: &format!("Stelling {i} van sessie {n}"),
                        status: StatementStatus::Accepted,
                        profanity_hint: false,
                        now,
                        external_id: None,
                    },
                )
                .await?;
            ids.push(st.id.0);
        }
        store
            .sessie()
            .set_phases(session.scope, voting, now)
            .await?;
        sessions.push((session, code, ids));
    }

    // ---- the server, with a short idle time and the eviction log on
    let db_arg: Vec<String> = if args.postgres.is_some() {
        vec!["--database-url".into(), db_url.into()]
    } else {
        vec!["--data-dir".into(), dir.to_string_lossy().into_owned()]
    };
    let idle = args.idle_secs.to_string();
    let server = crate::loadtest::spawn_server_with(
        &db_arg,
        &[
            ("KOERS_SERVER__LIVE_ROOM_IDLE_SECS", idle.as_str()),
            ("KOERS_LOG", "koers_sessie=debug,warn"),
        ],
    )?;
    let pid = server.child.id();
    let base = server.url.clone();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_start = rss_mb(pid);

    // ---- every session used: participants join and vote on every statement
    let started = Instant::now();
    let mut acknowledged = 0usize;
    for chunk in sessions.chunks(10) {
        let mut tasks = vec![];
        for (_, code, ids) in chunk {
            for i in 0..args.participants {
                let (client, base, code, ids) =
                    (client.clone(), base.clone(), code.clone(), ids.clone());
                tasks.push(tokio::spawn(async move {
                    participate(&client, &base, &code, &ids, i).await
                }));
            }
        }
        for t in tasks {
            acknowledged += t.await.map_err(|e| anyhow!("{e}"))??;
        }
    }
    let use_secs = started.elapsed().as_secs_f64();
    let rss_used = rss_mb(pid);
    let peak_used = crate::loadtest::peak_rss_mb(pid);

    // ---- left idle: wait for every room to be evicted
    let idle_from = Instant::now();
    let deadline = idle_from + Duration::from_secs(args.idle_secs * 3 + 30);
    while server.evictions.load(Ordering::Relaxed) < args.sessions && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let evicted = server.evictions.load(Ordering::Relaxed);
    let evicted_after = idle_from.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_idle = rss_mb(pid);

    // ---- and back: every session loads again with all its votes
    let store = Store::connect(db_url).await?;
    let mut stored = 0usize;
    for (session, _, _) in &sessions {
        stored += store.sessie().votes(session.scope).await?.len();
    }
    store.close().await;
    let mut reloaded = 0usize;
    for (_, code, _) in &sessions {
        let r = client.get(format!("{base}/s/{code}")).send().await?;
        if r.status() == 200 {
            reloaded += 1;
        }
    }
    let rss_back = rss_mb(pid);
    drop(server);

    let expected = args.sessions * args.participants * args.statements;
    println!(
        "{} sessions x {} participants x {} statements: {acknowledged} of {expected} votes acknowledged in {use_secs:.1} s, {stored} stored",
        args.sessions, args.participants, args.statements
    );
    println!(
        "server memory (VmRSS): {rss_start:.0} MB at the start; {rss_used:.0} MB with every room used (peak {peak_used:.0} MB); \
         {rss_idle:.0} MB after {evicted} of {} rooms were evicted ({evicted_after:.0} s idle, eviction after {} s); \
         {rss_back:.0} MB with every session asked for again ({reloaded} answered)",
        args.sessions, args.idle_secs
    );
    if stored != acknowledged {
        bail!("{acknowledged} stemmen bevestigd, {stored} opgeslagen / votes acknowledged, stored");
    }
    if evicted < args.sessions {
        bail!(
            "slechts {evicted} van {} kamers opgeruimd / only evicted rooms",
            args.sessions
        );
    }
    if reloaded < args.sessions {
        bail!("slechts {reloaded} sessies weer geladen / only reloaded");
    }
    Ok(())
}

/// A distinct join code per session, in the join-code alphabet.
fn join_code(n: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut x = n + 7 * 31usize.pow(3);
    let mut code = String::new();
    for _ in 0..6 {
        code.push(char::from(ALPHABET[x % ALPHABET.len()]));
        x /= ALPHABET.len();
    }
    code
}

/// One participant: joins, then votes once on every statement; the votes acknowledged.
async fn participate(
    client: &reqwest::Client,
    base: &str,
    code: &str,
    statements: &[i64],
    i: usize,
) -> anyhow::Result<usize> {
    let r = client.get(format!("{base}/s/{code}")).send().await?;
    let csrf = cookies_from(&r)
        .into_iter()
        .find(|(k, _)| k == "koers_csrf")
        .map(|(_, v)| v)
        .ok_or_else(|| anyhow!("no csrf cookie"))?;
    let _ = r.bytes().await;
    let r = client
        .post(format!("{base}/s/{code}"))
        .header("cookie", format!("koers_csrf={csrf}"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("perspective", PERSPECTIVES[i % PERSPECTIVES.len()]),
        ])
        .send()
        .await?;
    if r.status() != 303 {
        bail!("join: {}", r.status());
    }
    let (name, token) = cookies_from(&r)
        .into_iter()
        .find(|(k, _)| k.starts_with("koers_p"))
        .ok_or_else(|| anyhow!("no participant cookie"))?;
    let cookie = format!("koers_csrf={csrf}; {name}={token}");
    let mut acknowledged = 0;
    for (k, st) in statements.iter().enumerate() {
        let vote = ["agree", "disagree", "pass"][(i + k) % 3];
        let r = client
            .post(format!("{base}/s/{code}/stem"))
            .header("cookie", &cookie)
            .form(&[
                ("csrf", csrf.as_str()),
                ("statement", &st.to_string()),
                ("vote", vote),
            ])
            .send()
            .await?;
        if r.status() == 303 {
            acknowledged += 1;
        }
    }
    Ok(acknowledged)
}
