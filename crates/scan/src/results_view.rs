//! The results as the page, the report and the exports present them: numbers in
//! the reader's language, labels from the wave's own model, the charts, and the
//! sentences that say what a gap means. Built only from what
//! [`koers_core::scan::aggregate`] made visible.

use crate::results::Computed;
use crate::results_svg::{self as svg, Bar, BarGroup, ChartText, Series};
use koers_core::anonymity::AnonymityRule;
use koers_core::scan::{Interval, Model, RuleKind, WaveResults};
use koers_store::{Wave, WaveStatus};
use koers_tables::{Cell, Sheet};
use koers_web::i18n::{FluentValue, Locale};
use koers_web::templates::Page;

/// The built-in public-sector model, whose results get the OECD Digital
/// Government Index as context.
pub(crate) const PSO_MODEL: &str = "digitale-volwassenheid-pso";

/// A score (0–100) with one decimal, in the locale's decimal mark.
pub(crate) fn num(locale: Locale, v: f64) -> String {
    let s = format!("{v:.1}");
    match locale {
        Locale::Nl => s.replace('.', ","),
        Locale::En => s,
    }
}

/// A change, signed ("+4,2", "−3,0").
pub(crate) fn delta(locale: Locale, v: f64) -> String {
    let rounded = (v * 10.0).round() / 10.0;
    let body = num(locale, rounded.abs());
    if rounded > 0.0 {
        format!("+{body}")
    } else if rounded < 0.0 {
        format!("\u{2212}{body}")
    } else {
        body
    }
}

/// Rounded to one decimal, as the page shows it; what the exports write, so a
/// spreadsheet shows the same figure as the page.
pub(crate) fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

pub struct PerspectiveHead {
    pub name: String,
    pub n: usize,
}

pub struct CellView {
    pub mean: String,
    pub interval: String,
}

pub struct GapView {
    pub value: String,
    pub above: bool,
    pub beyond_noise: bool,
    pub sentence: String,
}

pub struct DimRow {
    pub label: String,
    pub is_overall: bool,
    pub org: Option<String>,
    pub band: Option<String>,
    /// One per visible perspective, in wave order.
    pub cells: Vec<Option<CellView>>,
    pub gap: Option<GapView>,
    pub change: Option<String>,
}

pub struct SelfOthersRow {
    pub label: String,
    pub self_mean: String,
    pub others_mean: String,
    pub reading: String,
}

pub struct AdviceView {
    pub dimension: String,
    pub band: String,
    pub text: String,
    pub steps: Vec<String>,
}

pub struct RuleView {
    pub title: String,
    pub text: String,
    pub when: String,
}

pub struct FreeTextView {
    pub question: String,
    /// (group, [(answer, "3 keer" or empty)]).
    pub groups: Vec<(String, Vec<(String, String)>)>,
}

pub struct ResultsView {
    pub model_title: String,
    pub model_version: String,
    pub live: bool,
    pub key_informant: bool,
    pub respondents: usize,
    pub perspectives: Vec<PerspectiveHead>,
    pub too_few: Vec<String>,
    pub min_group: u32,
    pub dims: Vec<DimRow>,
    pub overall: DimRow,
    pub has_change: bool,
    pub weakest: Option<String>,
    pub self_others: Vec<SelfOthersRow>,
    pub advice: Vec<AdviceView>,
    pub rules: Vec<RuleView>,
    pub profiles: Vec<RuleView>,
    pub free_text: Vec<FreeTextView>,
    pub free_text_min: u32,
    pub radar: String,
    pub bars: String,
    pub dgi: bool,
}

impl ResultsView {
    /// The dimensions, then overall: the rows of the main table.
    pub fn rows(&self) -> Vec<&DimRow> {
        self.dims
            .iter()
            .chain(std::iter::once(&self.overall))
            .collect()
    }
}

fn interval_text(locale: Locale, iv: &Interval) -> String {
    format!(
        "{}–{}",
        num(locale, iv.low.max(0.0)),
        num(locale, iv.high.min(100.0))
    )
}

