//! `koers bench-scan`: times Scan's pure engine in one run on synthetic data.
//!
//! (a) scoring and aggregating a wave of 10,000 respondents × 80 questions over six
//!     perspectives (target < 100 ms), against an anchor: a plain sum over the same
//!     answers, so that the figure reads as a ratio on any machine;
//! (b) the peer benchmark for 1,000 organisations × every dimension and overall, each
//!     against the 999 others (target < 200 ms).
//!
//! The answers are generated before timing starts; each measurement is the median of
//! several runs. With `--write` the "## Scan" section of docs/BENCHMARKS.md is
//! replaced with the table and the command.

use anyhow::Context;
use koers_core::scan::{
    aggregate, benchmark, score, Answer, Answers, LikertAnswer, Model, PerspectiveInput,
    ResponseScore, Tri,
};
use koers_core::AnonymityRule;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// Respondents in the synthetic wave
    #[arg(long, default_value_t = 10_000)]
    pub respondents: usize,
    /// Organisations in the benchmark
    #[arg(long, default_value_t = 1_000)]
    pub organisations: usize,
    /// Runs per measurement (the median is reported)
    #[arg(long, default_value_t = 7)]
    pub runs: usize,
    /// Replace the "## Scan" section of this file with the results
    #[arg(long)]
    pub write: bool,
    /// The benchmarks file for `--write`
    #[arg(long, value_name = "FILE", default_value = "docs/BENCHMARKS.md")]
    pub file: PathBuf,
}

const QUESTIONS: usize = 80;
const DIMENSIONS: usize = 6;
const PERSPECTIVES: usize = 6;

/// A perspectives model with 80 questions over six dimensions, every scored type.
fn synthetic_model() -> anyhow::Result<Model> {
    let source = crate::scan_synthetic::source(&crate::scan_synthetic::Synthetic {
        id: "bench",
        questions: QUESTIONS,
        dimensions: DIMENSIONS,
        bands_from: [0, 26, 51, 76],
        advice: false,
        open_last: false,
    });
    Model::parse("bench.toml", &source).map_err(|e| anyhow::anyhow!("{e}"))
}

fn random_answers(rng: &mut rand::rngs::StdRng) -> Answers {
    let mut a = Answers::default();
    let rows = |n: usize| (0..n).map(|i| format!("r{i}")).collect::<Vec<_>>();
    for q in 0..QUESTIONS {
        let id = format!("q{q}");
        let answer = match q % 8 {
            0 => Answer::Checklist(
                rows(5)
                    .into_iter()
                    .filter(|_| rng.gen_bool(0.5))
                    .collect::<BTreeSet<_>>(),
            ),
            1 => Answer::Grid(
                rows(4)
                    .into_iter()
                    .map(|r| {
                        (
                            r,
                            koers_core::scan::GridCell {
                                planned: rng.gen_bool(0.5),
                                implemented: rng.gen_bool(0.3),
                            },
                        )
                    })
                    .collect(),
            ),
            2 => Answer::Adoption(
                rows(4)
                    .into_iter()
                    .map(|r| (r, rng.gen_range(0..=5u8)))
                    .collect::<BTreeMap<_, _>>(),
            ),
            3 => Answer::Tristate(
                rows(4)
                    .into_iter()
                    .map(|r| (r, [Tri::Nee, Tri::Deels, Tri::Ja][rng.gen_range(0..3)]))
                    .collect(),
            ),
            4 => Answer::SingleChoice(format!("o{}", rng.gen_range(0..3))),
            _ => {
                if rng.gen_bool(0.05) {
                    Answer::Likert(LikertAnswer::NotApplicable("nvt".to_owned()))
                } else {
                    Answer::Likert(LikertAnswer::Point(rng.gen_range(1..=5)))
                }
            }
        };
        a.insert(&id, answer);
    }
    a
}

/// The anchor: every number in the answers summed, touching the same data once.
fn plain_sum(all: &[Answers]) -> f64 {
    let mut sum = 0.0;
    for a in all {
        for answer in a.0.values() {
            sum += match answer {
                Answer::Checklist(s) | Answer::GatedLevel(s) => s.len() as f64,
                Answer::Grid(m) => m
                    .values()
                    .map(|c| f64::from(u8::from(c.planned) + u8::from(c.implemented)))
                    .sum(),
                Answer::Adoption(m) => m.values().map(|v| f64::from(*v)).sum(),
                Answer::Tristate(m) => m.values().map(|t| t.value()).sum(),
                Answer::SingleChoice(s) => s.len() as f64,
                Answer::Likert(LikertAnswer::Point(v)) => *v as f64,
                Answer::Likert(LikertAnswer::NotApplicable(_)) | Answer::Text(_) => 0.0,
            };
        }
    }
    sum
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let out = std::hint::black_box(f());
        times.push(start.elapsed());
        last = Some(out);
    }
    (median(times), last.unwrap_or_else(f))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The machine's load average, where the system tells it (Linux), for the record.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".to_owned())
}

