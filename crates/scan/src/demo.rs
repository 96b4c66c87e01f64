//! Scan's demo seed: Gemeente Voorbeeld's two waves (T0 and T1, both closed, T1
//! compared with T0) on the leadership model, about 120 respondents over six
//! perspectives with visible perception gaps (bestuur and directie rate higher
//! than medewerkers), and in T1 one perspective below the threshold to show the
//! rule; and a closed wave for each of the thirty peers, so the benchmark has
//! something to compare with. Responses go in through the store's import, and the
//! waves close through the same code as the "sluiten" button, so the frozen scores
//! are what the results show. Deterministic: the answers come from a seeded RNG.

use crate::results::{compute, frozen};
use koers_core::anonymity::AnonymityRule;
use koers_core::scan::{
    builtin_models, Answer, Answers, GridCell, LikertAnswer, Model, QuestionKind, Tri,
};
use koers_store::{
    BenchmarkSettings, FrozenModel, ImportedResponse, NewPerspective, NewWave, OrgScope, Store,
    Wave, WaveId,
};
use koers_web::part::{DemoContext, DemoReport};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, BTreeSet};

/// The demo's model: the leadership model when this Koers has it, else the
/// public-sector maturity model.
const DEMO_MODELS: [&str; 2] = ["digitaal-leiderschap", crate::results_view::PSO_MODEL];

const DAY: i64 = 86_400;

/// A perspective of the home organisation's waves: name, rates itself, number of
/// respondents in T0 and T1, and the level (0–1) its answers centre on in T0.
const HOME_GROUPS: &[(&str, bool, usize, usize, f64)] = &[
    ("Bestuur", true, 8, 7, 0.74),
    ("Directie", true, 10, 9, 0.70),
    ("Management", false, 20, 21, 0.55),
    ("Medewerkers", false, 46, 50, 0.38),
    // Below the threshold in T1: left out entirely there.
    ("Ketenpartners", false, 12, 4, 0.47),
    ("Inwonerspanel", false, 20, 22, 0.33),
];

const OPEN_ANSWERS: &[&str] = &[
    "Meer tijd om nieuwe systemen echt te leren gebruiken.",
    "Betrek medewerkers eerder bij keuzes over software.",
    "De visie is mooi, maar in het werk merk ik er weinig van.",
    "Goede stappen gezet met de online dienstverlening.",
    "Maak duidelijk wie over data beslist.",
    "Leidinggevenden mogen vaker laten zien wat ze zelf leren.",
];

