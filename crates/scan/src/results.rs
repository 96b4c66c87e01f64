//! Everything that shows a wave's figures: the results page (live while the wave
//! is open), the printable report, the exports, closing a wave (which freezes the
//! shown scores for later waves and for other organisations' benchmarks), the peer
//! benchmark and its settings.
//!
//! Figures come from one place: [`computed`] scores every stored response with the
//! wave's own model (`model_source`, as it was when the wave was made) and
//! aggregates them with `koers_core::scan::aggregate` under the anonymity rule. The
//! page, the report, the three exports, closing and the benchmark all read that one
//! result, so they cannot disagree about what is safe to show. A perspective below
//! the threshold is left out by the core entirely; here it appears only by name.
//!
//! Scoring ten thousand responses takes longer than a page may, so the result is
//! kept per wave ([`ResultsCache`]) and recomputed when the wave's response counts
//! or status change: responses are never edited, only added, so the counts per
//! perspective and the status say exactly when the stored answers changed.

use crate::results_view::{self as view, ResultsView};
use askama::Template;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use koers_core::anonymity::AnonymityRule;
use koers_core::scan::{
    aggregate, score, Answer, Answers, Mode, Model, PerspectiveInput, QuestionKind, ResponseScore,
    WaveResults,
};
use koers_core::Role;
use koers_store::{FrozenModel, FrozenScore, Perspective, PerspectiveId, Wave, WaveId, WaveStatus};
use koers_web::ctx::{Ctx, Form, Path};
use koers_web::error::{AppError, AppResult};
use koers_web::part::{Access, OrgAccess, Route};
use koers_web::templates::{render, Page};
use koers_web::{audit, redirect, AppState, Empty};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The download formats of a wave's results (`…/download/{file}`); the
/// tenant-isolation test requests each.
pub const DOWNLOADS: &[&str] = &["resultaten.csv", "resultaten.ods", "resultaten.xlsx"];

pub(crate) fn routes() -> Vec<Route> {
    let lid = Access::Org(Role::Lid);
    let beheerder = Access::Org(Role::Beheerder);
    vec![
        Route::get(
            "/organisaties/{org}/scans/{wave}/resultaten",
            lid,
            results_page,
        ),
        Route::get("/organisaties/{org}/scans/{wave}/rapport", lid, report),
        Route::get(
            "/organisaties/{org}/scans/{wave}/download/{file}",
            lid,
            download,
        )
        .with_values("file", DOWNLOADS),
        Route::get(
            "/organisaties/{org}/scans/{wave}/benchmark",
            lid,
            crate::results_benchmark::benchmark_page,
        ),
        Route::get(
            "/organisaties/{org}/scans/instellingen",
            beheerder,
            crate::results_settings::settings_page,
        ),
        Route::post(
            "/organisaties/{org}/scans/instellingen",
            beheerder,
            crate::results_settings::settings_save,
        ),
        Route::post("/organisaties/{org}/scans/{wave}/sluiten", beheerder, close),
    ]
}

/// One perspective's open answers to one question: (perspective, [(answer, how
/// many gave it)]).
pub(crate) type GroupTexts = (String, Vec<(String, usize)>);

/// A wave's figures, computed once per change of its responses.
pub(crate) struct Computed {
    pub model: Model,
    pub results: WaveResults,
    /// Respondents of each visible perspective, aligned with `results.visible`.
    pub visible_n: Vec<usize>,
    /// Per text question (model order): the answers of each perspective that is
    /// visible and reaches the free-text threshold, sorted (so their order says
    /// nothing about who answered when), identical answers once with their count.
    pub free_text: Vec<(String, Vec<GroupTexts>)>,
}

/// What a cached result was computed from.
#[derive(Clone, PartialEq, Eq)]
struct CacheKey {
    status: WaveStatus,
    counts: Vec<(PerspectiveId, i64)>,
}

