//! Scan results: aggregation over perspectives with the one anonymity rule, gaps,
//! self against others, rules, change, and peer benchmarks.

use super::scan_model::small;
use koers_core::scan::results::{interval, t_quantile_975};
use koers_core::scan::*;
use koers_core::{AnonymityRule, MinGroupSize, Suppressed};
use proptest::prelude::*;

fn rs(visie: f64, mensen: f64) -> ResponseScore {
    ResponseScore {
        dimensions: vec![Some(visie), Some(mensen)],
        overall: Some((visie + mensen) / 2.0),
    }
}

fn p<'a>(
    name: &'a str,
    weight: f64,
    rates_self: bool,
    scores: &'a [ResponseScore],
) -> PerspectiveInput<'a> {
    PerspectiveInput {
        name,
        weight,
        rates_self,
        scores,
    }
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

#[test]
fn t_quantiles_match_published_values() {
    // Published two-sided 95 % values (e.g. NIST/SEMATECH e-Handbook table 1.3.6.7.2).
    for (df, t) in [
        (1, 12.706),
        (2, 4.303),
        (5, 2.571),
        (10, 2.228),
        (20, 2.086),
        (30, 2.042),
        (40, 2.021),
        (60, 2.000),
        (120, 1.980),
    ] {
        close(t_quantile_975(df), t);
    }
    // Interpolated in 1/df: df 50 lies between 2.021 and 2.000 (published 2.009).
    assert!(
        (t_quantile_975(50) - 2.009).abs() < 0.002,
        "{}",
        t_quantile_975(50)
    );
    assert!(
        (t_quantile_975(100) - 1.984).abs() < 0.002,
        "{}",
        t_quantile_975(100)
    );
    assert!((t_quantile_975(1_000_000) - 1.960).abs() < 0.001);
    // Never increasing.
    for df in 1..500 {
        assert!(t_quantile_975(df + 1) <= t_quantile_975(df));
    }
}

#[test]
fn interval_of_known_values() {
    // 10, 20, 30: mean 20, sample SD 10, half-width 4.303 · 10 / √3.
    let iv = interval(&[10.0, 20.0, 30.0]).unwrap();
    close(iv.mean, 20.0);
    close(iv.sd, 10.0);
    assert_eq!(iv.n, 3);
    close(iv.high - iv.mean, 4.303 * 10.0 / 3f64.sqrt());
    close(iv.mean - iv.low, 4.303 * 10.0 / 3f64.sqrt());
    let one = interval(&[42.0]).unwrap();
    assert_eq!((one.sd, one.low, one.high), (0.0, 42.0, 42.0));
    assert!(interval(&[]).is_none());
}

#[test]
fn perspectives_below_the_threshold_are_left_out_entirely() {
    let m = small();
    let bestuur: Vec<ResponseScore> = (0..5).map(|i| rs(80.0 + i as f64, 20.0)).collect();
    let medewerkers: Vec<ResponseScore> = (0..6).map(|i| rs(40.0 + i as f64, 30.0)).collect();
    let inwoners: Vec<ResponseScore> = (0..4).map(|_| rs(0.0, 100.0)).collect();
    let input = [
        p("bestuur", 1.0, true, &bestuur),
        p("medewerkers", 1.0, false, &medewerkers),
        p("inwoners", 1.0, false, &inwoners),
    ];
    let r = aggregate(&m, AnonymityRule::DEFAULT, &input);
    assert_eq!(r.respondents, 11);
    assert_eq!(r.visible, ["bestuur", "medewerkers"]);
    assert_eq!(r.hidden, ["inwoners"]);
    let visie = &r.dimensions[0];
    let names: Vec<&str> = visie.perspectives.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["bestuur", "medewerkers"]);
    // bestuur mean 82, medewerkers 42.5 → organisation = mean of the means = 62.25.
    close(visie.score.unwrap(), (82.0 + 42.5) / 2.0);
    assert_eq!(visie.band.as_deref(), Some("hoog"));
    let gap = visie.gap.as_ref().unwrap();
    close(gap.size, 82.0 - 42.5);
    assert_eq!(
        (gap.high.as_str(), gap.low.as_str()),
        ("bestuur", "medewerkers")
    );
    assert!(gap.above_threshold && gap.beyond_noise);
    let (own, others) = visie.self_vs_others.unwrap();
    close(own, 82.0);
    close(others, 42.5);
    // The spread counts the 11 visible respondents only.
    let all: Vec<f64> = bestuur
        .iter()
        .chain(&medewerkers)
        .map(|s| s.dimensions[0].unwrap())
        .collect();
    let mean = all.iter().sum::<f64>() / 11.0;
    let sd = (all.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 10.0).sqrt();
    close(visie.spread.unwrap(), sd);
    // mensen: 20 vs 30 → gap 10, within the model's default threshold of 15.
    let mensen = &r.dimensions[1];
    close(mensen.score.unwrap(), 25.0);
    assert!(!mensen.gap.as_ref().unwrap().above_threshold);
    // Overall: mean of the dimension scores.
    close(r.overall.unwrap(), (62.25 + 25.0) / 2.0);
    assert_eq!(r.weakest.as_deref(), Some("mensen"));
    // visie ≥ 50 and mensen < 50 → the advice rule holds; overall 43.6 < 50 and mensen ≠ 100.
    assert_eq!(r.rules, ["visie-zonder-mensen"]);
    assert!(r.leader_profiles.is_empty());
}