/// One respondent's answers to every question of `model`, centred on `level`
/// (0–1) with some noise: the same for every model, whatever its question types.
pub fn simulated_answers(model: &Model, level: f64, rng: &mut StdRng) -> Answers {
    let mut answers = Answers::default();
    // Each respondent sits somewhere around the group's level.
    let own = (level + rng.gen_range(-0.12..0.12)).clamp(0.02, 0.98);
    for (i, q) in model.questions.iter().enumerate() {
        // Dimensions differ a little from each other, the same way for everyone.
        let offset = model
            .dimension_index(&q.dimension)
            .map_or(0.0, |d| ((d * 37 % 11) as f64 - 5.0) * 0.025);
        let base = (own + offset).clamp(0.02, 0.98);
        let answer = match &q.kind {
            QuestionKind::Checklist { options } => Some(Answer::Checklist(
                options
                    .iter()
                    .filter(|_| rng.gen_bool(base))
                    .map(|o| o.id.clone())
                    .collect(),
            )),
            QuestionKind::Grid { rows } => Some(Answer::Grid(
                rows.iter()
                    .map(|r| {
                        let implemented = rng.gen_bool(base * 0.8);
                        let planned = !implemented && rng.gen_bool(base);
                        (
                            r.id.clone(),
                            GridCell {
                                planned,
                                implemented,
                            },
                        )
                    })
                    .collect(),
            )),
            QuestionKind::Adoption { rows } => Some(Answer::Adoption(
                rows.iter()
                    .map(|r| {
                        let v = (base + rng.gen_range(-0.25..0.25)).clamp(0.0, 1.0);
                        (r.id.clone(), (v * 5.0).round() as u8)
                    })
                    .collect(),
            )),
            QuestionKind::Tristate { rows } => Some(Answer::Tristate(
                rows.iter()
                    .map(|r| {
                        let v = (base + rng.gen_range(-0.3..0.3)).clamp(0.0, 1.0);
                        let t = if v < 0.36 {
                            Tri::Nee
                        } else if v < 0.66 {
                            Tri::Deels
                        } else {
                            Tri::Ja
                        };
                        (r.id.clone(), t)
                    })
                    .collect::<BTreeMap<_, _>>(),
            )),
            QuestionKind::SingleChoice { options } => {
                let target = 10.0 * (base + rng.gen_range(-0.25..0.25)).clamp(0.0, 1.0);
                options
                    .iter()
                    .min_by(|a, b| {
                        (a.score - target)
                            .abs()
                            .total_cmp(&(b.score - target).abs())
                    })
                    .map(|o| Answer::SingleChoice(o.id.clone()))
            }
            QuestionKind::Likert { scale, reversed } => {
                let v = (base + rng.gen_range(-0.3..0.3)).clamp(0.0, 1.0);
                let t = if *reversed { 1.0 - v } else { v };
                let (min, max) = (scale.min(), scale.max());
                let want = min as f64 + t * (max - min) as f64;
                let na = scale
                    .not_applicable
                    .first()
                    .filter(|_| (i * 7 + rng.gen_range(0..40)) % 40 == 0);
                match na {
                    Some(n) => Some(Answer::Likert(LikertAnswer::NotApplicable(n.id.clone()))),
                    None => scale
                        .points
                        .iter()
                        .min_by(|a, b| {
                            (a.value as f64 - want)
                                .abs()
                                .total_cmp(&(b.value as f64 - want).abs())
                        })
                        .map(|pt| Answer::Likert(LikertAnswer::Point(pt.value))),
                }
            }
            QuestionKind::GatedLevel { levels } => {
                let v = (base + rng.gen_range(-0.2..0.2)).clamp(0.0, 1.0);
                let reached = (v * levels.len() as f64).round() as usize;
                Some(Answer::GatedLevel(
                    levels
                        .iter()
                        .take(reached)
                        .flat_map(|l| l.criteria.iter().map(|c| c.id.clone()))
                        .collect::<BTreeSet<_>>(),
                ))
            }
            QuestionKind::Text => (rng.gen_range(0..10) < 3).then(|| {
                Answer::Text(OPEN_ANSWERS[rng.gen_range(0..OPEN_ANSWERS.len())].to_owned())
            }),
        };
        if let Some(a) = answer {
            answers.insert(&q.id, a);
        }
    }
    answers
}

/// A wave made, opened, filled through the import and closed as the button does.
struct DemoWave<'a> {
    title: &'a str,
    groups: Vec<(String, bool, usize, f64)>,
    previous: Option<WaveId>,
    created_at: i64,
}

async fn seed_wave(
    store: &Store,
    scope: &OrgScope,
    model: &Model,
    w: DemoWave<'_>,
    rng: &mut StdRng,
) -> anyhow::Result<Wave> {
    let scan = store.scan();
    let perspectives: Vec<NewPerspective> = w
        .groups
        .iter()
        .map(|(name, rates_self, _, _)| NewPerspective {
            name: name.clone(),
            rates_self: *rates_self,
            weight: 1.0,
        })
        .collect();
    let wave = scan
        .create_wave(
            scope,
            &NewWave {
                title: w.title,
                model_id: model.id(),
                model_version: model.version(),
                model_hash: model.hash(),
                model_source: model.source(),
                anonymous: true,
                perspectives: &perspectives,
                previous_wave: w.previous,
                created_by: None,
                now: w.created_at,
            },
        )
        .await?;
    scan.open_wave(wave.scope, w.created_at + DAY).await?;
    let ps = scan.perspectives(wave.scope).await?;
    let mut rows = Vec::new();
    for (p, (_, _, n, level)) in ps.iter().zip(&w.groups) {
        for _ in 0..*n {
            let answers = simulated_answers(model, *level, rng);
            rows.push(ImportedResponse {
                perspective_id: p.id,
                answers: serde_json::to_string(&answers)?,
            });
        }
    }
    scan.import_responses(wave.scope, &rows).await?;
    let computed = compute(
        model.source(),
        scan.perspectives(wave.scope).await?,
        scan.responses(wave.scope).await?,
        AnonymityRule::DEFAULT,
    )
    .map_err(|e| anyhow::anyhow!("demo results: {e:?}"))?;
    scan.close_and_freeze(
        wave.scope,
        FrozenModel {
            id: model.id(),
            version: model.version(),
        },
        &frozen(&computed.results),
        w.created_at + 30 * DAY,
    )
    .await?;
    Ok(scan.reload(wave.scope).await?)
}