/// Computed results per wave, in the part's state.
#[derive(Default)]
pub struct ResultsCache {
    entries: Mutex<HashMap<WaveId, (CacheKey, Arc<Computed>)>>,
}

/// The most waves kept at once; beyond it the cache starts afresh (a results page
/// is read in bursts after a wave closes, not across hundreds of waves at once).
const CACHE_WAVES: usize = 64;

impl ResultsCache {
    fn get(&self, wave: WaveId, key: &CacheKey) -> Option<Arc<Computed>> {
        let map = self.entries.lock().ok()?;
        map.get(&wave)
            .filter(|(k, _)| k == key)
            .map(|(_, c)| Arc::clone(c))
    }

    fn put(&self, wave: WaveId, key: CacheKey, value: Arc<Computed>) {
        if let Ok(mut map) = self.entries.lock() {
            if map.len() >= CACHE_WAVES && !map.contains_key(&wave) {
                map.clear();
            }
            map.insert(wave, (key, value));
        }
    }
}

/// A wave of the organisation the access check admitted (another organisation's
/// wave answers 404).
pub(crate) async fn wave_of(state: &AppState, a: &OrgAccess, id: i64) -> AppResult<Wave> {
    Ok(state.store.scan().wave(&a.scope, WaveId(id)).await?)
}

/// The wave's figures: from the cache when its responses have not changed.
pub(crate) async fn computed(state: &AppState, wave: &Wave) -> AppResult<Arc<Computed>> {
    let scan = state.store.scan();
    let mut counts = scan.response_counts(wave.scope).await?;
    counts.sort();
    let key = CacheKey {
        status: wave.status,
        counts,
    };
    let cache = crate::waves::scan_state(state)?;
    if let Some(hit) = cache.results.get(wave.id, &key) {
        return Ok(hit);
    }
    let perspectives = scan.perspectives(wave.scope).await?;
    let responses = scan.responses(wave.scope).await?;
    let source = wave.model_source.clone();
    let rule = state.config.anonymity();
    let value =
        tokio::task::spawn_blocking(move || compute(&source, perspectives, responses, rule))
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("results task: {e}")))??;
    let value = Arc::new(value);
    cache.results.put(wave.id, key, Arc::clone(&value));
    Ok(value)
}

/// Scores and aggregates a wave's responses. Pure apart from its inputs, so the
/// tests of this crate and the benchmark run the same code as the page.
pub(crate) fn compute(
    model_source: &str,
    perspectives: Vec<Perspective>,
    mut responses: Vec<(PerspectiveId, String)>,
    rule: AnonymityRule,
) -> AppResult<Computed> {
    let model = Model::parse("wave", model_source)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("stored model of the wave: {e}")))?;
    // A fixed order that depends only on the answers themselves: the result (to
    // the last bit of every mean) is the same however the rows come back.
    responses.sort();
    let mut scored: HashMap<PerspectiveId, Vec<ResponseScore>> = HashMap::new();
    let mut texts: HashMap<(PerspectiveId, String), Vec<String>> = HashMap::new();
    let text_questions: Vec<&str> = model
        .questions
        .iter()
        .filter(|q| matches!(q.kind, QuestionKind::Text))
        .map(|q| q.id.as_str())
        .collect();
    for (p, json) in &responses {
        let answers: Answers = serde_json::from_str(json)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("stored answers do not parse: {e}")))?;
        scored.entry(*p).or_default().push(score(&model, &answers));
        for q in &text_questions {
            if let Some(Answer::Text(t)) = answers.get(q) {
                let t = t.trim();
                if !t.is_empty() {
                    texts
                        .entry((*p, (*q).to_owned()))
                        .or_default()
                        .push(t.to_owned());
                }
            }
        }
    }
    let empty: Vec<ResponseScore> = Vec::new();
    let inputs: Vec<PerspectiveInput<'_>> = perspectives
        .iter()
        .map(|p| PerspectiveInput {
            name: &p.name,
            weight: p.weight,
            rates_self: p.rates_self,
            scores: scored.get(&p.id).map_or(&empty, |v| v.as_slice()),
        })
        .collect();
    let results = aggregate(&model, rule, &inputs);
    // Free text: only from perspectives the results show, and only when the group
    // reaches the (higher) free-text threshold; a key informant speaks for the
    // organisation, as in `aggregate`.
    let key_informant = model.meta.mode == Mode::KeyInformant;
    let mut free_text = Vec::new();
    for q in &text_questions {
        let mut groups = Vec::new();
        for p in &perspectives {
            let n = scored.get(&p.id).map_or(0, Vec::len);
            if !results.visible.contains(&p.name) || !(key_informant || rule.shows_text(n)) {
                continue;
            }
            let mut answers = texts.remove(&(p.id, (*q).to_owned())).unwrap_or_default();
            answers.sort();
            let mut counted: Vec<(String, usize)> = Vec::new();
            for a in answers {
                match counted.last_mut() {
                    Some((last, n)) if *last == a => *n += 1,
                    _ => counted.push((a, 1)),
                }
            }
            groups.push((p.name.clone(), counted));
        }
        if !groups.is_empty() {
            free_text.push(((*q).to_owned(), groups));
        }
    }
    let visible_n = results
        .visible
        .iter()
        .map(|name| {
            perspectives
                .iter()
                .find(|p| &p.name == name)
                .and_then(|p| scored.get(&p.id))
                .map_or(0, Vec::len)
        })
        .collect();
    Ok(Computed {
        model,
        results,
        visible_n,
        free_text,
    })
}