fn band_label(model: &Model, lang: &str, band: Option<&String>) -> Option<String> {
    band.and_then(|b| model.band(b))
        .map(|b| b.label.get(lang).to_owned())
}

pub(crate) fn results_view(
    c: &Page,
    wave: &Wave,
    comp: &Computed,
    previous: Option<&(String, Vec<(String, f64)>)>,
    rule: &AnonymityRule,
) -> ResultsView {
    let locale = c.tr.locale;
    let lang = locale.code();
    let model = &comp.model;
    let r = &comp.results;
    let changes = previous
        .map(|(_, scores)| koers_core::scan::change(r, scores))
        .unwrap_or_default();
    let change_of = |id: &str| {
        changes
            .iter()
            .find(|ch| ch.dimension == id)
            .map(|ch| delta(locale, ch.delta))
    };
    let perspectives: Vec<PerspectiveHead> = r
        .visible
        .iter()
        .zip(&comp.visible_n)
        .map(|(name, n)| PerspectiveHead {
            name: name.clone(),
            n: *n,
        })
        .collect();
    let dim_label = |id: &str| {
        model
            .dimension(id)
            .map_or_else(|| id.to_owned(), |d| d.label.get(lang).to_owned())
    };
    let mut dims = Vec::with_capacity(r.dimensions.len());
    let mut self_others = Vec::new();
    for d in &r.dimensions {
        let label = dim_label(&d.id);
        let cells = r
            .visible
            .iter()
            .map(|name| {
                d.perspectives
                    .iter()
                    .find(|(n, _)| n == name)
                    .and_then(|(_, iv)| *iv)
                    .map(|iv| CellView {
                        mean: num(locale, iv.mean),
                        interval: interval_text(locale, &iv),
                    })
            })
            .collect();
        let threshold = model
            .dimension(&d.id)
            .map_or(model.meta.gap_threshold, |m| m.gap_threshold);
        let gap = d.gap.as_ref().map(|g| {
            let args = [
                ("size", FluentValue::from(num(locale, g.size))),
                ("high", FluentValue::from(g.high.clone())),
                ("low", FluentValue::from(g.low.clone())),
                ("threshold", FluentValue::from(num(locale, threshold))),
            ];
            let key = if g.beyond_noise {
                "scan-gap-real"
            } else if g.above_threshold {
                "scan-gap-noise"
            } else {
                "scan-gap-small"
            };
            GapView {
                value: num(locale, g.size),
                above: g.above_threshold,
                beyond_noise: g.beyond_noise,
                sentence: c.tr.t_with(key, &args),
            }
        });
        if let Some((s, o)) = d.self_vs_others {
            let diff = s - o;
            let args = [("size", FluentValue::from(num(locale, diff.abs())))];
            let key = if diff > threshold {
                "scan-self-higher"
            } else if -diff > threshold {
                "scan-self-lower"
            } else {
                "scan-self-close"
            };
            self_others.push(SelfOthersRow {
                label: label.clone(),
                self_mean: num(locale, s),
                others_mean: num(locale, o),
                reading: c.tr.t_with(key, &args),
            });
        }
        dims.push(DimRow {
            band: band_label(model, lang, d.band.as_ref()),
            org: d.score.map(|s| num(locale, s)),
            change: change_of(&d.id),
            label,
            is_overall: false,
            cells,
            gap,
        });
    }
    let overall = DimRow {
        label: c.t("scan-results-overall"),
        is_overall: true,
        org: r.overall.map(|s| num(locale, s)),
        band: band_label(model, lang, r.overall_band.as_ref()),
        cells: r.visible.iter().map(|_| None).collect(),
        gap: None,
        change: change_of(""),
    };
    let advice = r
        .advice
        .iter()
        .filter_map(|(dim, band)| {
            let d = model.dimension(dim)?;
            let a = d.advice_for(band)?;
            Some(AdviceView {
                dimension: d.label.get(lang).to_owned(),
                band: band_label(model, lang, Some(band)).unwrap_or_default(),
                text: a.text.get(lang).to_owned(),
                steps: a
                    .first_steps
                    .iter()
                    .map(|s| s.get(lang).to_owned())
                    .collect(),
            })
        })
        .collect();
    let rule_views = |ids: &[String], kind: RuleKind| -> Vec<RuleView> {
        ids.iter()
            .filter_map(|id| model.rules.iter().find(|x| &x.id == id && x.kind == kind))
            .map(|x| RuleView {
                title: x.title.get(lang).to_owned(),
                text: x.text.get(lang).to_owned(),
                when: x.when.clone(),
            })
            .collect()
    };
    let free_text = comp
        .free_text
        .iter()
        .map(|(qid, groups)| FreeTextView {
            question: model
                .question(qid)
                .map_or_else(|| qid.clone(), |q| q.text.get(lang).to_owned()),
            groups: groups
                .iter()
                .map(|(g, answers)| {
                    let answers = answers
                        .iter()
                        .map(|(t, n)| {
                            let times = if *n > 1 {
                                c.tr.t_with(
                                    "scan-results-free-text-times",
                                    &[("n", FluentValue::from(*n))],
                                )
                            } else {
                                String::new()
                            };
                            (t.clone(), times)
                        })
                        .collect();
                    (g.clone(), answers)
                })
                .collect(),
        })
        .collect();
    let axes: Vec<String> = r.dimensions.iter().map(|d| dim_label(&d.id)).collect();
    let (radar, bars) = charts(c, model, r, &axes);
    ResultsView {
        model_title: model.meta.title.get(lang).to_owned(),
        model_version: model.meta.version.clone(),
        live: wave.status != WaveStatus::Closed,
        key_informant: model.meta.mode == koers_core::scan::Mode::KeyInformant,
        respondents: r.respondents,
        too_few: r.hidden.clone(),
        min_group: rule.figures().get(),
        has_change: !changes.is_empty(),
        weakest: r.weakest.as_deref().map(dim_label),
        self_others,
        advice,
        rules: rule_views(&r.rules, RuleKind::Advice),
        profiles: rule_views(&r.leader_profiles, RuleKind::LeaderProfile),
        free_text,
        free_text_min: rule.free_text().get(),
        radar,
        bars,
        dgi: model.id() == PSO_MODEL,
        perspectives,
        dims,
        overall,
    }
}