#[test]
fn perspective_weights_and_a_gap_within_noise() {
    let m = small();
    let a: Vec<ResponseScore> = [10.0, 90.0, 10.0, 90.0, 50.0]
        .iter()
        .map(|v| rs(*v, 50.0))
        .collect();
    let b: Vec<ResponseScore> = [30.0, 90.0, 30.0, 90.0, 60.0]
        .iter()
        .map(|v| rs(*v, 50.0))
        .collect();
    let r = aggregate(
        &m,
        AnonymityRule::DEFAULT,
        &[p("a", 3.0, false, &a), p("b", 1.0, false, &b)],
    );
    // Weighted: (50·3 + 60·1) / 4 = 52.5.
    close(r.dimensions[0].score.unwrap(), 52.5);
    let gap = r.dimensions[0].gap.as_ref().unwrap();
    close(gap.size, 10.0);
    // Threshold of visie is 10: a gap of exactly 10 is not above it; and the wide
    // intervals overlap, so it is never beyond noise.
    assert!(!gap.above_threshold && !gap.beyond_noise);
    assert!(
        r.dimensions[0].self_vs_others.is_none(),
        "nobody rates themselves"
    );
}

#[test]
fn a_wave_with_too_few_visible_respondents_shows_nothing() {
    let m = small();
    let few: Vec<ResponseScore> = (0..4).map(|_| rs(50.0, 50.0)).collect();
    let r = aggregate(
        &m,
        AnonymityRule::DEFAULT,
        &[p("a", 1.0, false, &few), p("b", 1.0, false, &few)],
    );
    assert_eq!(r.respondents, 0);
    assert!(r.visible.is_empty());
    assert_eq!(r.hidden, ["a", "b"]);
    assert!(r.overall.is_none() && r.overall_band.is_none() && r.weakest.is_none());
    assert!(r
        .dimensions
        .iter()
        .all(|d| d.score.is_none() && d.perspectives.is_empty() && d.spread.is_none()));
    assert!(r.rules.is_empty() && r.leader_profiles.is_empty() && r.advice.is_empty());
    // A lower organisation threshold (3) shows them.
    let rule =
        AnonymityRule::new(MinGroupSize::new(3).unwrap(), MinGroupSize::new(8).unwrap()).unwrap();
    let r = aggregate(&m, rule, &[p("a", 1.0, false, &few)]);
    assert_eq!(r.respondents, 4);
}

#[test]
fn a_dimension_figure_needs_enough_scores_too() {
    let m = small();
    // Six respondents, but only two have a mensen score.
    let scores: Vec<ResponseScore> = (0..6)
        .map(|i| ResponseScore {
            dimensions: vec![Some(50.0), (i < 2).then_some(90.0)],
            overall: Some(50.0),
        })
        .collect();
    let r = aggregate(&m, AnonymityRule::DEFAULT, &[p("a", 1.0, false, &scores)]);
    assert!(r.dimensions[0].score.is_some());
    assert_eq!(r.dimensions[1].perspectives, vec![("a".to_owned(), None)]);
    assert!(r.dimensions[1].score.is_none() && r.dimensions[1].spread.is_none());
}

#[test]
fn key_informant_results_ignore_the_threshold() {
    let m = builtin::builtin_model("digitale-volwassenheid-pso").unwrap();
    let one = [ResponseScore {
        dimensions: vec![
            Some(10.0),
            Some(30.0),
            Some(55.0),
            Some(80.0),
            Some(100.0),
            Some(0.0),
        ],
        overall: None,
    }];
    let r = aggregate(
        &m,
        AnonymityRule::DEFAULT,
        &[p("sleutelpersoon", 1.0, true, &one)],
    );
    assert_eq!(r.respondents, 1);
    let bands: Vec<&str> = r
        .dimensions
        .iter()
        .map(|d| d.band.as_deref().unwrap())
        .collect();
    assert_eq!(
        bands,
        [
            "basis",
            "gemiddeld",
            "gevorderd",
            "geavanceerd",
            "geavanceerd",
            "basis"
        ]
    );
    close(r.overall.unwrap(), 275.0 / 6.0);
    // groen 0 < 26, overall 45.8 < 51: not "groen blijft achter"; gereedheid 30 < 51.
    assert!(r.rules.is_empty(), "{:?}", r.rules);
    assert_eq!(r.weakest.as_deref(), Some("groen"));
}