/// The previous wave's frozen scores and title, for the change since then.
async fn previous(
    state: &AppState,
    a: &OrgAccess,
    wave: &Wave,
) -> AppResult<Option<(String, Vec<(String, f64)>)>> {
    let Some(prev) = wave.previous_wave_id else {
        return Ok(None);
    };
    let prev = match state.store.scan().wave(&a.scope, prev).await {
        Ok(w) => w,
        Err(koers_store::StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let scores = state.store.scan().frozen_scores(prev.scope).await?;
    if scores.is_empty() {
        return Ok(None);
    }
    Ok(Some((
        prev.title,
        scores
            .into_iter()
            .map(|s| (s.dimension_id, s.score))
            .collect(),
    )))
}

pub(crate) async fn build_view(
    state: &AppState,
    a: &OrgAccess,
    c: &Page,
    wave: &Wave,
) -> AppResult<(ResultsView, Arc<Computed>)> {
    let comp = computed(state, wave).await?;
    let prev = previous(state, a, wave).await?;
    let rule = state.config.anonymity();
    Ok((
        view::results_view(c, wave, &comp, prev.as_ref(), &rule),
        comp,
    ))
}

#[derive(Template)]
#[template(path = "results_page.html")]
struct ResultsTpl {
    c: Page,
    org_id: i64,
    wave_id: i64,
    v: ResultsView,
    can_close: bool,
}

async fn results_page(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    Path((_org, id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let wave = wave_of(&state, &a, id).await?;
    let c = Page::new(&state, &ctx, "scan-results-title").with_title(wave.title.clone());
    let (v, _) = build_view(&state, &a, &c, &wave).await?;
    Ok(render(
        StatusCode::OK,
        &ResultsTpl {
            org_id: a.org.id.0,
            wave_id: id,
            v,
            can_close: wave.status == WaveStatus::Open && a.can(Role::Beheerder),
            c,
        },
    ))
}

#[derive(Template)]
#[template(path = "results_report.html")]
struct ReportTpl {
    c: Page,
    org_id: i64,
    org_name: String,
    wave_id: i64,
    date: String,
    v: ResultsView,
}

async fn report(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    Path((_org, id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let wave = wave_of(&state, &a, id).await?;
    let c = Page::new(&state, &ctx, "scan-results-title").with_title(wave.title.clone());
    let (v, _) = build_view(&state, &a, &c, &wave).await?;
    let date = c.tr.date(wave.closed_at.unwrap_or_else(|| state.now()));
    Ok(render(
        StatusCode::OK,
        &ReportTpl {
            org_id: a.org.id.0,
            org_name: a.org.name.clone(),
            wave_id: id,
            date,
            v,
            c,
        },
    ))
}

async fn download(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    a: OrgAccess,
    Path((_org, id, file)): Path<(i64, i64, String)>,
) -> AppResult<Response> {
    if !DOWNLOADS.contains(&file.as_str()) {
        return Err(AppError::NotFound);
    }
    let wave = wave_of(&state, &a, id).await?;
    let c = Page::new(&state, &ctx, "scan-results-title");
    let comp = computed(&state, &wave).await?;
    let sheets = view::export_sheets(&c, &comp);
    let too_large = |e: koers_tables::TableError| AppError::Internal(anyhow::anyhow!("{e}"));
    let slug = format!("scan-{id}-resultaten");
    let (body, mime, name) = match file.as_str() {
        "resultaten.csv" => {
            let first = sheets.first().ok_or(AppError::NotFound)?;
            let style = match ctx.locale {
                koers_web::i18n::Locale::Nl => koers_tables::csv::CsvStyle::DUTCH,
                koers_web::i18n::Locale::En => koers_tables::csv::CsvStyle::ENGLISH,
            };
            (
                koers_tables::csv::sheet_csv(first, style),
                "text/csv; charset=utf-8",
                format!("{slug}.csv"),
            )
        }
        "resultaten.ods" => (
            koers_tables::ods::workbook_ods(&sheets).map_err(too_large)?,
            koers_tables::ods::MIME,
            format!("{slug}.ods"),
        ),
        _ => (
            koers_tables::xlsx::workbook_xlsx(&sheets).map_err(too_large)?,
            koers_tables::xlsx::MIME,
            format!("{slug}.xlsx"),
        ),
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}

/// The scores a wave freezes when it closes: exactly the organisation scores the
/// results show (dimensions with a score, and overall when there is one). A wave
/// whose respondents the rule hides entirely freezes nothing.
pub(crate) fn frozen(results: &WaveResults) -> Vec<FrozenScore> {
    let mut out: Vec<FrozenScore> = results
        .dimensions
        .iter()
        .filter_map(|d| {
            d.score.map(|score| FrozenScore {
                dimension_id: d.id.clone(),
                score,
            })
        })
        .collect();
    if let Some(score) = results.overall {
        out.push(FrozenScore {
            dimension_id: String::new(),
            score,
        });
    }
    out
}

/// Closes an open wave: no more answers, and the shown scores frozen, in one
/// transaction.
pub(crate) async fn close_wave(state: &AppState, wave: &Wave) -> AppResult<bool> {
    let comp = computed(state, wave).await?;
    let scores = frozen(&comp.results);
    Ok(state
        .store
        .scan()
        .close_and_freeze(
            wave.scope,
            FrozenModel {
                id: &wave.model_id,
                version: &wave.model_version,
            },
            &scores,
            state.now(),
        )
        .await?)
}

async fn close(
    State(state): State<AppState>,
    a: OrgAccess,
    Path((_org, id)): Path<(i64, i64)>,
    Form(_): Form<Empty>,
) -> AppResult<Response> {
    let wave = wave_of(&state, &a, id).await?;
    let done = close_wave(&state, &wave).await?;
    let base = format!("/organisaties/{}/scans/{id}/resultaten", a.org.id.0);
    if !done {
        return Ok(redirect(&format!("{base}?melding=scan-close-not-open")));
    }
    audit(
        &state,
        Some(a.org.id),
        a.user.id,
        "scan.wave_closed",
        &format!("wave={id}"),
    )
    .await?;
    Ok(redirect(&format!("{base}?melding=scan-closed")))
}