fn charts(c: &Page, model: &Model, r: &WaveResults, axes: &[String]) -> (String, String) {
    let locale = c.tr.locale;
    let mut series = vec![Series {
        label: c.t("scan-results-org-score"),
        values: r.dimensions.iter().map(|d| d.score).collect(),
    }];
    for name in &r.visible {
        series.push(Series {
            label: name.clone(),
            values: r
                .dimensions
                .iter()
                .map(|d| {
                    d.perspectives
                        .iter()
                        .find(|(n, _)| n == name)
                        .and_then(|(_, iv)| iv.map(|iv| iv.mean))
                })
                .collect(),
        });
    }
    let radar = svg::radar(
        &ChartText {
            id: "scan-radar",
            title: &c.t("scan-chart-radar-title"),
            desc: &c.t("scan-chart-radar-desc"),
        },
        axes,
        &series,
    );
    let groups: Vec<BarGroup> = r
        .dimensions
        .iter()
        .zip(axes)
        .map(|(d, label)| {
            let mut bars = vec![Bar {
                label: c.t("scan-results-org-score"),
                value: d.score,
                value_text: d.score.map(|s| num(locale, s)).unwrap_or_default(),
                interval: None,
                emphasised: true,
            }];
            for (name, iv) in &d.perspectives {
                bars.push(Bar {
                    label: name.clone(),
                    value: iv.map(|iv| iv.mean),
                    value_text: iv.map(|iv| num(locale, iv.mean)).unwrap_or_default(),
                    interval: iv.map(|iv| (iv.low, iv.high)),
                    emphasised: false,
                });
            }
            BarGroup {
                label: label.clone(),
                bars,
            }
        })
        .collect();
    let _ = model;
    let bars = svg::bars(
        &ChartText {
            id: "scan-bars",
            title: &c.t("scan-chart-bars-title"),
            desc: &c.t("scan-chart-bars-desc"),
        },
        &groups,
        &c.t("scan-results-no-score"),
    );
    (radar, bars)
}

