//! A wave's results: respondents' scores aggregated over perspectives under the one
//! anonymity rule.
//!
//! 1. Each perspective with fewer respondents than the threshold is **left out
//!    entirely**: its respondents count in no mean, total, count, spread or gap, and
//!    only its name is reported (in `hidden`), so nobody can subtract their way back
//!    to one person's answers.
//! 2. Per dimension, each visible perspective's mean with its SD, n and 95 %
//!    t-interval over the respondents who have a score in that dimension (a
//!    perspective whose count in a dimension is below the threshold shows no figure
//!    for that dimension).
//! 3. The organisation's dimension score is the weighted mean of the visible
//!    perspective means (perspective weights), so a large group does not drown out a
//!    small one; overall follows the model's `overall` over those dimension scores.
//! 4. The perception gap per dimension is the highest minus the lowest visible
//!    perspective mean; `above_threshold` when larger than the dimension's threshold,
//!    `beyond_noise` when moreover the two perspectives' 95 % intervals do not overlap.
//! 5. Self against others: the weighted mean of the visible `rates_self`
//!    perspectives against the weighted mean of the other visible perspectives.
//!
//! **Key-informant models** are the one exception, written here and nowhere else: one
//! respondent speaks for the organisation (not anonymously; the form says so), so the
//! figures are organisation facts and the threshold does not apply.
//!
//! The 95 % interval is mean ± t(0.975, n − 1) · sd / √n with the sample SD (n − 1).
//! The t-quantiles come from a table of the published values (df 1–30, 40, 60, 120,
//! ∞), interpolated linearly in 1/df in between; a test checks the table against the
//! published figures. A statistics crate (statrs) would bring a linear-algebra tree
//! into the pure core for one function.

use super::expr::Condition;
use super::model::{Mode, Model, RuleKind};
use super::score::{overall, ResponseScore};
use crate::anonymity::AnonymityRule;
use serde::Serialize;

/// One perspective's respondents, scored.
#[derive(Debug, Clone, Copy)]
pub struct PerspectiveInput<'a> {
    pub name: &'a str,
    pub weight: f64,
    pub rates_self: bool,
    pub scores: &'a [ResponseScore],
}

/// A mean with its sample SD, count and 95 % t-interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    pub mean: f64,
    pub sd: f64,
    pub n: usize,
    pub low: f64,
    pub high: f64,
}

/// A perception gap in one dimension.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    pub size: f64,
    /// The perspective with the highest mean.
    pub high: String,
    /// The perspective with the lowest mean.
    pub low: String,
    pub above_threshold: bool,
    pub beyond_noise: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionResult {
    pub id: String,
    pub score: Option<f64>,
    pub band: Option<String>,
    /// Visible perspectives only, in wave order; `None` when the perspective has too
    /// few scores in this dimension.
    pub perspectives: Vec<(String, Option<Interval>)>,
    /// SD over the visible respondents' dimension scores (at least two).
    pub spread: Option<f64>,
    pub gap: Option<Gap>,
    /// (self, others).
    pub self_vs_others: Option<(f64, f64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaveResults {
    /// Respondents in visible perspectives only.
    pub respondents: usize,
    pub visible: Vec<String>,
    /// Names only.
    pub hidden: Vec<String>,
    pub dimensions: Vec<DimensionResult>,
    pub overall: Option<f64>,
    pub overall_band: Option<String>,
    /// The dimension with the lowest score (the first in model order on a tie).
    pub weakest: Option<String>,
    /// (dimension, band) for every dimension with a score and advice in the model.
    pub advice: Vec<(String, String)>,
    /// Ids of the `advice` rules that hold.
    pub rules: Vec<String>,
    /// Ids of the `leader_profile` rules that hold.
    pub leader_profiles: Vec<String>,
}

/// Two-sided 95 % t-quantiles t(0.975, df) for df = 1..=30 (published tables).
const T_975: [f64; 30] = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
    2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
    2.052, 2.048, 2.045, 2.042,
];
/// (df, t) beyond 30; ∞ is 1.960.
const T_975_TAIL: [(f64, f64); 3] = [(40.0, 2.021), (60.0, 2.000), (120.0, 1.980)];

/// t(0.975, df): the table value, or linear interpolation in 1/df between table rows.
pub fn t_quantile_975(df: usize) -> f64 {
    if df == 0 {
        return f64::INFINITY;
    }
    if let Some(t) = T_975.get(df - 1) {
        return *t;
    }
    let x = 1.0 / df as f64;
    let mut prev = (30.0, T_975[29]);
    for (d, t) in T_975_TAIL
        .iter()
        .copied()
        .chain(std::iter::once((f64::INFINITY, 1.960)))
    {
        if (df as f64) <= d {
            let (x0, x1) = (1.0 / prev.0, if d.is_infinite() { 0.0 } else { 1.0 / d });
            return prev.1 + (t - prev.1) * (x0 - x) / (x0 - x1);
        }
        prev = (d, t);
    }
    1.960
}

/// Mean, sample SD and 95 % interval of some values; `None` for no values. One value
/// has SD 0 and an interval of just the value.
pub fn interval(values: &[f64]) -> Option<Interval> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let sd = sample_sd(values, mean);
    let half = if n > 1 {
        t_quantile_975(n - 1) * sd / (n as f64).sqrt()
    } else {
        0.0
    };
    Some(Interval {
        mean,
        sd,
        n,
        low: mean - half,
        high: mean + half,
    })
}

