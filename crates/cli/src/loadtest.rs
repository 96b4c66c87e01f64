//! `koers loadtest`: simulated participants over real HTTP on loopback.
//!
//! It prepares a session (one organisation, a facilitator, seed statements) directly
//! in a fresh database, starts one or two `koers serve` processes on it, and then:
//! participants join (ramped), some submit statements, the facilitator opens the
//! voting phase through the console form, and every participant votes at a fixed
//! interval on a statement it has not voted on yet. A projector client follows the
//! live events on the last instance. Afterwards every acknowledged join, statement
//! and vote is checked against the database: none may be missing, and a stored vote
//! must have the acknowledged value. (A "duplicated" count is not reported: the
//! primary key on (participant, statement) makes it zero by construction.)
//!
//! After each acknowledged vote a participant fetches the next-statement page
//! (`/s/{code}/nu`), as a phone does when the vote's redirect lands; the figures give
//! the vote alone and the vote with that page. `--no-page-fetch` leaves the page out.
//! Participants still pick the statement they vote on themselves, so the client
//! stays light enough to share two cores with the server.

use anyhow::{anyhow, bail, Context};
use clap::Args;
use koers_core::sessie::{ModerationMode, Phase, PhaseAction, Phases, VoteChoice};
use koers_core::{
    Country, DisplayName, Email, OrganisationKind, OrganisationName, Role, SizeClass,
};
use koers_store::{NewLiveSession, NewOrganisation, NewStatement, NewUser, StatementStatus, Store};
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Args, Debug, Clone)]
pub struct LoadtestArgs {
    /// Simulated participants
    #[arg(long, default_value_t = 5000)]
    pub participants: usize,
    /// Each participant votes this often (milliseconds)
    #[arg(long, default_value_t = 2000)]
    pub interval_ms: u64,
    /// Length of the voting phase (seconds)
    #[arg(long, default_value_t = 60)]
    pub duration: u64,
    /// Seed statements (each participant votes at most once on each)
    #[arg(long, default_value_t = 40)]
    pub statements: usize,
    /// Seconds over which participants join
    #[arg(long, default_value_t = 10)]
    pub ramp: u64,
    /// Use PostgreSQL: an administrative URL (e.g. postgres://postgres@127.0.0.1:5432/postgres);
    /// a fresh database is created for the run and dropped after
    #[arg(long, value_name = "URL")]
    pub postgres: Option<String>,
    /// Number of `koers serve` instances sharing the session (2 needs --postgres)
    #[arg(long, default_value_t = 1)]
    pub instances: usize,
    /// Write the results into docs/BENCHMARKS.md
    #[arg(long)]
    pub write: bool,
    /// Do not fetch the next-statement page after each vote (vote traffic only)
    #[arg(long)]
    pub no_page_fetch: bool,
}

pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) url: String,
    /// Log lines saying an idle live room was evicted (with a debug log level).
    pub(crate) evictions: Arc<AtomicUsize>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

fn spawn_server(db_arg: &[String]) -> anyhow::Result<Server> {
    spawn_server_with(db_arg, &[])
}