/// The exports: aggregates only (dimension × visible perspective means, their n
/// and intervals, the organisation score, band and gap), never a response. A
/// perspective below the threshold appears on the second sheet by name only.
pub(crate) fn export_sheets(c: &Page, comp: &Computed) -> Vec<Sheet> {
    let lang = c.tr.locale.code();
    let model = &comp.model;
    let r = &comp.results;
    let mut header = vec![
        Cell::text(c.t("scan-export-dimension-id")),
        Cell::text(c.t("scan-results-dimension")),
        Cell::text(c.t("scan-results-org-score")),
        Cell::text(c.t("scan-results-band")),
    ];
    for name in &r.visible {
        for key in [
            "scan-export-mean",
            "scan-export-n",
            "scan-export-low",
            "scan-export-high",
        ] {
            header.push(Cell::text(format!("{name}: {}", c.t(key))));
        }
    }
    header.push(Cell::text(c.t("scan-results-gap")));
    header.push(Cell::text(c.t("scan-export-gap-real")));
    let mut rows = vec![header];
    let band = |b: Option<&String>| {
        b.and_then(|b| model.band(b))
            .map_or(Cell::Empty, |b| Cell::text(b.label.get(lang)))
    };
    for d in &r.dimensions {
        let mut row = vec![
            Cell::text(d.id.clone()),
            Cell::text(
                model
                    .dimension(&d.id)
                    .map_or_else(|| d.id.clone(), |m| m.label.get(lang).to_owned()),
            ),
            Cell::maybe(d.score.map(round1)),
            band(d.band.as_ref()),
        ];
        for name in &r.visible {
            let iv = d
                .perspectives
                .iter()
                .find(|(n, _)| n == name)
                .and_then(|(_, iv)| *iv);
            match iv {
                Some(iv) => {
                    row.push(Cell::Number(round1(iv.mean)));
                    row.push(Cell::count(i64::try_from(iv.n).unwrap_or(i64::MAX)));
                    row.push(Cell::Number(round1(iv.low.max(0.0))));
                    row.push(Cell::Number(round1(iv.high.min(100.0))));
                }
                None => row.extend([Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty]),
            }
        }
        match &d.gap {
            Some(g) => {
                row.push(Cell::Number(round1(g.size)));
                row.push(Cell::text(if g.beyond_noise {
                    c.t("scan-export-yes")
                } else {
                    c.t("scan-export-no")
                }));
            }
            None => row.extend([Cell::Empty, Cell::Empty]),
        }
        rows.push(row);
    }
    rows.push(vec![
        Cell::text(String::new()),
        Cell::text(c.t("scan-results-overall")),
        Cell::maybe(r.overall.map(round1)),
        band(r.overall_band.as_ref()),
    ]);
    let mut groups = vec![vec![
        Cell::text(c.t("scan-export-perspective")),
        Cell::text(c.t("scan-export-n")),
        Cell::text(c.t("scan-export-status")),
    ]];
    for (name, n) in r.visible.iter().zip(&comp.visible_n) {
        let n = *n;
        groups.push(vec![
            Cell::text(name.clone()),
            Cell::count(i64::try_from(n).unwrap_or(i64::MAX)),
            Cell::text(c.t("scan-export-shown")),
        ]);
    }
    for name in &r.hidden {
        groups.push(vec![
            Cell::text(name.clone()),
            Cell::Empty,
            Cell::text(c.t("scan-results-too-few")),
        ]);
    }
    vec![
        Sheet {
            name: c.t("scan-export-sheet-results"),
            rows,
        },
        Sheet {
            name: c.t("scan-export-sheet-perspectives"),
            rows: groups,
        },
    ]
}
