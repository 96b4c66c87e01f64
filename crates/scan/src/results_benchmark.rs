//! The peer benchmark of a wave (`…/scans/{wave}/benchmark`, lid).
//!
//! Peers are the other organisations whose latest closed wave on the same model
//! froze scores: matched by kind, size class and country, or the set the
//! organisation chose in its settings. Per dimension and overall the page shows
//! the peers' median, their P25–P75 band and the organisation's own percentile —
//! never a rank and never a peer's name — and only with at least
//! [`koers_core::scan::MIN_PEERS`] peer organisations
//! (`koers_core::scan::benchmark` decides). The one exception is the opt-in
//! "leren van" list: peers that agreed to be contacted and score in the top
//! quartile on a dimension, with the contact line they wrote.
//!
//! The organisation's own figures are the ones its results page shows (the same
//! computed result), so a perspective below the threshold does not reach the
//! benchmark either.

use crate::results::{computed, wave_of};
use crate::results_svg::{self as svg, ChartText, Strip};
use crate::results_view::num;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use koers_core::anonymity::Suppressed;
use koers_core::scan::{benchmark, BenchmarkFigure, MIN_PEERS};
use koers_core::Role;
use koers_store::{BenchmarkSettings, Organisation, PeerScores};
use koers_web::ctx::{Ctx, Path};
use koers_web::error::AppResult;
use koers_web::i18n::FluentValue;
use koers_web::part::OrgAccess;
use koers_web::templates::{render, Page};
use koers_web::AppState;

pub struct BenchRow {
    pub label: String,
    pub own: String,
    pub median: String,
    pub band: String,
    pub percentile: String,
    pub peers: usize,
    pub svg: String,
}

pub struct LearnFrom {
    pub dimension: String,
    pub name: String,
    pub contact: String,
}

#[derive(Template)]
#[template(path = "results_benchmark.html")]
struct BenchmarkTpl {
    c: Page,
    org_id: i64,
    wave_id: i64,
    model_title: String,
    peer_rule: String,
    can_settings: bool,
    shown: bool,
    hidden_reason: String,
    rows: Vec<BenchRow>,
    learn: Vec<LearnFrom>,
}

/// The peers the settings select among the organisations with frozen scores.
pub(crate) fn select_peers(
    own: &Organisation,
    settings: &BenchmarkSettings,
    all: Vec<PeerScores>,
) -> Vec<PeerScores> {
    all.into_iter()
        .filter(|p| p.organisation != own.id)
        .filter(|p| match &settings.peer_set {
            // A chosen peer counts only while it agrees to be chosen: withdrawing
            // takes it out of every chosen set at once.
            Some(ids) => p.listed && ids.contains(&p.organisation),
            None => {
                p.kind == own.kind && p.size_class == own.size_class && p.country == own.country
            }
        })
        .collect()
}

/// One dimension's (or, for `""`, the overall) benchmark: the figure, and the
/// peers in its top quartile that may be named.
pub(crate) fn dimension_benchmark<'a>(
    own: f64,
    dimension: &str,
    peers: &'a [PeerScores],
) -> (Suppressed<BenchmarkFigure>, usize, Vec<&'a PeerScores>) {
    let with: Vec<(&PeerScores, f64)> = peers
        .iter()
        .filter_map(|p| {
            p.scores
                .iter()
                .find(|s| s.dimension_id == dimension)
                .map(|s| (p, s.score))
        })
        .collect();
    let values: Vec<f64> = with.iter().map(|(_, v)| *v).collect();
    let figure = benchmark(own, &values);
    let learn = match figure {
        Suppressed::Shown(f) => with
            .iter()
            .filter(|(p, v)| p.contact.is_some() && *v >= f.p75)
            .map(|(p, _)| *p)
            .collect(),
        Suppressed::TooFew => Vec::new(),
    };
    (figure, values.len(), learn)
}