/// A `koers serve` on port 0 with these extra environment settings.
pub(crate) fn spawn_server_with(db_arg: &[String], env: &[(&str, &str)]) -> anyhow::Result<Server> {
    let exe = std::env::current_exe()?;
    let mut cmd = Command::new(exe);
    for (k, _) in std::env::vars() {
        if k.starts_with("KOERS_") {
            cmd.env_remove(k);
        }
    }
    cmd.args(["serve", "--listen", "127.0.0.1:0"])
        .args(db_arg)
        .env("KOERS_LOG", "warn")
        // One machine plays every phone: lift the per-address limits for the run.
        .env("KOERS_SECURITY__JOINS_PER_ADDRESS_PER_MINUTE", "100000000")
        .env("KOERS_SECURITY__JOINS_PER_SESSION_PER_MINUTE", "100000000")
        .env("KOERS_SECURITY__EVENT_STREAMS_PER_ADDRESS", "100000000")
        .env("KOERS_SECURITY__LOGIN_ATTEMPTS_PER_ADDRESS", "1000")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let mut child = cmd.spawn()?;
    let stdout = child.stdout.take().ok_or_else(|| anyhow!("no stdout"))?;
    let mut lines = BufReader::new(stdout).lines();
    let mut url = None;
    for line in lines.by_ref() {
        let line = line?;
        if let (true, Some(i)) = (line.contains("listening on"), line.find("http://")) {
            url = Some(line[i..].trim().to_owned());
            break;
        }
    }
    // Keep draining so the server never blocks on a full pipe.
    let evictions = Arc::new(AtomicUsize::new(0));
    let counter = evictions.clone();
    std::thread::spawn(move || {
        // The server logs to stdout; its errors are shown (the first few), so
        // that an "HTTP 500" in the figures comes with its cause.
        let mut shown = 0;
        for line in lines.map_while(Result::ok) {
            if line.contains("idle live room evicted") {
                counter.fetch_add(1, Ordering::Relaxed);
            }
            if line.contains("ERROR") && shown < 20 {
                shown += 1;
                eprintln!("server: {line}");
            }
        }
    });
    let url = url.ok_or_else(|| anyhow!("server did not start"))?;
    Ok(Server {
        child,
        url,
        evictions,
    })
}

pub(crate) fn peak_rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

pub(crate) fn cookies_from(res: &reqwest::Response) -> Vec<(String, String)> {
    res.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|c| c.split(';').next())
        .filter_map(|kv| {
            kv.split_once('=')
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
        })
        .collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

struct Participant {
    instance: usize,
    csrf: String,
    cookie_name: String,
    token: String,
}

#[derive(Clone, Copy)]
struct Ack {
    participant: usize,
    statement: i64,
    choice: VoteChoice,
    at: Instant,
    latency: f64,
    /// The vote plus the next-statement page, as a phone sees it.
    with_page: f64,
    rank: usize,
}

pub fn run(args: &LoadtestArgs) -> anyhow::Result<()> {
    if args.instances == 0 || args.instances > 2 {
        bail!("--instances moet 1 of 2 zijn / must be 1 or 2");
    }
    if args.instances == 2 && args.postgres.is_none() {
        bail!("twee instanties delen een sessie via PostgreSQL / two instances need --postgres");
    }
    if args.participants == 0 || args.statements == 0 || args.interval_ms == 0 {
        bail!("--participants, --statements en --interval-ms moeten groter dan 0 zijn / must be above 0");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run_async(args.clone()))
}

async fn run_async(args: LoadtestArgs) -> anyhow::Result<()> {
    let dir = tempfile_dir()?;
    let (db_url, pg_name) = match &args.postgres {
        Some(admin) => {
            let name = format!("koers_loadtest_{}", std::process::id());
            let store_admin = sqlx_admin(admin, &format!("CREATE DATABASE {name}")).await;
            store_admin.context("creating the load-test database")?;
            let base = admin
                .rsplit_once('/')
                .map(|(b, _)| b.to_owned())
                .ok_or_else(|| anyhow!("bad URL"))?;
            (format!("{base}/{name}"), Some(name))
        }
        None => (dir.join("koers.db").to_string_lossy().into_owned(), None),
    };
    let result = drive(&args, &dir, &db_url).await;
    if let (Some(admin), Some(name)) = (&args.postgres, pg_name) {
        let _ = sqlx_admin(
            admin,
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        )
        .await;
    }
    let _ = std::fs::remove_dir_all(&dir);
    result
}

pub(crate) async fn sqlx_admin(admin_url: &str, sql: &str) -> anyhow::Result<()> {
    let store = Store::connect_unmigrated(admin_url).await?;
    store.execute_admin(sql).await?;
    store.close().await;
    Ok(())
}