pub fn run(args: &BenchArgs) -> anyhow::Result<()> {
    let load_before = load();
    let model = synthetic_model()?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(2026);
    let answers: Vec<Answers> = (0..args.respondents)
        .map(|_| random_answers(&mut rng))
        .collect();
    // Perspectives of unequal size; the smallest holds 2 % of the wave.
    let shares = [0.30, 0.25, 0.18, 0.15, 0.10, 0.02];
    let mut bounds = vec![0];
    let mut acc = 0.0;
    for s in shares.iter().take(PERSPECTIVES - 1) {
        acc += s;
        bounds.push(((args.respondents as f64) * acc) as usize);
    }
    bounds.push(args.respondents);
    let names: Vec<String> = (0..PERSPECTIVES)
        .map(|p| format!("perspectief-{p}"))
        .collect();

    let (anchor, anchor_sum) = time(args.runs, || plain_sum(&answers));
    let (wave, results) = time(args.runs, || {
        let scores: Vec<ResponseScore> = answers.iter().map(|a| score(&model, a)).collect();
        let inputs: Vec<PerspectiveInput> = (0..PERSPECTIVES)
            .map(|p| PerspectiveInput {
                name: &names[p],
                weight: 1.0,
                rates_self: p == 0,
                scores: &scores[bounds[p]..bounds[p + 1]],
            })
            .collect();
        aggregate(&model, AnonymityRule::DEFAULT, &inputs)
    });
    anyhow::ensure!(
        results.overall.is_some() && anchor_sum > 0.0,
        "the synthetic wave produced no result / geen resultaat"
    );

    // Organisations' frozen scores: six dimensions and overall.
    let orgs: Vec<Vec<f64>> = (0..args.organisations)
        .map(|_| {
            (0..=DIMENSIONS)
                .map(|_| rng.gen_range(0.0..=100.0))
                .collect()
        })
        .collect();
    let (bench, shown) = time(args.runs, || {
        let mut shown = 0usize;
        let mut peers = Vec::with_capacity(orgs.len());
        for d in 0..=DIMENSIONS {
            for (i, own) in orgs.iter().enumerate() {
                peers.clear();
                peers.extend(
                    orgs.iter()
                        .enumerate()
                        .filter(|(j, _)| *j != i)
                        .map(|(_, o)| o[d]),
                );
                shown += usize::from(benchmark(own[d], &peers).is_shown());
            }
        }
        shown
    });
    anyhow::ensure!(
        shown == orgs.len() * (DIMENSIONS + 1) || orgs.len() <= 5,
        "benchmark figures were suppressed"
    );

    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let table = format!(
        "| measurement | median of {runs} | target | anchor | ratio |\n|---|---|---|---|---|\n\
         | score + aggregate: {r} respondents × {QUESTIONS} questions, {PERSPECTIVES} perspectives | {w:.1} ms | < 100 ms | plain sum over the same answers: {a:.1} ms | {ratio:.1}× |\n\
         | benchmark: {o} organisations × {dims} figures, each against {peers} peers | {b:.1} ms | < 200 ms | | |\n",
        runs = args.runs,
        r = args.respondents,
        w = ms(wave),
        a = ms(anchor),
        ratio = ms(wave) / ms(anchor).max(1e-9),
        o = args.organisations,
        dims = DIMENSIONS + 1,
        peers = args.organisations.saturating_sub(1),
        b = ms(bench),
    );
    println!(
        "Build: {profile}; {} visible perspectives, {} respondents shown.\n",
        results.visible.len(),
        results.respondents
    );
    print!("{table}");

    if args.write {
        let section = format!(
            "## Scan\n\n\
             Reproduce from the repository root: `cargo run --release -p koers -- bench-scan --write`\n\
             (build: {profile}). Synthetic data generated before timing (seed 2026): a perspectives\n\
             model with {QUESTIONS} questions of every scored type over {DIMENSIONS} dimensions; perspectives of\n\
             30/25/18/15/10/2 % of the wave. The anchor is a plain sum over the same answers in memory,\n\
             so the ratio is what to compare across machines. Machine: {cores} cores; load average\n\
             before the run {load_before}, after {load_after} (a shared machine: read the ratio).\n\n{table}\n",
            cores = std::thread::available_parallelism().map_or(0, |n| n.get()),
            load_after = load(),
        );
        let text = std::fs::read_to_string(&args.file)
            .with_context(|| format!("{}", args.file.display()))?;
        std::fs::write(&args.file, replace_section(&text, &section))
            .with_context(|| format!("{}", args.file.display()))?;
        println!("\n{} bijgewerkt / updated.", args.file.display());
    }
    Ok(())
}

/// Replaces the "## Scan" section (up to the next "## " heading) or appends it.
fn replace_section(text: &str, section: &str) -> String {
    let start = if text.starts_with("## Scan\n") {
        Some(0)
    } else {
        text.find("\n## Scan\n").map(|i| i + 1)
    };
    match start {
        Some(start) => {
            let rest = &text[start + 1..];
            let end = rest.find("\n## ").map_or(text.len(), |i| start + 1 + i + 1);
            format!("{}{}{}", &text[..start], section, &text[end..])
        }
        None => format!(
            "{}\n{}",
            text.trim_end_matches('\n').to_owned() + "\n",
            section
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::replace_section;

    #[test]
    fn the_scan_section_is_replaced_or_appended() {
        let s = "# B\n\n## A\nx\n\n## Scan\nold\n\n## C\ny\n";
        assert_eq!(
            replace_section(s, "## Scan\nnew\n\n"),
            "# B\n\n## A\nx\n\n## Scan\nnew\n\n## C\ny\n"
        );
        let s = "# B\n\n## Scan\nold\n";
        assert_eq!(
            replace_section(s, "## Scan\nnew\n"),
            "# B\n\n## Scan\nnew\n"
        );
        assert_eq!(
            replace_section("# B\n", "## Scan\nnew\n"),
            "# B\n\n## Scan\nnew\n"
        );
    }
}