pub(crate) async fn benchmark_page(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    Path((_org, id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let wave = wave_of(&state, &a, id).await?;
    let c = Page::new(&state, &ctx, "scan-benchmark-title");
    let locale = c.tr.locale;
    let lang = locale.code();
    let comp = computed(&state, &wave).await?;
    let scan = state.store.scan();
    let settings = scan.benchmark_settings(&a.scope).await?;
    let peers = select_peers(
        &a.org,
        &settings,
        scan.peer_scores(&a.scope, &wave.model_id).await?,
    );
    let peer_rule = if settings.peer_set.is_some() {
        c.t("scan-benchmark-rule-chosen")
    } else {
        c.t("scan-benchmark-rule-match")
    };
    let model = &comp.model;
    let r = &comp.results;
    let mut own: Vec<(String, String, f64)> = r
        .dimensions
        .iter()
        .filter_map(|d| {
            let label = model
                .dimension(&d.id)
                .map_or_else(|| d.id.clone(), |m| m.label.get(lang).to_owned());
            d.score.map(|s| (d.id.clone(), label, s))
        })
        .collect();
    if let Some(o) = r.overall {
        own.push((String::new(), c.t("scan-results-overall"), o));
    }
    let mut rows = Vec::new();
    let mut learn = Vec::new();
    if peers.len() >= MIN_PEERS {
        for (i, (dim, label, own_score)) in own.iter().enumerate() {
            let (figure, n, top) = dimension_benchmark(*own_score, dim, &peers);
            let Suppressed::Shown(f) = figure else {
                continue;
            };
            let own_text = num(locale, *own_score);
            let percentile = c.tr.t_with(
                "scan-benchmark-percentile-text",
                &[("p", FluentValue::from(f.percentile.round()))],
            );
            let svg_id = format!("bench-{i}");
            let title = c.tr.t_with(
                "scan-benchmark-strip-title",
                &[("dimension", FluentValue::from(label.clone()))],
            );
            let desc = c.tr.t_with(
                "scan-benchmark-strip-desc",
                &[
                    ("own", FluentValue::from(own_text.clone())),
                    ("median", FluentValue::from(num(locale, f.median))),
                    ("p25", FluentValue::from(num(locale, f.p25))),
                    ("p75", FluentValue::from(num(locale, f.p75))),
                ],
            );
            let own_label = format!("{}: {own_text}", c.t("scan-benchmark-own-short"));
            let median_label = c.t("scan-benchmark-median");
            rows.push(BenchRow {
                svg: svg::strip(
                    &ChartText {
                        id: &svg_id,
                        title: &title,
                        desc: &desc,
                    },
                    &Strip {
                        p25: f.p25,
                        median: f.median,
                        p75: f.p75,
                        own: Some(*own_score),
                        own_label: &own_label,
                        median_label: &median_label,
                    },
                ),
                label: label.clone(),
                own: own_text,
                median: num(locale, f.median),
                band: format!("{}–{}", num(locale, f.p25), num(locale, f.p75)),
                percentile,
                peers: n,
            });
            for p in top {
                if let Some((name, contact)) = &p.contact {
                    learn.push(LearnFrom {
                        dimension: label.clone(),
                        name: name.clone(),
                        contact: contact.clone(),
                    });
                }
            }
        }
    }
    let shown = !rows.is_empty();
    let hidden_reason = if own.is_empty() {
        c.t("scan-benchmark-no-own")
    } else {
        c.tr.t_with(
            "scan-benchmark-too-few",
            &[("n", FluentValue::from(MIN_PEERS))],
        )
    };
    Ok(render(
        StatusCode::OK,
        &BenchmarkTpl {
            org_id: a.org.id.0,
            wave_id: id,
            model_title: model.meta.title.get(lang).to_owned(),
            peer_rule,
            can_settings: a.can(Role::Beheerder),
            shown,
            hidden_reason,
            rows,
            learn,
            c,
        },
    ))
}