pub(crate) fn tempfile_dir() -> anyhow::Result<PathBuf> {
    let d = std::env::temp_dir().join(format!("koers-loadtest-{}", std::process::id()));
    std::fs::create_dir_all(&d)?;
    Ok(d)
}

pub(crate) const PERSPECTIVES: [&str; 8] = [
    "bestuur",
    "directie",
    "beleid",
    "informatievoorziening",
    "uitvoering",
    "toezicht",
    "ketenpartner",
    "inwoner",
];

async fn drive(args: &LoadtestArgs, dir: &std::path::Path, db_url: &str) -> anyhow::Result<()> {
    // ---- the session, straight into the database
    let store = Store::connect(db_url).await?;
    let now = koers_web::unix_now();
    let org = store
        .create_organisation(
            NewOrganisation {
                name: &OrganisationName::parse("Gemeente Loadtest").map_err(|e| anyhow!("{e}"))?,
                kind: OrganisationKind::Gemeente,
                size_class: SizeClass::UpTo1000,
                country: Country::Nederland,
            },
            now,
        )
        .await?;
    let password = "loadtest-wachtwoord";
    let hash = koers_web::auth::hash_password(password.to_owned()).await?;
    let email = Email::parse("facilitator@loadtest.nl").map_err(|e| anyhow!("{e}"))?;
    let user = store
        .create_user(
            NewUser {
                email: &email,
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
    // The load generator is a trusted tool on its own database.
    #[allow(clippy::disallowed_methods)]
    let scope = store.system_scope(org.id);
    let session = store
        .sessie()
        .create_live_session(
            &scope,
            NewLiveSession {
                title: "Loadtest",
                description: "",
                join_code: "QRDX23",
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
    let mut statement_ids = vec![];
    for i in 0..args.statements {
        let st = store
            .sessie()
            .add_statement(
                &session,
                NewStatement {
                    participant_id: None,
                    is_seed: true,
                    text: &format!("Startstelling nummer {i}"),
                    status: StatementStatus::Accepted,
                    profanity_hint: false,
                    now,
                    external_id: None,
                },
            )
            .await?;
        statement_ids.push(st.id.0);
    }
    let inbreng = Phases::default()
        .apply(Phase::Inbreng, PhaseAction::Open)
        .map_err(|e| anyhow!("{e}"))?;
    store
        .sessie()
        .set_phases(session.scope, inbreng, now)
        .await?;
    store.close().await;

    // ---- the servers
    let db_arg: Vec<String> = if args.postgres.is_some() {
        vec!["--database-url".into(), db_url.into()]
    } else {
        vec!["--data-dir".into(), dir.to_string_lossy().into_owned()]
    };
    let mut servers = vec![];
    for _ in 0..args.instances {
        servers.push(spawn_server(&db_arg)?);
    }
    let urls: Vec<String> = servers.iter().map(|s| s.url.clone()).collect();
    eprintln!("servers: {urls:?}");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(2048)
        .timeout(Duration::from_secs(30))
        .build()?;

    // ---- facilitator logs in on instance 0; projector follows the last instance
    let facilitator = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()?;
    let page = facilitator
        .get(format!("{}/toegankelijkheid", urls[0]))
        .send()
        .await?
        .text()
        .await?;
    let csrf =
        extract(&page, "name=\"koers-csrf\" content=\"", "\"").ok_or_else(|| anyhow!("no csrf"))?;
    let r = facilitator
        .post(format!("{}/inloggen", urls[0]))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "facilitator@loadtest.nl"),
            ("password", password),
            ("next", "/"),
        ])
        .send()
        .await?;
    if r.status() != 303 {
        bail!("facilitator login failed: {}", r.status());
    }
    let projector_url = format!(
        "{}/organisaties/{}/sessies/{}/projectie/events",
        urls[urls.len() - 1],
        org.id,
        session.id
    );
    // What the projector shows, as it arrives: the counts (sent up to four times a
    // second) and, separately, each new opinion-map and groups snapshot.
    let projector_log: Arc<Mutex<Vec<(Instant, usize)>>> = Arc::new(Mutex::new(vec![]));
    let snapshot_log: Arc<Mutex<Vec<(Instant, usize)>>> = Arc::new(Mutex::new(vec![]));
    let projector = {
        let log = projector_log.clone();
        let snaps = snapshot_log.clone();
        let mut res = facilitator.get(&projector_url).send().await?;
        if res.status() != 200 {
            bail!("projector events: {}", res.status());
        }
        tokio::spawn(async move {
            let mut buf = String::new();
            let mut event = String::new();
            while let Ok(Some(chunk)) = res.chunk().await {
                buf.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(i) = buf.find('\n') {
                    let line = buf[..i].trim_end_matches('\r').to_owned();
                    buf.drain(..=i);
                    if let Some(e) = line.strip_prefix("event:") {
                        event = e.trim().to_owned();
                    } else if let Some(d) = line.strip_prefix("data:") {
                        let parts: Vec<&str> = d.trim().split(':').collect();
                        let (votes, into) = match (event.as_str(), parts.as_slice()) {
                            ("counts", [v, _]) => (v.parse::<usize>().ok(), &log),
                            ("snapshot", [_, v, _]) => (v.parse::<usize>().ok(), &snaps),
                            _ => (None, &log),
                        };
                        if let (Some(v), Ok(mut into)) = (votes, into.lock()) {
                            into.push((Instant::now(), v));
                        }
                    }
                }
            }
        })
    };

    // ---- participants join over the ramp; one in ten submits a statement
    let code = session.join_code.clone();
    let joined: Arc<Mutex<Vec<Option<Participant>>>> =
        Arc::new(Mutex::new((0..args.participants).map(|_| None).collect()));
    let join_errors = Arc::new(AtomicUsize::new(0));
    let ramp_start = Instant::now();
    let mut tasks = vec![];
    for i in 0..args.participants {
        let (client, urls, code, joined, join_errors) = (
            client.clone(),
            urls.clone(),
            code.clone(),
            joined.clone(),
            join_errors.clone(),
        );
        let delay = Duration::from_millis(args.ramp * 1000 * i as u64 / args.participants as u64);
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let instance = i % urls.len();
            let base = &urls[instance];
            let result: anyhow::Result<Participant> = async {
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
                let (cookie_name, token) = cookies_from(&r)
                    .into_iter()
                    .find(|(k, _)| k.starts_with("koers_p"))
                    .ok_or_else(|| anyhow!("no participant cookie"))?;
                let p = Participant {
                    instance,
                    csrf,
                    cookie_name,
                    token,
                };
                if i % 10 == 0 {
                    let r = client
                        .post(format!("{base}/s/{code}/inbreng"))
                        .header(
                            "cookie",
                            format!("koers_csrf={}; {}={}", p.csrf, p.cookie_name, p.token),
                        )
                        .form(&[
                            ("csrf", p.csrf.as_str()),
                            ("text", &format!("Stelling van deelnemer {i}")),
                        ])
                        .send()
                        .await?;
                    if r.status() != 303 {
                        bail!("statement: {}", r.status());
                    }
                }
                Ok(p)
            }
            .await;
            match result {
                Ok(p) => {
                    if let Ok(mut j) = joined.lock() {
                        j[i] = Some(p);
                    }
                }
                Err(e) => {
                    if join_errors.fetch_add(1, Ordering::Relaxed) < 5 {
                        eprintln!("participant {i}: {e:#}");
                    }
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let join_secs = ramp_start.elapsed().as_secs_f64();
    let participants: Vec<Option<Participant>> =
        std::mem::take(&mut *joined.lock().map_err(|_| anyhow!("poisoned"))?);
    let n_joined = participants.iter().filter(|p| p.is_some()).count();
    eprintln!("{n_joined} joined in {join_secs:.1} s");

    // ---- the facilitator opens voting through the console form
    let console = facilitator
        .get(format!(
            "{}/organisaties/{}/sessies/{}",
            urls[0], org.id, session.id
        ))
        .send()
        .await?
        .text()
        .await?;
    let csrf = extract(&console, "name=\"koers-csrf\" content=\"", "\"")
        .ok_or_else(|| anyhow!("no csrf"))?;
    let r = facilitator
        .post(format!(
            "{}/organisaties/{}/sessies/{}/fase",
            urls[0], org.id, session.id
        ))
        .form(&[
            ("csrf", csrf.as_str()),
            ("phase", "stemmen"),
            ("action", "open"),
        ])
        .send()
        .await?;
    if r.status() != 303 {
        bail!("opening the voting phase failed: {}", r.status());
    }

    // ---- voting
    let acks: Arc<Mutex<Vec<Ack>>> =
        Arc::new(Mutex::new(Vec::with_capacity(args.participants * 40)));
    let rank = Arc::new(AtomicUsize::new(0));
    let errors: Arc<Mutex<HashMap<String, usize>>> = Arc::new(Mutex::new(HashMap::new()));
    let vote_start = Instant::now();
    let end = vote_start + Duration::from_secs(args.duration);
    let participants = Arc::new(participants);
    let statements = Arc::new(statement_ids);
    let mut tasks = vec![];
    for i in 0..args.participants {
        if participants[i].is_none() {
            continue;
        }
        let (client, urls, code, participants, statements, acks, rank, errors) = (
            client.clone(),
            urls.clone(),
            code.clone(),
            participants.clone(),
            statements.clone(),
            acks.clone(),
            rank.clone(),
            errors.clone(),
        );
        let interval = Duration::from_millis(args.interval_ms);
        let fetch_page = !args.no_page_fetch;
        let offset = Duration::from_millis((i as u64 * 7919) % args.interval_ms);
        tasks.push(tokio::spawn(async move {
            let Some(p) = participants[i].as_ref() else {
                return;
            };
            let base = &urls[p.instance];
            let cookie = format!("koers_csrf={}; {}={}", p.csrf, p.cookie_name, p.token);
            let mut next = vote_start + offset;
            let mut k = 0usize;
            let n = statements.len();
            while k < n {
                tokio::time::sleep_until(next.into()).await;
                if Instant::now() >= end {
                    break;
                }
                next += interval;
                // A different order per participant, so every statement gets votes.
                let statement = statements[(i * 13 + k * 7) % n];
                let choice = match (i + k) % 5 {
                    0 | 1 => VoteChoice::Agree,
                    2 | 3 => VoteChoice::Disagree,
                    _ => VoteChoice::Pass,
                };
                let word = match choice {
                    VoteChoice::Agree => "agree",
                    VoteChoice::Disagree => "disagree",
                    VoteChoice::Pass => "pass",
                };
                let started = Instant::now();
                let r = client
                    .post(format!("{base}/s/{code}/stem"))
                    .header("cookie", &cookie)
                    .form(&[
                        ("csrf", p.csrf.as_str()),
                        ("statement", &statement.to_string()),
                        ("vote", word),
                    ])
                    .send()
                    .await;
                let latency = started.elapsed().as_secs_f64();
                match r {
                    Ok(r) if r.status() == 303 => {
                        let at = Instant::now();
                        let rank = rank.fetch_add(1, Ordering::SeqCst) + 1;
                        let with_page = if fetch_page {
                            let page = client
                                .get(format!("{base}/s/{code}/nu"))
                                .header("cookie", &cookie)
                                .send()
                                .await;
                            match page {
                                Ok(page) if page.status() == 200 => {
                                    let _ = page.bytes().await;
                                }
                                Ok(page) => {
                                    if let Ok(mut e) = errors.lock() {
                                        *e.entry(format!(
                                            "page HTTP {}",
                                            page.status().as_u16()
                                        ))
                                        .or_default() += 1;
                                    }
                                }
                                Err(_) => {
                                    if let Ok(mut e) = errors.lock() {
                                        *e.entry("page connection".to_owned()).or_default() += 1;
                                    }
                                }
                            }
                            started.elapsed().as_secs_f64()
                        } else {
                            latency
                        };
                        if let Ok(mut a) = acks.lock() {
                            a.push(Ack {
                                participant: i,
                                statement,
                                choice,
                                at,
                                latency,
                                with_page,
                                rank,
                            });
                        }
                        k += 1;
                    }
                    Ok(r) => {
                        // 409: this instance has not heard that voting opened yet; try
                        // the same statement at the next tick.
                        if let Ok(mut e) = errors.lock() {
                            *e.entry(format!("HTTP {}", r.status().as_u16()))
                                .or_default() += 1;
                        }
                    }
                    Err(e) => {
                        if let Ok(mut m) = errors.lock() {
                            *m.entry(if e.is_timeout() {
                                "timeout".to_owned()
                            } else {
                                "connection".to_owned()
                            })
                            .or_default() += 1;
                        }
                    }
                }
            }
        }));
    }
    // An anchor in the same run: the trivial endpoint's latency under the same load.
    let anchor = {
        let (client, url) = (client.clone(), urls[0].clone());
        tokio::spawn(async move {
            let mut lat = vec![];
            while Instant::now() < end {
                let t = Instant::now();
                if client.get(format!("{url}/healthz")).send().await.is_ok() {
                    lat.push(t.elapsed().as_secs_f64());
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            lat
        })
    };
    for t in tasks {
        let _ = t.await;
    }
    let vote_secs = vote_start.elapsed().as_secs_f64();
    let mut anchor_lat = anchor.await.unwrap_or_default();
    // Let the projector catch up with the last votes before we stop listening.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    projector.abort();
    let rss: Vec<f64> = servers.iter().map(|s| peak_rss_mb(s.child.id())).collect();
    drop(servers);

    // ---- check every acknowledged vote against the database
    let acks = std::mem::take(&mut *acks.lock().map_err(|_| anyhow!("poisoned"))?);
    let store = Store::connect(db_url).await?;
    let rows = store.sessie().votes(session.scope).await?;
    let mut pid_of: HashMap<usize, i64> = HashMap::new();
    for (i, p) in participants.iter().enumerate() {
        if let Some(p) = p {
            if let Some(row) = store
                .sessie()
                .participant_by_token(session.scope, &koers_web::auth::token_hash(&p.token))
                .await?
            {
                pid_of.insert(i, row.id);
            }
        }
    }
    // Every acknowledged join has its participant row, and every acknowledged
    // statement its row.
    let acknowledged_joins = participants.iter().filter(|p| p.is_some()).count();
    let lost_joins = acknowledged_joins - pid_of.len();
    let texts: HashSet<String> = store
        .sessie()
        .statements(session.scope)
        .await?
        .into_iter()
        .map(|s| s.text)
        .collect();
    let lost_statements = participants
        .iter()
        .enumerate()
        .filter(|(i, p)| p.is_some() && i % 10 == 0)
        .filter(|(i, _)| !texts.contains(&format!("Stelling van deelnemer {i}")))
        .count();
    store.close().await;
    let stored: HashMap<(i64, i64), i16> = rows
        .iter()
        .map(|r| ((r.participant_id, r.statement_id), r.vote))
        .collect();
    let mut lost = 0usize;
    let mut wrong = 0usize;
    for a in &acks {
        match pid_of
            .get(&a.participant)
            .and_then(|pid| stored.get(&(*pid, a.statement)))
        {
            None => lost += 1,
            Some(v) if *v != a.choice.value() => wrong += 1,
            Some(_) => {}
        }
    }
    let unacknowledged_rows = rows.len().saturating_sub(acks.len());

    // ---- projector delay: vote acknowledged as the k-th → first event showing ≥ k
    let delays_in = |log: &Arc<Mutex<Vec<(Instant, usize)>>>| -> anyhow::Result<(Vec<f64>, usize)> {
        let log = log.lock().map_err(|_| anyhow!("poisoned"))?.clone();
        let mut delays = vec![];
        let mut missed = 0usize;
        for a in &acks {
            // The log is in arrival order: the first entry at or after the
            // acknowledgement that counts at least this many votes.
            let from = log.partition_point(|(t, _)| *t < a.at);
            match log[from..].iter().find(|(_, v)| *v >= a.rank) {
                Some((t, _)) => delays.push(t.duration_since(a.at).as_secs_f64()),
                None => missed += 1,
            }
        }
        delays.sort_by(f64::total_cmp);
        Ok((delays, missed))
    };
    let (delays, missed) = delays_in(&projector_log)?;
    let (map_delays, map_missed) = delays_in(&snapshot_log)?;
    let mut lat: Vec<f64> = acks.iter().map(|a| a.latency).collect();
    lat.sort_by(f64::total_cmp);
    let mut page_lat: Vec<f64> = acks.iter().map(|a| a.with_page).collect();
    page_lat.sort_by(f64::total_cmp);
    anchor_lat.sort_by(f64::total_cmp);
    let errors = errors.lock().map_err(|_| anyhow!("poisoned"))?.clone();

    let backend = if args.postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let mut out = String::new();
    out.push_str(&format!(
        "| {backend}, {} participants, {} instance(s), {} s{} | {n_joined} / {} | {} | {:.0} | {:.1} / {:.1} / {:.1} ms | {:.1} / {:.1} ms | {:.1} ms | {} | {} / {} | {:.0} / {:.0} ms ({missed} unseen) | {:.0} / {:.0} ms ({map_missed} unseen) | {} |\n",
        args.participants,
        args.instances,
        args.duration,
        if args.no_page_fetch { ", no page fetches" } else { "" },
        args.participants,
        acks.len(),
        acks.len() as f64 / vote_secs,
        percentile(&lat, 0.5) * 1000.0,
        percentile(&lat, 0.95) * 1000.0,
        percentile(&lat, 0.99) * 1000.0,
        percentile(&page_lat, 0.5) * 1000.0,
        percentile(&page_lat, 0.99) * 1000.0,
        percentile(&anchor_lat, 0.99) * 1000.0,
        if errors.is_empty() { "none".to_owned() } else { format!("{errors:?}") },
        lost + wrong,
        lost_joins + lost_statements,
        percentile(&delays, 0.5) * 1000.0,
        percentile(&delays, 0.95) * 1000.0,
        percentile(&map_delays, 0.5) * 1000.0,
        percentile(&map_delays, 0.95) * 1000.0,
        rss.iter().map(|r| format!("{r:.0} MB")).collect::<Vec<_>>().join(" + "),
    ));
    println!(
        "participants joined: {n_joined}/{} in {join_secs:.1} s; join errors {}",
        args.participants,
        join_errors.load(Ordering::Relaxed)
    );
    println!(
        "acknowledged votes: {} in {vote_secs:.1} s ({:.0}/s)",
        acks.len(),
        acks.len() as f64 / vote_secs
    );
    println!(
        "vote latency p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms; with the next page p50 {:.1} ms, p99 {:.1} ms; /healthz anchor p99 {:.1} ms",
        percentile(&lat, 0.5) * 1000.0,
        percentile(&lat, 0.95) * 1000.0,
        percentile(&lat, 0.99) * 1000.0,
        lat.last().copied().unwrap_or(f64::NAN) * 1000.0,
        percentile(&page_lat, 0.5) * 1000.0,
        percentile(&page_lat, 0.99) * 1000.0,
        percentile(&anchor_lat, 0.99) * 1000.0
    );
    println!("errors: {errors:?}");
    println!("stored rows {}; lost votes {lost}; wrong value {wrong}; stored without acknowledgement {unacknowledged_rows}", rows.len());
    println!("acknowledged joins {acknowledged_joins}, lost {lost_joins}; lost statements {lost_statements}");
    println!(
        "projector shows a vote after p50 {:.0} ms, p95 {:.0} ms ({missed} of {} never seen)",
        percentile(&delays, 0.5) * 1000.0,
        percentile(&delays, 0.95) * 1000.0,
        acks.len()
    );
    println!(
        "the projector's opinion map includes a vote after p50 {:.0} ms, p95 {:.0} ms ({map_missed} of {} never seen)",
        percentile(&map_delays, 0.5) * 1000.0,
        percentile(&map_delays, 0.95) * 1000.0,
        acks.len()
    );
    println!("server peak RSS: {rss:?} MB");
    print!("{out}");
    if args.write {
        write_benchmarks(args, &out)?;
    }
    if lost + wrong + lost_joins + lost_statements > 0 {
        bail!(
            "{lost} stemmen verloren, {wrong} verkeerd, {lost_joins} deelnames en {lost_statements} stellingen verloren / \
             lost votes, wrong votes, lost joins, lost statements"
        );
    }
    Ok(())
}

pub(crate) fn extract(haystack: &str, start: &str, end: &str) -> Option<String> {
    let i = haystack.find(start)? + start.len();
    let j = haystack[i..].find(end)? + i;
    Some(haystack[i..j].to_owned())
}

/// Adds this run's row to the "Sessie load" table in docs/BENCHMARKS.md, replacing
/// an earlier row for the same backend and instance count.
fn write_benchmarks(args: &LoadtestArgs, row: &str) -> anyhow::Result<()> {
    let path = PathBuf::from("docs/BENCHMARKS.md");
    let mut text = std::fs::read_to_string(&path).unwrap_or_else(|_| "# Benchmarks\n".into());
    let header = "## Sessie load (issues 4 and 8)";
    if !text.contains(header) {
        text.push_str(&format!(
            "\n{header}\n\nReproduce: `cargo build --release -p koers --features loadtest && target/release/koers loadtest --participants 5000 --interval-ms 2000 --duration 60 --write` \
             (SQLite), and `… --postgres postgres://postgres@127.0.0.1:5432/postgres --instances 2 --write` (two instances on one PostgreSQL). \
             Server(s) and load generator share the machine's 2 cores. Targets: nothing acknowledged lost (votes, joins, statements), p99 vote latency < 100 ms, \
             the projector reflects a vote within 1 s (p95).\n\n\
             | run | joined | acknowledged votes | votes/s | vote latency p50 / p95 / p99 | vote + next page p50 / p99 | `/healthz` p99 (anchor) | errors | lost votes / lost joins+statements | projector counts p50 / p95 | projector opinion map p50 / p95 | server peak RSS |\n\
             |---|---|---|---|---|---|---|---|---|---|---|---|\n"
        ));
    }
    let key = row.split('|').nth(1).unwrap_or("").trim().to_owned();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines.retain(|l| {
        !(l.starts_with("| ") && l.split('|').nth(1).map(str::trim) == Some(key.as_str()))
    });
    let pos = lines
        .iter()
        .position(|l| l == header)
        .ok_or_else(|| anyhow!("header"))?;
    let table_end = lines
        .iter()
        .enumerate()
        .skip(pos)
        .find(|(_, l)| l.starts_with("|---"))
        .map(|(i, _)| i + 1)
        .ok_or_else(|| anyhow!("table"))?;
    let mut insert_at = table_end;
    while insert_at < lines.len() && lines[insert_at].starts_with('|') {
        insert_at += 1;
    }
    lines.insert(insert_at, row.trim_end().to_owned());
    std::fs::write(&path, lines.join("\n") + "\n")?;
    eprintln!(
        "wrote {} ({} participants)",
        path.display(),
        args.participants
    );
    Ok(())
}
