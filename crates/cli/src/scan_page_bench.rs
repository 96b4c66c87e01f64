//! `koers bench-scan-page`: the Scan results page under a large wave, over real
//! HTTP. Seeds a wave of 10,000 respondents × 80 questions over six perspectives
//! into a fresh SQLite store (through the store's import, as an upload would),
//! starts the server on port 0, logs in as a member and requests the results page
//! many times, against an anchor in the same run (`/healthz`, which touches no
//! data). Target: p99 < 50 ms.
//!
//! The first request computes the wave's results (every response scored and
//! aggregated); later ones read them from the part's cache until a response comes
//! in or the wave closes. Both figures are reported. With `--write` the
//! "## Scan results page" section of docs/BENCHMARKS.md is replaced.

use anyhow::Context;
use koers_core::scan::Model;
use koers_core::{DisplayName, Email, OrganisationKind, OrganisationName, Role, SizeClass};
use koers_store::{ImportedResponse, NewOrganisation, NewPerspective, NewUser, NewWave, Store};
use koers_web::AppState;
use rand::SeedableRng;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub struct PageBenchArgs {
    /// Respondents in the wave
    #[arg(long, default_value_t = 10_000)]
    pub respondents: usize,
    /// Requests of the page (and of the anchor)
    #[arg(long, default_value_t = 300)]
    pub requests: usize,
    /// Replace the "## Scan results page" section of this file with the results
    #[arg(long)]
    pub write: bool,
    /// The benchmarks file for `--write`
    #[arg(long, value_name = "FILE", default_value = "docs/BENCHMARKS.md")]
    pub file: PathBuf,
}

const QUESTIONS: usize = 80;
const DIMENSIONS: usize = 8;
const PASSWORD: &str = "bench-scan-page-2026";

/// A perspectives model with 80 questions over eight dimensions: every scored
/// type and one open question.
fn model_source() -> String {
    crate::scan_synthetic::source(&crate::scan_synthetic::Synthetic {
        id: "bench-page",
        questions: QUESTIONS,
        dimensions: DIMENSIONS,
        bands_from: [0, 25, 50, 75],
        advice: true,
        open_last: true,
    })
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Seeds the store; returns (organisation id, wave id).
async fn seed(store: &Store, respondents: usize) -> anyhow::Result<(i64, i64)> {
    let now = koers_web::unix_now();
    let org = store
        .create_organisation(
            NewOrganisation {
                name: &OrganisationName::parse("Gemeente Bench")
                    .map_err(|e| anyhow::anyhow!("{e:?}"))?,
                kind: OrganisationKind::Gemeente,
                size_class: SizeClass::UpTo1000,
                country: koers_core::Country::Nederland,
            },
            now,
        )
        .await?;
    let hash = koers_web::auth::hash_password(PASSWORD.into()).await?;
    let user = store
        .create_user(
            NewUser {
                email: &Email::parse("lid@bench.example").map_err(|e| anyhow::anyhow!("{e:?}"))?,
                display_name: &DisplayName::parse("Lid Bench")
                    .map_err(|e| anyhow::anyhow!("{e:?}"))?,
                password_hash: &hash,
                is_platform_admin: false,
            },
            now,
        )
        .await?;
    store
        .set_membership(org.id, user.id, Role::Lid, now)
        .await?;
    // A platform administrator must exist, or every page leads to the first-run setup.
    store
        .create_user(
            NewUser {
                email: &Email::parse("admin@bench.example")
                    .map_err(|e| anyhow::anyhow!("{e:?}"))?,
                display_name: &DisplayName::parse("Admin Bench")
                    .map_err(|e| anyhow::anyhow!("{e:?}"))?,
                password_hash: &hash,
                is_platform_admin: true,
            },
            now,
        )
        .await?;
    let source = model_source();
    let model = Model::parse("bench-page.toml", &source).map_err(|e| anyhow::anyhow!("{e}"))?;
    // A trusted tool: it writes without a logged-in user.
    #[allow(clippy::disallowed_methods)]
    let scope = store.system_scope(org.id);
    // Six perspectives of unequal size; the smallest holds 2 % of the wave.
    let groups = [
        ("Bestuur", true, 0.02, 0.75),
        ("Directie", true, 0.08, 0.70),
        ("Management", false, 0.15, 0.55),
        ("Medewerkers", false, 0.45, 0.40),
        ("Ketenpartners", false, 0.10, 0.45),
        ("Inwoners", false, 0.20, 0.35),
    ];
    let perspectives: Vec<NewPerspective> = groups
        .iter()
        .map(|(name, rates_self, _, _)| NewPerspective {
            name: (*name).to_owned(),
            rates_self: *rates_self,
            weight: 1.0,
        })
        .collect();
    let scan = store.scan();
    let wave = scan
        .create_wave(
            &scope,
            &NewWave {
                title: "Bench",
                model_id: model.id(),
                model_version: model.version(),
                model_hash: model.hash(),
                model_source: &source,
                anonymous: true,
                perspectives: &perspectives,
                previous_wave: None,
                created_by: None,
                now,
            },
        )
        .await?;
    scan.open_wave(wave.scope, now).await?;
    let ps = scan.perspectives(wave.scope).await?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(2026);
    let mut rows = Vec::with_capacity(respondents);
    for (p, (_, _, share, level)) in ps.iter().zip(groups) {
        let n = ((respondents as f64) * share).round() as usize;
        for _ in 0..n {
            let answers = koers_scan::demo::simulated_answers(&model, level, &mut rng);
            rows.push(ImportedResponse {
                perspective_id: p.id,
                answers: serde_json::to_string(&answers)?,
            });
        }
    }
    scan.import_responses(wave.scope, &rows).await?;
    Ok((org.id.0, wave.id.0))
}

pub fn run(args: &PageBenchArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run_async(args))
}