fn sample_sd(values: &[f64], mean: f64) -> f64 {
    let n = values.len();
    if n < 2 {
        return 0.0;
    }
    (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
}

fn weighted_mean(items: impl Iterator<Item = (f64, f64)>) -> Option<f64> {
    let (s, w) = items.fold((0.0, 0.0), |(s, w), (v, wt)| (s + v * wt, w + wt));
    (w > 0.0).then(|| s / w)
}

/// Aggregates a wave. `rule` is the organisation's anonymity rule; it is not applied
/// for key-informant models (see the module docs).
pub fn aggregate(
    model: &Model,
    rule: AnonymityRule,
    perspectives: &[PerspectiveInput],
) -> WaveResults {
    let key_informant = model.meta.mode == Mode::KeyInformant;
    let shows = |n: usize| key_informant || rule.shows(n);
    let visible: Vec<&PerspectiveInput> = perspectives
        .iter()
        .filter(|p| !p.scores.is_empty() && shows(p.scores.len()))
        .collect();
    let respondents: usize = visible.iter().map(|p| p.scores.len()).sum();
    // The whole wave: with too few visible respondents no figure at all.
    let visible = if respondents > 0 && shows(respondents) {
        visible
    } else {
        Vec::new()
    };
    let respondents: usize = visible.iter().map(|p| p.scores.len()).sum();

    let mut dimensions = Vec::with_capacity(model.dimensions.len());
    for (i, d) in model.dimensions.iter().enumerate() {
        let mut per = Vec::with_capacity(visible.len());
        let mut all = Vec::new();
        for p in &visible {
            let values: Vec<f64> = p
                .scores
                .iter()
                .filter_map(|s| s.dimensions.get(i).copied().flatten())
                .collect();
            all.extend_from_slice(&values);
            let iv = if shows(values.len()) {
                interval(&values)
            } else {
                None
            };
            per.push((p, iv));
        }
        let score = weighted_mean(
            per.iter()
                .filter_map(|(p, iv)| iv.map(|iv| (iv.mean, p.weight))),
        );
        let spread = (all.len() >= 2 && shows(all.len())).then(|| {
            let m = all.iter().sum::<f64>() / all.len() as f64;
            sample_sd(&all, m)
        });
        let shown: Vec<(&str, Interval)> = per
            .iter()
            .filter_map(|(p, iv)| iv.map(|iv| (p.name, iv)))
            .collect();
        let gap = if shown.len() >= 2 {
            let mut hi = shown[0];
            let mut lo = shown[0];
            for s in &shown[1..] {
                if s.1.mean > hi.1.mean {
                    hi = *s;
                }
                if s.1.mean < lo.1.mean {
                    lo = *s;
                }
            }
            let size = hi.1.mean - lo.1.mean;
            let above_threshold = size > d.gap_threshold;
            Some(Gap {
                size,
                high: hi.0.to_owned(),
                low: lo.0.to_owned(),
                above_threshold,
                beyond_noise: above_threshold && hi.1.low > lo.1.high,
            })
        } else {
            None
        };
        let self_mean = weighted_mean(
            per.iter()
                .filter(|(p, _)| p.rates_self)
                .filter_map(|(p, iv)| iv.map(|iv| (iv.mean, p.weight))),
        );
        let others_mean = weighted_mean(
            per.iter()
                .filter(|(p, _)| !p.rates_self)
                .filter_map(|(p, iv)| iv.map(|iv| (iv.mean, p.weight))),
        );
        dimensions.push(DimensionResult {
            id: d.id.clone(),
            band: score.and_then(|s| model.band_for(s)).map(|b| b.id.clone()),
            score,
            perspectives: per.iter().map(|(p, iv)| (p.name.to_owned(), *iv)).collect(),
            spread,
            gap,
            self_vs_others: self_mean.zip(others_mean),
        });
    }
    let scores: Vec<Option<f64>> = dimensions.iter().map(|d| d.score).collect();
    let overall_score = overall(model, &scores);
    let weakest = dimensions
        .iter()
        .filter_map(|d| d.score.map(|s| (d, s)))
        .fold(None::<(&DimensionResult, f64)>, |acc, (d, s)| match acc {
            Some((_, best)) if best <= s => acc,
            _ => Some((d, s)),
        })
        .map(|(d, _)| d.id.clone());
    let advice = dimensions
        .iter()
        .zip(&model.dimensions)
        .filter_map(|(r, d)| {
            let band = r.band.as_ref()?;
            d.advice_for(band).map(|_| (r.id.clone(), band.clone()))
        })
        .collect();
    let value = |name: &str| -> Option<f64> {
        if name == "overall" {
            overall_score
        } else {
            model
                .dimension_index(name)
                .and_then(|i| scores.get(i).copied().flatten())
        }
    };
    let holds = |c: &Condition| c.holds(&value);
    let rules = model
        .rules
        .iter()
        .filter(|r| r.kind == RuleKind::Advice && holds(&r.condition))
        .map(|r| r.id.clone())
        .collect();
    let leader_profiles = model
        .rules
        .iter()
        .filter(|r| r.kind == RuleKind::LeaderProfile && holds(&r.condition))
        .map(|r| r.id.clone())
        .collect();
    WaveResults {
        respondents,
        visible: visible.iter().map(|p| p.name.to_owned()).collect(),
        hidden: perspectives
            .iter()
            .filter(|p| !visible.iter().any(|v| std::ptr::eq(*v, *p)))
            .map(|p| p.name.to_owned())
            .collect(),
        overall_band: overall_score
            .and_then(|s| model.band_for(s))
            .map(|b| b.id.clone()),
        overall: overall_score,
        dimensions,
        weakest,
        advice,
        rules,
        leader_profiles,
    }
}

/// The change in one dimension since the previous wave (`""` is the overall score).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub dimension: String,
    pub delta: f64,
}

/// The change per dimension against the previous wave's frozen scores
/// (`(dimension id, score)`, `""` for overall, as in `scan_wave_scores`). Only
/// dimensions with a score in both waves; overall last.
pub fn change(current: &WaveResults, previous_scores: &[(String, f64)]) -> Vec<Change> {
    let prev = |id: &str| {
        previous_scores
            .iter()
            .find(|(d, _)| d == id)
            .map(|(_, s)| *s)
    };
    let mut out: Vec<Change> = current
        .dimensions
        .iter()
        .filter_map(|d| {
            Some(Change {
                dimension: d.id.clone(),
                delta: d.score? - prev(&d.id)?,
            })
        })
        .collect();
    if let (Some(now), Some(then)) = (current.overall, prev("")) {
        out.push(Change {
            dimension: String::new(),
            delta: now - then,
        });
    }
    out
}