pub async fn seed(demo: &DemoContext<'_>) -> anyhow::Result<DemoReport> {
    let models = builtin_models();
    let Some(model) = DEMO_MODELS
        .iter()
        .find_map(|id| models.iter().find(|m| m.id() == *id))
    else {
        return Ok(vec![
            "Scan: geen ingebouwd model gevonden / no built-in model found".to_owned(),
        ]);
    };
    let mut rng = StdRng::seed_from_u64(20_261_203);
    // The demo seed is a trusted tool: it writes without a logged-in user.
    #[allow(clippy::disallowed_methods)]
    let home = demo.store.system_scope(demo.home.id);
    let t0_at = demo.now - 400 * DAY;
    let t0 = seed_wave(
        demo.store,
        &home,
        model,
        DemoWave {
            title: "Nulmeting (T0)",
            groups: HOME_GROUPS
                .iter()
                .map(|(n, s, c0, _, l)| ((*n).to_owned(), *s, *c0, *l))
                .collect(),
            previous: None,
            created_at: t0_at,
        },
        &mut rng,
    )
    .await?;
    seed_wave(
        demo.store,
        &home,
        model,
        DemoWave {
            title: "Vervolgmeting (T1)",
            groups: HOME_GROUPS
                .iter()
                // A year on: everyone a little higher, medewerkers most.
                .map(|(n, s, _, c1, l)| {
                    let up = if *n == "Medewerkers" { 0.12 } else { 0.06 };
                    ((*n).to_owned(), *s, *c1, (l + up).min(1.0))
                })
                .collect(),
            previous: Some(t0.id),
            created_at: demo.now - 40 * DAY,
        },
        &mut rng,
    )
    .await?;
    let respondents: usize = HOME_GROUPS.iter().map(|g| g.2 + g.3).sum();
    for (k, peer) in demo.peers.iter().enumerate() {
        #[allow(clippy::disallowed_methods)]
        let scope = demo.store.system_scope(peer.id);
        let n = 8 + (k * 7) % 8;
        let level =
            0.22 + 0.56 * (k as f64 / demo.peers.len().max(1) as f64) + rng.gen_range(-0.05..0.05);
        // Leiding and medewerkers; with fewer than five medewerkers only the
        // leiding counts, as the rule says.
        let leiding = 5;
        seed_wave(
            demo.store,
            &scope,
            model,
            DemoWave {
                title: "Scan",
                groups: vec![
                    ("Leiding".to_owned(), true, leiding, (level + 0.08).min(1.0)),
                    ("Medewerkers".to_owned(), false, n - leiding, level),
                ],
                previous: None,
                created_at: demo.now - (60 + 5 * k as i64) * DAY,
            },
            &mut rng,
        )
        .await?;
        // Most peers may be chosen for another's own selection; some may also be
        // contacted by organisations that want to learn from them.
        let learn_from = k % 4 == 3;
        let listed = k % 5 != 4;
        if learn_from || listed {
            demo.store
                .scan()
                .put_benchmark_settings(
                    &scope,
                    &BenchmarkSettings {
                        learn_from,
                        contact: if learn_from {
                            format!(
                                "Team digitale transformatie, digitaal@{}.demo",
                                slug(&peer.name)
                            )
                        } else {
                            String::new()
                        },
                        listed,
                        peer_set: None,
                    },
                )
                .await?;
        }
    }
    Ok(vec![format!(
        "Scan: 2 gesloten golven voor {} ({respondents} antwoorden) en {} vergelijkbare organisaties / 2 closed waves and {} peers, model {}",
        demo.home.name,
        demo.peers.len(),
        demo.peers.len(),
        model.id()
    )])
}

fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}