#[test]
fn change_since_the_previous_wave() {
    let m = small();
    let s: Vec<ResponseScore> = (0..5).map(|_| rs(60.0, 40.0)).collect();
    let r = aggregate(&m, AnonymityRule::DEFAULT, &[p("a", 1.0, false, &s)]);
    let c = change(
        &r,
        &[
            ("visie".into(), 50.0),
            ("".into(), 45.0),
            ("weg".into(), 1.0),
        ],
    );
    assert_eq!(
        c,
        vec![
            Change {
                dimension: "visie".into(),
                delta: 10.0
            },
            Change {
                dimension: "".into(),
                delta: 5.0
            }
        ]
    );
}

#[test]
fn leader_profiles_fire_on_their_condition() {
    let m = small();
    let s: Vec<ResponseScore> = (0..5).map(|_| rs(60.0, 100.0)).collect();
    let r = aggregate(&m, AnonymityRule::DEFAULT, &[p("a", 1.0, true, &s)]);
    assert_eq!(r.leader_profiles, ["bouwer"]);
    assert!(r.rules.is_empty(), "mensen is not below 50");
}

#[test]
fn benchmark_quantiles_and_percentile() {
    let peers = [10.0, 20.0, 30.0, 40.0, 50.0];
    let b = benchmark(30.0, &peers).shown().unwrap();
    // Type 7: h = 4p → p25 at x[1] = 20, median x[2] = 30, p75 x[3] = 40.
    assert_eq!((b.p25, b.median, b.p75), (20.0, 30.0, 40.0));
    // Two below, one tie: (2 + 0.5) / 5 = 50 %.
    close(b.percentile, 50.0);
    let b = benchmark(45.0, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
        .shown()
        .unwrap();
    // h = 5 · 0.25 = 1.25 → 2 + 0.25 = 2.25; median h = 2.5 → 3.5; p75 h = 3.75 → 4.75.
    assert_eq!((b.p25, b.median, b.p75), (2.25, 3.5, 4.75));
    close(b.percentile, 100.0);
    close(benchmark(0.0, &[1.0; 5]).shown().unwrap().percentile, 0.0);
    close(benchmark(1.0, &[1.0; 5]).shown().unwrap().percentile, 50.0);
    assert_eq!(
        benchmark(30.0, &peers[..4]),
        Suppressed::TooFew,
        "fewer than MIN_PEERS"
    );
    assert_eq!(
        benchmark(30.0, &[1.0, 2.0, 3.0, 4.0, f64::NAN]),
        Suppressed::TooFew
    );
    assert_eq!(benchmark(f64::NAN, &peers), Suppressed::TooFew);
    assert_eq!(MIN_PEERS, 5);
}

fn arb_scores(n: std::ops::Range<usize>) -> impl Strategy<Value = Vec<ResponseScore>> {
    proptest::collection::vec(
        (
            proptest::option::weighted(0.9, 0.0..=100.0f64),
            proptest::option::weighted(0.9, 0.0..=100.0f64),
        )
            .prop_map(|(a, b)| ResponseScore {
                dimensions: vec![a, b],
                overall: None,
            }),
        n,
    )
}

proptest! {
    /// The differencing property: adding a perspective below the threshold changes
    /// nothing that is shown, anywhere (apart from its name in `hidden`).
    #[test]
    fn a_hidden_perspective_changes_nothing_visible(
        a in arb_scores(5..12),
        b in arb_scores(5..12),
        small_group in arb_scores(1..5),
        at in 0usize..3,
        weight in 0.1f64..5.0,
    ) {
        let m = small();
        let base = [p("a", 1.0, true, &a), p("b", 2.0, false, &b)];
        let without = aggregate(&m, AnonymityRule::DEFAULT, &base);
        let mut with_input = base.to_vec();
        with_input.insert(at, p("klein", weight, at % 2 == 0, &small_group));
        let mut with = aggregate(&m, AnonymityRule::DEFAULT, &with_input);
        prop_assert_eq!(&with.hidden, &vec!["klein".to_owned()]);
        with.hidden.clear();
        prop_assert_eq!(with, without);
    }

    /// Organisation and perspective figures stay within 0–100; the percentile too.
    #[test]
    fn aggregates_stay_in_range(a in arb_scores(5..20), b in arb_scores(5..20), peers in proptest::collection::vec(0.0..=100.0f64, 5..40), own in 0.0..=100.0f64) {
        let m = small();
        let r = aggregate(&m, AnonymityRule::DEFAULT, &[p("a", 1.0, false, &a), p("b", 1.0, true, &b)]);
        for d in &r.dimensions {
            if let Some(s) = d.score { prop_assert!((0.0..=100.0).contains(&s)); }
            for (_, iv) in &d.perspectives {
                if let Some(iv) = iv { prop_assert!((0.0..=100.0).contains(&iv.mean) && iv.low <= iv.mean && iv.mean <= iv.high); }
            }
            if let Some(g) = &d.gap { prop_assert!((0.0..=100.0).contains(&g.size)); }
        }
        let f = benchmark(own, &peers).shown().unwrap();
        prop_assert!((0.0..=100.0).contains(&f.percentile));
        prop_assert!(f.p25 <= f.median && f.median <= f.p75);
    }
}