async fn run_async(args: &PageBenchArgs) -> anyhow::Result<()> {
    let dir = tempfile_dir()?;
    let store = Store::open_data_dir(&dir).await?;
    let seeding = Instant::now();
    let (org, wave) = seed(&store, args.respondents).await?;
    let seeded_in = seeding.elapsed();
    let mut config = koers_web::config::Config::default();
    config.server.data_dir = dir.clone();
    let state = AppState::new(store.clone(), config, koers::parts()).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(koers_web::serve(listener, state, async {
        let _ = rx.await;
    }));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .timeout(Duration::from_secs(60))
        .build()?;
    let login_page = client
        .get(format!("{base}/inloggen"))
        .send()
        .await?
        .text()
        .await?;
    let csrf = login_page
        .split("name=\"koers-csrf\" content=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .context("no csrf token on the login page")?
        .to_owned();
    let r = client
        .post(format!("{base}/inloggen"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "lid@bench.example"),
            ("password", PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await?;
    anyhow::ensure!(r.status() == 303, "login failed: {}", r.status());
    let page = format!("{base}/organisaties/{org}/scans/{wave}/resultaten");

    let get = |url: String| {
        let client = client.clone();
        async move {
            let start = Instant::now();
            let r = client.get(&url).send().await?;
            let status = r.status();
            let body = r.bytes().await?;
            anyhow::ensure!(status == 200, "{url}: {status}");
            Ok::<_, anyhow::Error>((start.elapsed(), body.len()))
        }
    };
    let (cold, size) = get(page.clone()).await?;
    let mut page_times = Vec::with_capacity(args.requests);
    let mut anchor_times = Vec::with_capacity(args.requests);
    for _ in 0..args.requests {
        page_times.push(get(page.clone()).await?.0);
        anchor_times.push(get(format!("{base}/healthz")).await?.0);
    }
    page_times.sort();
    anchor_times.sort();
    let _ = tx.send(());
    let _ = server.await;
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);

    let (p50, p99) = (percentile(&page_times, 0.5), percentile(&page_times, 0.99));
    let (a50, a99) = (
        percentile(&anchor_times, 0.5),
        percentile(&anchor_times, 0.99),
    );
    let verdict = if p99 < Duration::from_millis(50) {
        "met"
    } else {
        "NOT met"
    };
    let table = format!(
        "| measurement | p50 | p99 |\n|---|---|---|\n\
         | results page, {} respondents × {QUESTIONS} questions, cached ({} requests, {} KiB) | {} | {} |\n\
         | anchor: `/healthz` (same run, interleaved) | {} | {} |\n\
         | first request (scores and aggregates every response) | {} | |\n",
        args.respondents,
        args.requests,
        size / 1024,
        ms(p50),
        ms(p99),
        ms(a50),
        ms(a99),
        ms(cold)
    );
    println!("Scan results page: target p99 < 50 ms: {verdict}");
    println!(
        "(seeding {} responses took {:.1} s)",
        args.respondents,
        seeded_in.as_secs_f64()
    );
    print!("{table}");
    if args.write {
        let section = format!(
            "## Scan results page\n\n\
             `cargo build --release -p koers --features loadtest && target/release/koers bench-scan-page --write`\n\n\
             A wave of {} respondents × {QUESTIONS} questions (every question type, six perspectives of \
             unequal size) seeded into a fresh SQLite store through the import; the server on port 0; \
             one logged-in member requests the results page {} times, interleaved with the anchor. \
             The first request scores and aggregates every response; later requests read the \
             part's per-wave cache, which a new response or closing the wave invalidates \
             (the key is the wave's response count per perspective and its status). \
             Target p99 < 50 ms: **{verdict}**.\n\n{table}\n",
            args.respondents, args.requests
        );
        let text = std::fs::read_to_string(&args.file).unwrap_or_default();
        std::fs::write(&args.file, replace_section(&text, &section))
            .with_context(|| format!("writing {}", args.file.display()))?;
        println!("written to {}", args.file.display());
    }
    Ok(())
}

/// A fresh directory under the system's temporary directory.
fn tempfile_dir() -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!(
        "koers-bench-scan-page-{}-{}",
        std::process::id(),
        koers_web::unix_now()
    ));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Replaces the "## Scan results page" section, or appends it.
fn replace_section(text: &str, section: &str) -> String {
    const HEAD: &str = "## Scan results page\n";
    let start = if text.starts_with(HEAD) {
        Some(0)
    } else {
        text.find(&format!("\n{HEAD}")).map(|i| i + 1)
    };
    match start {
        Some(start) => {
            let rest = &text[start + 1..];
            let end = rest.find("\n## ").map_or(text.len(), |i| start + 1 + i + 1);
            format!("{}{}{}", &text[..start], section, &text[end..])
        }
        None => format!("{}\n{}", text.trim_end_matches('\n'), section),
    }
}

#[cfg(test)]
mod tests {
    use super::replace_section;

    #[test]
    fn the_section_is_replaced_or_appended() {
        let s = "# B\n\n## Scan\nx\n\n## Scan results page\nold\n\n## C\ny\n";
        assert_eq!(
            replace_section(s, "## Scan results page\nnew\n\n"),
            "# B\n\n## Scan\nx\n\n## Scan results page\nnew\n\n## C\ny\n"
        );
        assert_eq!(
            replace_section("# B\n", "## Scan results page\nnew\n"),
            "# B\n## Scan results page\nnew\n"
        );
    }
}
